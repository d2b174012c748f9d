import type { Actor } from '../domain/access.ts';
import { hasAnswerOption, type AnswerKey } from '../domain/catalog.ts';
import { changedByOf } from '../domain/conflict.ts';
import { DomainError } from '../domain/errors.ts';
import { oneOf } from '../domain/one-of.ts';
import { roundStatuses } from '../domain/round.ts';
import { loggedValuesOf, roundChangeKinds } from '../domain/round-change.ts';
import { checkRatingReason, ratingToStore } from '../domain/kommune-rules.ts';
import {
  findRating,
  findRoundState,
  insertChange,
  listAnswers,
  listChanges,
  listRatings,
  lockOpenRound,
  writeRatingIfVersion,
} from '../db/repositories/round-repository.ts';
import { findUserById } from '../db/repositories/user-repository.ts';
import type { ServiceContext } from './context.ts';
import { requireRound } from './manage-rounds.ts';
import { scoreRows } from './store-round-results.ts';

/** Per criterion: every person's answers, the derived rating, disagreement, and the consolidated rating. */
export async function getConsolidation(context: ServiceContext, actor: Actor, slug: string, number: number) {
  const { round, catalog } = await requireRound(context, actor, slug, number, 'round.review');
  const [answers, ratings] = await Promise.all([listAnswers(context.db, round.id), listRatings(context.db, round.id)]);
  const result = scoreRows(catalog, round.workedFieldKeys, answers, ratings);
  return {
    round: { number: round.number, status: oneOf(roundStatuses, round.status, 'Status der Runde'), version: round.version },
    answerScale: catalog.answerScale,
    fields: catalog.fields
      .filter((field) => round.workedFieldKeys.includes(field.key))
      .map((field) => {
        const fieldResult = result.fields.find((entry) => entry.fieldKey === field.key)!;
        return {
          key: field.key,
          name: field.name,
          questionCount: fieldResult.questionCount,
          answeredQuestionCount: fieldResult.answeredQuestionCount,
          respondentCount: fieldResult.respondentCount,
          openCriterionCount: fieldResult.openCriterionCount,
          criteria: field.criteria.map((criterion) => {
            const scored = fieldResult.criteria.find((entry) => entry.criterionKey === criterion.key)!;
            const stored = ratings.find((entry) => entry.criterionKey === criterion.key);
            return {
              key: criterion.key,
              name: criterion.name,
              derivedValue: scored.derivedValue,
              derivedRating: scored.derivedRating,
              consolidatedRating: scored.consolidatedRating,
              status: scored.status,
              reason: stored?.reason ?? '',
              ratingVersion: stored?.version ?? 0,
              isDisputed: scored.isDisputed,
              questions: criterion.questions.map((question) => ({
                key: question.key,
                text: question.text,
                spread: scored.questions.find((entry) => entry.questionKey === question.key)!.spread,
                answers: answers
                  .filter((entry) => entry.questionKey === question.key)
                  .map((entry) => ({
                    userId: entry.userId,
                    name: entry.userName,
                    /** A returned paper questionnaire: the department, entered by `name`. */
                    onBehalfOf: entry.onBehalfOf || null,
                    value: entry.value as AnswerKey | null,
                    comment: entry.comment,
                    evidence: entry.evidence,
                    updatedAt: entry.updatedAt,
                  })),
              })),
            };
          }),
        };
      }),
  };
}

/**
 * Sets (or, with rating null, removes) the consolidated rating of a criterion. A rating that differs
 * from the derived one needs a reason (checkRatingReason, which the import applies too); one that
 * only confirms it without a reason is stored as none (ratingToStore), so that it follows later
 * answers instead of keeping an old value without a reason. Versioned like answers.
 */
export async function setCriterionRating(
  context: ServiceContext,
  actor: Actor,
  slug: string,
  number: number,
  criterionKey: string,
  input: { rating: AnswerKey | null; reason: string; expectedVersion: number },
) {
  const { round, catalog } = await requireRound(context, actor, slug, number, 'round.manage');
  const field = catalog.fields.find((entry) => entry.criteria.some((criterion) => criterion.key === criterionKey));
  if (!field) throw new DomainError('criterion-unknown');
  if (input.rating !== null && !hasAnswerOption(catalog, input.rating)) throw new DomainError('answer-not-in-scale', { field: 'rating' });
  if (round.status !== 'open') throw new DomainError('round-closed');
  if (!round.workedFieldKeys.includes(field.key)) throw new DomainError('field-not-worked');
  const answers = await listAnswers(context.db, round.id);
  const derived = scoreRows(catalog, [field.key], answers, [])
    .fields.find((entry) => entry.fieldKey === field.key)!
    .criteria.find((entry) => entry.criterionKey === criterionKey)!.derivedRating;
  const reason = input.reason.trim();
  const problem = checkRatingReason(input.rating, derived, reason);
  if (problem) throw new DomainError('reason-required', problem);
  const rating = ratingToStore(input.rating, derived, reason);
  return context.db.transaction(async (db) => {
    // Holds the round open until this rating is written, so a close either comes after it or refuses it.
    if (!(await lockOpenRound(db, round.id))) throw new DomainError('round-closed');
    // Settings taken out of this field meanwhile removed its ratings; none may come back (updateRoundSettings).
    if (!(await findRoundState(db, round.id))?.workedFieldKeys.includes(field.key)) throw new DomainError('field-not-worked');
    const before = await findRating(db, round.id, criterionKey);
    const saved = await writeRatingIfVersion(db, { roundId: round.id, criterionKey }, { rating, reason, updatedBy: actor.userId }, input.expectedVersion);
    if (!saved) {
      const current = await findRating(db, round.id, criterionKey);
      const editor = current?.updatedBy ? await findUserById(db, current.updatedBy) : undefined;
      const changedBy = changedByOf(actor.userId, { id: current?.updatedBy ?? null, name: editor?.name ?? null });
      throw new DomainError('stale-version', {
        current: current ? { rating: current.rating, reason: current.reason, version: current.version, changedBy } : null,
      });
    }
    await insertChange(db, {
      roundId: round.id,
      changedBy: actor.userId,
      kind: 'rating',
      subject: criterionKey,
      before: before ? { rating: before.rating, reason: before.reason } : null,
      after: { rating: saved.rating, reason: saved.reason },
    });
    return { criterionKey, rating: saved.rating as AnswerKey | null, reason: saved.reason, version: saved.version, derivedRating: derived };
  });
}

/** Who changed which answer, rating or setting of the round, newest first. */
export async function getRoundChanges(context: ServiceContext, actor: Actor, slug: string, number: number) {
  const { round } = await requireRound(context, actor, slug, number, 'round.review');
  const changes = (await listChanges(context.db, round.id, 500)).map((change) => ({
    ...change,
    kind: oneOf(roundChangeKinds, change.kind, 'Art eines Eintrags im Änderungsverlauf'),
    before: loggedValuesOf(change.before),
    after: loggedValuesOf(change.after),
  }));
  return { round: { number: round.number }, changes };
}
