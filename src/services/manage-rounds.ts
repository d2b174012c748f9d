import { randomUUID } from 'node:crypto';
import { can, canAnswerField, kommunePermissions, roleInKommune, type Actor } from '../domain/access.ts';
import { catalogForKind, type Catalog } from '../domain/catalog.ts';
import type { KommuneKind } from '../domain/kommune.ts';
import type { PeriodPrecision } from '../domain/round.ts';
import { DomainError } from '../domain/errors.ts';
import { checkRoundCatalogVersion, checkRoundPeriod } from '../domain/kommune-rules.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import type { KommuneRow } from '../db/repositories/kommune-repository.ts';
import { listKommuneMembers } from '../db/repositories/member-repository.ts';
import {
  countRoundContent,
  deleteRoundContent,
  findKommuneWithRound,
  findOpenRound,
  findRoundState,
  insertChange,
  insertRound,
  listAnswers,
  listAnswersOfUser,
  listRounds,
  nextRoundNumber,
  updateRoundIfVersion,
  type RoundRow,
} from '../db/repositories/round-repository.ts';
import type { Action } from '../domain/access.ts';
import type { Database } from '../db/client.ts';
import type { ServiceContext } from './context.ts';
import { queueRoundClosedNotifications } from './notify.ts';
import { storeRoundResult } from './store-round-results.ts';
import { getCatalog, getCurrentCatalog } from './manage-catalogs.ts';
import { requireKommune, requireUsable } from './require-kommune.ts';

export interface RoundSettings {
  periodStart: string | null;
  periodEnd: string | null;
  /** Whether the report shows the period's dates or only its months; a new round without it: dates, a change without it: unchanged. */
  periodPrecision?: PeriodPrecision;
  workedFieldKeys: string[];
  participants: string;
}

/** A round with its Kommune and catalog (as the Kommune's kind sees it: `catalogForKind`), after checking the action. */
export interface LoadedRound {
  kommune: KommuneRow;
  round: RoundRow;
  catalog: Catalog;
}

/**
 * The round results and the report show when none is chosen: the latest closed round (its results
 * are final), else the newest; `rounds` newest first. Starting round 2 thus keeps round 1 in view.
 */
export function defaultRound<T extends { status: string }>(rounds: readonly T[]): T | undefined {
  return rounds.find((entry) => entry.status === 'closed') ?? rounds[0];
}

/** Finds round `number` of a Kommune (`defaultRound` when number is undefined) and checks the action. */
export async function requireRound(
  context: ServiceContext,
  actor: Actor,
  slug: string,
  number: number | undefined,
  action: Action,
): Promise<LoadedRound> {
  let kommune: KommuneRow;
  let found: RoundRow | undefined;
  if (number === undefined) {
    kommune = await requireKommune(context.db, actor, slug, action);
    found = defaultRound(await listRounds(context.db, kommune.id));
  } else {
    // Kommune and round in one query: this runs for every saved answer.
    const row = await findKommuneWithRound(context.db, slug, number);
    if (!row) throw new DomainError('kommune-not-found');
    if (!can(actor, action, row.kommune.id)) throw new DomainError('forbidden');
    requireUsable(row.kommune);
    kommune = row.kommune;
    found = row.round;
  }
  if (!found) throw new DomainError('round-not-found');
  const stored = await getCatalog(context.db, found.catalogVersionId);
  if (!stored) throw new DomainError('catalog-missing');
  return { kommune, round: found, catalog: catalogOfKind(stored, kommune.kind as KommuneKind) };
}

// A stored catalog never changes (manage-catalogs.ts keeps it per process and shares it between
// requests), so neither does its view for a kind: built once, not for every saved answer.
const kindViews = new WeakMap<Catalog, Map<KommuneKind, Catalog>>();

function catalogOfKind(stored: Catalog, kind: KommuneKind): Catalog {
  let views = kindViews.get(stored);
  if (!views) kindViews.set(stored, (views = new Map()));
  let view = views.get(kind);
  if (!view) views.set(kind, (view = catalogForKind(stored, kind)));
  return view;
}

function checkSettings(catalog: Catalog, settings: RoundSettings): void {
  const known = new Set(catalog.fields.map((field) => field.key));
  const unknown = settings.workedFieldKeys.filter((key) => !known.has(key));
  if (unknown.length) {
    throw new DomainError('field-unknown', { field: 'workedFieldKeys', message: `Unbekannte Handlungsfelder: ${unknown.join(', ')}.` });
  }
  const period = checkRoundPeriod(settings);
  if (period) throw new DomainError('invalid-input', period);
}

/** Fields in catalog order, so that stored lists read like the catalog. */
function inCatalogOrder(catalog: Catalog, keys: readonly string[]): string[] {
  return catalog.fields.map((field) => field.key).filter((key) => keys.includes(key));
}

/**
 * Koordination starts a round, on the newest catalog version or on a chosen one that is not older
 * than the version of the Kommune's previous round (so a repeat stays comparable); one open round per
 * Kommune.
 */
export async function startRound(context: ServiceContext, actor: Actor, slug: string, settings: RoundSettings & { catalogVersionId?: string }): Promise<RoundRow> {
  const kommune = await requireKommune(context.db, actor, slug, 'round.manage');
  const newest = await getCurrentCatalog(context.db);
  if (!newest) throw new DomainError('catalog-missing');
  let current = newest;
  if (settings.catalogVersionId && settings.catalogVersionId !== newest.id) {
    const chosen = await getCatalog(context.db, settings.catalogVersionId);
    if (!chosen || chosen.id !== newest.catalog.id) throw new DomainError('invalid-input', { field: 'catalogVersionId', message: 'Diese Katalogversion gibt es nicht.' });
    const previous = (await listRounds(context.db, kommune.id))[0];
    const previousCatalog = previous ? await getCatalog(context.db, previous.catalogVersionId) : undefined;
    const order = checkRoundCatalogVersion(chosen.version, previous && previousCatalog && { number: previous.number, version: previousCatalog.version });
    if (order) throw new DomainError('invalid-input', order);
    current = { id: settings.catalogVersionId, catalog: chosen };
  }
  checkSettings(current.catalog, settings);
  if (await findOpenRound(context.db, kommune.id)) throw new DomainError('round-open-exists');
  try {
    return await context.db.transaction(async (db) => {
      const created = await insertRound(db, {
        id: randomUUID(),
        kommuneId: kommune.id,
        number: await nextRoundNumber(db, kommune.id),
        catalogVersionId: current.id,
        status: 'open',
        workedFieldKeys: inCatalogOrder(current.catalog, settings.workedFieldKeys),
        periodStart: settings.periodStart,
        periodEnd: settings.periodEnd,
        periodPrecision: settings.periodPrecision ?? 'day',
        participants: settings.participants,
        createdBy: actor.userId,
        // The close time comes from the same clock (context.now), so it is never before the start.
        createdAt: context.now(),
      });
      const { catalogVersionId: _version, ...logged } = settings;
      await insertChange(db, { roundId: created.id, changedBy: actor.userId, kind: 'round', subject: 'started', after: { ...logged, periodPrecision: created.periodPrecision, catalogVersionId: current.id } });
      await recordAudit(db, { actorUserId: actor.userId, action: 'round.started', kommuneId: kommune.id, details: { number: created.number } });
      return created;
    });
  } catch (error) {
    // Two starts at the same moment: the unique indexes on open rounds and round numbers let only one through.
    if (error instanceof DomainError) throw error;
    if (isUniqueViolation(error, 'round_one_open') || (await findOpenRound(context.db, kommune.id))) throw new DomainError('round-open-exists');
    throw error;
  }
}

/**
 * Changes period, worked fields and participants of an open round (versioned). A round holds answers
 * and ratings only in the fields it works (the import checks the same): a field taken out loses its
 * answers and ratings, which the request must confirm with their number (`confirmedRemovedAnswers`),
 * else nothing changes and a 409 names them per field.
 */
export async function updateRoundSettings(
  context: ServiceContext,
  actor: Actor,
  slug: string,
  number: number,
  settings: RoundSettings & { expectedVersion: number; confirmedRemovedAnswers?: number },
): Promise<RoundRow> {
  const { round, catalog } = await requireRound(context, actor, slug, number, 'round.manage');
  if (round.status !== 'open') throw new DomainError('round-closed');
  checkSettings(catalog, settings);
  const removedFields = catalog.fields.filter((field) => round.workedFieldKeys.includes(field.key) && !settings.workedFieldKeys.includes(field.key));
  return context.db.transaction(async (db) => {
    const updated = await updateRoundIfVersion(db, round.id, settings.expectedVersion, {
      periodStart: settings.periodStart,
      periodEnd: settings.periodEnd,
      periodPrecision: settings.periodPrecision ?? round.periodPrecision,
      workedFieldKeys: inCatalogOrder(catalog, settings.workedFieldKeys),
      participants: settings.participants,
    }, 'open');
    if (!updated) throw await refusal(db, round, 'open');
    // Counted after the update holds the round's row: answers saved meanwhile are counted, later ones find the field not worked.
    const removed = await removeFieldContent(db, round, removedFields, settings.confirmedRemovedAnswers ?? 0);
    await insertChange(db, {
      roundId: round.id,
      changedBy: actor.userId,
      kind: 'round',
      subject: 'settings',
      before: { periodStart: round.periodStart, periodEnd: round.periodEnd, periodPrecision: round.periodPrecision, workedFieldKeys: round.workedFieldKeys, participants: round.participants },
      after: { periodStart: updated.periodStart, periodEnd: updated.periodEnd, periodPrecision: updated.periodPrecision, workedFieldKeys: updated.workedFieldKeys, participants: updated.participants, ...removed },
    });
    return updated;
  });
}

/**
 * Removes the answers and ratings of fields a round no longer works, if the person confirmed at
 * least as many as there are; else refuses with the number per field. What was removed goes into
 * the change log (empty when nothing was there).
 */
async function removeFieldContent(db: Database, round: RoundRow, fields: Catalog['fields'], confirmed: number): Promise<{ removedAnswers?: number; removedRatings?: number }> {
  if (fields.length === 0) return {};
  const perField = [];
  for (const field of fields) {
    const keys = { questionKeys: field.criteria.flatMap((criterion) => criterion.questions.map((question) => question.key)), criterionKeys: field.criteria.map((criterion) => criterion.key) };
    perField.push({ key: field.key, name: field.name, keys, ...(await countRoundContent(db, round.id, keys)) });
  }
  const answers = perField.reduce((sum, field) => sum + field.answers, 0);
  const ratings = perField.reduce((sum, field) => sum + field.ratings, 0);
  if (answers + ratings > confirmed) {
    const named = perField.filter((field) => field.answers + field.ratings > 0);
    const counts = (field: { answers: number; ratings: number }) =>
      [field.answers ? (field.answers === 1 ? 'eine Antwort' : `${field.answers} Antworten`) : '', field.ratings ? (field.ratings === 1 ? 'eine Einschätzung' : `${field.ratings} Einschätzungen`) : ''].filter(Boolean).join(' und ');
    throw new DomainError('field-has-answers', {
      field: 'workedFieldKeys',
      message: `${named.map((field) => `Im Handlungsfeld ${field.key} („${field.name}“) gibt es schon ${counts(field)}`).join('; ')}. Wenn es nicht mehr bearbeitet wird, werden sie gelöscht. Bitte bestätigen Sie das ausdrücklich.`,
      current: { removedCount: answers + ratings, fields: named.map((field) => ({ key: field.key, answers: field.answers, ratings: field.ratings })) },
    });
  }
  for (const field of perField) await deleteRoundContent(db, round.id, field.keys);
  return answers + ratings ? { removedAnswers: answers, removedRatings: ratings } : {};
}

/**
 * Why a versioned update of a round with the expected status wrote nothing: the status changed in
 * the meantime (closed, or opened again), or someone else changed the round (stale version).
 */
async function refusal(db: Database, round: RoundRow, expectedStatus: 'open' | 'closed'): Promise<DomainError> {
  const state = await findRoundState(db, round.id);
  if (state && state.status !== expectedStatus) return new DomainError(expectedStatus === 'open' ? 'round-closed' : 'round-not-closed');
  return new DomainError('stale-version', { current: roundSummary(round) });
}

/**
 * Closes a round: answers and ratings are locked from now on. The update takes the round's row
 * lock, so saves still writing (they hold the row shared) finish first and are in the stored
 * result; saves after it find the round closed and write nothing.
 */
export async function closeRound(context: ServiceContext, actor: Actor, slug: string, number: number, expectedVersion: number, confirmedOpenQuestions = 0) {
  const { kommune, round, catalog } = await requireRound(context, actor, slug, number, 'round.manage');
  if (round.status !== 'open') throw new DomainError('round-closed');
  await context.db.transaction(async (db) => {
    const updated = await updateRoundIfVersion(db, round.id, expectedVersion, { status: 'closed', closedAt: context.now() }, 'open');
    if (!updated) throw await refusal(db, round, 'open');
    // Counted after the update holds the round row, so no save can change the count any more. More
    // open questions than the person confirmed (an answer withdrawn meanwhile): nothing is closed.
    const open = await openQuestionsOf(db, kommune, updated, catalog);
    if (open.total > confirmedOpenQuestions) {
      throw new DomainError('round-has-open-questions', {
        message: `In dieser Runde sind noch ${open.total === 1 ? 'eine Leitfrage' : `${open.total} Leitfragen`} offen. Bitte bestätigen Sie ausdrücklich, dass Sie die Runde trotzdem abschließen wollen.`,
        current: { openQuestionCount: open.total, fields: open.fields.filter((field) => field.openQuestionKeys.length), people: open.people.filter((person) => person.open.length) },
      });
    }
    await storeRoundResult(db, updated, catalog);
    await insertChange(db, { roundId: round.id, changedBy: actor.userId, kind: 'round', subject: 'closed', before: { status: 'open' }, after: { status: 'closed', openQuestions: open.total } });
    await recordAudit(db, { actorUserId: actor.userId, action: 'round.closed', kommuneId: kommune.id, details: { number, openQuestions: open.total } });
    await queueRoundClosedNotifications(context, db, kommune, updated, catalog, actor.userId);
  });
}

/** Reopens a closed round, with a reason that goes into the change log. */
export async function reopenRound(context: ServiceContext, actor: Actor, slug: string, number: number, reason: string) {
  const { kommune, round, catalog } = await requireRound(context, actor, slug, number, 'round.manage');
  if (round.status !== 'closed') throw new DomainError('round-not-closed');
  if (await findOpenRound(context.db, kommune.id)) throw new DomainError('round-open-exists');
  try {
    await context.db.transaction(async (db) => {
      const updated = await updateRoundIfVersion(db, round.id, round.version, { status: 'open', closedAt: null }, 'closed');
      if (!updated) throw await refusal(db, round, 'closed');
      await storeRoundResult(db, updated, catalog);
      await insertChange(db, { roundId: round.id, changedBy: actor.userId, kind: 'round', subject: 'reopened', before: { status: 'closed' }, after: { status: 'open', reason } });
      await recordAudit(db, { actorUserId: actor.userId, action: 'round.reopened', kommuneId: kommune.id, details: { number, reason } });
    });
  } catch (error) {
    // Two closed rounds reopened at the same moment: the unique index on open rounds lets only one through.
    if (isUniqueViolation(error, 'round_one_open')) throw new DomainError('round-open-exists');
    throw error;
  }
}

export function roundSummary(round: RoundRow) {
  return {
    number: round.number,
    status: round.status as 'open' | 'closed',
    catalogVersionId: round.catalogVersionId,
    workedFieldKeys: round.workedFieldKeys,
    periodStart: round.periodStart,
    periodEnd: round.periodEnd,
    periodPrecision: round.periodPrecision as PeriodPrecision,
    participants: round.participants,
    deadline: round.deadline,
    reminderDaysBefore: round.reminderDaysBefore,
    version: round.version,
    createdAt: round.createdAt,
    closedAt: round.closedAt,
  };
}

/** The rounds of a Kommune, newest first, with what the actor may do. */
export async function listRoundsOf(context: ServiceContext, actor: Actor, slug: string) {
  const kommune = await requireKommune(context.db, actor, slug, 'round.read');
  const rounds = await listRounds(context.db, kommune.id);
  return {
    kommune: { slug: kommune.slug, name: kommune.name },
    canStart: can(actor, 'round.manage', kommune.id) && !rounds.some((entry) => entry.status === 'open'),
    rounds: rounds.map(roundSummary),
  };
}

const answered = (value: string | null) => value !== null;

/**
 * Who still has what open in a round: per worked field the questions nobody answered, and per person
 * (Koordination, Mitwirkende) the questions of their fields they did not answer. Read with `db`, which
 * may be the transaction that closes the round.
 */
export async function openQuestionsOf(db: Database, kommune: KommuneRow, round: RoundRow, catalog: Catalog) {
  const questionsOf = (fieldKey: string) =>
    catalog.fields.find((field) => field.key === fieldKey)!.criteria.flatMap((criterion) => criterion.questions.map((question) => question.key));
  const [answers, members] = await Promise.all([listAnswers(db, round.id), listKommuneMembers(db, kommune.id)]);
  const answeredBy = new Map<string, Set<string>>();
  // A paper questionnaire the Koordination entered for a department is not her own progress.
  for (const entry of answers.filter((item) => answered(item.value) && !item.onBehalfOf)) {
    if (!answeredBy.has(entry.userId)) answeredBy.set(entry.userId, new Set());
    answeredBy.get(entry.userId)!.add(entry.questionKey);
  }
  const anyAnswer = new Set(answers.filter((item) => answered(item.value)).map((item) => item.questionKey));
  const mitwirkende = members.filter((member) => member.role === 'mitwirkende');
  const coveredByMitwirkende = (fieldKey: string) => mitwirkende.some((member) => member.fieldKeys === null || member.fieldKeys.includes(fieldKey));
  // A person's open questions count only in the fields assigned to her: a Mitwirkende's fields; for
  // the Koordination the fields no Mitwirkende covers (she answers those herself). Answering in a
  // field a Mitwirkende covers does not make the whole field hers.
  const assignedTo = (member: (typeof members)[number]) =>
    round.workedFieldKeys.filter((key) => (member.role === 'koordination' ? !coveredByMitwirkende(key) : member.fieldKeys === null || member.fieldKeys.includes(key)));
  const people = members
    .filter((member) => member.role === 'koordination' || member.role === 'mitwirkende')
    .map((member) => {
      const assigned = assignedTo(member);
      const open = assigned.map((fieldKey) => ({ fieldKey, questionKeys: questionsOf(fieldKey).filter((key) => !answeredBy.get(member.userId)?.has(key)) }));
      // Her answers in fields not assigned to her count as answered, never their other questions as open.
      const answeredElsewhere = round.workedFieldKeys.filter((key) => !assigned.includes(key)).reduce((sum, key) => sum + questionsOf(key).filter((question) => answeredBy.get(member.userId)?.has(question)).length, 0);
      const total = assigned.reduce((sum, key) => sum + questionsOf(key).length, 0) + answeredElsewhere;
      const openCount = open.reduce((sum, entry) => sum + entry.questionKeys.length, 0);
      return { userId: member.userId, name: member.name, role: member.role, fieldKeys: assigned, total, answered: total - openCount, open: open.filter((entry) => entry.questionKeys.length) };
    });
  // Stellen whose paper questionnaire the Koordination entered: listed with what they left open in the
  // fields they answered in (they get no reminder; they have no account).
  const paperAnswers = new Map<string, Set<string>>();
  for (const entry of answers.filter((item) => answered(item.value) && item.onBehalfOf)) {
    if (!paperAnswers.has(entry.onBehalfOf)) paperAnswers.set(entry.onBehalfOf, new Set());
    paperAnswers.get(entry.onBehalfOf)!.add(entry.questionKey);
  }
  const paper = [...paperAnswers.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'de'))
    .map(([name, keys]) => {
      const fieldKeys = round.workedFieldKeys.filter((key) => questionsOf(key).some((question) => keys.has(question)));
      const open = fieldKeys.map((fieldKey) => ({ fieldKey, questionKeys: questionsOf(fieldKey).filter((key) => !keys.has(key)) }));
      const total = fieldKeys.reduce((sum, key) => sum + questionsOf(key).length, 0);
      return { name, fieldKeys, total, answered: total - open.reduce((sum, entry) => sum + entry.questionKeys.length, 0), open: open.filter((entry) => entry.questionKeys.length) };
    });
  const fields = catalog.fields.map((field) => {
    const keys = questionsOf(field.key);
    const isWorked = round.workedFieldKeys.includes(field.key);
    return {
      key: field.key,
      name: field.name,
      isWorked,
      questionCount: keys.length,
      answeredCount: isWorked ? keys.filter((key) => anyAnswer.has(key)).length : 0,
      openQuestionKeys: isWorked ? keys.filter((key) => !anyAnswer.has(key)) : [],
    };
  });
  return { total: fields.reduce((sum, field) => sum + field.openQuestionKeys.length, 0), fields, people, paper };
}

/**
 * A round's page: settings, the catalog's fields, the actor's own progress per field, and for those
 * who review: progress of the round and what is still open per person.
 */
export async function getRoundOverview(context: ServiceContext, actor: Actor, slug: string, number: number) {
  const { kommune, round, catalog } = await requireRound(context, actor, slug, number, 'round.read');
  const worked = new Set(round.workedFieldKeys);
  const mine = await listAnswersOfUser(context.db, round.id, actor.userId);
  const myAnswered = new Set(mine.filter((entry) => answered(entry.value)).map((entry) => entry.questionKey));
  const permissions = kommunePermissions(actor, kommune.id);
  const fields = catalog.fields.map((field) => {
    const keys = field.criteria.flatMap((criterion) => criterion.questions.map((question) => question.key));
    return {
      key: field.key,
      name: field.name,
      isWorked: worked.has(field.key),
      canAnswer: worked.has(field.key) && canAnswerField(actor, kommune.id, field.key),
      questionCount: keys.length,
      myAnsweredCount: keys.filter((key) => myAnswered.has(key)).length,
    };
  });
  let review = null;
  if (permissions['round.review']) {
    const open = await openQuestionsOf(context.db, kommune, round, catalog);
    review = {
      fields: open.fields.map((field) => ({ key: field.key, answeredCount: field.answeredCount, questionCount: field.questionCount, openQuestionKeys: field.openQuestionKeys })),
      openQuestionCount: open.total,
      people: open.people,
      paper: open.paper,
    };
  }
  return {
    kommune: { slug: kommune.slug, name: kommune.name, myRole: roleInKommune(actor, kommune.id) },
    round: roundSummary(round),
    catalog: { id: round.catalogVersionId, title: catalog.title, version: catalog.version },
    permissions,
    fields,
    review,
  };
}
