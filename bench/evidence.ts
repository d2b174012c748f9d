import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, startServerProcess, waitForHealth } from '../tests/support/processes.ts';

const part = 1024 * 1024;

/** The resident set of the server process now, in MB. */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('VmRSS:'));
  return Math.round(Number(/\d+/.exec(line ?? '')?.[0] ?? 0) / 1024);
}

/** Runs `work` while sampling the server's memory every 20 ms; returns its result, the time and the highest sample. */
async function sampled<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; ms: number; peakRssMb: number }> {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 20);
  const began = performance.now();
  try {
    const result = await work();
    return { result, ms: Math.round(performance.now() - began), peakRssMb: Math.max(peak, rssMb(pid)) };
  } finally {
    clearInterval(timer);
  }
}

function pdfOf(bytes: number): Uint8Array {
  const file = new Uint8Array(bytes);
  file.set(new TextEncoder().encode('%PDF-1.7\n'));
  file.set(randomBytes(bytes - 16), 9);
  file.set(new TextEncoder().encode('\n%%EOF\n'), bytes - 7);
  return file;
}

/**
 * Belege (issue 18) on one database: a 20 MB PDF uploaded in 1 MB parts and finished (content check,
 * SHA-256), then downloaded, each with its time and the server's memory peak against its resting
 * memory; then 200 documents in one Kommune and the time of their list (median of 10 requests); then,
 * with four more files of 20 MB, the Kommune bundle (about 100 MB of Belege) exported and imported.
 * The server runs as in production (`weltoffen serve`), on PGlite or on the PostgreSQL at `url`.
 */
export async function measureEvidence(work: string, database: { name: 'pglite' | 'postgres'; url?: string }) {
  const port = Number(process.env.BENCH_PORT ?? 3985) + 9;
  const base = `http://127.0.0.1:${port}`;
  const env = { DATA_DIR: path.join(work, `evidence-${database.name}`), HOST: '127.0.0.1', ...(database.url ? { DATABASE_URL: database.url } : {}) };
  const demo = await runCli(['demo'], env);
  const password = /Passwort: (\S+)/.exec(demo.stdout)?.[1];
  if (!password) throw new Error(demo.stderr);
  // A 20 MB file needs the default limit of 20 MB; the quota must hold 200 more documents.
  const server = startServerProcess({ ...env, PORT: String(port), BELEGE_QUOTA_MB: '2000' });
  try {
    if (!(await waitForHealth(port))) throw new Error(server.output());
    const pid = server.child.pid!;
    const signedIn = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ email: 'integrationsbuero@musterstadt.example', password }) });
    const cookie = signedIn.headers.getSetCookie().map((entry) => entry.split(';')[0]).join('; ');
    const url = '/api/kommunen/musterstadt/belege';
    const call = async (method: string, to: string, body?: unknown) => {
      const response = await fetch(`${base}${to}`, { method, headers: { cookie, origin: base, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const parsed = (await response.json()) as { uploadId: string; id: string; documents: unknown[] };
      if (response.status >= 300) throw new Error(`${method} ${to}: ${response.status} ${JSON.stringify(parsed)}`);
      return parsed;
    };
    const upload = async (title: string, file: Uint8Array) => {
      const started = await call('POST', `${url}/uploads`, { title, fileName: `${title}.pdf`, size: file.length, mediaType: 'application/pdf' });
      for (let at = 0; at < file.length; at += part) {
        const response = await fetch(`${base}${url}/uploads/${started.uploadId}?offset=${at}`, {
          method: 'PUT',
          headers: { cookie, origin: base, 'content-type': 'application/octet-stream' },
          body: file.subarray(at, Math.min(file.length, at + part)) as Uint8Array<ArrayBuffer>,
        });
        if (response.status !== 200) throw new Error(`PUT: ${response.status} ${await response.text()}`);
      }
      return call('POST', `${url}/uploads/${started.uploadId}/finish`);
    };

    const restingRssMb = rssMb(pid);
    const big = pdfOf(20 * 1024 * 1024);
    const uploaded = await sampled(pid, () => upload('Integrationskonzept', big));
    const downloaded = await sampled(pid, async () => {
      const response = await fetch(`${base}${url}/${uploaded.result.id}/versions/1`, { headers: { cookie } });
      const hash = createHash('sha256');
      let bytes = 0;
      const reader = response.body!.getReader();
      for (let piece = await reader.read(); !piece.done; piece = await reader.read()) {
        hash.update(piece.value);
        bytes += piece.value.length;
      }
      return { bytes, same: hash.digest('hex') === createHash('sha256').update(big).digest('hex') };
    });
    if (!downloaded.result.same) throw new Error('Der heruntergeladene Beleg ist nicht die hochgeladene Datei.');

    const small = pdfOf(20 * 1024);
    for (let index = 1; index < 200; index++) await upload(`Beleg ${index}`, small);
    const listTimes: number[] = [];
    let listed = 0;
    for (let run = 0; run < 10; run++) {
      const began = performance.now();
      listed = ((await call('GET', url)).documents as unknown[]).length;
      listTimes.push(performance.now() - began);
    }
    listTimes.sort((a, b) => a - b);

    // The Kommune bundle with 100 MB of Belege: four more files of 20 MB, then the ZIP exported (streamed
    // to this process, hashed) and imported by the Programmteam into a new, empty Kommune.
    for (let index = 2; index <= 5; index++) await upload(`Haushaltsplan Teil ${index}`, pdfOf(20 * 1024 * 1024));
    const exported = await sampled(pid, async () => {
      const response = await fetch(`${base}/api/kommunen/musterstadt/bundle`, { headers: { cookie } });
      if (response.status !== 200) throw new Error(`Export: ${response.status} ${await response.text()}`);
      return new Uint8Array(await response.arrayBuffer());
    });
    const team = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ email: 'programmteam@musterstadt.example', password }) });
    const teamCookie = team.headers.getSetCookie().map((entry) => entry.split(';')[0]).join('; ');
    const created = await fetch(`${base}/api/kommunen`, { method: 'POST', headers: { cookie: teamCookie, origin: base, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Zielstadt', kind: 'Stadt', bundesland: 'Hessen', modules: [1, 2, 3] }) });
    const target = ((await created.json()) as { kommune: { slug: string } }).kommune.slug;
    const imported = await sampled(pid, async () => {
      const response = await fetch(`${base}/api/kommunen/${target}/bundle`, { method: 'POST', headers: { cookie: teamCookie, origin: base, 'content-type': 'application/zip' }, body: exported.result as Uint8Array<ArrayBuffer> });
      const body = (await response.json()) as { result?: { belege: number; belegeBytes: number } };
      if (response.status !== 201) throw new Error(`Import: ${response.status} ${JSON.stringify(body)}`);
      return body.result!;
    });
    const bundleMb = Math.round(imported.result.belegeBytes / 1024 / 1024);
    return {
      database: database.name,
      restingRssMb,
      upload20Mb: { ms: uploaded.ms, mbPerSecond: Math.round((20 / (uploaded.ms / 1000)) * 10) / 10, peakRssMb: uploaded.peakRssMb },
      download20Mb: { ms: downloaded.ms, mbPerSecond: Math.round((20 / (downloaded.ms / 1000)) * 10) / 10, peakRssMb: downloaded.peakRssMb },
      list: { documents: listed, medianMs: Math.round(listTimes[5]! * 10) / 10, maxMs: Math.round(listTimes.at(-1)! * 10) / 10 },
      bundle: {
        belege: imported.result.belege,
        belegeMb: bundleMb,
        zipMb: Math.round(exported.result.length / 1024 / 1024),
        export: { ms: exported.ms, peakRssMb: exported.peakRssMb },
        import: { ms: imported.ms, peakRssMb: imported.peakRssMb },
      },
    };
  } finally {
    await server.stop();
  }
}
