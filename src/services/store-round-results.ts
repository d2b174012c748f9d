import { catalogForKind, type AnswerKey, type Catalog } from '../domain/catalog.ts';
import type { KommuneKind } from '../domain/kommune.ts';
import { respondentKey } from '../domain/on-behalf.ts';
import { levelIndex, scoreRound } from '../domain/scoring.ts';
import type { Database } from '../db/client.ts';
import { lockKeyForTransaction } from '../db/repositories/lock-repository.ts';
import { listAnswers, listRatings, type RoundRow } from '../db/repositories/round-repository.ts';
import { deleteRoundResult, listClosedRoundsWithoutResult, writeRoundResult } from '../db/repositories/round-result-repository.ts';
import { getCatalog } from './manage-catalogs.ts';

/**
 * Scores answer and rating rows as stored: rows without a value (only a comment, or a rating taken
 * back) are no answer and no rating. `catalog` is the Kommune's view (`catalogForKind`).
 */
export function scoreRows(
  catalog: Catalog,
  workedFieldKeys: readonly string[],
  answers: readonly { questionKey: string; userId: string; onBehalfOf?: string; value: string | null }[],
  ratings: readonly { criterionKey: string; rating: string | null; reason: string | null }[],
) {
  return scoreRound(catalog, {
    workedFieldKeys,
    answers: answers
      .filter((entry) => entry.value !== null)
      .map((entry) => ({ questionKey: entry.questionKey, personId: respondentKey(entry), value: entry.value as AnswerKey })),
    consolidations: ratings
      .filter((entry) => entry.rating !== null)
      .map((entry) => ({ criterionKey: entry.criterionKey, rating: entry.rating as AnswerKey, reason: entry.reason })),
  });
}

/** Scores a round from its stored answers and consolidated ratings; `catalog` is the Kommune's view (`catalogForKind`). */
export async function scoreStoredRound(db: Database, round: RoundRow, catalog: Catalog) {
  const [answers, ratings] = await Promise.all([listAnswers(db, round.id), listRatings(db, round.id)]);
  return { answers, result: scoreRows(catalog, round.workedFieldKeys, answers, ratings) };
}

/**
 * Stores the results of a closed round for the programme overview (or removes them when the round is
 * open again). Called in the transaction that closes, reopens, imports or loads a round.
 */
export async function storeRoundResult(db: Database, round: RoundRow, catalog: Catalog): Promise<void> {
  if (round.status !== 'closed') {
    await deleteRoundResult(db, round.id);
    return;
  }
  const { result } = await scoreStoredRound(db, round, catalog);
  await writeScoredRoundResult(db, round, catalog, result);
}

/** Stores a closed round's results scored already (the import scores from the bundle, not re-reading every answer). */
export async function writeScoredRoundResult(db: Database, round: RoundRow, catalog: Catalog, result: ReturnType<typeof scoreRound>): Promise<void> {
  await writeRoundResult(db, {
    roundId: round.id,
    kommuneId: round.kommuneId,
    catalogVersionId: round.catalogVersionId,
    overallScore: result.overallScore,
    levelIndex: result.overallScore === null ? null : levelIndex(catalog, result.overallScore),
    fieldScores: Object.fromEntries(result.fields.map((field) => [field.fieldKey, field.isWorked ? field.score : null])),
    criteria: result.fields.filter((field) => field.isWorked).flatMap((field) => field.criteria.map((criterion) => ({ criterionKey: criterion.criterionKey, rating: criterion.rating }))),
  });
}

/**
 * Stores the results of closed rounds that have none yet; run at start-up. Returns how many. Each
 * round under a lock of its own, so server processes starting together write each result once after
 * the other instead of colliding on its key.
 */
export async function storeMissingRoundResults(db: Database): Promise<number> {
  const rounds = await listClosedRoundsWithoutResult(db);
  for (const { round, kind } of rounds) {
    const catalog = await getCatalog(db, round.catalogVersionId);
    if (!catalog) continue;
    await db.transaction(async (tx) => {
      await lockKeyForTransaction(tx, `round-result:${round.id}`);
      await storeRoundResult(tx, round, catalogForKind(catalog, kind as KommuneKind));
    });
  }
  return rounds.length;
}

