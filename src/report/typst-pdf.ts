import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import { reportFontBlobs } from './fonts.ts';

// A virtual root: a template reads only its document's JSON, mapped in memory, never a real file.
const workspace = '/weltoffen';

// One compiler per thread for every document: creating it loads the fonts (~30 ms); each document
// then takes a few ms (a whole paper questionnaire about 0.7 s).
let compiler: NodeCompiler | undefined;

/**
 * Sets a Typst template over one JSON document and exports a tagged PDF/UA-1. The model travels as
 * JSON (`json("/<file>")` in the template), so no user or catalog text is ever read as Typst markup.
 */
export function typstPdf(options: { template: string; file: string; data: unknown; what: string; creationTimestamp?: number }): Buffer {
  compiler ??= NodeCompiler.create({ workspace, fontArgs: [{ fontBlobs: reportFontBlobs() }] });
  const dataPath = `${workspace}/${options.file}`;
  compiler.mapShadow(dataPath, Buffer.from(JSON.stringify(options.data)));
  try {
    const compiled = compiler.compile({ mainFileContent: options.template });
    const document = compiled.result;
    if (!document) {
      const error = compiled.takeError() ?? compiled.takeDiagnostics();
      const details = error ? compiler.fetchDiagnostics(error) : [];
      throw new Error(`${options.what} ließ sich nicht setzen: ${JSON.stringify(details).slice(0, 2000)}`);
    }
    return compiler.pdf(document, { pdfStandard: 'ua-1', ...(options.creationTimestamp === undefined ? {} : { creationTimestamp: options.creationTimestamp }) });
  } finally {
    compiler.unmapShadow(dataPath);
    // Typst memoizes layout in a process-wide cache that is never emptied on its own: without
    // eviction every report with new content kept ~7.5 MB (1.5 GB after 200 demo PDFs). Keeping
    // only what the latest document used (age < 1) bounds it to one document and keeps a repeated
    // one fast; the compiler's own memory is freed once its compile results are collected (decision 012).
    compiler.evictCache(1);
  }
}
