import { can, canAnswerField, canEnterOnBehalf, type Actor } from '../domain/access.ts';
import { hasAnswerOption, type AnswerKey, type Catalog } from '../domain/catalog.ts';
import { changedByOf } from '../domain/conflict.ts';
import { DomainError } from '../domain/errors.ts';
import { departmentSpelling } from '../domain/on-behalf.ts';
import { oneOf } from '../domain/one-of.ts';
import { roundStatuses } from '../domain/round.ts';
import { listDepartmentNames } from '../db/repositories/on-behalf-repository.ts';
import { findAnswer, findRoundState, listAnswersOfUser, listOnBehalfOfUser, saveAnswerWithChange, type AnswerRow } from '../db/repositories/round-repository.ts';
import type { ServiceContext } from './context.ts';
import { requireRound } from './manage-rounds.ts';

/** Where a question sits in a catalog, or undefined when the catalog has no such question. */
export function locateQuestion(catalog: Catalog, questionKey: string) {
  for (const field of catalog.fields) {
    for (const criterion of field.criteria) {
      const question = criterion.questions.find((entry) => entry.key === questionKey);
      if (question) return { field, criterion, question };
    }
  }
  return undefined;
}

export interface AnswerInput {
  value: AnswerKey | null;
  comment: string;
  evidence: string;
  /** The version the person last saw; 0 when they had not answered yet. */
  expectedVersion: number;
  /** A returned paper questionnaire: the department the Koordination enters it for (empty: her own answer). */
  onBehalfOf?: string;
}

function present(row: Pick<AnswerRow, 'questionKey' | 'value' | 'comment' | 'evidence' | 'version' | 'updatedAt' | 'onBehalfOf'>) {
  return {
    questionKey: row.questionKey,
    onBehalfOf: row.onBehalfOf || null,
    value: row.value as AnswerKey | null,
    comment: row.comment,
    evidence: row.evidence,
    version: row.version,
    updatedAt: row.updatedAt,
  };
}

/**
 * Saves one person's answer. The person must be allowed to answer the field, the round must be open
 * (checked again by the write itself, so a save racing a close is either in the closed round or
 * refused), the field worked in it, and nobody may have changed the answer since the version the
 * person saw; otherwise nothing is written and a conflict carries the current answer.
 */
export async function saveAnswer(
  context: ServiceContext,
  actor: Actor,
  slug: string,
  number: number,
  questionKey: string,
  input: AnswerInput,
) {
  const { kommune, round, catalog } = await requireRound(context, actor, slug, number, 'round.answer');
  const located = locateQuestion(catalog, questionKey);
  if (!located) throw new DomainError('question-unknown');
  if (input.value !== null && !hasAnswerOption(catalog, input.value)) throw new DomainError('answer-not-in-scale', { field: 'value' });
  if (!canAnswerField(actor, kommune.id, located.field.key)) throw new DomainError('field-not-assigned');
  if (input.onBehalfOf && !canEnterOnBehalf(actor, kommune.id)) throw new DomainError('forbidden');
  const onBehalfOf = await departmentOf(context, round.id, input.onBehalfOf);
  if (round.status !== 'open') throw new DomainError('round-closed');
  if (!round.workedFieldKeys.includes(located.field.key)) throw new DomainError('field-not-worked');
  const saved = await saveAnswerWithChange(
    context.db,
    { roundId: round.id, fieldKey: located.field.key, questionKey, userId: actor.userId, onBehalfOf },
    { value: input.value, comment: input.comment, evidence: input.evidence },
    input.expectedVersion,
  );
  if (!saved) {
    // The statement writes only into an open round that works this field: refused because a close
    // or a change of the settings came first, or stale.
    const state = await findRoundState(context.db, round.id);
    if (state?.status !== 'open') throw new DomainError('round-closed');
    if (!state.workedFieldKeys.includes(located.field.key)) throw new DomainError('field-not-worked');
    const current = await findAnswer(context.db, round.id, questionKey, actor.userId, onBehalfOf);
    // An answer is written only by the person it belongs to (the change log names them), so the
    // version that won was saved by the actor themself in another window or tab.
    const changedBy = current ? changedByOf(actor.userId, { id: current.userId, name: null }) : null;
    throw new DomainError('stale-version', { current: current ? { ...present(current), changedBy } : null });
  }
  return present(saved);
}

/** The stored spelling of a department („ordnungsamt“ → the round's „Ordnungsamt“), '' for one's own answers. */
async function departmentOf(context: ServiceContext, roundId: string, name: string | undefined): Promise<string> {
  return name ? departmentSpelling(name, await listDepartmentNames(context.db, roundId)) : '';
}

/**
 * The questions of one field with the actor's own answers, for the answer page; with `onBehalfOf`,
 * the answers the Koordination entered for that department (a returned paper questionnaire).
 */
export async function getMyFieldAnswers(context: ServiceContext, actor: Actor, slug: string, number: number, fieldKey: string, askedOnBehalfOf = '') {
  const { kommune, round, catalog } = await requireRound(context, actor, slug, number, 'round.read');
  const field = catalog.fields.find((entry) => entry.key === fieldKey);
  if (!field) throw new DomainError('field-unknown');
  if (askedOnBehalfOf && !canEnterOnBehalf(actor, kommune.id)) throw new DomainError('forbidden');
  const onBehalfOf = await departmentOf(context, round.id, askedOnBehalfOf);
  const mine = new Map((await listAnswersOfUser(context.db, round.id, actor.userId, onBehalfOf)).map((row) => [row.questionKey, present(row)]));
  const fieldIndex = catalog.fields.indexOf(field);
  return {
    round: { number: round.number, status: oneOf(roundStatuses, round.status, 'Status der Runde'), isWorked: round.workedFieldKeys.includes(field.key), deadline: round.deadline },
    canAnswer: round.status === 'open' && round.workedFieldKeys.includes(field.key) && canAnswerField(actor, kommune.id, field.key),
    /** Whether the page shows the discussion under each question (not for Lesende). */
    canDiscuss: can(actor, 'discussion.read', kommune.id),
    onBehalfOf: onBehalfOf || null,
    answerScale: catalog.answerScale,
    field: {
      key: field.key,
      name: field.name,
      description: field.description,
      criteria: field.criteria.map((criterion) => ({
        key: criterion.key,
        name: criterion.name,
        description: criterion.description,
        questions: criterion.questions.map((question) => ({
          key: question.key,
          text: question.text,
          yesMeans: question.yesMeans ?? null,
          evidence: question.evidence ?? [],
          answer: mine.get(question.key) ?? null,
        })),
      })),
    },
    previousFieldKey: catalog.fields[fieldIndex - 1]?.key ?? null,
    nextFieldKey: catalog.fields[fieldIndex + 1]?.key ?? null,
  };
}

/** The departments the actor entered paper questionnaires for in a round (Koordination, Programmteam). */
export async function listMyOnBehalfEntries(context: ServiceContext, actor: Actor, slug: string, number: number) {
  const { kommune, round } = await requireRound(context, actor, slug, number, 'round.answer');
  if (!canEnterOnBehalf(actor, kommune.id)) throw new DomainError('forbidden');
  return { entries: await listOnBehalfOfUser(context.db, round.id, actor.userId) };
}
