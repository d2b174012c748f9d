import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, startServerProcess, waitForHealth } from '../tests/support/processes.ts';
import { percentile } from './save-answers.ts';

/**
 * A load run: 200 simulated users for 60 s against one server process. Each user signs in, then
 * repeatedly opens a Handlungsfeld of the questionnaire, saves its own answer, and looks at the
 * results, with a short pause between steps as a person would make. Reported per step: throughput,
 * p50 and p99 latency, errors; and the server's memory (RSS) before and after.
 */

const port = Number(process.env.BENCH_PORT ?? 3985) + 1;
const base = `http://127.0.0.1:${port}`;

interface Options {
  users: number;
  seconds: number;
  thinkMs: number;
}

function rssMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

export async function measureLoad(work: string, database: { name: 'pglite' | 'postgres'; url?: string }, options: Options = { users: 200, seconds: 60, thinkMs: 500 }) {
  const env = { DATA_DIR: path.join(work, `load-${database.name}`), HOST: '127.0.0.1', ...(database.url ? { DATABASE_URL: database.url } : {}) };
  const demo = await runCli(['demo'], env);
  const password = /Passwort: (\S+)/.exec(demo.stdout)?.[1];
  if (!password) throw new Error(demo.stderr || demo.stdout);
  const server = startServerProcess({ ...env, PORT: String(port), TRUST_PROXY: 'true' });
  try {
    if (!(await waitForHealth(port))) throw new Error(server.output());
    const headers = (cookie: string, address: string) => ({ 'content-type': 'application/json', cookie, 'x-forwarded-for': address, origin: base });
    const signIn = async (email: string, address: string) => {
      const response = await fetch(`${base}/api/session`, { method: 'POST', headers: headers('', address), body: JSON.stringify({ email, password }) });
      if (response.status !== 200) throw new Error(`Anmeldung: ${response.status}`);
      return response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
    };
    // Round 2 is open for answers; round 1 of the demo stays closed with its results.
    const setup = await signIn('integrationsbuero@musterstadt.example', '10.1.0.1');
    await fetch(`${base}/api/kommunen/musterstadt/rounds`, { method: 'POST', headers: headers(setup, '10.1.0.1'), body: JSON.stringify({ periodStart: null, periodEnd: null, workedFieldKeys: ['1', '2', '3', '4', '5', '6', '7'], participants: '' }) });
    const catalog = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../catalog/weltoffene-kommune-1.0.json'), 'utf8')) as { fields: { key: string; criteria: { questions: { key: string }[] }[] }[] };
    const questions = catalog.fields.flatMap((field) => field.criteria.flatMap((criterion) => criterion.questions.map((question) => ({ field: field.key, key: question.key }))));
    // Two accounts may answer every field; each simulated user answers a question of its own.
    const accounts = ['integrationsbuero@musterstadt.example', 'programmteam@musterstadt.example'];

    const rssBefore = rssMegabytes(server.child.pid!);
    const timings: Record<'signIn' | 'questionnaire' | 'save' | 'results', number[]> = { signIn: [], questionnaire: [], save: [], results: [] };
    const failures: Record<string, number> = {};
    const timed = async (step: keyof typeof timings, request: () => Promise<Response>, expected = 200) => {
      const started = performance.now();
      try {
        const response = await request();
        await response.arrayBuffer();
        timings[step].push(performance.now() - started);
        if (response.status !== expected) failures[`${step} ${response.status}`] = (failures[`${step} ${response.status}`] ?? 0) + 1;
        return response;
      } catch (error) {
        failures[`${step} ${(error as Error).message}`] = (failures[`${step} ${(error as Error).message}`] ?? 0) + 1;
        return null;
      }
    };
    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    await Promise.all(
      Array.from({ length: options.users }, async (_, user) => {
        const address = `10.2.${Math.floor(user / 250)}.${(user % 250) + 1}`;
        const question = questions[Math.floor(user / accounts.length) % questions.length]!;
        // Users arrive over the first five seconds, not all in the same millisecond.
        await new Promise((resolve) => setTimeout(resolve, (user / options.users) * 5_000));
        let cookie = '';
        await timed('signIn', async () => {
          const response = await fetch(`${base}/api/session`, { method: 'POST', headers: headers('', address), body: JSON.stringify({ email: accounts[user % accounts.length], password }) });
          cookie = response.headers.getSetCookie().map((entry) => entry.split(';')[0]).join('; ');
          return response;
        });
        let version = 0;
        let step = 0;
        while (performance.now() < deadline) {
          await timed('questionnaire', () => fetch(`${base}/api/kommunen/musterstadt/rounds/2/fields/${question.field}`, { headers: headers(cookie, address) }));
          await new Promise((resolve) => setTimeout(resolve, options.thinkMs));
          const saved = await timed('save', () =>
            fetch(`${base}/api/kommunen/musterstadt/rounds/2/answers/${question.key}`, {
              method: 'PUT',
              headers: headers(cookie, address),
              body: JSON.stringify({ value: ['ja', 'eher_ja', 'eher_nein', 'nein'][step++ % 4], comment: `Nutzer ${user}`, evidence: '', expectedVersion: version }),
            }),
          );
          if (saved?.status === 200) version += 1;
          await new Promise((resolve) => setTimeout(resolve, options.thinkMs));
          await timed('results', () => fetch(`${base}/api/kommunen/musterstadt/rounds/1/results`, { headers: headers(cookie, address) }));
          await new Promise((resolve) => setTimeout(resolve, options.thinkMs));
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const rssAfter = rssMegabytes(server.child.pid!);
    const round = (value: number) => Math.round(value * 10) / 10;
    const summary = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return { requests: sorted.length, perSecond: round(sorted.length / seconds), p50Ms: round(percentile(sorted, 0.5)), p99Ms: round(percentile(sorted, 0.99)) };
    };
    const all = Object.values(timings).flat();
    return {
      database: database.name,
      users: options.users,
      seconds: round(seconds),
      thinkMs: options.thinkMs,
      total: summary(all),
      steps: Object.fromEntries(Object.entries(timings).map(([step, values]) => [step, summary(values)])),
      errors: Object.values(failures).reduce((sum, count) => sum + count, 0),
      failures,
      serverRssMb: { before: rssBefore, after: rssAfter },
    };
  } finally {
    await server.stop();
  }
}
