/**
 * The live session of a workshop (issue 16): participants post cards from their phones, the
 * Moderation orders them into groups, participants give points on the Handlungsbedarfe, and at the
 * close the groups and cards become the workshop documentation. Pure types and rules; the tables are
 * live_session, live_participant, live_card, live_group, live_vote and live_event (src/db/schema.ts).
 */
import type { ActionNeed } from './workshop.ts';

/** The phases in the order a workshop goes through them; a session may jump between them. */
export const livePhases = ['ergebnisse', 'sammeln', 'ordnen', 'priorisieren'] as const;
export type LivePhase = (typeof livePhases)[number];

export const livePhaseLabels: Record<LivePhase, string> = {
  ergebnisse: 'Ergebnisse ansehen',
  sammeln: 'Sammeln',
  ordnen: 'Ordnen',
  priorisieren: 'Priorisieren',
};

export const liveStatuses = ['offen', 'beendet'] as const;
export type LiveStatus = (typeof liveStatuses)[number];
export const liveStatusLabels: Record<LiveStatus, string> = { offen: 'Offen', beendet: 'Beendet' };

/** The three guiding questions: index 0 „läuft gut“, 1 „läuft noch nicht so gut“, 2 „Handlungsbedarfe“. */
export const liveQuestionIndexes = [0, 1, 2] as const;
export type LiveQuestionIndex = (typeof liveQuestionIndexes)[number];
/** Points are given only on the cards of this question. */
export const votingQuestionIndex = 2;

export const liveLimits = {
  fieldKeys: { min: 1, max: 7 },
  questionLength: 300,
  cardLength: 280,
  headingLength: 120,
  displayNameLength: 40,
  votesPerParticipant: { min: 1, max: 20, default: 5 },
  maxVotesPerCard: { min: 1, default: 3 },
  retentionDays: { min: 1, max: 365, default: 30 },
  /**
   * Wrong codes (unknown or ended session) per client address in the window; over it, every join from
   * the address is refused, also with a correct code (else the limit would tell which code is right).
   * Correct joins are not counted: a whole room may share one address (guest Wi-Fi); they are limited by
   * `participantsPerSession`. The address is kept only as a hash and only for the window; IPv6 counts
   * per /64 network (`addressNetwork`).
   */
  wrongCodesPerAddress: 60,
  joinWindowMinutes: 10,
  participantsPerSession: 300,
  /** Cards per participant in the window. */
  cardsPerParticipant: 30,
  cardWindowMinutes: 10,
  cardsPerSession: 2000,
  /** Changes of a participant's points per minute. */
  voteChangesPerMinute: 120,
  groupsPerSession: 300,
  /** Events kept for resuming a stream; an older Last-Event-ID gets `reset`. */
  retainedEvents: 5000,
  /** Seconds between heartbeat comments on a stream. */
  heartbeatSeconds: 15,
  /** An open session without any change for this many days is closed by the clean-up. */
  idleDaysBeforeClose: 30,
} as const;

// ---------------------------------------------------------------------------------------------
// Sitzungscode

/** 32 characters without look-alikes (no I, O, 0, 1): 5 bits each. */
export const codeAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** 10 characters: 50 bits. */
export const codeLength = 10;

/** A code from 10 random bytes (pass crypto-random bytes; 256 is a multiple of 32, so no bias). */
export function codeFromBytes(bytes: Uint8Array): string {
  if (bytes.length < codeLength) throw new Error('codeFromBytes needs 10 bytes');
  let code = '';
  for (let index = 0; index < codeLength; index++) code += codeAlphabet[bytes[index]! % codeAlphabet.length];
  return code;
}

/**
 * What a person typed, as the stored code: case-insensitive, spaces and dashes ignored; the
 * look-alikes O/0 → nothing to guess (they are not in the alphabet, so such input is simply invalid).
 * Returns null when it cannot be a code.
 */
export function normaliseCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s\-‐‑–—]/g, '');
  if (code.length !== codeLength) return null;
  for (const character of code) if (!codeAlphabet.includes(character)) return null;
  return code;
}

/** The code as shown: `ABCD-EFGH-JK`. */
export function formatCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

// ---------------------------------------------------------------------------------------------
// Shapes

export interface LiveSessionSettings {
  fieldKeys: string[];
  questions: [string, string, string];
  phase: LivePhase;
  status: LiveStatus;
  locked: boolean;
  votingOpen: boolean;
  votesPerParticipant: number;
  maxVotesPerCard: number;
  retentionDays: number;
}

export interface LiveCard {
  id: string;
  fieldKey: string;
  questionIndex: LiveQuestionIndex;
  text: string;
  /** The display name; only in the Moderation's view and only if given. */
  authorName: string | null;
  hidden: boolean;
  clusterId: string | null;
  /** A merged duplicate points at the card it went into; its points count there. */
  mergedIntoId: string | null;
  /** Points on this card itself (a target's total adds its merged cards: see cardTotals). */
  votes: number;
  createdAt: string;
}

export interface LiveCluster {
  id: string;
  fieldKey: string;
  questionIndex: LiveQuestionIndex;
  heading: string;
  position: number;
}

export interface LiveParticipantView {
  id: string;
  displayName: string | null;
  nameConsent: boolean;
  joinedAt: string;
  removed: boolean;
}

/** One participant's points on one card. */
export interface LiveVote {
  participantId: string;
  cardId: string;
  count: number;
}

// ---------------------------------------------------------------------------------------------
// Events

/** Who receives an event: every stream, or only the Moderation's. */
export const liveAudiences = ['all', 'moderation'] as const;
export type LiveAudience = (typeof liveAudiences)[number];

/** A card as participants see it: no author, never hidden. */
export type LivePublicCard = Omit<LiveCard, 'authorName' | 'hidden'>;

export type LiveEvent =
  | { type: 'card-added'; card: LiveCard }
  | { type: 'card-changed'; card: LiveCard }
  | { type: 'group-added'; group: LiveCluster }
  | { type: 'group-changed'; group: LiveCluster }
  | { type: 'group-removed'; groupId: string }
  | { type: 'votes-changed'; cardId: string; total: number }
  | { type: 'session-changed'; session: LiveSessionSettings }
  | { type: 'participant-joined'; participant: LiveParticipantView; count: number }
  | { type: 'participant-left'; participantId: string; count: number }
  | { type: 'reset' };
export type LiveEventType = LiveEvent['type'];
export const liveEventTypes = [
  'card-added',
  'card-changed',
  'group-added',
  'group-changed',
  'group-removed',
  'votes-changed',
  'session-changed',
  'participant-joined',
  'participant-left',
  'reset',
] as const satisfies readonly LiveEventType[];

/** A card-changed on a hidden card reaches participants as this: they drop it from their view. */
export interface LiveHiddenCard {
  id: string;
  hidden: true;
}

/**
 * What a participant stream carries of an event, or null when it does not get it: no author names,
 * hidden cards only as „hidden“ (so the phone removes it), no participant events (Moderation only).
 */
export function eventForParticipants(event: LiveEvent): LiveEvent | { type: 'card-changed'; card: LiveHiddenCard } | null {
  switch (event.type) {
    case 'card-added':
      return event.card.hidden ? null : { type: 'card-added', card: { ...event.card, authorName: null } };
    case 'card-changed':
      return event.card.hidden ? { type: 'card-changed', card: { id: event.card.id, hidden: true } } : { type: 'card-changed', card: { ...event.card, authorName: null } };
    case 'participant-joined':
    case 'participant-left':
      return null;
    default:
      return event;
  }
}

// ---------------------------------------------------------------------------------------------
// Rules

/** Whether a participant may post a card now (the Moderation may add cards in any phase while open). */
export function canPostCard(session: Pick<LiveSessionSettings, 'status' | 'phase'>): boolean {
  return session.status === 'offen' && session.phase === 'sammeln';
}

export type VoteRefusal = 'closed' | 'voting-closed' | 'not-votable' | 'per-card' | 'total';

/**
 * The point rule: while the session is open and voting is open, on a visible, unmerged card of
 * question 2, a participant gives 0..M points to one card and at most N in all.
 * `otherVotes` is the participant's points on all other cards.
 */
export function canVote(
  session: Pick<LiveSessionSettings, 'status' | 'votingOpen' | 'votesPerParticipant' | 'maxVotesPerCard'>,
  card: Pick<LiveCard, 'questionIndex' | 'hidden' | 'mergedIntoId'>,
  count: number,
  otherVotes: number,
): { ok: true } | { ok: false; reason: VoteRefusal } {
  if (session.status !== 'offen') return { ok: false, reason: 'closed' };
  if (!session.votingOpen) return { ok: false, reason: 'voting-closed' };
  if (card.questionIndex !== votingQuestionIndex || card.hidden || card.mergedIntoId !== null) return { ok: false, reason: 'not-votable' };
  if (!Number.isInteger(count) || count < 0 || count > session.maxVotesPerCard) return { ok: false, reason: 'per-card' };
  if (otherVotes + count > session.votesPerParticipant) return { ok: false, reason: 'total' };
  return { ok: true };
}

export const voteRefusalMessages: Record<VoteRefusal, string> = {
  closed: 'Die Live-Sitzung ist beendet.',
  'voting-closed': 'Das Punktevergeben ist gerade nicht geöffnet.',
  'not-votable': 'Auf diese Karte können keine Punkte vergeben werden.',
  'per-card': 'So viele Punkte können Sie auf eine Karte nicht vergeben.',
  total: 'Sie haben nicht mehr so viele Punkte übrig.',
};

/**
 * The network a join limit counts for: an IPv4 address itself (also written IPv4-mapped, ::ffff:a.b.c.d),
 * an IPv6 address by its /64 network — one connection usually holds a whole /64, so counting each of its
 * addresses on its own would let one person try codes from 2^64 addresses. Text that is not an address
 * counts as it is.
 */
export function addressNetwork(address: string): string {
  const text = address.trim().toLowerCase().replace(/%.*$/, '');
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (mapped) return mapped[1]!;
  if (!text.includes(':')) return text;
  const halves = text.split('::');
  if (halves.length > 2) return text;
  const part = (half: string | undefined) => (half ? half.split(':') : []);
  // An IPv4 tail (64:ff9b::192.0.2.1) stands for two groups.
  const width = (groups: string[]) => groups.reduce((sum, group) => sum + (group.includes('.') ? 2 : 1), 0);
  const left = part(halves[0]);
  const right = halves.length === 2 ? part(halves[1]) : [];
  const missing = 8 - width(left) - width(right);
  if (halves.length === 2 ? missing < 1 : missing !== 0) return text;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  const first = groups.slice(0, 4);
  if (!first.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return text;
  return `${first.map((group) => Number.parseInt(group, 16).toString(16)).join(':')}::/64`;
}

/**
 * Whether the points per person (N) and per card (M) may be set to `next`, given the points already
 * given: raising is always possible; lowering only as far as no one holds more than the new limit (the
 * Moderation would otherwise leave points standing that the rules no longer allow, and they would count
 * in the documentation). `given`: the most points one person holds in all, and on one card.
 * A German message when refused, else null.
 */
export function pointLimitRefusal(
  next: Pick<LiveSessionSettings, 'votesPerParticipant' | 'maxVotesPerCard'>,
  given: { mostInAll: number; mostOnOneCard: number },
): string | null {
  if (given.mostInAll > next.votesPerParticipant) {
    return `Eine Person hat schon ${given.mostInAll} Punkte vergeben. Weniger als ${given.mostInAll} Punkte pro Person lassen sich jetzt nicht mehr einstellen.`;
  }
  if (given.mostOnOneCard > next.maxVotesPerCard) {
    return `Eine Person hat schon ${given.mostOnOneCard} Punkte auf eine Karte gegeben. Weniger als ${given.mostOnOneCard} Punkte pro Karte lassen sich jetzt nicht mehr einstellen.`;
  }
  return null;
}

/** The card a card's points count for: itself, or the card it was merged into (followed to the end). */
export function targetCardId(cards: ReadonlyMap<string, Pick<LiveCard, 'id' | 'mergedIntoId'>>, cardId: string): string {
  let current = cardId;
  for (let step = 0; step < 100; step++) {
    const next = cards.get(current)?.mergedIntoId;
    if (!next) return current;
    current = next;
  }
  return current;
}

/** Points per visible card, merged cards' points added to their target. */
export function cardTotals(cards: readonly Pick<LiveCard, 'id' | 'mergedIntoId' | 'votes'>[]): Map<string, number> {
  const byId = new Map(cards.map((card) => [card.id, card]));
  const totals = new Map<string, number>();
  for (const card of cards) {
    const target = targetCardId(byId, card.id);
    totals.set(target, (totals.get(target) ?? 0) + card.votes);
  }
  return totals;
}

/** Whether `cardId` may be merged into `intoCardId`: different cards, the target not merged itself and not into the card. */
export function canMerge(cards: ReadonlyMap<string, Pick<LiveCard, 'id' | 'mergedIntoId'>>, cardId: string, intoCardId: string): boolean {
  if (cardId === intoCardId) return false;
  if (!cards.has(cardId) || !cards.has(intoCardId)) return false;
  return targetCardId(cards, intoCardId) !== cardId && cards.get(intoCardId)!.mergedIntoId === null;
}

// ---------------------------------------------------------------------------------------------
// Close: the workshop documentation

export interface LiveFieldDocumentation {
  fieldKey: string;
  worksWell: string[];
  notYet: string[];
  actionNeeds: (ActionNeed & { votes: number | null })[];
}

/** The lengths the workshop document allows (src/domain/workshop.ts): a longer group line is split. */
const documentLimits = { item: 500, items: 40, actionNeeds: 40, subpoints: 20 } as const;

/**
 * The groups and cards of a session as the workshop's fields. Questions 0 and 1 („läuft gut“, „läuft
 * noch nicht so gut“): a group is one point „Überschrift: Karte; Karte“ (or, longer than a point may be,
 * the heading followed by its cards as points of their own), then the ungrouped cards. Question 2: the
 * Handlungsbedarfe ranked by points: a group is its heading with its cards as sub-points and the points
 * summed, an ungrouped card is a Handlungsbedarf of its own; equal points keep the order of the groups,
 * then of posting. Hidden cards are left out, merged cards count for their target. Never a name.
 * Votes are null when no card got a point (voting never happened), so the report does not show 0.
 */
export function toWorkshopDocumentation(
  session: Pick<LiveSessionSettings, 'fieldKeys'>,
  cards: readonly Pick<LiveCard, 'id' | 'fieldKey' | 'questionIndex' | 'text' | 'hidden' | 'clusterId' | 'mergedIntoId' | 'votes' | 'createdAt'>[],
  clusters: readonly LiveCluster[],
): LiveFieldDocumentation[] {
  const totals = cardTotals(cards);
  const anyVotes = cards.some((card) => card.votes > 0);
  const visible = cards.filter((card) => !card.hidden && card.mergedIntoId === null);
  const byCreation = (a: { createdAt: string }, b: { createdAt: string }) => a.createdAt.localeCompare(b.createdAt);
  const clusterOrder = (a: LiveCluster, b: LiveCluster) => a.position - b.position || a.heading.localeCompare(b.heading, 'de');
  // A card is documented where it stands; a group of another field or question does not take it along.
  const clusterOf = (card: (typeof visible)[number]) => {
    const cluster = clusters.find((candidate) => candidate.id === card.clusterId);
    return cluster && cluster.fieldKey === card.fieldKey && cluster.questionIndex === card.questionIndex ? cluster : undefined;
  };
  return session.fieldKeys.map((fieldKey) => {
    const lists = ([0, 1] as const).map((questionIndex) => {
      const inQuestion = visible.filter((card) => card.fieldKey === fieldKey && card.questionIndex === questionIndex).sort(byCreation);
      const texts: string[] = [];
      for (const cluster of clusters.filter((c) => c.fieldKey === fieldKey && c.questionIndex === questionIndex).sort(clusterOrder)) {
        const members = inQuestion.filter((card) => clusterOf(card)?.id === cluster.id);
        if (members.length === 0) continue;
        const joined = `${cluster.heading}: ${members.map((card) => card.text).join('; ')}`;
        if (joined.length <= documentLimits.item) texts.push(joined);
        else texts.push(cluster.heading, ...members.map((card) => card.text));
      }
      for (const card of inQuestion.filter((c) => !clusterOf(c))) texts.push(card.text);
      return texts;
    });
    const needsCards = visible.filter((card) => card.fieldKey === fieldKey && card.questionIndex === votingQuestionIndex).sort(byCreation);
    const needs: { need: ActionNeed & { votes: number | null }; order: number }[] = [];
    for (const cluster of clusters.filter((c) => c.fieldKey === fieldKey && c.questionIndex === votingQuestionIndex).sort(clusterOrder)) {
      const members = needsCards.filter((card) => clusterOf(card)?.id === cluster.id);
      if (members.length === 0) continue;
      const votes = members.reduce((sum, card) => sum + (totals.get(card.id) ?? 0), 0);
      needs.push({ need: { text: cluster.heading, subpoints: members.map((card) => card.text), votes: anyVotes ? votes : null }, order: needs.length });
    }
    for (const card of needsCards.filter((c) => !clusterOf(c))) {
      needs.push({ need: { text: card.text, subpoints: [], votes: anyVotes ? (totals.get(card.id) ?? 0) : null }, order: needs.length });
    }
    needs.sort((a, b) => (b.need.votes ?? 0) - (a.need.votes ?? 0) || a.order - b.order);
    return { fieldKey, worksWell: lists[0]!, notYet: lists[1]!, actionNeeds: needs.map((entry) => entry.need) };
  });
}

/**
 * Why the documentation of a session does not fit the workshop document, or null: at most 40 points per
 * list and 40 Handlungsbedarfe per field (counting what the workshop has already), 20 sub-points per group.
 */
export function documentationOverflow(
  fields: readonly LiveFieldDocumentation[],
  existing: readonly { fieldKey: string; worksWell: readonly unknown[]; notYet: readonly unknown[]; actionNeeds: readonly unknown[] }[],
  fieldName: (fieldKey: string) => string,
): string | null {
  for (const field of fields) {
    const before = existing.find((candidate) => candidate.fieldKey === field.fieldKey);
    const name = fieldName(field.fieldKey);
    if ((before?.worksWell.length ?? 0) + field.worksWell.length > documentLimits.items) {
      return `Im Handlungsfeld „${name}“ wären es mehr als ${documentLimits.items} Punkte zu „läuft gut“. Bitte fassen Sie Karten in Gruppen zusammen oder blenden Sie Doppeltes aus.`;
    }
    if ((before?.notYet.length ?? 0) + field.notYet.length > documentLimits.items) {
      return `Im Handlungsfeld „${name}“ wären es mehr als ${documentLimits.items} Punkte zu „läuft noch nicht so gut“. Bitte fassen Sie Karten in Gruppen zusammen oder blenden Sie Doppeltes aus.`;
    }
    if ((before?.actionNeeds.length ?? 0) + field.actionNeeds.length > documentLimits.actionNeeds) {
      return `Im Handlungsfeld „${name}“ wären es mehr als ${documentLimits.actionNeeds} Handlungsbedarfe. Bitte fassen Sie Karten in Gruppen zusammen oder blenden Sie Doppeltes aus.`;
    }
    const crowded = field.actionNeeds.find((need) => need.subpoints.length > documentLimits.subpoints);
    if (crowded) return `Die Gruppe „${crowded.text}“ im Handlungsfeld „${name}“ hat mehr als ${documentLimits.subpoints} Karten. Bitte teilen Sie sie auf.`;
  }
  return null;
}
