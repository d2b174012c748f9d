import {
  normaliseCode,
  votingQuestionIndex,
  type LiveCard,
  type LiveCluster,
  type LiveEvent,
  type LiveParticipantView,
  type LiveSessionSettings,
} from '../../../domain/live-session.ts';
import type { ModerationState, ParticipantState } from '../../api/live.ts';

/**
 * What a screen of the live session shows, kept up to date by the session's events: the participant
 * view, the Moderation and the projection all hold one. A participant's room has no hidden cards, no
 * author names and no participant list (only the count).
 */
export interface LiveRoom {
  settings: LiveSessionSettings;
  cards: LiveCard[];
  groups: LiveCluster[];
  /** The Moderation's list; null on a participant's phone. */
  participants: LiveParticipantView[] | null;
  participantCount: number;
  /** The id of the last event applied (the state's `lastEventId` at first). */
  lastEventId: number;
}

/** An event as a stream delivers it; participant streams also carry these two shapes. */
export type RoomEvent =
  | LiveEvent
  | { type: 'card-changed'; card: { id: string; hidden: true } }
  | { type: 'participant-count'; count: number };

function upsert<T extends { id: string }>(items: readonly T[], item: T): T[] {
  const index = items.findIndex((existing) => existing.id === item.id);
  if (index < 0) return [...items, item];
  const copy = [...items];
  copy[index] = { ...copy[index]!, ...item };
  return copy;
}

const isFullCard = (card: LiveCard | { id: string; hidden: true }): card is LiveCard => 'text' in card;

/**
 * Applies one event. Events up to `lastEventId` were applied already (a stream replays from the
 * last id it was given, a reconnect may overlap): they change nothing. `reset` means the events in
 * between are gone: the screen loads the state again.
 */
export function applyLiveEvent(room: LiveRoom, id: number, event: RoomEvent): LiveRoom | 'reset' {
  if (event.type === 'reset') return 'reset';
  if (id <= room.lastEventId) return room;
  const next: LiveRoom = { ...room, lastEventId: id };
  switch (event.type) {
    case 'card-added':
      return { ...next, cards: upsert(room.cards, event.card) };
    case 'card-changed': {
      const card = event.card;
      // A participant's phone never holds a hidden card: it learns only that the card went away.
      if (!isFullCard(card) || (room.participants === null && card.hidden)) return { ...next, cards: room.cards.filter((existing) => existing.id !== card.id) };
      return { ...next, cards: upsert(room.cards, card) };
    }
    case 'group-added':
    case 'group-changed':
      return { ...next, groups: upsert(room.groups, event.group) };
    case 'group-removed':
      return {
        ...next,
        groups: room.groups.filter((group) => group.id !== event.groupId),
        cards: room.cards.map((card) => (card.clusterId === event.groupId ? { ...card, clusterId: null } : card)),
      };
    case 'votes-changed':
      return { ...next, cards: room.cards.map((card) => (card.id === event.cardId ? { ...card, votes: event.total } : card)) };
    case 'session-changed':
      return { ...next, settings: { ...room.settings, ...event.session } };
    case 'participant-joined':
      return { ...next, participantCount: event.count, participants: room.participants ? upsert(room.participants, event.participant) : null };
    case 'participant-left':
      return {
        ...next,
        participantCount: event.count,
        participants: room.participants?.map((person) => (person.id === event.participantId ? { ...person, removed: true } : person)) ?? null,
      };
    case 'participant-count':
      return { ...next, participantCount: event.count };
  }
}

/** The cards shown as cards: neither hidden nor merged into another. */
export function shownCards(room: Pick<LiveRoom, 'cards'>): LiveCard[] {
  return room.cards.filter((card) => !card.hidden && card.mergedIntoId === null);
}

export interface QuestionBoard {
  questionIndex: number;
  question: string;
  groups: { group: LiveCluster; cards: LiveCard[] }[];
  ungrouped: LiveCard[];
}

/**
 * The cards of one Handlungsfeld by question, each question with its groups (in their order, empty
 * groups kept so the Moderation sees them) and then the cards in no group, oldest first.
 */
export function boardOf(room: Pick<LiveRoom, 'cards' | 'groups' | 'settings'>, fieldKey: string, cards: readonly LiveCard[] = shownCards(room)): QuestionBoard[] {
  return room.settings.questions.map((question, questionIndex) => {
    const inQuestion = cards
      .filter((card) => card.fieldKey === fieldKey && card.questionIndex === questionIndex)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const groups = room.groups
      .filter((group) => group.fieldKey === fieldKey && group.questionIndex === questionIndex)
      .sort((a, b) => a.position - b.position || a.heading.localeCompare(b.heading, 'de'))
      .map((group) => ({ group, cards: inQuestion.filter((card) => card.clusterId === group.id) }));
    const groupIds = new Set(groups.map((entry) => entry.group.id));
    return { questionIndex, question, groups, ungrouped: inQuestion.filter((card) => card.clusterId === null || !groupIds.has(card.clusterId)) };
  });
}

/**
 * The Handlungsbedarfe of the session ranked by points; ties keep the order of posting. A merge moves
 * the merged card's points to its target on the server, so a card's `votes` is already its total.
 */
export function rankedNeeds(room: Pick<LiveRoom, 'cards'>, fieldKey?: string): { card: LiveCard; points: number }[] {
  return votableCards(room)
    .filter((card) => fieldKey === undefined || card.fieldKey === fieldKey)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((card) => ({ card, points: card.votes }))
    .sort((a, b) => b.points - a.points);
}

/** The settings of a state's session (JSON turns the three questions into a plain list). */
function settingsOf(session: Omit<LiveSessionSettings, 'questions'> & { questions: readonly string[] }): LiveSessionSettings {
  const [worksWell = '', notYet = '', needs = ''] = session.questions;
  return {
    fieldKeys: session.fieldKeys,
    questions: [worksWell, notYet, needs],
    phase: session.phase,
    status: session.status,
    locked: session.locked,
    votingOpen: session.votingOpen,
    votesPerParticipant: session.votesPerParticipant,
    maxVotesPerCard: session.maxVotesPerCard,
    retentionDays: session.retentionDays,
  };
}

/** The room of a participant's state: no participant list, only the count. */
export function participantRoom(state: ParticipantState): LiveRoom {
  return { settings: settingsOf(state.session), cards: state.cards, groups: state.groups, participants: null, participantCount: state.participantCount ?? 0, lastEventId: state.lastEventId };
}

/** The room of the Moderation's state. */
export function moderationRoom(state: ModerationState): LiveRoom {
  return {
    settings: settingsOf(state.session),
    cards: state.cards,
    groups: state.groups,
    participants: state.participants,
    participantCount: state.participantCount,
    lastEventId: state.lastEventId,
  };
}


/**
 * Whether a phone that already takes part in one session opened the link of another (a second QR
 * code): then it asks before it leaves. A code that is no code at all is left to the join form.
 */
export function isOtherSession(linkCode: string, currentCode: string): boolean {
  const link = normaliseCode(linkCode);
  return link !== null && link !== normaliseCode(currentCode);
}

/** The cards that take points now: Handlungsbedarfe, shown, not merged into another. */
export function votableCards(room: Pick<LiveRoom, 'cards'>): LiveCard[] {
  return shownCards(room).filter((card) => card.questionIndex === votingQuestionIndex);
}

/**
 * The cards one's own points are on that no longer take points (merged into another, hidden, moved away
 * from the Handlungsbedarfe): the server moved or withdrew those points, so the phone loads its own
 * points again. Sorted, so that the same cards give the same answer.
 */
export function votesMovedAway(room: LiveRoom, myVotes: Readonly<Record<string, number>>): string[] {
  const votable = new Set(votableCards(room).map((card) => card.id));
  return Object.entries(myVotes)
    .filter(([cardId, count]) => count > 0 && !votable.has(cardId))
    .map(([cardId]) => cardId)
    .sort();
}
