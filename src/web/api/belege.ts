import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { evidenceUploadPartBytes, type ChangeBelegInput, type StartUploadInput } from '../../domain/api/belege.ts';
import type { NoteKind } from '../../domain/discussion.ts';
import { answerOf, api, ApiError } from './client.ts';
import type { Beleg, BelegeAnswer, DeletedBeleg, StartedUpload } from './from-services/belege.ts';

export type { Beleg, BelegeAnswer, BelegLink, BelegVersion } from './from-services/belege.ts';

const base = (slug: string) => `/api/kommunen/${encodeURIComponent(slug)}/belege`;

/** Where a version's file is: a PDF opens in the browser's viewer, everything else downloads. */
export function belegVersionUrl(slug: string, documentId: string, number: number): string {
  return `${base(slug)}/${documentId}/versions/${number}`;
}

export const belegeKey = (slug: string) => ['belege', slug] as const;

/** All Belege of a Kommune (Lesende: the released ones), the space used and what the person may do. */
export function useBelege(slug: string) {
  return useQuery({ queryKey: belegeKey(slug), queryFn: () => api<BelegeAnswer>('GET', base(slug)) });
}

/** Title, date or the release for Lesende of one Beleg. */
export function useChangeBeleg(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: ChangeBelegInput }) => api<Beleg>('PATCH', `${base(slug)}/${id}`, changes),
    onSettled: () => queryClient.invalidateQueries({ queryKey: belegeKey(slug) }),
  });
}

/** Deletes a Beleg with all its versions; it disappears from every answer and criterion. */
export function useDeleteBeleg(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<DeletedBeleg>('DELETE', `${base(slug)}/${id}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: belegeKey(slug) }),
  });
}

/** The question or criterion of a round a Beleg backs. */
export interface EvidenceSubject {
  round: number;
  kind: NoteKind;
  key: string;
}

/** Links a Beleg to a question or criterion of a round (`isLinked: true`) or removes the link. */
export function useLinkBeleg(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, subject, isLinked }: { id: string; subject: EvidenceSubject; isLinked: boolean }) =>
      api<Beleg>(isLinked ? 'PUT' : 'DELETE', `${base(slug)}/${id}/links/${subject.round}/${subject.kind}/${encodeURIComponent(subject.key)}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: belegeKey(slug) }),
  });
}

// ─── Uploading ───────────────────────────────────────────────────────────────────────────────────

/** Where an upload stands; the page shows it in a progress bar and a live region. */
export type UploadState =
  | { phase: 'idle' }
  | { phase: 'sending'; sent: number; size: number }
  /** All bytes are there; the server checks the file by its content. */
  | { phase: 'checking'; sent: number; size: number }
  /** The connection broke (or the server had a passing problem): „Erneut versuchen“ goes on where the server stands. */
  | { phase: 'interrupted'; sent: number; size: number; error: ApiError }
  /** The server refused the file or the details; a new choice is needed. */
  | { phase: 'refused'; error: ApiError }
  | { phase: 'done'; beleg: Beleg }
  | { phase: 'cancelled'; sent: number; size: number };

/** The file as the uploader needs it (a File; a Blob with a name in tests). */
export type UploadFile = Blob & { readonly name: string };

/** A new Beleg (title, date) or, with documentId, a new version of one. */
export type UploadTarget = Pick<StartUploadInput, 'title' | 'documentDate' | 'documentId'>;

/** Fields of the start request that the form shows as its file field. */
const fileFields = new Set(['fileName', 'size', 'mediaType']);
/** Refusals that are about the file itself: shown at the file field. */
const fileCodes = new Set(['evidence-too-large', 'evidence-quota', 'evidence-type-refused', 'evidence-file-invalid', 'evidence-upload-overflow', 'evidence-upload-not-found']);

/** The server's refusal with its message at the form's `file` field (title and date keep their own). */
function atFileField(error: ApiError): ApiError {
  const fields: Record<string, string> = {};
  for (const [key, message] of Object.entries(error.fields)) {
    const name = fileFields.has(key) ? 'file' : key;
    fields[name] = fields[name] ? `${fields[name]} ${message}` : message;
  }
  if (fileCodes.has(error.code) && error.message) fields.file = error.message;
  return new ApiError(error.status, error.code, error.message, fields, error.current);
}

/** Passing failures, after which the same upload goes on: no connection, a timeout, a server restarting. */
function isPassing(error: ApiError): boolean {
  return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500 || error.code === 'evidence-offset';
}

type Fetch = typeof fetch;

/**
 * Sends one file as a Beleg: starts the upload, sends it in slices of 1 MiB with `PUT ?offset=`, and
 * finishes it. After a broken connection or a 409 about the offset it asks the server how many bytes
 * it has (`GET …/uploads/:id`) and goes on from there; an upload the server no longer knows (swept
 * after 24 hours) starts again from the beginning. `cancel()` stops it between or during requests.
 * No React here, so it can be tested with a fake fetch.
 */
export class EvidenceUploader {
  private uploadId: string | undefined;
  private sent = 0;
  private controller: AbortController | undefined;
  private isRunning = false;

  private readonly slug: string;
  private readonly file: UploadFile;
  private readonly target: UploadTarget;
  private readonly onChange: (state: UploadState) => void;
  private readonly fetcher: Fetch;

  constructor(slug: string, file: UploadFile, target: UploadTarget, onChange: (state: UploadState) => void, fetcher: Fetch = (...args) => fetch(...args)) {
    this.slug = slug;
    this.file = file;
    this.target = target;
    this.onChange = onChange;
    this.fetcher = fetcher;
  }

  /** Starts, or after an interruption resumes, the upload. Resolves when it ends in any state. */
  async run(): Promise<void> {
    if (this.isRunning) return;
    this.isRunning = true;
    const controller = new AbortController();
    this.controller = controller;
    const size = this.file.size;
    try {
      if (this.uploadId) {
        this.onChange({ phase: 'sending', sent: this.sent, size });
        this.sent = await this.serverOffset(controller.signal);
      }
      if (!this.uploadId) {
        this.sent = 0;
        this.onChange({ phase: 'sending', sent: 0, size });
        const started = await this.request<StartedUpload>('POST', `${base(this.slug)}/uploads`, controller.signal, {
          ...this.target,
          fileName: this.file.name,
          size,
          ...(this.file.type ? { mediaType: this.file.type } : {}),
        } satisfies StartUploadInput);
        this.uploadId = started.uploadId;
        this.sent = started.offset;
      }
      await this.sendFrom(controller.signal);
      this.onChange({ phase: 'checking', sent: size, size });
      const beleg = await this.request<Beleg>('POST', `${base(this.slug)}/uploads/${this.uploadId}/finish`, controller.signal);
      this.onChange({ phase: 'done', beleg });
    } catch (error) {
      if (controller.signal.aborted) this.onChange({ phase: 'cancelled', sent: this.sent, size });
      else {
        const failure = error instanceof ApiError ? error : new ApiError(0, 'network', 'offline');
        if (isPassing(failure) && this.uploadId) this.onChange({ phase: 'interrupted', sent: this.sent, size, error: failure });
        else this.onChange({ phase: 'refused', error: atFileField(failure) });
      }
    } finally {
      this.isRunning = false;
    }
  }

  /** Stops the upload; the server drops the staged bytes after a day. */
  cancel(): void {
    this.controller?.abort();
  }

  private async sendFrom(signal: AbortSignal): Promise<void> {
    const size = this.file.size;
    let conflicts = 0;
    while (this.sent < size) {
      const end = Math.min(this.sent + evidenceUploadPartBytes, size);
      try {
        const state = await this.request<{ offset: number }>('PUT', `${base(this.slug)}/uploads/${this.uploadId}?offset=${this.sent}`, signal, this.file.slice(this.sent, end));
        this.sent = state.offset;
        conflicts = 0;
      } catch (error) {
        // Another tab or a retried request got there first: ask where the server stands and go on.
        if (!(error instanceof ApiError && error.code === 'evidence-offset') || ++conflicts > 3) throw error;
        this.sent = await this.serverOffset(signal);
      }
      this.onChange({ phase: 'sending', sent: this.sent, size });
    }
  }

  /** How many bytes the server has; forgets the upload when the server no longer knows it. */
  private async serverOffset(signal: AbortSignal): Promise<number> {
    try {
      return (await this.request<{ offset: number }>('GET', `${base(this.slug)}/uploads/${this.uploadId}`, signal)).offset;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'evidence-upload-not-found') {
        this.uploadId = undefined;
        return 0;
      }
      throw error;
    }
  }

  /** Like `api()`, with a raw body for the bytes and a signal to cancel. */
  private async request<T>(method: 'GET' | 'POST' | 'PUT', path: string, signal: AbortSignal, body?: Blob | object): Promise<T> {
    const isBytes = body instanceof Blob;
    let response: Response;
    try {
      response = await this.fetcher(path, {
        method,
        credentials: 'same-origin',
        signal,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': isBytes ? 'application/octet-stream' : 'application/json' }),
        },
        body: body === undefined ? undefined : isBytes ? body : JSON.stringify(body),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new ApiError(0, 'network', 'offline');
    }
    return answerOf<T>(response);
  }
}

/**
 * One upload at a time for a form: `start` a file, `retry` after an interruption (also by itself when
 * the browser is online again), `cancel`. A finished upload refreshes the list of Belege.
 */
export function useEvidenceUpload(slug: string) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const uploader = useRef<EvidenceUploader | null>(null);

  const start = useCallback(
    (file: UploadFile, target: UploadTarget) => {
      uploader.current?.cancel();
      const current = new EvidenceUploader(slug, file, target, (next) => {
        if (uploader.current !== current) return;
        setState(next);
        if (next.phase === 'done') void queryClient.invalidateQueries({ queryKey: belegeKey(slug) });
      });
      uploader.current = current;
      void current.run();
    },
    [slug, queryClient],
  );
  const retry = useCallback(() => void uploader.current?.run(), []);
  const cancel = useCallback(() => uploader.current?.cancel(), []);
  const reset = useCallback(() => {
    uploader.current?.cancel();
    uploader.current = null;
    setState({ phase: 'idle' });
  }, []);

  const isInterrupted = state.phase === 'interrupted';
  useEffect(() => {
    if (!isInterrupted) return;
    const onOnline = () => void uploader.current?.run();
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, [isInterrupted]);
  useEffect(() => () => uploader.current?.cancel(), []);

  return { state, start, retry, cancel, reset };
}
