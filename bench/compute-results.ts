import { readFileSync } from 'node:fs';
import path from 'node:path';
import { catalogForKind, parseCatalog, type AnswerKey } from '../src/domain/catalog.ts';
import { scoreRound, type ScoredAnswer } from '../src/domain/scoring.ts';

/** Computing the results of a round of catalog 1.1 (as a Stadt sees it) with every question answered by 10 contributors. */
export function measureComputeResults() {
  const parsed = parseCatalog(JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../catalog/weltoffene-kommune-1.1.json'), 'utf8')));
  if (!parsed.ok) throw new Error('Katalog ungültig');
  const catalog = catalogForKind(parsed.catalog, 'Stadt');
  const keys: AnswerKey[] = ['ja', 'eher_ja', 'eher_nein', 'nein', 'keine_einschaetzung', 'trifft_nicht_zu'];
  const questions = catalog.fields.flatMap((field) => field.criteria.flatMap((criterion) => criterion.questions.map((question) => question.key)));
  const answers: ScoredAnswer[] = [];
  for (let person = 0; person < 10; person++) {
    questions.forEach((questionKey, index) => answers.push({ questionKey, personId: `p${person}`, value: keys[(index * 7 + person * 3) % keys.length]! }));
  }
  const input = { workedFieldKeys: catalog.fields.map((field) => field.key), answers, consolidations: [] };
  for (let warm = 0; warm < 20; warm++) scoreRound(catalog, input);
  const runs = 200;
  const started = performance.now();
  for (let run = 0; run < runs; run++) scoreRound(catalog, input);
  const perRunMs = (performance.now() - started) / runs;
  return { questions: questions.length, contributors: 10, answers: answers.length, msPerComputation: Math.round(perRunMs * 100) / 100 };
}
