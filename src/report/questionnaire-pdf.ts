import { readFileSync } from 'node:fs';
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import type { PaperQuestionnaire } from '../domain/questionnaire.ts';
import { reportFontBlobs } from './fonts.ts';

const template = readFileSync(new URL('./templates/questionnaire.typ', import.meta.url), 'utf8');

// A virtual root: the template reads only the questionnaire's JSON, mapped in memory.
const workspace = '/weltoffen-questionnaire';
const dataPath = `${workspace}/questionnaire.json`;

let compiler: NodeCompiler | undefined;

/**
 * Renders the paper questionnaire to a tagged PDF/UA-1 with Typst, like the report: the model travels
 * as JSON, so no catalog or Kommune text is read as Typst markup.
 */
export async function renderQuestionnairePdf(questionnaire: PaperQuestionnaire): Promise<Buffer> {
  compiler ??= NodeCompiler.create({ workspace, fontArgs: [{ fontBlobs: reportFontBlobs() }] });
  compiler.mapShadow(dataPath, Buffer.from(JSON.stringify(questionnaire)));
  try {
    const compiled = compiler.compile({ mainFileContent: template });
    const document = compiled.result;
    if (!document) {
      const error = compiled.takeError() ?? compiled.takeDiagnostics();
      const details = error ? compiler.fetchDiagnostics(error) : [];
      throw new Error(`Der Fragebogen ließ sich nicht setzen: ${JSON.stringify(details).slice(0, 2000)}`);
    }
    return compiler.pdf(document, { pdfStandard: 'ua-1' });
  } finally {
    compiler.unmapShadow(dataPath);
    // As for the report (decision 012): keep only what the latest document used.
    compiler.evictCache(1);
  }
}
