/**
 * The live session of a workshop (issue 16): the Moderation's side (open, change, order, close into
 * the workshop documentation, delete) and the participants' (join by code, post cards, give points,
 * leave). Every change runs under the session's row lock and writes its events with the next sequence
 * numbers in the same transaction (changeSession); the streams read them (readLiveEvents).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import qrcode from 'qrcode-generator';
import type { Actor } from '../domain/access.ts';
import { DomainError } from '../domain/errors.ts';
import {
  canMerge,
  canPostCard,
  canVote,
  codeFromBytes,
  documentationOverflow,
  eventForParticipants,
  formatCode,
  liveLimits,
  livePhases,
  liveStatuses,
  toWorkshopDocumentation,
  addressNetwork,
  pointLimitRefusal,
  voteRefusalMessages,
  votingQuestionIndex,
  type LiveAudience,
  type LiveCard,
  type LiveCluster,
  type LiveEvent,
  type LiveParticipantView,
  type LiveQuestionIndex,
  type LiveSessionSettings,
} from '../domain/live-session.ts';
import { oneOf } from '../domain/one-of.ts';
import { defaultGuidingQuestions, type Workshop } from '../domain/workshop.ts';
import type { Database } from '../db/client.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { listenForLiveChanges, liveNotifierOf } from '../db/live-notify.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import { findDocument } from '../db/repositories/document-repository.ts';
import type { KommuneRow } from '../db/repositories/kommune-repository.ts';
import { findKommuneById } from '../db/repositories/kommune-repository.ts';
import { lockKeyForTransaction } from '../db/repositories/lock-repository.ts';
import * as live from '../db/repositories/live-repository.ts';
import type { LiveCardRow, LiveGroupRow, LiveParticipantRow, LiveSessionRow } from '../db/repositories/live-repository.ts';
import type { ServiceContext } from './context.ts';
import { getCurrentCatalog } from './manage-catalogs.ts';
import { parseStoredDocument, saveDocument } from './manage-documents.ts';
import { getRoundResults } from './compute-results.ts';
import { requireKommune } from './require-kommune.ts';
import { startPeriodic } from './periodic.ts';

// ---------------------------------------------------------------------------------------------
// Presenting rows

function settingsOf(row: LiveSessionRow): LiveSessionSettings {
  return {
    fieldKeys: row.fieldKeys,
    questions: row.questions,
    phase: oneOf(livePhases, row.phase, 'Phase der Live-Sitzung'),
    status: oneOf(liveStatuses, row.status, 'Status der Live-Sitzung'),
    locked: row.locked,
    votingOpen: row.votingOpen,
    votesPerParticipant: row.votesPerParticipant,
    maxVotesPerCard: row.maxVotesPerCard,
    retentionDays: row.retentionDays,
  };
}

function questionIndexOf(value: number): LiveQuestionIndex {
  if (value === 0 || value === 1 || value === 2) return value;
  throw new Error(`Unbekannter Wert für die Frage einer Karte: „${value}“`);
}

function presentCard(row: LiveCardRow, votes: number): LiveCard {
  return {
    id: row.id,
    fieldKey: row.fieldKey,
    questionIndex: questionIndexOf(row.questionIndex),
    text: row.text,
    authorName: row.authorName,
    hidden: row.hidden,
    clusterId: row.clusterId,
    mergedIntoId: row.mergedIntoId,
    votes,
    createdAt: row.createdAt.toISOString(),
  };
}

function presentGroup(row: LiveGroupRow): LiveCluster {
  return { id: row.id, fieldKey: row.fieldKey, questionIndex: questionIndexOf(row.questionIndex), heading: row.heading, position: row.position };
}

function presentParticipant(row: LiveParticipantRow): LiveParticipantView {
  return { id: row.id, displayName: row.displayName, nameConsent: row.nameConsent, joinedAt: row.joinedAt.toISOString(), removed: row.removedAt !== null };
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const limited = (message: string, retryAfterSeconds: number) => new DomainError('live-limited', { message, retryAfterSeconds });
const notNow = (message: string) => new DomainError('live-not-now', { message });

// ---------------------------------------------------------------------------------------------
// One change of a session

type Emit = (event: LiveEvent, audience?: LiveAudience) => void;

/**
 * Runs `work` under the session's row lock; the events it emits get the next sequence numbers, are
 * written in the same transaction, and pg_notify wakes the streams of every process at commit (this
 * process's too: on PGlite through announce() after the commit).
 */
async function changeSession<T>(
  context: ServiceContext,
  sessionId: string,
  work: (db: Database, session: LiveSessionRow, emit: Emit) => Promise<T>,
  options: { allowClosed?: boolean } = {},
): Promise<T> {
  const { value, wrote } = await context.db.transaction(async (db) => {
    const session = await live.lockLiveSession(db, sessionId);
    if (!session) throw new DomainError('live-session-not-found');
    if (session.status !== 'offen' && !options.allowClosed) throw new DomainError('live-session-closed');
    const events: { event: LiveEvent; audience: LiveAudience }[] = [];
    const result = await work(db, session, (event, audience = 'all') => events.push({ event, audience }));
    if (events.length > 0) {
      let seq = session.lastEventSeq;
      const now = context.now();
      const rows = events.map(({ event, audience }) => ({ sessionId, seq: ++seq, type: event.type, payload: event, audience, createdAt: now }));
      // Events, the session's last number and the wake-up (pg_notify, delivered at commit) in one statement.
      await live.appendLiveEvents(db, sessionId, rows);
      // Keep the newest events for resuming; a stream further behind gets `reset` and reloads.
      if (Math.floor(seq / 500) > Math.floor(session.lastEventSeq / 500) && seq > liveLimits.retainedEvents) {
        await live.pruneLiveEvents(db, sessionId, seq - liveLimits.retainedEvents);
      }
    }
    return { value: result, wrote: events.length > 0 };
  });
  if (wrote) liveNotifierOf(context.db).announce(sessionId);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Lookups

async function fieldNames(db: Database): Promise<Map<string, string>> {
  const catalog = await getCurrentCatalog(db);
  return new Map((catalog?.catalog.fields ?? []).map((field) => [field.key, field.name]));
}

async function findWorkshop(db: Database, kommuneId: string, workshopId: string): Promise<Workshop | undefined> {
  const stored = await findDocument(db, kommuneId, 'workshops');
  return parseStoredDocument('workshops', stored?.content).workshops.find((workshop) => workshop.id === workshopId);
}

async function requireModeratedSession(context: ServiceContext, actor: Actor, slug: string, id: string) {
  const kommune = await requireKommune(context.db, actor, slug, 'live.moderate');
  const session = await live.findLiveSession(context.db, kommune.id, id);
  if (!session) throw new DomainError('live-session-not-found');
  return { kommune, session };
}

function requireSessionField(session: Pick<LiveSessionRow, 'fieldKeys'>, fieldKey: string): void {
  if (!session.fieldKeys.includes(fieldKey)) throw new DomainError('invalid-input', { field: 'fieldKey', message: 'Dieses Handlungsfeld gehört nicht zur Live-Sitzung.' });
}

export function joinUrlOf(publicUrl: string, code: string): string {
  return `${publicUrl.replace(/\/$/, '')}/live/${formatCode(code)}`;
}

function qrSvgOf(url: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(url);
  qr.make();
  return qr.createSvgTag({ cellSize: 4, margin: 2, scalable: true });
}

// ---------------------------------------------------------------------------------------------
// Moderation

/** The live sessions of a Kommune, newest first, with their counts. */
export async function listLiveSessions(context: ServiceContext, actor: Actor, slug: string) {
  const kommune = await requireKommune(context.db, actor, slug, 'live.moderate');
  const rows = await live.listLiveSessions(context.db, kommune.id);
  return {
    sessions: rows.map(({ session, participantCount, cardCount }) => ({
      id: session.id,
      workshopId: session.workshopId,
      code: session.code,
      status: oneOf(liveStatuses, session.status, 'Status der Live-Sitzung'),
      phase: oneOf(livePhases, session.phase, 'Phase der Live-Sitzung'),
      participantCount,
      cardCount,
      createdAt: session.createdAt.toISOString(),
      closedAt: session.closedAt?.toISOString() ?? null,
    })),
  };
}

/** Opens a live session for a documented workshop: one open session per workshop, a fresh code. */
export async function createLiveSession(
  context: ServiceContext,
  actor: Actor,
  slug: string,
  input: { workshopId: string; fieldKeys: string[]; questions?: [string, string, string]; votesPerParticipant: number; maxVotesPerCard: number; retentionDays: number },
) {
  const kommune = await requireKommune(context.db, actor, slug, 'live.moderate');
  const workshop = await findWorkshop(context.db, kommune.id, input.workshopId);
  if (!workshop) throw new DomainError('workshop-not-found', { field: 'workshopId' });
  const names = await fieldNames(context.db);
  const unknown = input.fieldKeys.find((key) => !names.has(key));
  if (unknown) throw new DomainError('field-unknown', { field: 'fieldKeys' });
  const fromWorkshop = workshop.guidingQuestions.length >= 3 ? workshop.guidingQuestions.slice(0, 3) : defaultGuidingQuestions;
  const questions = input.questions ?? (fromWorkshop as [string, string, string]);
  for (let attempt = 0; ; attempt++) {
    const code = codeFromBytes(randomBytes(10));
    try {
      const session = await context.db.transaction(async (db) => {
        if (await live.findOpenLiveSessionByCode(db, code)) return null;
        const created = await live.insertLiveSession(db, {
          id: randomUUID(),
          kommuneId: kommune.id,
          workshopId: workshop.id,
          roundNumber: workshop.roundNumber,
          code,
          fieldKeys: input.fieldKeys,
          questions,
          votesPerParticipant: input.votesPerParticipant,
          maxVotesPerCard: input.maxVotesPerCard,
          retentionDays: input.retentionDays,
          createdBy: actor.userId,
          createdAt: context.now(),
          updatedAt: context.now(),
        });
        await recordAudit(db, { actorUserId: actor.userId, action: 'live.created', kommuneId: kommune.id, details: { sessionId: created.id, workshopId: workshop.id } });
        return created;
      });
      if (session) return getModerationState(context, actor, slug, session.id);
    } catch (error) {
      if (isUniqueViolation(error, 'live_session_open_workshop_idx')) throw new DomainError('live-session-open-exists');
      if (!isUniqueViolation(error, 'live_session_open_code_idx')) throw error;
    }
    if (attempt >= 5) throw new DomainError('conflict');
  }
}

/** Everything the Moderation's console and the projection show. */
export async function getModerationState(context: ServiceContext, actor: Actor, slug: string, id: string) {
  const { kommune, session: found } = await requireModeratedSession(context, actor, slug, id);
  return moderationStateOf(context, kommune, found.id);
}

async function moderationStateOf(context: ServiceContext, kommune: KommuneRow, sessionId: string) {
  const db = context.db;
  // The sequence number first: a change committed while the rest is read is then replayed, never lost.
  const session = (await live.findLiveSessionById(db, sessionId))!;
  const [cards, groups, participants, totals, names, workshop] = await Promise.all([
    live.listLiveCards(db, session.id),
    live.listLiveGroups(db, session.id),
    live.listLiveParticipants(db, session.id),
    live.voteTotals(db, session.id),
    fieldNames(db),
    findWorkshop(db, kommune.id, session.workshopId),
  ]);
  const joinUrl = joinUrlOf(context.publicUrl, session.code);
  return {
    session: {
      ...settingsOf(session),
      id: session.id,
      workshopId: session.workshopId,
      workshopTitle: workshop?.title ?? '',
      kommuneTitle: kommune.name,
      code: session.code,
      roundNumber: session.roundNumber,
      createdAt: session.createdAt.toISOString(),
      closedAt: session.closedAt?.toISOString() ?? null,
      fields: session.fieldKeys.map((key) => ({ key, name: names.get(key) ?? key })),
    },
    cards: cards.map((card) => presentCard(card, totals.get(card.id) ?? 0)),
    groups: groups.map(presentGroup),
    participants: participants.map(presentParticipant),
    participantCount: participants.filter((participant) => participant.removedAt === null && participant.leftAt === null).length,
    lastEventId: session.lastEventSeq,
    joinUrl,
    qrSvg: qrSvgOf(joinUrl),
  };
}

/** Phase, room lock, voting, questions and limits. */
export async function updateLiveSessionSettings(
  context: ServiceContext,
  actor: Actor,
  slug: string,
  id: string,
  patch: Partial<Pick<LiveSessionSettings, 'phase' | 'locked' | 'votingOpen' | 'questions' | 'votesPerParticipant' | 'maxVotesPerCard' | 'retentionDays'>>,
) {
  const { session } = await requireModeratedSession(context, actor, slug, id);
  return changeSession(context, session.id, async (db, locked, emit) => {
    const votesPerParticipant = patch.votesPerParticipant ?? locked.votesPerParticipant;
    const maxVotesPerCard = patch.maxVotesPerCard ?? locked.maxVotesPerCard;
    if (maxVotesPerCard > votesPerParticipant) {
      throw new DomainError('invalid-input', { field: 'maxVotesPerCard', message: 'Auf eine Karte können nicht mehr Punkte gehen, als jede Person insgesamt hat.' });
    }
    if (votesPerParticipant < locked.votesPerParticipant || maxVotesPerCard < locked.maxVotesPerCard) {
      const refusal = pointLimitRefusal({ votesPerParticipant, maxVotesPerCard }, await live.voteMaxima(db, locked.id));
      if (refusal) throw notNow(refusal);
    }
    const changed = await live.updateLiveSession(db, locked.id, { ...patch, updatedAt: context.now() });
    emit({ type: 'session-changed', session: settingsOf(changed) });
    return settingsOf(changed);
  });
}

const cardsPerSessionMessage = `In dieser Live-Sitzung gibt es schon ${liveLimits.cardsPerSession.toLocaleString('de-DE')} Karten, mehr sind nicht möglich.`;

/** The Moderation adds a card itself (in any phase while the session is open). */
export async function addModerationCard(context: ServiceContext, actor: Actor, slug: string, id: string, input: { fieldKey: string; questionIndex: LiveQuestionIndex; text: string }) {
  const { session } = await requireModeratedSession(context, actor, slug, id);
  requireSessionField(session, input.fieldKey);
  return changeSession(context, session.id, async (db, locked, emit) => {
    if ((await live.countLiveCards(db, locked.id)) >= liveLimits.cardsPerSession) throw limited(cardsPerSessionMessage, 60);
    const row = await live.insertLiveCard(db, { id: randomUUID(), sessionId: locked.id, fieldKey: input.fieldKey, questionIndex: input.questionIndex, text: input.text, createdAt: context.now() });
    const card = presentCard(row, 0);
    emit({ type: 'card-added', card });
    return card;
  });
}

/** Edits, hides, moves or groups a card. Put into a group, a card takes the group's field and question. */
export async function updateLiveCard(
  context: ServiceContext,
  actor: Actor,
  slug: string,
  id: string,
  cardId: string,
  patch: { text?: string; hidden?: boolean; fieldKey?: string; questionIndex?: LiveQuestionIndex; clusterId?: string | null },
) {
  const { session } = await requireModeratedSession(context, actor, slug, id);
  if (patch.fieldKey !== undefined) requireSessionField(session, patch.fieldKey);
  return changeSession(context, session.id, async (db, locked, emit) => {
    const card = await live.findLiveCard(db, locked.id, cardId);
    if (!card) throw new DomainError('live-card-not-found');
    const values: Partial<LiveCardRow> = {};
    if (patch.text !== undefined) values.text = patch.text;
    if (patch.hidden !== undefined) values.hidden = patch.hidden;
    if (patch.fieldKey !== undefined) values.fieldKey = patch.fieldKey;
    if (patch.questionIndex !== undefined) values.questionIndex = patch.questionIndex;
    if (patch.clusterId) {
      const group = await live.findLiveGroup(db, locked.id, patch.clusterId);
      if (!group) throw new DomainError('live-group-not-found');
      Object.assign(values, { clusterId: group.id, fieldKey: group.fieldKey, questionIndex: group.questionIndex });
    } else if (patch.clusterId === null) {
      values.clusterId = null;
    }
    const fieldKey = values.fieldKey ?? card.fieldKey;
    const questionIndex = values.questionIndex ?? card.questionIndex;
    // Moved out of its group's field or question: it leaves the group.
    if (values.clusterId === undefined && card.clusterId && (fieldKey !== card.fieldKey || questionIndex !== card.questionIndex)) values.clusterId = null;
    const changed = await live.updateLiveCard(db, card.id, values);
    // Points exist only on Handlungsbedarfe: moved away from them, or hidden, the card's points are
    // withdrawn and go back to the participants (shown again, it starts at 0).
    const withdraw = card.questionIndex === votingQuestionIndex && (questionIndex !== votingQuestionIndex || (patch.hidden === true && !card.hidden));
    if (withdraw) await live.deleteVotesOnCard(db, card.id);
    const total = (await live.voteTotals(db, locked.id, [card.id])).get(card.id) ?? 0;
    const presented = presentCard(changed, total);
    emit({ type: 'card-changed', card: presented });
    if (withdraw) emit({ type: 'votes-changed', cardId: card.id, total });
    return presented;
  });
}

/**
 * Merges a duplicate into another card: it is no longer shown on its own, its points go to the target
 * (a person keeps at most M there; the rest goes back to them).
 */
export async function mergeLiveCard(context: ServiceContext, actor: Actor, slug: string, id: string, cardId: string, intoCardId: string) {
  const { session } = await requireModeratedSession(context, actor, slug, id);
  return changeSession(context, session.id, async (db, locked, emit) => {
    const cards = await live.listLiveCards(db, locked.id);
    const byId = new Map(cards.map((card) => [card.id, card]));
    if (!byId.has(cardId) || !byId.has(intoCardId)) throw new DomainError('live-card-not-found');
    if (!canMerge(byId, cardId, intoCardId)) throw notNow('Diese Karten lassen sich nicht zusammenführen: Eine Karte kann nicht in sich selbst oder in eine bereits zusammengeführte Karte aufgehen.');
    const followers = cards.filter((card) => card.mergedIntoId === cardId);
    const merged = await live.updateLiveCard(db, cardId, { mergedIntoId: intoCardId, clusterId: null });
    await live.repointMergedCards(db, locked.id, cardId, intoCardId);
    await live.moveVotes(db, locked.id, cardId, intoCardId, locked.maxVotesPerCard);
    const totals = await live.voteTotals(db, locked.id, [intoCardId]);
    emit({ type: 'card-changed', card: presentCard(merged, 0) });
    for (const follower of followers) emit({ type: 'card-changed', card: presentCard({ ...follower, mergedIntoId: intoCardId }, 0) });
    const total = totals.get(intoCardId) ?? 0;
    emit({ type: 'votes-changed', cardId: intoCardId, total });
    return { card: presentCard(merged, 0), into: presentCard(byId.get(intoCardId)!, total) };
  });
}

export async function addLiveGroup(context: ServiceContext, actor: Actor, slug: string, id: string, input: { fieldKey: string; questionIndex: LiveQuestionIndex; heading: string }) {
  const { session } = await requireModeratedSession(context, actor, slug, id);
  requireSessionField(session, input.fieldKey);
  return changeSession(context, session.id, async (db, locked, emit) => {
    const existing = await live.countLiveGroups(db, locked.id);
    if (existing >= liveLimits.groupsPerSession) throw limited(`Eine Live-Sitzung hat höchstens ${liveLimits.groupsPerSession} Gruppen.`, 60);
    const group = presentGroup(await live.insertLiveGroup(db, { id: randomUUID(), sessionId: locked.id, fieldKey: input.fieldKey, questionIndex: input.questionIndex, heading: input.heading, position: existing, createdAt: context.now() }));
    emit({ type: 'group-added', group });
    return group;
  });
}

export async function updateLiveGroup(context: ServiceContext, actor: Actor, slug: string, id: string, groupId: string, patch: { heading?: string; position?: number }) {
  const { session } = await requireModeratedSession(context, actor, slug, id);
  return changeSession(context, session.id, async (db, locked, emit) => {
    if (!(await live.findLiveGroup(db, locked.id, groupId))) throw new DomainError('live-group-not-found');
    const group = presentGroup(await live.updateLiveGroup(db, groupId, patch));
    emit({ type: 'group-changed', group });
    return group;
  });
}

/** Removes a group; its cards stay, ungrouped. */
export async function removeLiveGroup(context: ServiceContext, actor: Actor, slug: string, id: string, groupId: string) {
  const { session } = await requireModeratedSession(context, actor, slug, id);
  return changeSession(context, session.id, async (db, locked, emit) => {
    if (!(await live.findLiveGroup(db, locked.id, groupId))) throw new DomainError('live-group-not-found');
    const ungrouped = await live.deleteLiveGroup(db, locked.id, groupId);
    emit({ type: 'group-removed', groupId });
    const totals = await live.voteTotals(db, locked.id, ungrouped);
    for (const cardId of ungrouped) {
      const card = await live.findLiveCard(db, locked.id, cardId);
      if (card) emit({ type: 'card-changed', card: presentCard(card, totals.get(cardId) ?? 0) });
    }
    return { groupId, ungroupedCardIds: ungrouped };
  });
}

/**
 * Removes a participant: the cookie stops working, the points are withdrawn. The cards stay, unless
 * `hideCards` (spam in the room): then each is hidden, its points withdrawn, as when hiding it by hand.
 */
export async function removeLiveParticipant(context: ServiceContext, actor: Actor, slug: string, id: string, participantId: string, options: { hideCards?: boolean } = {}) {
  const { session } = await requireModeratedSession(context, actor, slug, id);
  return changeSession(context, session.id, async (db, locked, emit) => {
    const participant = await live.findLiveParticipant(db, locked.id, participantId);
    if (!participant) throw new DomainError('live-participant-not-found');
    const changedVotes = new Set<string>();
    if (participant.removedAt === null) {
      await live.updateLiveParticipant(db, participant.id, { removedAt: context.now() });
      for (const cardId of await live.deleteVotesOf(db, participant.id)) changedVotes.add(cardId);
    }
    const hiddenCardIds: string[] = [];
    if (options.hideCards) {
      for (const card of await live.listLiveCards(db, locked.id)) {
        if (card.participantId !== participant.id || card.hidden) continue;
        const changed = await live.updateLiveCard(db, card.id, { hidden: true });
        if (card.questionIndex === votingQuestionIndex) {
          await live.deleteVotesOnCard(db, card.id);
          changedVotes.add(card.id);
        }
        emit({ type: 'card-changed', card: presentCard(changed, 0) });
        hiddenCardIds.push(card.id);
      }
    }
    const totals = await live.voteTotals(db, locked.id, [...changedVotes]);
    for (const cardId of changedVotes) emit({ type: 'votes-changed', cardId, total: totals.get(cardId) ?? 0 });
    if (participant.removedAt === null) {
      emit({ type: 'participant-left', participantId: participant.id, count: (await live.countLiveParticipants(db, locked.id)).present }, 'moderation');
    }
    return { participantId: participant.id, removed: true, hiddenCardIds };
  });
}

/**
 * Closes the session and writes its groups and cards into the workshop's documentation through the
 * document service (version, rules and audit of the workshops document apply): the session's entries are
 * appended to what a field has, a field not yet documented is added, the participant count is set when
 * empty. The session is marked closed first (so two closes cannot both write); if the document cannot
 * be written, it is open again.
 */
export async function closeLiveSession(context: ServiceContext, actor: Actor, slug: string, id: string) {
  const { kommune, session } = await requireModeratedSession(context, actor, slug, id);
  const closedAt = context.now();
  const snapshot = await changeSession(context, session.id, async (db, locked, emit) => {
    const changed = await live.updateLiveSession(db, locked.id, { status: 'beendet', votingOpen: false, locked: true, closedAt, updatedAt: closedAt });
    emit({ type: 'session-changed', session: settingsOf(changed) });
    // One after another: a transaction's connection runs one statement at a time.
    const cards = await live.listLiveCards(db, locked.id);
    const groups = await live.listLiveGroups(db, locked.id);
    const totals = await live.voteTotals(db, locked.id);
    const participantCount = (await live.countLiveParticipants(db, locked.id)).joined;
    return { session: changed, cards: cards.map((card) => presentCard(card, totals.get(card.id) ?? 0)), groups: groups.map(presentGroup), participantCount };
  });
  try {
    const written = await writeDocumentation(context, actor, slug, kommune, snapshot);
    return { workshopId: session.workshopId, cardCount: snapshot.cards.length, participantCount: snapshot.participantCount, ...written };
  } catch (error) {
    await changeSession(
      context,
      session.id,
      async (db, locked, emit) => {
        const reopened = await live.updateLiveSession(db, locked.id, { status: 'offen', closedAt: null, locked: session.locked, votingOpen: session.votingOpen });
        emit({ type: 'session-changed', session: settingsOf(reopened) });
      },
      { allowClosed: true },
    ).catch(() => {});
    throw error;
  }
}

async function writeDocumentation(
  context: ServiceContext,
  actor: Actor,
  slug: string,
  kommune: KommuneRow,
  snapshot: { session: LiveSessionRow; cards: LiveCard[]; groups: LiveCluster[]; participantCount: number },
) {
  const names = await fieldNames(context.db);
  const fields = toWorkshopDocumentation(settingsOf(snapshot.session), snapshot.cards, snapshot.groups);
  // The document may change between reading and writing (someone saves the workshop form): then read again.
  for (let attempt = 0; ; attempt++) {
    const stored = await findDocument(context.db, kommune.id, 'workshops');
    const document = parseStoredDocument('workshops', stored?.content);
    const workshop = document.workshops.find((entry) => entry.id === snapshot.session.workshopId);
    if (!workshop) throw new DomainError('workshop-not-found');
    const overflow = documentationOverflow(fields, workshop.fields, (key) => names.get(key) ?? key);
    if (overflow) throw notNow(overflow);
    const merged = [...workshop.fields];
    for (const field of fields) {
      const index = merged.findIndex((entry) => entry.fieldKey === field.fieldKey);
      if (index === -1) {
        merged.push({ fieldKey: field.fieldKey, qualifier: '', worksWell: field.worksWell, notYet: field.notYet, potentials: '', actionNeeds: field.actionNeeds });
      } else {
        const before = merged[index]!;
        merged[index] = { ...before, worksWell: [...before.worksWell, ...field.worksWell], notYet: [...before.notYet, ...field.notYet], actionNeeds: [...before.actionNeeds, ...field.actionNeeds] };
      }
    }
    const changed = { ...workshop, fields: merged, participantsTotal: workshop.participantsTotal ?? (snapshot.participantCount > 0 ? snapshot.participantCount : null) };
    const content = { ...document, workshops: document.workshops.map((entry) => (entry.id === workshop.id ? changed : entry)) };
    try {
      const saved = await saveDocument(context, actor, slug, 'workshops', { content, expectedVersion: stored?.version ?? 0 });
      return { documentVersion: saved.version };
    } catch (error) {
      if (error instanceof DomainError && error.code === 'stale-version' && attempt < 3) continue;
      throw error;
    }
  }
}

/** Deletes the raw session now (cards, points, participants, events); the documentation stays. */
export async function deleteLiveSession(context: ServiceContext, actor: Actor, slug: string, id: string) {
  const { kommune, session } = await requireModeratedSession(context, actor, slug, id);
  await context.db.transaction(async (db) => {
    await live.deleteLiveSession(db, session.id);
    await live.notifyLive(db, session.id);
    await recordAudit(db, { actorUserId: actor.userId, action: 'live.deleted', kommuneId: kommune.id, details: { sessionId: session.id } });
  });
  liveNotifierOf(context.db).announce(session.id);
  return { deleted: true };
}

/**
 * The projection's first slide: the round's results for the session's fields (the workshop's round, or
 * the Kommune's latest closed round when the workshop names none), taken from the results as computed
 * for the results page; nothing is computed anew. No round yet: no fields.
 */
export async function getStartSlide(context: ServiceContext, actor: Actor, slug: string, id: string) {
  const { session } = await requireModeratedSession(context, actor, slug, id);
  let results: Awaited<ReturnType<typeof getRoundResults>>;
  try {
    results = await getRoundResults(context, actor, slug, session.roundNumber ?? undefined);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'round-not-found') return { roundNumber: null, isProvisional: false, fields: [] };
    throw error;
  }
  return {
    roundNumber: results.round.number,
    isProvisional: results.overall.isProvisional,
    fields: session.fieldKeys.flatMap((key) => {
      const field = results.fields.find((entry) => entry.key === key);
      if (!field) return [];
      const noScoreReason = !field.isWorked
        ? 'In dieser Runde nicht bearbeitet.'
        : field.score === null
          ? 'Noch kein Ergebnis: Es sind nicht genug Kriterien eingeschätzt.'
          : null;
      return [
        {
          key: field.key,
          name: field.name,
          score: field.displayPercent,
          scoreText: field.displayPercent === null ? null : `${field.displayPercent} %`,
          noScoreReason,
          // The level follows the shown percentage, as in scoring.ts's levelIndex.
          level: field.displayPercent === null ? null : (results.levels.filter((entry) => field.displayPercent! >= entry.minScore).at(-1)?.text ?? null),
          isProvisional: field.isProvisional,
          knowledgeGap: field.knowledgeGap,
          criteria: field.criteria.map((criterion) => ({ key: criterion.key, name: criterion.name, symbol: criterion.symbol, label: criterion.ratingLabel })),
        },
      ];
    }),
  };
}

/**
 * The raw session as a table (CSV/XLSX): every card with field, question, group, points, hidden and
 * merged, time; the author's name only where the person agreed (nameConsent).
 */
export async function getLiveExport(context: ServiceContext, actor: Actor, slug: string, id: string) {
  const { kommune, session } = await requireModeratedSession(context, actor, slug, id);
  const [cards, groups, participants, totals, names] = await Promise.all([
    live.listLiveCards(context.db, session.id),
    live.listLiveGroups(context.db, session.id),
    live.listLiveParticipants(context.db, session.id),
    live.voteTotals(context.db, session.id),
    fieldNames(context.db),
  ]);
  const consented = new Map(participants.filter((participant) => participant.nameConsent && participant.displayName).map((participant) => [participant.id, participant.displayName!]));
  const headings = new Map(groups.map((group) => [group.id, group.heading]));
  const texts = new Map(cards.map((card) => [card.id, card.text]));
  const header = ['Handlungsfeld', 'Frage', 'Gruppe', 'Karte', 'Punkte', 'Ausgeblendet', 'Zusammengeführt mit', 'Geschrieben um', 'Von', 'Name'];
  const lines = cards.map((card) => [
    names.get(card.fieldKey) ?? card.fieldKey,
    session.questions[card.questionIndex] ?? String(card.questionIndex + 1),
    card.clusterId ? (headings.get(card.clusterId) ?? '') : '',
    card.text,
    totals.get(card.id) ?? 0,
    card.hidden ? 'ja' : 'nein',
    card.mergedIntoId ? (texts.get(card.mergedIntoId) ?? '') : '',
    card.createdAt.toISOString(),
    card.participantId === null ? 'Moderation' : 'Teilnehmende',
    card.participantId ? (consented.get(card.participantId) ?? '') : '',
  ]);
  await recordAudit(context.db, { actorUserId: actor.userId, action: 'live.exported', kommuneId: kommune.id, details: { sessionId: session.id } });
  return { fileName: `weltoffen-live-sitzung-${kommune.slug}-${session.createdAt.toISOString().slice(0, 10)}`, header, lines };
}

// ---------------------------------------------------------------------------------------------
// Participants

/** The participant behind a cookie's token: 401 without one, 410 when removed, left or the session closed. */
async function requireParticipant(context: ServiceContext, token: string | undefined) {
  if (!token || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new DomainError('live-not-joined');
  const found = await live.findLiveParticipantByToken(context.db, hashToken(token));
  if (!found) throw new DomainError('live-not-joined');
  const { participant, session } = found;
  if (participant.removedAt !== null || participant.leftAt !== null) throw new DomainError('live-participation-ended');
  if (session.status !== 'offen') throw new DomainError('live-participation-ended');
  return { participant, session };
}

/** Under the session's lock: the participant is still in (removal or close may have come meanwhile). */
async function requireStillIn(db: Database, session: LiveSessionRow, participantId: string): Promise<LiveParticipantRow> {
  return stillIn(await live.findLiveParticipant(db, session.id, participantId));
}

function stillIn(participant: LiveParticipantRow | undefined): LiveParticipantRow {
  if (!participant || participant.removedAt !== null || participant.leftAt !== null) throw new DomainError('live-participation-ended');
  return participant;
}

/**
 * Joins by code. Only wrong codes (unknown or ended session) are counted per client address, in the
 * database so every process counts together: over 60 in 10 minutes, every join from that address is
 * refused, also with a correct code, so the limit tells nothing about a code and guessing stays slow.
 * Correct joins are limited only by the session's participant cap (a whole room may share one address).
 * The key is a hash of the address (IPv6: of its /64 network) and is deleted once outside the window.
 */
export async function joinLiveSession(context: ServiceContext, input: { code: string; displayName: string; nameConsent: boolean; clientAddress: string }) {
  const now = context.now();
  const since = new Date(now.getTime() - liveLimits.joinWindowMinutes * 60_000);
  const key = `join:${createHash('sha256').update(addressNetwork(input.clientAddress)).digest('hex')}`;
  // Checked, looked up and (if wrong) counted under the address's lock, committed on its own.
  const found = await context.db.transaction(async (db) => {
    await lockKeyForTransaction(db, `live-${key}`);
    if ((await live.pruneAndCountRateHits(db, key, since)) >= liveLimits.wrongCodesPerAddress) {
      throw limited(
        `Von diesem Netz wurden zu viele falsche Sitzungscodes eingegeben. Bitte warten Sie ${liveLimits.joinWindowMinutes} Minuten; wer schon beigetreten ist, kann weitermachen.`,
        liveLimits.joinWindowMinutes * 60,
      );
    }
    const session = await live.findOpenLiveSessionByCode(db, input.code);
    if (!session) await live.recordRateHit(db, key, now);
    return session;
  });
  if (!found) throw new DomainError('live-code-unknown', { field: 'code' });
  const token = randomBytes(32).toString('base64url');
  const displayName = input.displayName.trim() || null;
  const participant = await changeSession(context, found.id, async (db, locked, emit) => {
    if (locked.locked) throw new DomainError('live-locked');
    // Counted once under the lock: the new person is one more of both.
    const counts = await live.countLiveParticipants(db, locked.id);
    if (counts.joined >= liveLimits.participantsPerSession) {
      throw limited(`An dieser Live-Sitzung nehmen schon ${liveLimits.participantsPerSession} Personen teil, mehr sind nicht möglich.`, 60);
    }
    const row = await live.insertLiveParticipant(db, { id: randomUUID(), sessionId: locked.id, tokenHash: hashToken(token), displayName, nameConsent: displayName !== null && input.nameConsent, joinedAt: now });
    emit({ type: 'participant-joined', participant: presentParticipant(row), count: counts.present + 1 }, 'moderation');
    return row;
  });
  // Now and then the hits of every address outside the window go (each join removes its own already).
  if (Math.random() < 0.05) await live.pruneRateHits(context.db, new Date(now.getTime() - 60 * 60_000));
  return { token, state: await participantStateOf(context, participant.id, found.id) };
}

/** What a participant's phone shows: visible cards without names, groups, the own points. */
export async function getParticipantState(context: ServiceContext, token: string | undefined) {
  const { participant, session } = await requireParticipant(context, token);
  return participantStateOf(context, participant.id, session.id);
}

async function participantStateOf(context: ServiceContext, participantId: string, sessionId: string) {
  const db = context.db;
  // The sequence number first: a change committed while the rest is read is then replayed, never lost.
  const session = (await live.findLiveSessionById(db, sessionId))!;
  const [kommune, cards, groups, totals, mine, names, counts] = await Promise.all([
    findKommuneById(db, session.kommuneId),
    live.listLiveCards(db, session.id),
    live.listLiveGroups(db, session.id),
    live.voteTotals(db, session.id),
    live.votesOf(db, participantId),
    fieldNames(db),
    live.countLiveParticipants(db, session.id),
  ]);
  const workshop = kommune ? await findWorkshop(db, kommune.id, session.workshopId) : undefined;
  const myVotes = Object.fromEntries(mine);
  const spent = [...mine.values()].reduce((sum, value) => sum + value, 0);
  return {
    session: {
      ...settingsOf(session),
      id: session.id,
      // The phone compares it with a scanned QR code of another session.
      code: formatCode(session.code),
      workshopTitle: workshop?.title ?? '',
      kommuneTitle: kommune?.name ?? '',
      fields: session.fieldKeys.map((key) => ({ key, name: names.get(key) ?? key })),
    },
    cards: cards.filter((card) => !card.hidden && card.mergedIntoId === null).map((card) => ({ ...presentCard(card, totals.get(card.id) ?? 0), authorName: null })),
    groups: groups.map(presentGroup),
    myVotes,
    votesLeft: Math.max(0, session.votesPerParticipant - spent),
    lastEventId: session.lastEventSeq,
    participantCount: counts.present,
    myClientIds: cards.filter((card) => card.participantId === participantId && card.clientId !== null).map((card) => card.clientId!),
  };
}

/**
 * Posts a card (only in the phase „Sammeln“). The same clientId again returns the first card, so a
 * phone that resends after a lost answer makes no double. At most 30 cards per participant in 10
 * minutes and 2,000 per session, counted under the session's lock.
 */
export async function postParticipantCard(context: ServiceContext, token: string | undefined, input: { clientId: string; fieldKey: string; questionIndex: LiveQuestionIndex; text: string }) {
  const { participant, session } = await requireParticipant(context, token);
  // A resend is found under the lock only: looking before it too cost every first send a statement.
  const card = await changeSession(context, session.id, async (db, locked, emit) => {
    // Still in (as requireStillIn), and a card already sent with this clientId, in one statement.
    const found = await live.findLiveParticipantWithCard(db, locked.id, participant.id, input.clientId);
    const author = stillIn(found?.participant);
    if (found?.card) return presentCard(found.card, 0);
    requireSessionField(locked, input.fieldKey);
    if (!canPostCard(settingsOf(locked))) throw notNow('Karten können nur in der Phase „Sammeln“ geschrieben werden.');
    const since = new Date(context.now().getTime() - liveLimits.cardWindowMinutes * 60_000);
    const cards = await live.countLiveCardsOfSessionAndParticipant(db, locked.id, participant.id, since);
    if (cards.participant >= liveLimits.cardsPerParticipant) {
      throw limited(`Sie haben in den letzten ${liveLimits.cardWindowMinutes} Minuten ${liveLimits.cardsPerParticipant} Karten geschrieben. Bitte warten Sie ein wenig.`, 60);
    }
    if (cards.session >= liveLimits.cardsPerSession) throw limited(cardsPerSessionMessage, 60);
    const row = await live.insertLiveCard(db, {
      id: randomUUID(),
      sessionId: locked.id,
      participantId: participant.id,
      clientId: input.clientId,
      fieldKey: input.fieldKey,
      questionIndex: input.questionIndex,
      text: input.text,
      authorName: author.displayName,
      createdAt: context.now(),
    });
    const presented = presentCard(row, 0);
    emit({ type: 'card-added', card: presented });
    return presented;
  });
  return { ...card, authorName: null };
}

/** Sets the participant's points on a card (0..M, N in all), while voting is open; 120 changes a minute. */
export async function setParticipantVotes(context: ServiceContext, token: string | undefined, cardId: string, count: number) {
  const { participant, session } = await requireParticipant(context, token);
  return changeSession(context, session.id, async (db, locked, emit) => {
    await requireStillIn(db, locked, participant.id);
    const card = await live.findLiveCard(db, locked.id, cardId);
    if (!card || card.hidden) throw new DomainError('live-card-not-found');
    // The person's points, read once under the session's lock: nothing else changes them meanwhile.
    const mine = await live.votesOf(db, participant.id);
    const current = mine.get(card.id) ?? 0;
    const others = [...mine.entries()].filter(([id]) => id !== card.id).reduce((sum, [, value]) => sum + value, 0);
    const answer = async (mineNow: Map<string, number>) => {
      const spent = [...mineNow.values()].reduce((sum, value) => sum + value, 0);
      return { cardId: card.id, myVotes: Object.fromEntries(mineNow), votesLeft: Math.max(0, locked.votesPerParticipant - spent), total: (await live.voteTotals(db, locked.id, [card.id])).get(card.id) ?? 0 };
    };
    if (count === current) return answer(mine);
    const verdict = canVote(settingsOf(locked), { ...card, questionIndex: questionIndexOf(card.questionIndex) }, count, others);
    if (!verdict.ok) throw notNow(voteRefusalMessages[verdict.reason]);
    const since = new Date(context.now().getTime() - 60_000);
    if (!(await live.recordRateHitWithin(db, `vote:${participant.id}`, context.now(), since, liveLimits.voteChangesPerMinute))) {
      throw limited('Sie haben Ihre Punkte sehr oft in kurzer Zeit geändert. Bitte warten Sie eine Minute.', 60);
    }
    await live.setVote(db, { sessionId: locked.id, participantId: participant.id, cardId: card.id, count });
    const after = new Map(mine);
    if (count === 0) after.delete(card.id);
    else after.set(card.id, count);
    const result = await answer(after);
    emit({ type: 'votes-changed', cardId: card.id, total: result.total });
    return result;
  });
}

/** Leaves the session: the cookie is cleared by the route; cards and points stay. */
export async function leaveLiveSession(context: ServiceContext, token: string | undefined) {
  const { participant, session } = await requireParticipant(context, token);
  await changeSession(context, session.id, async (db, locked, emit) => {
    await live.updateLiveParticipant(db, participant.id, { leftAt: context.now() });
    emit({ type: 'participant-left', participantId: participant.id, count: (await live.countLiveParticipants(db, locked.id)).present }, 'moderation');
  });
  return { left: true };
}

// ---------------------------------------------------------------------------------------------
// Streams

export interface LiveStreamTarget {
  sessionId: string;
  /** Set for a participant's stream: it ends when the person is removed or has left. */
  participantId: string | null;
}

/** The Moderation's stream (everything); `lastEventId` is where a stream without a given id starts. */
export async function openModerationStream(context: ServiceContext, actor: Actor, slug: string, id: string): Promise<LiveStreamTarget & { lastEventId: number }> {
  const { session } = await requireModeratedSession(context, actor, slug, id);
  return { sessionId: session.id, participantId: null, lastEventId: session.lastEventSeq };
}

/** A participant's stream (no hidden cards, no names, no participant events). */
export async function openParticipantStream(context: ServiceContext, token: string | undefined): Promise<LiveStreamTarget & { lastEventId: number }> {
  const { participant, session } = await requireParticipant(context, token);
  return { sessionId: session.id, participantId: participant.id, lastEventId: session.lastEventSeq };
}

/** One event as a stream sends it. */
export interface LiveStreamEvent {
  id: number;
  type: string;
  data: unknown;
}

export type LiveStreamRead =
  | { kind: 'events'; events: LiveStreamEvent[]; lastId: number; more: boolean }
  | { kind: 'reset'; lastId: number }
  | { kind: 'end' };

/**
 * What a stream sends next: the events after `after` for its audience, in order (at most 500 at a time;
 * the caller reads again until none are left). `reset` when `after` is not a point of this session's
 * history that is still kept (ahead of it, or older than the retained events); `end` when the session is
 * gone or, for a participant, the participation has ended or the session is closed and everything sent.
 */
export async function readLiveEvents(context: ServiceContext, target: LiveStreamTarget, after: number): Promise<LiveStreamRead> {
  const session = await live.findLiveSessionById(context.db, target.sessionId);
  if (!session) return { kind: 'end' };
  if (target.participantId) {
    const participant = await live.findLiveParticipant(context.db, session.id, target.participantId);
    if (!participant || participant.removedAt !== null || participant.leftAt !== null) return { kind: 'end' };
  }
  if (after > session.lastEventSeq) return { kind: 'reset', lastId: session.lastEventSeq };
  if (after === session.lastEventSeq) return session.status === 'offen' || !target.participantId ? { kind: 'events', events: [], lastId: after, more: false } : { kind: 'end' };
  const oldest = await live.oldestLiveEventSeq(context.db, session.id);
  if (oldest === null || oldest > after + 1) return { kind: 'reset', lastId: session.lastEventSeq };
  const rows = await live.listLiveEventsAfter(context.db, session.id, after, target.participantId !== null, 500);
  // A card hidden since is not replayed to participants with its text, only as hidden.
  const cardIds = rows.flatMap((row) => (row.type === 'card-added' || row.type === 'card-changed' ? [(row.payload as { card: { id: string } }).card.id] : []));
  const hiddenNow = target.participantId ? await live.hiddenLiveCardIds(context.db, session.id, cardIds) : new Set<string>();
  const events: LiveStreamEvent[] = [];
  for (const row of rows) {
    const event = row.payload as LiveEvent;
    let shown = target.participantId ? eventForParticipants(event) : event;
    if (shown && (shown.type === 'card-added' || shown.type === 'card-changed') && hiddenNow.has(shown.card.id)) {
      shown = shown.type === 'card-added' ? null : { type: 'card-changed', card: { id: shown.card.id, hidden: true } };
    }
    if (shown) events.push({ id: row.seq, type: shown.type, data: shown });
  }
  // Everything up to the session's last id (read before the events) was committed and is in `rows`
  // unless it was for the Moderation only: a participant stream has then sent all of it.
  const lastId = rows.length === 500 ? rows.at(-1)!.seq : Math.max(rows.at(-1)?.seq ?? after, session.lastEventSeq);
  return { kind: 'events', events, lastId, more: rows.length === 500 };
}

/**
 * The fan-out of this process: on PostgreSQL one LISTEN connection (several processes show the same
 * room), on PGlite the in-process wake-up after each commit (nothing to start).
 */
export async function startLiveFanOut(context: ServiceContext, databaseUrl: string | undefined): Promise<void> {
  if (databaseUrl) await listenForLiveChanges(context.db, databaseUrl, context.log);
}

/** Ends every live stream of this process and the LISTEN connection (server shutdown). */
export async function endLiveStreams(context: ServiceContext): Promise<void> {
  await liveNotifierOf(context.db).close();
}

/**
 * The retention of live sessions: a closed session is deleted `retentionDays` after its close (the audit
 * log keeps that it was, without content); an open session without any change for 30 days is closed
 * first (its documentation written in the name of the person who opened it; if that account is gone, it
 * is closed without documentation) and then follows the same rule. Safe with several processes: a close
 * runs under the session's row lock (the second finds it closed), a delete of a deleted session does nothing.
 */
export async function sweepLiveSessions(context: ServiceContext): Promise<{ closed: number; deleted: number }> {
  const now = context.now();
  const idleBefore = new Date(now.getTime() - liveLimits.idleDaysBeforeClose * 86_400_000);
  const { toDelete, toClose } = await live.findExpiredLiveSessions(context.db, now, idleBefore);
  let closed = 0;
  for (const session of toClose) {
    const kommune = await findKommuneById(context.db, session.kommuneId);
    if (!kommune) continue;
    try {
      if (session.createdBy) {
        const actor: Actor = { userId: session.createdBy, programmeRole: 'programmteam', assignedKommuneIds: [], memberships: [] };
        await closeLiveSession(context, actor, kommune.slug, session.id);
      } else {
        await changeSession(context, session.id, async (db, locked, emit) => {
          const changed = await live.updateLiveSession(db, locked.id, { status: 'beendet', votingOpen: false, locked: true, closedAt: now, updatedAt: now });
          emit({ type: 'session-changed', session: settingsOf(changed) });
        });
      }
      closed += 1;
      await recordAudit(context.db, { actorUserId: null, action: 'live.closed-idle', kommuneId: kommune.id, details: { sessionId: session.id } });
    } catch (error) {
      // Closed meanwhile by someone else, or the documentation does not fit: tried again at the next sweep.
      if (!(error instanceof DomainError)) throw error;
      if (error.code !== 'live-session-closed') context.log(`Live-Sitzung nach 30 Tagen ohne Änderung nicht beendet: ${error.code}`, 'warn');
    }
  }
  for (const id of toDelete) {
    const session = await live.findLiveSessionById(context.db, id);
    if (!session) continue;
    await context.db.transaction(async (db) => {
      await live.deleteLiveSession(db, id);
      await live.notifyLive(db, id);
      await recordAudit(db, { actorUserId: null, action: 'live.deleted-after-retention', kommuneId: session.kommuneId, details: { sessionId: id, retentionDays: session.retentionDays } });
    });
    liveNotifierOf(context.db).announce(id);
  }
  await live.pruneRateHits(context.db, new Date(now.getTime() - 60 * 60_000));
  return { closed, deleted: toDelete.length };
}

/** Runs the retention sweep now and then every `intervalMs` (the server's timer; stop() ends it). */
export function startLiveRetention(context: ServiceContext, intervalMs = 60 * 60_000): { stop(): void } {
  return startPeriodic(context, 'Aufräumen der Live-Sitzungen fehlgeschlagen', () => sweepLiveSessions(context), intervalMs);
}

// ---------------------------------------------------------------------------------------------
// The shared reader: one per session and process

interface FeedEvent {
  seq: number;
  audience: string;
  event: LiveEvent;
}

/**
 * What a stream does with the events it is due: send them in order (all that are due at once, in one
 * call: one write per wake-up instead of one per event), or end.
 */
export interface LiveFollower {
  send(events: readonly LiveStreamEvent[]): Promise<void>;
  end(): void;
}

/**
 * An event as participants see it, worked out once for all streams of the process: the kept events are
 * never changed (an edited text replaces the event), so the view of one stays right. The same object
 * for every stream also lets the stream's writer serialise it once (route.ts).
 */
const participantViews = new WeakMap<LiveEvent, ReturnType<typeof eventForParticipants>>();
function participantViewOf(event: LiveEvent): ReturnType<typeof eventForParticipants> {
  if (participantViews.has(event)) return participantViews.get(event)!;
  const view = eventForParticipants(event);
  participantViews.set(event, view);
  return view;
}

interface SessionFeed {
  /** The newest events in order, contiguous, ending at `lastSeq`. */
  events: FeedEvent[];
  lastSeq: number;
  gone: boolean;
  closed: boolean;
  /** Cards hidden now (as far as this reader has read): never replayed to participants with their text. */
  hidden: Set<string>;
  wakes: Set<() => void>;
  reading: Promise<void> | null;
  again: boolean;
  unsubscribe: () => void;
}

const feedSize = 2000;
const feeds = new WeakMap<Database, Map<string, SessionFeed>>();

function feedsOf(db: Database): Map<string, SessionFeed> {
  let map = feeds.get(db);
  if (!map) {
    map = new Map();
    feeds.set(db, map);
  }
  return map;
}

/** The index of the first kept event after `seq` (events.length if none): a binary search, the events being in order of seq. */
export function firstAfter(events: readonly { seq: number }[], seq: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (events[middle]!.seq <= seq) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Reads what is new for the session once, for every stream of this process (coalescing wake-ups). */
function refreshFeed(context: ServiceContext, sessionId: string, feed: SessionFeed): Promise<void> {
  if (feed.reading) {
    feed.again = true;
    return feed.reading;
  }
  feed.reading = (async () => {
    try {
      do {
        feed.again = false;
        const session = await live.findLiveSessionById(context.db, sessionId);
        if (!session) {
          feed.gone = true;
          break;
        }
        feed.closed = session.status !== 'offen';
        // A new reader starts at the present; streams behind it catch up from the table.
        if (feed.lastSeq < 0) feed.lastSeq = session.lastEventSeq;
        while (feed.lastSeq < session.lastEventSeq) {
          const rows = await live.listLiveEventsAfter(context.db, sessionId, feed.lastSeq, false, 500);
          if (rows.length === 0 || rows[0]!.seq !== feed.lastSeq + 1) {
            // Pruned meanwhile: the cache starts again from here; streams behind it read from the table.
            feed.events = [];
            feed.lastSeq = rows.length ? rows[0]!.seq - 1 : session.lastEventSeq;
            if (rows.length === 0) break;
          }
          for (const row of rows) {
            const event = row.payload as LiveEvent;
            if (event.type === 'card-changed') {
              // As in the table (updateLiveCard): an edited text replaces the old one in the kept events.
              const { id, text } = event.card;
              feed.events = feed.events.map((entry) =>
                (entry.event.type === 'card-added' || entry.event.type === 'card-changed') && entry.event.card.id === id && entry.event.card.text !== text
                  ? { ...entry, event: { ...entry.event, card: { ...entry.event.card, text } } }
                  : entry,
              );
              if (event.card.hidden) feed.hidden.add(id);
              else feed.hidden.delete(id);
            }
            feed.events.push({ seq: row.seq, audience: row.audience, event });
          }
          feed.lastSeq = rows.at(-1)!.seq;
        }
        if (feed.events.length > feedSize) feed.events = feed.events.slice(-feedSize);
      } while (feed.again);
    } finally {
      feed.reading = null;
    }
    for (const wake of [...feed.wakes]) wake();
  })();
  return feed.reading;
}

/**
 * Follows a session for one stream from `from` on: catches up from the table (readLiveEvents: reset,
 * hidden cards, audience), then takes new events from the session's shared reader in this process,
 * which reads each change once for all its streams. Ends the stream when the session is deleted, or for
 * a participant when the person is removed or has left, or after the close once everything is sent.
 * Returns `stop` (the stream closed) and `poke` (the heartbeat: read once more, in case a wake-up was lost).
 */
export function followLiveSession(context: ServiceContext, target: LiveStreamTarget, from: number, follower: LiveFollower): { stop(): void; poke(): void } {
  const map = feedsOf(context.db);
  let feed = map.get(target.sessionId);
  if (!feed) {
    const created: SessionFeed = { events: [], lastSeq: -1, gone: false, closed: false, hidden: new Set(), wakes: new Set(), reading: null, again: false, unsubscribe: () => {} };
    created.unsubscribe = liveNotifierOf(context.db).subscribe(
      target.sessionId,
      () => void refreshFeed(context, target.sessionId, created).catch(() => {}),
      // Server shutdown: every stream of the session ends.
      () => {
        created.gone = true;
        for (const wake of [...created.wakes]) wake();
      },
    );
    map.set(target.sessionId, created);
    feed = created;
  }
  const shared = feed;
  let lastSent = from;
  let stopped = false;
  let busy = false;
  let pending = false;

  const stop = () => {
    if (stopped) return;
    stopped = true;
    shared.wakes.delete(onWake);
    if (shared.wakes.size === 0) {
      shared.unsubscribe();
      map.delete(target.sessionId);
    }
  };
  const finish = () => {
    stop();
    follower.end();
  };

  const deliver = async (): Promise<void> => {
    if (shared.gone) return finish();
    const first = shared.events[0];
    if (shared.lastSeq < 0 || !first || lastSent < first.seq - 1 || lastSent > shared.lastSeq) {
      // Not (or no longer) in the shared reader: from the table, as a reconnect does.
      for (;;) {
        const read = await readLiveEvents(context, target, lastSent);
        if (stopped) return;
        if (read.kind === 'end') return finish();
        if (read.kind === 'reset') {
          await follower.send([{ id: read.lastId, type: 'reset', data: {} }]);
          lastSent = read.lastId;
          return;
        }
        if (read.events.length) await follower.send(read.events);
        lastSent = read.lastId;
        if (!read.more) return;
      }
    }
    // The kept events are in order of seq: start after the last one sent instead of walking past up to
    // feedSize sent ones, which every stream did on every wake-up (a fifth of the server's CPU with 100
    // phones in the room's benchmark).
    // Everything due goes in one send: with 100 phones each event was a write on 102 streams.
    const events = shared.events;
    const due: LiveStreamEvent[] = [];
    let left = false;
    let upTo = lastSent;
    for (let index = firstAfter(events, lastSent); index < events.length; index++) {
      const entry = events[index]!;
      if (target.participantId) {
        if (entry.event.type === 'participant-left' && entry.event.participantId === target.participantId) {
          left = true;
          break;
        }
        let shown = entry.audience === 'all' ? participantViewOf(entry.event) : null;
        if (shown && (shown.type === 'card-added' || shown.type === 'card-changed') && shared.hidden.has(shown.card.id)) {
          shown = shown.type === 'card-added' ? null : { type: 'card-changed', card: { id: shown.card.id, hidden: true } };
        }
        if (shown) due.push({ id: entry.seq, type: shown.type, data: shown });
      } else {
        due.push({ id: entry.seq, type: entry.event.type, data: entry.event });
      }
      upTo = entry.seq;
    }
    if (stopped) return;
    if (due.length) await follower.send(due);
    if (stopped) return;
    lastSent = upTo;
    if (left) return finish();
    if (target.participantId && shared.closed && lastSent >= shared.lastSeq) finish();
  };

  async function onWake(): Promise<void> {
    if (stopped) return;
    if (busy) {
      pending = true;
      return;
    }
    busy = true;
    try {
      do {
        pending = false;
        await deliver();
      } while (pending && !stopped);
    } catch (error) {
      context.log(`Live-Sitzung: Ereignisstrom abgebrochen (${(error as Error).name}).`, 'warn');
      finish();
    } finally {
      busy = false;
    }
  }

  shared.wakes.add(onWake);
  const poke = () => void refreshFeed(context, target.sessionId, shared).catch(() => finish());
  // The first read: the shared reader catches up (once for all streams), then this stream sends.
  poke();
  return { stop, poke };
}
