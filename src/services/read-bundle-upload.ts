import { Worker } from 'node:worker_threads';
import type { Bundle, BundleParseResult } from '../domain/bundle.ts';
import type { BundleWorkerReply } from './bundle-worker.ts';
import { looksLikeZip } from '../domain/evidence-file.ts';
import { openBundleArchive, type BundleFiles } from './bundle-archive.ts';

/**
 * An uploaded bundle whose JSON was parsed and whose shape was checked in a worker thread
 * (readBundleUpload); importKommune takes it in place of a parsed object and checks the rest.
 */
export class UploadedBundle {
  readonly parsed: BundleParseResult;

  constructor(parsed: BundleParseResult) {
    this.parsed = parsed;
  }
}

export type BundleUploadOutcome = { kind: 'not-json' } | { kind: 'not-object' } | { kind: 'read'; bundle: UploadedBundle };

/**
 * Lets other requests run between two slices of long work: PGlite runs on this thread, and a promise
 * it resolves does not give the event loop a turn, so only this does (also inside a transaction,
 * where other queries wait for it while requests without the database are served).
 */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Parses the JSON of an uploaded bundle and validates its shape in a worker thread: JSON.parse of
 * tens of megabytes cannot be split, and would hold the server's thread for as long. The valid bundle
 * comes back in slices of 2,000 answers or change-log entries, one at a time with a pause between
 * them, so that taking it in never holds the thread long either. The bytes move to the worker (not
 * copied); the caller must not use them afterwards.
 */
export async function readBundleUpload(bytes: Uint8Array): Promise<BundleUploadOutcome> {
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();
  const worker = new Worker(new URL('./bundle-worker.mjs', import.meta.url), { workerData: own, transferList: [own.buffer as ArrayBuffer] });
  try {
    const replies: BundleWorkerReply[] = [];
    let waiting: { resolve: (reply: BundleWorkerReply) => void; reject: (error: Error) => void } | undefined;
    let failure: Error | undefined;
    const fail = (error: Error) => {
      failure ??= error;
      waiting?.reject(failure);
      waiting = undefined;
    };
    worker.on('message', (reply: BundleWorkerReply) => {
      if (waiting) {
        waiting.resolve(reply);
        waiting = undefined;
      } else replies.push(reply);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`Die Prüfung des Pakets endete unerwartet (Code ${code}).`)));
    const receive = () =>
      new Promise<BundleWorkerReply>((resolve, reject) => {
        const queued = replies.shift();
        if (queued) resolve(queued);
        else if (failure) reject(failure);
        else waiting = { resolve, reject };
      });

    const first = await receive();
    if (first.kind === 'not-json' || first.kind === 'not-object') return { kind: first.kind };
    if (first.kind === 'invalid') return { kind: 'read', bundle: new UploadedBundle({ success: false, path: first.path, message: first.message, isNotBundle: first.isNotBundle }) };
    if (first.kind !== 'valid') throw new Error('Unerwartete Antwort der Paketprüfung.');
    const bundle = first.skeleton;
    const parts = bundle.rounds.map(() => ({ answers: [] as unknown[][], changes: [] as unknown[][] }));
    for (let index = 0; index < first.slices; index++) {
      await yieldToEventLoop();
      worker.postMessage('next');
      const slice = await receive();
      if (slice.kind !== 'slice') throw new Error('Unerwartete Antwort der Paketprüfung.');
      parts[slice.round]![slice.part].push(slice.items);
    }
    for (const [index, round] of bundle.rounds.entries()) {
      round.answers = parts[index]!.answers.flat() as Bundle['rounds'][number]['answers'];
      await yieldToEventLoop();
      round.changes = parts[index]!.changes.flat() as Bundle['rounds'][number]['changes'];
      await yieldToEventLoop();
    }
    return { kind: 'read', bundle: new UploadedBundle({ success: true, data: bundle }) };
  } finally {
    await worker.terminate();
  }
}

/** A bundle file read for import: the outcome of its JSON and, for a ZIP container, the files next to it. */
export interface ReadBundleFile {
  outcome: BundleUploadOutcome;
  files?: BundleFiles;
  /** Closes the archive; call when the import is over. */
  close(): void;
}

/**
 * Reads a bundle file as it came: a ZIP container (format version 2, by its first bytes) from a path or
 * from bytes, or plain JSON bytes (version 1, or 2 without Belege). The JSON is parsed and checked in
 * the worker either way; of a ZIP only its directory and bundle.json are read here, the Belege later
 * one at a time during the import.
 */
export async function readBundleFile(source: { path: string } | { bytes: Uint8Array }, limits: { maxJsonBytes: number }): Promise<ReadBundleFile> {
  const isZip = 'path' in source || looksLikeZip(source.bytes.subarray(0, 4));
  if (!isZip) return { outcome: await readBundleUpload((source as { bytes: Uint8Array }).bytes), close: () => {} };
  const archive = await openBundleArchive('path' in source ? source.path : Buffer.from(source.bytes.buffer, source.bytes.byteOffset, source.bytes.byteLength), {
    maxJsonBytes: limits.maxJsonBytes,
    maxEntries: maxBundleArchiveEntries,
  });
  try {
    return { outcome: await readBundleUpload(archive.json), files: archive.files, close: archive.close };
  } catch (error) {
    archive.close();
    throw error;
  }
}

/** bundle.json and at most 100,000 files: more versions than a bundle can name (10,000 Belege × 1,000 versions is checked by the schema, the quota long before). */
const maxBundleArchiveEntries = 100_001;
