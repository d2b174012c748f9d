import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { measureComputeResults } from './compute-results.ts';
import { measureReport } from './report.ts';
import { measureSaveAnswers } from './save-answers.ts';
import { measureStartUp } from './start-up.ts';
import { measureWebBundle } from './web-bundle.ts';

/** Runs every benchmark and prints the figures as JSON (ENGINEERING.md, performance budgets). */
export async function runBenchmarks(_args: string[]): Promise<number> {
  const work = mkdtempSync(path.join(tmpdir(), 'weltoffen-bench-'));
  try {
    const startUp = await measureStartUp(work);
    const web = await measureWebBundle(work);
    const saveAnswers = await measureSaveAnswers(work);
    const computeResults = measureComputeResults();
    const report = await measureReport(work);
    const result = {
      machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
      startUp,
      web,
      saveAnswers,
      computeResults,
      report,
    };
    console.log(JSON.stringify(result, null, 2));
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
