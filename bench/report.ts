import { openRuntime } from '../src/server/wiring/runtime.ts';
import { getReport, renderReport } from '../src/services/generate-report.ts';
import { loadDemo } from '../src/services/load-demo.ts';
import type { Actor } from '../src/domain/access.ts';
import path from 'node:path';

const operator: Actor = { userId: 'bench', programmeRole: 'programmteam', assignedKommuneIds: [], memberships: [] };
const round = (value: number) => Math.round(value * 10) / 10;

/**
 * Generating the demo's Abschlussbericht in-process: the model (database reads and German text), then
 * PDF and DOCX separately, each the first call in the process (fonts, compiler) and warm (median of 10).
 */
export async function measureReport(work: string) {
  const runtime = await openRuntime(
    { dataDir: path.join(work, 'report'), publicUrl: 'http://localhost:3000', authSecret: 'bench-secret-bench-secret-bench-secret-01', mailFrom: 'bench@localhost', catalogDir: path.resolve(import.meta.dirname, '../catalog'), inMemory: true },
    () => {},
  );
  try {
    await loadDemo(runtime.services);
    const time = async (work: () => Promise<unknown>) => {
      const started = performance.now();
      await work();
      return performance.now() - started;
    };
    const median = async (work: () => Promise<unknown>) => {
      const runs: number[] = [];
      for (let run = 0; run < 10; run++) runs.push(await time(work));
      return round(runs.sort((a, b) => a - b)[5]!);
    };
    const pdfFirst = round(await time(() => renderReport(runtime.services, operator, 'musterstadt', 'pdf')));
    const docxFirst = round(await time(() => renderReport(runtime.services, operator, 'musterstadt', 'docx')));
    return {
      kommune: 'musterstadt',
      modelWarmMs: await median(() => getReport(runtime.services, operator, 'musterstadt')),
      pdf: { firstMs: pdfFirst, warmMs: await median(() => renderReport(runtime.services, operator, 'musterstadt', 'pdf')), barMs: 300 },
      docx: { firstMs: docxFirst, warmMs: await median(() => renderReport(runtime.services, operator, 'musterstadt', 'docx')), barMs: 300 },
    };
  } finally {
    await runtime.close();
  }
}
