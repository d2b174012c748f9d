import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { kommune, round, roundCriterionResult, roundResult } from '../schema.ts';

export interface StoredRoundResult {
  roundId: string;
  kommuneId: string;
  catalogVersionId: string;
  overallScore: number | null;
  levelIndex: number | null;
  fieldScores: Record<string, number | null>;
  criteria: { criterionKey: string; rating: string | null }[];
}

/** Replaces the stored results of a round. */
export async function writeRoundResult(db: Database, result: StoredRoundResult): Promise<void> {
  await deleteRoundResult(db, result.roundId);
  await db.insert(roundResult).values({
    roundId: result.roundId,
    kommuneId: result.kommuneId,
    catalogVersionId: result.catalogVersionId,
    overallScore: result.overallScore,
    levelIndex: result.levelIndex,
    fieldScores: result.fieldScores,
  });
  if (result.criteria.length) await db.insert(roundCriterionResult).values(result.criteria.map((entry) => ({ roundId: result.roundId, ...entry })));
}

export async function deleteRoundResult(db: Database, roundId: string): Promise<void> {
  await db.delete(roundCriterionResult).where(eq(roundCriterionResult.roundId, roundId));
  await db.delete(roundResult).where(eq(roundResult.roundId, roundId));
}

/** Closed rounds whose results are not stored yet (closed before results were stored, or imported), with their Kommune's kind. */
export async function listClosedRoundsWithoutResult(db: Database) {
  return db
    .select({ round, kind: kommune.kind })
    .from(round)
    .innerJoin(kommune, eq(kommune.id, round.kommuneId))
    .leftJoin(roundResult, eq(roundResult.roundId, round.id))
    .where(and(eq(round.status, 'closed'), isNull(roundResult.roundId)));
}
