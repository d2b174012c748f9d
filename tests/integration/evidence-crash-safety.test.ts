import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { deleteStaleStagedVersions } from '../../src/db/repositories/evidence-repository.ts';
import { testDatabaseKind } from '../support/database.ts';
import { prepareDemoInstallation, type DemoInstallation, type ServerProcess } from '../support/processes.ts';

/**
 * Crash safety of Beleg uploads (issue 18): the real server is killed with SIGKILL while a part of a
 * file streams in, while the upload is being finished, and between two parts. After each restart no
 * half document is visible, the upload goes on from the offset the server reports, and the finished
 * document is the file byte for byte. An upload nobody finishes is invisible and removed by the
 * sweep once it is older than 24 hours, with its bytes.
 */

const port = 3971;
const origin = `http://127.0.0.1:${port}`;
const part = 1024 * 1024;

let installation: DemoInstallation;
let server: ServerProcess | undefined;
let cookie = '';

beforeAll(async () => {
  installation = await prepareDemoInstallation('evidence-crash', port);
});
afterAll(async () => {
  await server?.stop();
  await installation?.remove();
});

/** A PDF of `megabytes` MB: the signature, then bytes that do not repeat. */
function bigPdf(megabytes: number): Uint8Array {
  const bytes = new Uint8Array(megabytes * 1024 * 1024);
  bytes.set(new TextEncoder().encode('%PDF-1.7\n'));
  bytes.set(randomBytes(bytes.length - 16), 9);
  bytes.set(new TextEncoder().encode('\n%%EOF\n'), bytes.length - 7);
  return bytes;
}
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function signIn() {
  const response = await fetch(`${origin}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email: 'integrationsbuero@musterstadt.example', password: installation.password }),
  });
  expect(response.status).toBe(200);
  cookie = response.headers.getSetCookie().map((entry) => entry.split(';')[0]).join('; ');
}

const base = '/api/kommunen/musterstadt/belege';
async function json(method: string, url: string, body?: unknown) {
  const response = await fetch(`${origin}${url}`, {
    method,
    headers: { cookie, origin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}
const put = (uploadId: string, offset: number, bytes: Uint8Array) =>
  fetch(`${origin}${base}/uploads/${uploadId}?offset=${offset}`, { method: 'PUT', headers: { cookie, origin, 'content-type': 'application/octet-stream' }, body: bytes as Uint8Array<ArrayBuffer> });

/** Sends the file from `offset` to the end, part by part. */
async function sendRest(uploadId: string, file: Uint8Array, offset: number) {
  for (let at = offset; at < file.length; at += part) {
    const response = await put(uploadId, at, file.subarray(at, Math.min(file.length, at + part)));
    expect(response.status, await response.clone().text()).toBe(200);
  }
}

async function restart() {
  server!.child.kill('SIGKILL');
  await server!.exited;
  server = await installation.start();
  await signIn();
}

const visibleTitles = async () => ((await json('GET', base)).body.documents as { title: string }[]).map((document) => document.title);

async function download(documentId: string, version = 1): Promise<Uint8Array> {
  const response = await fetch(`${origin}${base}/${documentId}/versions/${version}`, { headers: { cookie } });
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

async function inDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const handle = await openDatabase({ databaseUrl: installation.databaseUrl, dataDir: installation.env.DATA_DIR! });
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}
const count = async (db: Database, query: ReturnType<typeof sql>) => ((await db.execute(query)) as unknown as { rows: { count: number }[] }).rows[0]!.count;

describe(`Beleg uploads killed with SIGKILL (${testDatabaseKind})`, () => {
  it('leave no half document; the upload resumes at the reported offset and ends byte for byte; the sweep removes what nobody finishes', async () => {
    server = await installation.start();
    await signIn();
    const before = await visibleTitles();

    // 1. Killed while a part streams in: the first two parts are stored, the third is half sent.
    const first = bigPdf(6);
    const started = await json('POST', `${base}/uploads`, { title: 'Ratsbeschluss (abgebrochen im Teil)', fileName: 'Ratsbeschluss.pdf', size: first.length, mediaType: 'application/pdf' });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const firstId = started.body.uploadId as string;
    await sendRest(firstId, first.subarray(0, 2 * part), 0);
    let release!: () => void;
    const halfSent = new Promise<void>((resolve) => (release = resolve));
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(first.subarray(2 * part, 2 * part + part / 2));
        release();
      },
    });
    const hanging = fetch(`${origin}${base}/uploads/${firstId}?offset=${2 * part}`, {
      method: 'PUT',
      headers: { cookie, origin, 'content-type': 'application/octet-stream' },
      body: stream,
      duplex: 'half',
    } as RequestInit).catch(() => 'abgebrochen');
    await halfSent;
    await new Promise((resolve) => setTimeout(resolve, 150));
    await restart();
    expect(await hanging).toBe('abgebrochen');
    expect(await visibleTitles()).toEqual(before);
    const state = await json('GET', `${base}/uploads/${firstId}`);
    expect(state.status).toBe(200);
    // What is stored is a prefix of the file: at least the two finished parts, never more than was sent.
    expect(state.body.offset).toBeGreaterThanOrEqual(2 * part);
    expect(state.body.offset).toBeLessThanOrEqual(2 * part + part / 2);
    expect((await json('POST', `${base}/uploads/${firstId}/finish`)).status).toBe(409);
    await sendRest(firstId, first, state.body.offset);
    const finished = await json('POST', `${base}/uploads/${firstId}/finish`);
    expect(finished.status, JSON.stringify(finished.body)).toBe(200);
    expect(sha256(await download(finished.body.id))).toBe(sha256(first));

    // 2. Killed while the upload is being finished: afterwards it is either done (the whole file) or
    //    still staged and complete, and finishing it again makes it whole; never half.
    const second = bigPdf(5);
    const secondStart = await json('POST', `${base}/uploads`, { title: 'Integrationskonzept (abgebrochen beim Abschluss)', fileName: 'Konzept.pdf', size: second.length });
    const secondId = secondStart.body.uploadId as string;
    await sendRest(secondId, second, 0);
    const finishing = fetch(`${origin}${base}/uploads/${secondId}/finish`, { method: 'POST', headers: { cookie, origin } }).catch(() => 'abgebrochen');
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 60));
    await restart();
    await finishing;
    const listed = (await json('GET', base)).body.documents as { id: string; title: string }[];
    let secondDocument = listed.find((document) => document.title.startsWith('Integrationskonzept'));
    if (!secondDocument) {
      const staged = await json('GET', `${base}/uploads/${secondId}`);
      expect(staged.body).toEqual({ offset: second.length, size: second.length });
      const again = await json('POST', `${base}/uploads/${secondId}/finish`);
      expect(again.status, JSON.stringify(again.body)).toBe(200);
      secondDocument = again.body;
    }
    expect(sha256(await download(secondDocument!.id))).toBe(sha256(second));

    // 3. Killed between two parts, and then nobody comes back: invisible, and swept after 24 hours.
    const third = bigPdf(3);
    const thirdStart = await json('POST', `${base}/uploads`, { title: 'Monitoring (nie beendet)', fileName: 'Monitoring.pdf', size: third.length });
    await sendRest(thirdStart.body.uploadId, third.subarray(0, part), 0);
    await restart();
    expect(await visibleTitles()).not.toContain('Monitoring (nie beendet)');
    await server.stop();
    server = undefined;
    const left = await inDatabase(async (db) => {
      // The sweep's own rule, with the upload made 25 hours old as a clock would.
      await db.execute(sql`update evidence_version set uploaded_at = uploaded_at - interval '25 hours' where state = 'staged'`);
      const swept = await deleteStaleStagedVersions(db, new Date(Date.now() - 24 * 60 * 60_000));
      return {
        swept,
        staged: await count(db, sql`select count(*)::int as count from evidence_version where state = 'staged'`),
        invisible: await count(db, sql`select count(*)::int as count from evidence_document where current_version is null`),
        orphanChunks: await count(db, sql`select count(*)::int as count from evidence_chunk c where not exists (select 1 from evidence_version v where v.id = c.version_id)`),
        readyBytes: await count(db, sql`select coalesce(sum(length(data)), 0)::int as count from evidence_chunk`),
      };
    });
    expect(left).toEqual({ swept: 1, staged: 0, invisible: 0, orphanChunks: 0, readyBytes: first.length + second.length });
  }, 240_000);
});
