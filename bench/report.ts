import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openRuntime, type Runtime } from '../src/server/wiring/runtime.ts';
import { getReport, renderReport } from '../src/services/generate-report.ts';
import { loadDemo } from '../src/services/load-demo.ts';
import type { Actor } from '../src/domain/access.ts';
import { findKommuneBySlug } from '../src/db/repositories/kommune-repository.ts';
import { findUserByEmail } from '../src/db/repositories/user-repository.ts';
import { fillDialogues } from '../tests/support/report-documents.ts';
import { renderReportFile } from '../src/report/render-file.ts';
import { measureReport as sizeOf } from '../src/domain/report-size.ts';

const operator: Actor = { userId: 'bench', programmeRole: 'programmteam', assignedKommuneIds: [], memberships: [] };
const round = (value: number) => Math.round(value * 10) / 10;
const megabytes = (bytes: number) => Math.round(bytes / 1e5) / 10;

const time = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

/**
 * Resident memory of the whole process (main thread and render workers) once pending frees ran,
 * after full collections of the main thread's heap, so that garbage not yet collected does not count
 * as growth (npm run bench does not start node with --expose-gc).
 */
async function settledRss() {
  v8.setFlagsFromString('--expose-gc');
  const collectGarbage = vm.runInNewContext('gc') as () => void;
  for (let turn = 0; turn < 5; turn++) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return process.memoryUsage().rss;
}

/**
 * 200 sequential PDFs of the demo through the service, as 200 downloads would make them: the
 * process's RSS (main thread and render workers) before, after one warm-up, and after. Each model
 * differs from the last (the chart's element ids), so no report is served from Typst's cache.
 */
async function measureMemory(runtime: Runtime, count = 200) {
  await renderReport(runtime.services, operator, 'musterstadt', 'pdf');
  const before = await settledRss();
  let peak = before;
  const started = performance.now();
  for (let index = 0; index < count; index++) {
    await renderReport(runtime.services, operator, 'musterstadt', 'pdf');
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const elapsed = performance.now() - started;
  const after = await settledRss();
  return { pdfs: count, rssBeforeMb: megabytes(before), rssPeakMb: megabytes(peak), rssAfterMb: megabytes(after), growthMb: megabytes(after - before), meanMs: round(elapsed / count), barMb: 50 };
}

/** The event loop's delay (perf_hooks, 10 ms resolution) while `work` runs, and how long it took. */
async function eventLoopDuring(work: () => Promise<unknown>) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  // The monitor's first tick only sets its baseline: let it tick before the work starts.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const ms = await time(work);
  // A loop blocked until now records its delay only when the monitor's timer fires next.
  await new Promise((resolve) => setTimeout(resolve, 50));
  histogram.disable();
  return { ms: round(ms), delayMaxMs: round(histogram.max / 1e6), delayP99Ms: round(histogram.percentile(99) / 1e6) };
}

/**
 * The event loop while one long report (the Dialogveranstaltungen filled with `characters`
 * characters of text) is downloaded as PDF through the service (its model is built on the main
 * thread, the file in a worker), and while only its file is rendered.
 */
async function measureEventLoop(runtime: Runtime, characters: number) {
  const kommune = (await findKommuneBySlug(runtime.services.db, 'musterstadt'))!;
  const author = (await findUserByEmail(runtime.services.db, 'integrationsbuero@musterstadt.example'))!;
  await fillDialogues(runtime.services.db, kommune.id, author.id, characters);
  const model = (await getReport(runtime.services, operator, 'musterstadt')).report;
  let bytes = 0;
  const download = await eventLoopDuring(async () => {
    bytes = (await renderReport(runtime.services, operator, 'musterstadt', 'pdf')).body.length;
  });
  const renderOnly = await eventLoopDuring(() => runtime.services.reports.render('pdf', model));
  return {
    dialogueCharacters: characters,
    size: sizeOf(model),
    modelJsonKb: Math.round(JSON.stringify(model).length / 1024),
    pdfKb: Math.round(bytes / 1024),
    download,
    renderOnly,
    barMs: 100,
  };
}

/**
 * Generating the demo's Abschlussbericht in-process: the model (database reads and German text), then
 * PDF and DOCX through the service and its render workers, each the first call in the process (worker
 * start, fonts, compiler) and warm (median of 10), and warm on this thread for comparison; the
 * memory after 200 PDFs and the event-loop delay while a long report renders.
 */
export async function measureReport(work: string) {
  const runtime = await openRuntime(
    { dataDir: path.join(work, 'report'), publicUrl: 'http://localhost:3000', authSecret: 'bench-secret-bench-secret-bench-secret-01', mailFrom: 'bench@localhost', catalogDir: path.resolve(import.meta.dirname, '../catalog'), inMemory: true },
    () => {},
  );
  try {
    await loadDemo(runtime.services);
    const median = async (work: () => Promise<unknown>) => {
      const runs: number[] = [];
      for (let run = 0; run < 10; run++) runs.push(await time(work));
      return round(runs.sort((a, b) => a - b)[5]!);
    };
    const pdfFirst = round(await time(() => renderReport(runtime.services, operator, 'musterstadt', 'pdf')));
    const docxFirst = round(await time(() => renderReport(runtime.services, operator, 'musterstadt', 'docx')));
    // One model rendered again and again, in a worker and on this thread: what the hand-off costs.
    const model = (await getReport(runtime.services, operator, 'musterstadt')).report;
    await renderReportFile('pdf', model);
    await renderReportFile('docx', model);
    const figures = {
      kommune: 'musterstadt',
      modelWarmMs: await median(() => getReport(runtime.services, operator, 'musterstadt')),
      pdf: {
        firstMs: pdfFirst,
        warmMs: await median(() => renderReport(runtime.services, operator, 'musterstadt', 'pdf')),
        workerWarmMs: await median(() => runtime.services.reports.render('pdf', model)),
        inThreadWarmMs: await median(() => renderReportFile('pdf', model)),
        barMs: 300,
      },
      docx: {
        firstMs: docxFirst,
        warmMs: await median(() => renderReport(runtime.services, operator, 'musterstadt', 'docx')),
        workerWarmMs: await median(() => runtime.services.reports.render('docx', model)),
        inThreadWarmMs: await median(() => renderReportFile('docx', model)),
        barMs: 300,
      },
    };
    const memory = await measureMemory(runtime);
    const eventLoop = await measureEventLoop(runtime, Number(process.env.BENCH_REPORT_CHARACTERS ?? 250_000));
    return { ...figures, memory, eventLoop };
  } finally {
    await runtime.close();
  }
}
