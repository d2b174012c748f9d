import { describe, expect, it } from 'vitest';
import { evidenceUploadPartBytes } from '../../domain/api/belege.ts';
import { EvidenceUploader, type UploadFile, type UploadState } from './belege.ts';

const uploadId = '00000000-0000-4000-8000-000000000001';
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A fake server of the upload protocol: keeps the offset, can fail a PUT once, and records the calls. */
function fakeServer(size: number, options: { failPut?: number; refuseFinish?: string; forgetUpload?: boolean } = {}) {
  let offset = 0;
  let puts = 0;
  let isKnown = true;
  const calls: string[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    calls.push(`${method} ${url.replace(/^.*\/belege/, '')}`);
    if (method === 'POST' && url.endsWith('/uploads')) {
      isKnown = true;
      offset = 0;
      return json(201, { uploadId, documentId: 'd', offset: 0, size, chunkBytes: 262_144 });
    }
    if (!isKnown) return json(404, { error: { code: 'evidence-upload-not-found', message: 'Dieses Hochladen gibt es nicht (mehr).' } });
    if (method === 'PUT') {
      puts++;
      if (puts === options.failPut) {
        if (options.forgetUpload) isKnown = false;
        throw new TypeError('Failed to fetch');
      }
      const at = Number(new URL(url, 'http://x').searchParams.get('offset'));
      if (at !== offset) return json(409, { error: { code: 'evidence-offset', message: 'andere Menge' }, current: { offset, size } });
      const body = init!.body as Blob;
      expect(body.size).toBeLessThanOrEqual(evidenceUploadPartBytes);
      offset += body.size;
      return json(200, { offset, size });
    }
    if (method === 'GET') return json(200, { offset, size });
    if (url.endsWith('/finish')) {
      if (options.refuseFinish) return json(415, { error: { code: 'evidence-type-refused', message: options.refuseFinish } });
      return json(200, { id: 'd', title: 'Ratsbeschluss', versions: [], links: [] });
    }
    return json(500, {});
  }) as typeof fetch;
  return { fetcher, calls, offset: () => offset };
}

const fileOf = (size: number): UploadFile => Object.assign(new Blob([new Uint8Array(size)], { type: 'application/pdf' }), { name: 'Ratsbeschluss.pdf' });

describe('EvidenceUploader', () => {
  it('sends a 2.5 MiB file in three slices of at most 1 MiB and reports progress after each', async () => {
    const size = 2.5 * 1024 * 1024;
    const server = fakeServer(size);
    const states: UploadState[] = [];
    await new EvidenceUploader('musterstadt', fileOf(size), { title: 'Ratsbeschluss' }, (state) => states.push(state), server.fetcher).run();
    expect(server.calls.filter((call) => call.startsWith('PUT'))).toEqual([
      `PUT /uploads/${uploadId}?offset=0`,
      `PUT /uploads/${uploadId}?offset=1048576`,
      `PUT /uploads/${uploadId}?offset=2097152`,
    ]);
    expect(states.filter((state) => state.phase === 'sending').map((state) => (state as { sent: number }).sent)).toEqual([0, 1048576, 2097152, size]);
    expect(states.at(-1)?.phase).toBe('done');
  });

  it('after a broken connection is interrupted, and „Erneut versuchen“ asks the server for the offset and goes on from there', async () => {
    const size = 3 * 1024 * 1024;
    const server = fakeServer(size, { failPut: 2 });
    const states: UploadState[] = [];
    const uploader = new EvidenceUploader('musterstadt', fileOf(size), { title: 'Ratsbeschluss' }, (state) => states.push(state), server.fetcher);
    await uploader.run();
    expect(states.at(-1)).toMatchObject({ phase: 'interrupted', sent: 1048576 });
    await uploader.run();
    expect(states.at(-1)?.phase).toBe('done');
    expect(server.calls.slice(3)).toEqual([`GET /uploads/${uploadId}`, `PUT /uploads/${uploadId}?offset=1048576`, `PUT /uploads/${uploadId}?offset=2097152`, `POST /uploads/${uploadId}/finish`]);
    expect(server.offset()).toBe(size);
  });

  it('starts again from the beginning when the server no longer knows the upload', async () => {
    const size = 2 * 1024 * 1024;
    const server = fakeServer(size, { failPut: 2, forgetUpload: true });
    const states: UploadState[] = [];
    const uploader = new EvidenceUploader('musterstadt', fileOf(size), { title: 'Ratsbeschluss' }, (state) => states.push(state), server.fetcher);
    await uploader.run();
    await uploader.run();
    expect(states.at(-1)?.phase).toBe('done');
    expect(server.calls.filter((call) => call.startsWith('POST') && call.endsWith('/uploads'))).toHaveLength(2);
  });

  it('shows the server refusal of the content at the file field', async () => {
    const message = 'Die Datei „Ratsbeschluss.pdf“ ist keine der erlaubten Arten.';
    const server = fakeServer(100, { refuseFinish: message });
    const states: UploadState[] = [];
    await new EvidenceUploader('musterstadt', fileOf(100), { title: 'Ratsbeschluss' }, (state) => states.push(state), server.fetcher).run();
    const last = states.at(-1)!;
    expect(last.phase).toBe('refused');
    expect(last.phase === 'refused' && last.error.fields).toEqual({ file: message });
  });

  it('can be cancelled while sending', async () => {
    const size = 3 * 1024 * 1024;
    const server = fakeServer(size);
    const states: UploadState[] = [];
    const uploader = new EvidenceUploader('musterstadt', fileOf(size), { title: 'Ratsbeschluss' }, (state) => {
      states.push(state);
      if (state.phase === 'sending' && state.sent > 0) uploader.cancel();
    }, (input, init) => {
      if (init?.signal?.aborted) return Promise.reject(new DOMException('aborted', 'AbortError'));
      return server.fetcher(input, init);
    });
    await uploader.run();
    expect(states.at(-1)).toMatchObject({ phase: 'cancelled', sent: 1048576 });
  });
});
