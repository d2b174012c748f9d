import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, startServerProcess, waitForHealth } from '../tests/support/processes.ts';
import { keepAliveClient } from './http-client.ts';

// BENCH_PORT moves the bench's servers (this one; the load run's one above; the floor's five above) off the default.
const port = Number(process.env.BENCH_PORT ?? 3985);
const base = `http://127.0.0.1:${port}`;

async function signIn(email: string, password: string): Promise<string> {
  const response = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.1' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`Anmeldung fehlgeschlagen: ${response.status} ${await response.text()}`);
  return response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
}

/**
 * CPU time the server process has used so far, in ms (user + system, from /proc): per save it says
 * what a save costs the server, which holds still on a machine that others share, when the wall-clock
 * figures do not.
 */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The value at a share (0–1) of sorted latencies: 0.5 the median, 0.99 the p99. */
export function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0;
}

interface LoadOptions {
  clients: number;
  seconds: number;
  /** Pause between a client's saves; 0 sends the next save as soon as the last is answered. */
  pauseMs: number;
  /**
   * Paced clients start spread over one pause (client k after k/clients of it), as people who do not
   * click at the same instant; without it all clients save at the same instant, every pause (a burst
   * of 50 at once: the worst case for the latency).
   */
  staggered?: boolean;
}

/** The loads in the order they run, the same for the server and the floor (see measureSaveAnswers). */
const loads = {
  warmUp: { clients: 50, seconds: 2, pauseMs: 0 },
  flatOut: { clients: 50, seconds: 10, pauseMs: 0 },
  paced: { clients: 50, seconds: 10, pauseMs: 200 },
  pacedStaggered: { clients: 50, seconds: 10, pauseMs: 200, staggered: true },
} satisfies Record<string, LoadOptions>;

async function runLoads(target: LoadTarget) {
  const results = {} as Record<keyof typeof loads, Awaited<ReturnType<typeof runLoad>>>;
  for (const [name, options] of Object.entries(loads) as [keyof typeof loads, LoadOptions][]) results[name] = await runLoad(target, options);
  return results;
}

/**
 * Saving one answer over HTTP on the embedded database (or on PostgreSQL, given its URL): 50 concurrent clients for 10 s, each
 * saving its answer to its own question again and again with the version it got back. Run three times:
 * flat out (each client sends its next save the moment the last is answered: the throughput limit),
 * and paced (each client saves every 200 ms: up to 250 saves/s, far more than 50 people clicking),
 * once with all clients in step (50 saves at the same instant) and once staggered over the 200 ms.
 *
 * Before them, `warmUp`: 2 s flat out, reported apart. A server just started (and the load generator)
 * runs its first second cold (code not yet compiled by the JIT): on 2026-12-02 three quarters of the
 * flat-out saves over 25 ms came in the first 1.25 s of ten. A server that runs a Kommune's day is
 * warm, so the three loads measure a warm one; the cold start stays visible in `warmUp`.
 *
 * `floor` is the same load against a bare HTTP server that answers without doing anything
 * (floor-server.mjs): what the load generator and HTTP alone cost on this machine in this run. The
 * clients share the machine's cores with the server, so a burst of 50 takes time even against it.
 */
export async function measureSaveAnswers(work: string, databaseUrl?: string) {
  const env = { DATA_DIR: path.join(work, databaseUrl ? 'save-data-postgres' : 'save-data'), HOST: '127.0.0.1', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  const demo = await runCli(['demo'], env);
  const password = /Passwort: (\S+)/.exec(demo.stdout)?.[1];
  if (!password) throw new Error(demo.stderr);
  const server = startServerProcess({ ...env, PORT: String(port), TRUST_PROXY: 'true' });
  const client = keepAliveClient(port);
  try {
    if (!(await waitForHealth(port))) throw new Error(server.output());
    const cookie = await signIn('integrationsbuero@musterstadt.example', password);
    // Round 1 of the demo is closed: reopen it, so answers can be saved.
    await fetch(`${base}/api/kommunen/musterstadt/rounds/1/reopen`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ reason: 'Benchmark' }),
    });
    const fieldKeys = ['1', '2', '3', '4', '5', '6', '7'];
    const versions = new Map<string, number>();
    for (const fieldKey of fieldKeys) {
      const response = await fetch(`${base}/api/kommunen/musterstadt/rounds/1/fields/${fieldKey}`, { headers: { cookie } });
      const data = (await response.json()) as { field: { criteria: { questions: { key: string; answer: { version: number } | null }[] }[] } };
      for (const question of data.field.criteria.flatMap((criterion) => criterion.questions)) versions.set(question.key, question.answer?.version ?? 0);
    }
    const target = { client, cookie, versions, pid: server.child.pid! };
    const measured = await runLoads(target);
    client.close();
    const floor = await measureFloor([...versions.keys()]);
    return { database: databaseUrl ? 'postgres' : 'pglite', ...measured, floor, bar: { p99Ms: 25 }, aim: { p99Ms: 10, savesPerSecond: 1000 } };
  } finally {
    client.close();
    await server.stop();
  }
}

/** The three loads against floor-server.mjs, on a port of its own (five above the bench's). */
async function measureFloor(questionKeys: string[]) {
  const floorPort = port + 5;
  const floorServer = spawn(process.execPath, [new URL('./floor-server.mjs', import.meta.url).pathname, String(floorPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const client = keepAliveClient(floorPort);
  try {
    await new Promise<void>((resolve, reject) => {
      floorServer.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('bereit') && resolve());
      floorServer.on('exit', (code) => reject(new Error(`Der Vergleichsserver endete (${code}).`)));
    });
    const target = { client, cookie: '', versions: new Map(questionKeys.map((key) => [key, 0])), pid: floorServer.pid! };
    return await runLoads(target);
  } finally {
    client.close();
    floorServer.kill();
  }
}

interface LoadTarget {
  client: ReturnType<typeof keepAliveClient>;
  cookie: string;
  /** The version each question's answer has now; updated as the saves come back. */
  versions: Map<string, number>;
  /** The server's process, whose CPU time is read. */
  pid: number;
}

async function runLoad({ client: http, cookie, versions, pid }: LoadTarget, options: LoadOptions) {
  const questionKeys = [...versions.keys()];
  const values = ['ja', 'eher_ja', 'eher_nein', 'nein', 'keine_einschaetzung'];
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let errors = 0;
  const cpuBefore = cpuMs(pid);
  const clientCpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      // Each client has a question of its own: no two clients write the same answer.
      const questionKey = questionKeys[client % questionKeys.length]!;
      let step = 0;
      if (options.staggered) await new Promise((resolve) => setTimeout(resolve, (client / options.clients) * options.pauseMs));
      while (performance.now() < deadline) {
        const sent = performance.now();
        const response = await http.request(
          'PUT',
          `/api/kommunen/musterstadt/rounds/1/answers/${questionKey}`,
          { 'content-type': 'application/json', cookie },
          JSON.stringify({ value: values[step++ % values.length], comment: `Lauf ${client}`, evidence: '', expectedVersion: versions.get(questionKey) }),
        );
        const body = JSON.parse(response.text) as { answer?: { version: number } };
        latencies.push(performance.now() - sent);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 200) versions.set(questionKey, body.answer!.version);
        else errors++;
        if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, Math.max(0, options.pauseMs - (performance.now() - sent))));
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const serverCpuMs = cpuMs(pid) - cpuBefore;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  latencies.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    clients: options.clients,
    pauseMs: options.pauseMs,
    staggered: Boolean(options.staggered),
    seconds: round(elapsed),
    requests: latencies.length,
    savesPerSecond: Math.round((statuses.get(200) ?? 0) / elapsed),
    errors,
    p50Ms: round(percentile(latencies, 0.5)),
    p99Ms: round(percentile(latencies, 0.99)),
    maxMs: round(latencies.at(-1) ?? 0),
    serverCpuMsPerRequest: round(serverCpuMs / Math.max(1, latencies.length)),
    // The clients share the machine with the server: what they cost is time the server did not get.
    clientCpuMsPerRequest: round((clientCpu.user + clientCpu.system) / 1000 / Math.max(1, latencies.length)),
    loadAverage: round((await import('node:os')).loadavg()[0]!),
  };
}
