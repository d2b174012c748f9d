import { existsSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { serve, type ServerType } from '@hono/node-server';
import type { Actor } from '../src/domain/access.ts';
import { createApp } from '../src/server/app.ts';
import { openRuntime } from '../src/server/wiring/runtime.ts';
import { getCatalog } from '../src/services/manage-catalogs.ts';
import { loadDemo } from '../src/services/load-demo.ts';
import { exportKommune } from '../src/services/transfer-kommune.ts';
import { growBundle } from '../tests/support/big-bundle.ts';
import { percentile } from './save-answers.ts';

const operator: Actor = { userId: 'bench', programmeRole: 'programmteam', assignedKommuneIds: [], memberships: [] };
const round = (value: number) => Math.round(value * 10) / 10;

/**
 * A Programmteam imports a bundle with 100,000 answers into the embedded database over HTTP while
 * another client asks GET /api/health (and a static file of the web app, if built) every 20 ms:
 * the import's duration, the event-loop delay during it, and the latency the other client saw.
 */
export async function measureImport(work: string, answerCount = 100_000) {
  const webDir = path.resolve(import.meta.dirname, '../dist/web');
  const runtime = await openRuntime(
    { dataDir: path.join(work, 'import'), publicUrl: 'http://127.0.0.1:3986', authSecret: 'bench-secret-bench-secret-bench-secret-01', mailFrom: 'bench@localhost', catalogDir: path.resolve(import.meta.dirname, '../catalog') },
    () => {},
  );
  let server: ServerType | undefined;
  try {
    const demo = await loadDemo(runtime.services);
    const demoBundle = await exportKommune(runtime.services, operator, 'musterstadt');
    const catalog = await getCatalog(runtime.services.db, `${demoBundle.rounds[0]!.catalog.id}@${demoBundle.rounds[0]!.catalog.version}`);
    const questionKeys = catalog!.fields.flatMap((field) => field.criteria.flatMap((criterion) => criterion.questions.map((question) => question.key)));
    // Encoded before the clock starts: a browser sends bytes, and encoding 20 MB here would count as the server's delay.
    const body = Buffer.from(JSON.stringify(growBundle(demoBundle, questionKeys, answerCount)));

    const app = createApp({ services: runtime.services, auth: runtime.auth, session: runtime.session, trustProxy: false, webDir: existsSync(webDir) ? webDir : null });
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
    });
    const base = `http://127.0.0.1:${port}`;
    const signedIn = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'programmteam@musterstadt.example', password: demo.password }) });
    if (signedIn.status !== 200) throw new Error(`Anmeldung fehlgeschlagen: ${signedIn.status}`);
    const cookie = signedIn.headers.getSetCookie().map((entry) => entry.split(';')[0]).join('; ');

    const probe = async (target: string, latencies: number[], failures: { count: number }, until: () => boolean) => {
      while (!until()) {
        const started = performance.now();
        try {
          const response = await fetch(`${base}${target}`);
          await response.arrayBuffer();
          if (!response.ok) failures.count += 1;
        } catch {
          failures.count += 1;
        }
        latencies.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const health: number[] = [];
    const statics: number[] = [];
    const failures = { count: 0 };
    let isDone = false;
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = performance.now();
    const probes = [probe('/api/health', health, failures, () => isDone), ...(existsSync(webDir) ? [probe('/', statics, failures, () => isDone)] : [])];
    const response = await fetch(`${base}/api/kommunen/import`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body });
    const result = (await response.json()) as { result?: { answers: number } };
    const durationMs = performance.now() - started;
    isDone = true;
    await Promise.all(probes);
    delay.disable();
    if (response.status !== 201) throw new Error(`Import fehlgeschlagen: ${response.status} ${JSON.stringify(result).slice(0, 300)}`);
    const summary = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return { requests: sorted.length, p50Ms: round(percentile(sorted, 0.5)), p99Ms: round(percentile(sorted, 0.99)), maxMs: round(sorted.at(-1) ?? 0) };
    };
    return {
      database: 'pglite',
      answers: result.result?.answers,
      bundleMegabytes: round(Buffer.byteLength(body) / 1024 / 1024),
      durationMs: round(durationMs),
      eventLoopDelay: { p99Ms: round(delay.percentile(99) / 1e6), maxMs: round(delay.max / 1e6), barMs: 100, aimMs: 20 },
      concurrentHealth: summary(health),
      concurrentStatic: existsSync(webDir) ? summary(statics) : 'Weboberfläche nicht gebaut (npm run build)',
      failedConcurrentRequests: failures.count,
    };
  } finally {
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    await runtime.close();
  }
}
