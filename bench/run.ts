import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { measureComputeResults } from './compute-results.ts';
import { measureEvidence } from './evidence.ts';
import { measureImport } from './import.ts';
import { measureLiveSession } from './live-session.ts';
import { measureLoad } from './load.ts';
import { measureReport } from './report.ts';
import { measureResidentSurvey } from './resident-survey.ts';
import { measureScale } from './scale.ts';
import { measureSaveAnswers } from './save-answers.ts';
import { measureStartUp } from './start-up.ts';
import { measureWebBundle } from './web-bundle.ts';

/**
 * Runs against PostgreSQL need a server: BENCH_DATABASE_URL (postgres://…) names one, on which a
 * database of its own is created and dropped again. Without it the run says so.
 */
async function onPostgres<T>(what: string, run: (url: string) => Promise<T>) {
  const serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) return { database: 'postgres', skipped: `BENCH_DATABASE_URL ist nicht gesetzt (postgres://…): kein Lauf „${what}“ gegen PostgreSQL.` };
  const { default: pg } = await import('pg');
  const name = `weltoffen_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    return await run(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/**
 * How fast the machine is now: a fixed piece of JavaScript work (2,000 answers as JSON, 100 times
 * written and read back), timed in ms, the best of three after one untimed. The machine is a shared virtual one whose
 * speed changed two- to threefold between days (docs/quality.md); a slow run beside a slow
 * calibration is a slow machine, not slower code. Measured before and after the runs.
 */
export function calibrationMs(): number {
  const answers = Array.from({ length: 2_000 }, (_, index) => ({ questionKey: `${(index % 7) + 1}.${index % 5}.${index % 3}`, value: 'eher_ja', comment: `Anmerkung ${index}`, version: index }));
  let best = Infinity;
  // A first, untimed attempt lets the JIT compile the work.
  for (let attempt = 0; attempt < 4; attempt++) {
    const started = performance.now();
    for (let turn = 0; turn < 100; turn++) JSON.parse(JSON.stringify(answers));
    if (attempt > 0) best = Math.min(best, performance.now() - started);
  }
  return Math.round(best * 10) / 10;
}

function machine(speedBefore: number) {
  return { node: process.version, cpus: cpus().length, calibrationMs: { before: speedBefore, after: calibrationMs() } };
}

/** Runs every benchmark and prints the figures as JSON (ENGINEERING.md, performance budgets). */
export async function runBenchmarks(args: string[]): Promise<number> {
  const speedBefore = calibrationMs();
  const work = mkdtempSync(path.join(tmpdir(), 'weltoffen-bench-'));
  try {
    // `npm run bench -- start-up`: only the start-up time (a few seconds instead of the whole run).
    if (args.includes('start-up')) {
      const startUp = await measureStartUp(work);
      console.log(JSON.stringify({ machine: machine(speedBefore), startUp }, null, 2));
      return 0;
    }
    // `npm run bench -- save-answers` / `-- load`: only saving answers (PGlite, and PostgreSQL when
    // BENCH_DATABASE_URL is set), or only the load run, instead of the whole run.
    if (args.includes('save-answers') || args.includes('load')) {
      const only: Record<string, unknown> = {};
      if (args.includes('save-answers')) only.saveAnswers = [await measureSaveAnswers(work), await onPostgres('save-answers', (url) => measureSaveAnswers(work, url))];
      if (args.includes('load')) only.load = [await measureLoad(work, { name: 'pglite' }), await onPostgres('load', (url) => measureLoad(work, { name: 'postgres', url }))];
      console.log(JSON.stringify({ machine: machine(speedBefore), ...only }, null, 2));
      return 0;
    }
    // `npm run bench -- survey`: only the resident survey (BENCH_SURVEY_RESIDENTS, BENCH_SURVEY_SECONDS).
    if (args.includes('survey')) {
      const residentSurvey = await measureResidentSurvey(work);
      console.log(JSON.stringify({ machine: machine(speedBefore), residentSurvey }, null, 2));
      return 0;
    }
    // `npm run bench -- belege`: only the Belege (20 MB up and down, 200 documents listed, a bundle with 100 MB of Belege out and in).
    if (args.includes('belege')) {
      const evidence = [await measureEvidence(work, { name: 'pglite' }), await onPostgres('belege', (url) => measureEvidence(work, { name: 'postgres', url }))];
      console.log(JSON.stringify({ machine: machine(speedBefore), evidence }, null, 2));
      return 0;
    }
    // `npm run bench -- live`: only the live workshop room (BENCH_LIVE_SECONDS shortens it).
    if (args.includes('live')) {
      const liveSession = [await measureLiveSession(work, { name: 'pglite' }), await onPostgres('live', (url) => measureLiveSession(work, { name: 'postgres', url }))];
      console.log(JSON.stringify({ machine: machine(speedBefore), liveSession }, null, 2));
      return 0;
    }
    const startUp = await measureStartUp(work);
    const web = await measureWebBundle(work);
    const saveAnswers = [await measureSaveAnswers(work), await onPostgres('save-answers', (url) => measureSaveAnswers(work, url))];
    const computeResults = measureComputeResults();
    const report = await measureReport(work);
    const bundleImport = await measureImport(work);
    const load = [await measureLoad(work, { name: 'pglite' }), await onPostgres('load', (url) => measureLoad(work, { name: 'postgres', url }))];
    const liveSession = [await measureLiveSession(work, { name: 'pglite' }), await onPostgres('live', (url) => measureLiveSession(work, { name: 'postgres', url }))];
    const scale = [await measureScale(work, { name: 'pglite' }), await onPostgres('scale', (url) => measureScale(work, { name: 'postgres', url }))];
    const residentSurvey = await measureResidentSurvey(work);
    const evidence = [await measureEvidence(work, { name: 'pglite' }), await onPostgres('belege', (url) => measureEvidence(work, { name: 'postgres', url }))];
    const result = {
      machine: machine(speedBefore),
      startUp,
      web,
      saveAnswers,
      computeResults,
      report,
      import: bundleImport,
      load,
      liveSession,
      scale,
      residentSurvey,
      evidence,
    };
    console.log(JSON.stringify(result, null, 2));
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
