import path from 'node:path';
import { startServerProcess } from '../tests/support/processes.ts';

async function timeToFirstPage(env: Record<string, string>, port: number): Promise<number> {
  const started = performance.now();
  const server = startServerProcess({ ...env, PORT: String(port) });
  try {
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/kommunen`);
        if (response.status === 200 && (await response.text()).includes('<div id="root">')) break;
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 60_000) throw new Error(`kein Start nach 60 s:\n${server.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return Math.round(performance.now() - started);
  } finally {
    await server.stop();
  }
}

/**
 * Start to first page with a fresh data directory and with an existing one (PGlite), started as in
 * production: `weltoffen serve` on the bench's own Node, which on 22.18+/24 runs the TypeScript by
 * type stripping (no tsx); on an older Node the figure includes tsx compiling and says so.
 */
export async function measureStartUp(work: string) {
  const env = { DATA_DIR: path.join(work, 'data'), HOST: '127.0.0.1', NODE_ENV: 'production' };
  const freshMs = await timeToFirstPage(env, 3971);
  const existing: number[] = [];
  for (let run = 0; run < 3; run++) existing.push(await timeToFirstPage(env, 3972 + run));
  return {
    node: process.version,
    // @types/node is still at 20, which has no features.typescript.
    loader: (process.features as { typescript?: string | false }).typescript ? 'Node type stripping (production start)' : 'tsx (Node without type stripping: not the production start)',
    freshDataDirMs: freshMs,
    existingDataDirMs: Math.min(...existing),
    existingRunsMs: existing,
    bar: { freshMs: 10_000, existingMs: 3_000 },
    aim: { freshMs: 5_000, existingMs: 1_000 },
  };
}
