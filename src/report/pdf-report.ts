import { readFileSync } from 'node:fs';
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import type { Report } from '../domain/report.ts';
import { reportFontBlobs } from './fonts.ts';

const template = readFileSync(new URL('./templates/report.typ', import.meta.url), 'utf8');

// A virtual root: the template reads only the report's JSON, mapped in memory, never a real file.
const workspace = '/weltoffen-report';
const dataPath = `${workspace}/report.json`;

// One compiler per thread: creating it loads the fonts (~30 ms); each report then takes a few ms.
let compiler: NodeCompiler | undefined;

/**
 * Renders the report model to a tagged PDF/UA-1 with Typst. The model travels as JSON into the
 * template, so no user text is ever read as Typst markup. The creation date is the report's date,
 * so the same data gives the same file.
 */
export async function renderReportPdf(report: Report): Promise<Buffer> {
  compiler ??= NodeCompiler.create({ workspace, fontArgs: [{ fontBlobs: reportFontBlobs() }] });
  compiler.mapShadow(dataPath, Buffer.from(JSON.stringify(report)));
  try {
    const compiled = compiler.compile({ mainFileContent: template });
    const document = compiled.result;
    if (!document) {
      const error = compiled.takeError() ?? compiled.takeDiagnostics();
      const details = error ? compiler.fetchDiagnostics(error) : [];
      throw new Error(`Der PDF-Bericht ließ sich nicht setzen: ${JSON.stringify(details).slice(0, 2000)}`);
    }
    const creation = Math.floor(Date.parse(`${report.generatedOn}T12:00:00Z`) / 1000);
    return compiler.pdf(document, { pdfStandard: 'ua-1', creationTimestamp: creation });
  } finally {
    compiler.unmapShadow(dataPath);
    // Typst memoizes layout in a process-wide cache that is never emptied on its own: without
    // eviction every report with new content kept ~7.5 MB (1.5 GB after 200 demo PDFs). Keeping
    // only what the latest report used (age < 1) bounds it to one report and keeps a repeated
    // report fast; the compiler's own memory is freed once its compile results are collected.
    compiler.evictCache(1);
  }
}
