import { describe, expect, it } from 'vitest';
import type { LiveCard, LiveSessionSettings } from '../../../domain/live-session.ts';
import { applyLiveEvent, boardOf, isOtherSession, rankedNeeds, shownCards, votesMovedAway, type LiveRoom } from './room.ts';

const settings: LiveSessionSettings = {
  fieldKeys: ['4', '5'],
  questions: ['Was läuft gut?', 'Was läuft noch nicht so gut?', 'Welche Handlungsbedarfe?'],
  phase: 'sammeln',
  status: 'offen',
  locked: false,
  votingOpen: false,
  votesPerParticipant: 5,
  maxVotesPerCard: 3,
  retentionDays: 30,
};

let clock = 0;
function card(id: string, patch: Partial<LiveCard> = {}): LiveCard {
  clock += 1;
  return { id, fieldKey: '4', questionIndex: 2, text: `Karte ${id}`, authorName: null, hidden: false, clusterId: null, mergedIntoId: null, votes: 0, createdAt: `2026-11-30T10:00:${String(clock).padStart(2, '0')}.000Z`, ...patch };
}

function room(patch: Partial<LiveRoom> = {}): LiveRoom {
  return { settings, cards: [], groups: [], participants: null, participantCount: 0, lastEventId: 10, ...patch };
}

function applied(start: LiveRoom, ...events: [number, Parameters<typeof applyLiveEvent>[2]][]): LiveRoom {
  return events.reduce<LiveRoom>((current, [id, event]) => {
    const next = applyLiveEvent(current, id, event);
    if (next === 'reset') throw new Error('unexpected reset');
    return next;
  }, start);
}

describe('applying the events of a live session', () => {
  it('ignores events up to the last applied id, so an overlapping replay adds nothing twice', () => {
    const first = card('a');
    const after = applied(room(), [11, { type: 'card-added', card: first }], [11, { type: 'card-added', card: first }], [9, { type: 'card-added', card: card('old') }]);
    expect(after.cards.map((c) => c.id)).toEqual(['a']);
    expect(after.lastEventId).toBe(11);
  });

  it('asks for a reload on reset', () => {
    expect(applyLiveEvent(room(), 11, { type: 'reset' })).toBe('reset');
  });

  it('updates a changed card in place and removes one a participant learns was hidden', () => {
    const a = card('a');
    const changed = applied(room({ cards: [a] }), [11, { type: 'card-changed', card: { ...a, text: 'neu', fieldKey: '5' } }]);
    expect(changed.cards).toEqual([{ ...a, text: 'neu', fieldKey: '5' }]);
    const hidden = applied(changed, [12, { type: 'card-changed', card: { id: 'a', hidden: true } }]);
    expect(hidden.cards).toEqual([]);
  });

  it('keeps a hidden card on the Moderation screen, marked hidden', () => {
    const a = card('a');
    const after = applied(room({ cards: [a], participants: [] }), [11, { type: 'card-changed', card: { ...a, hidden: true } }]);
    expect(after.cards[0]!.hidden).toBe(true);
    expect(shownCards(after)).toEqual([]);
  });

  it('ungroups the cards of a removed group', () => {
    const a = card('a', { clusterId: 'g1' });
    const group = { id: 'g1', fieldKey: '4', questionIndex: 2 as const, heading: 'Sprache', position: 0 };
    const after = applied(room({ cards: [a], groups: [group] }), [11, { type: 'group-removed', groupId: 'g1' }]);
    expect(after.groups).toEqual([]);
    expect(after.cards[0]!.clusterId).toBeNull();
  });

  it('follows points, settings and the participant count', () => {
    const a = card('a');
    const after = applied(
      room({ cards: [a], participants: [] }),
      [11, { type: 'votes-changed', cardId: 'a', total: 4 }],
      [12, { type: 'session-changed', session: { ...settings, phase: 'priorisieren', votingOpen: true } }],
      [13, { type: 'participant-joined', participant: { id: 'p1', displayName: 'Ayla', nameConsent: false, joinedAt: '2026-11-30T10:00:00.000Z', removed: false }, count: 1 }],
      [14, { type: 'participant-left', participantId: 'p1', count: 0 }],
    );
    expect(after.cards[0]!.votes).toBe(4);
    expect(after.settings.phase).toBe('priorisieren');
    expect(after.participantCount).toBe(0);
    expect(after.participants).toEqual([expect.objectContaining({ id: 'p1', removed: true })]);
    expect(applied(room(), [11, { type: 'participant-count', count: 7 }]).participantCount).toBe(7);
  });
});

describe('what the screens show', () => {
  it('groups the cards of a field by question, groups first in their order, then the ungrouped, oldest first', () => {
    const groups = [
      { id: 'g2', fieldKey: '4', questionIndex: 0 as const, heading: 'Zweite', position: 2 },
      { id: 'g1', fieldKey: '4', questionIndex: 0 as const, heading: 'Erste', position: 1 },
      { id: 'g3', fieldKey: '5', questionIndex: 0 as const, heading: 'Anderes Feld', position: 0 },
    ];
    const cards = [card('x', { questionIndex: 0 }), card('y', { questionIndex: 0, clusterId: 'g2' }), card('z', { questionIndex: 0, hidden: true }), card('w', { questionIndex: 1 }), card('v', { questionIndex: 0, fieldKey: '5' })];
    const board = boardOf(room({ cards, groups }), '4');
    expect(board.map((question) => question.question)).toEqual(settings.questions);
    expect(board[0]!.groups.map((entry) => [entry.group.heading, entry.cards.map((c) => c.id)])).toEqual([
      ['Erste', []],
      ['Zweite', ['y']],
    ]);
    expect(board[0]!.ungrouped.map((c) => c.id)).toEqual(['x']);
    expect(board[1]!.ungrouped.map((c) => c.id)).toEqual(['w']);
    expect(board[2]!.ungrouped).toEqual([]);
  });

  it("ranks the Handlungsbedarfe by points (a merge moved the duplicate's points to its target), ties in posting order", () => {
    const cards = [card('first', { votes: 2 }), card('second', { votes: 2 }), card('top', { votes: 4 }), card('duplicate', { votes: 0, mergedIntoId: 'top' }), card('other', { questionIndex: 1, votes: 9 })];
    expect(rankedNeeds(room({ cards })).map(({ card: c, points }) => [c.id, points])).toEqual([
      ['top', 4],
      ['first', 2],
      ['second', 2],
    ]);
    expect(rankedNeeds(room({ cards }), '5')).toEqual([]);
  });
});

describe('a second session’s link', () => {
  it('asks before leaving only for a different, well-formed code', () => {
    expect(isOtherSession('abcd efgh jk', 'ABCD-EFGH-JK')).toBe(false);
    expect(isOtherSession('ABCD-EFGH-JM', 'ABCD-EFGH-JK')).toBe(true);
    expect(isOtherSession('', 'ABCD-EFGH-JK')).toBe(false);
    expect(isOtherSession('quatsch', 'ABCD-EFGH-JK')).toBe(false);
  });
});

describe('one’s own points after the Moderation moved them', () => {
  it('names the cards with own points that no longer take points: merged, hidden, moved away, gone', () => {
    const shown = room({ cards: [card('a'), card('b', { mergedIntoId: 'a' }), card('c', { hidden: true }), card('d', { questionIndex: 1 }), card('e')] });
    expect(votesMovedAway(shown, { a: 2, b: 1, c: 1, d: 1, gone: 1, e: 0 })).toEqual(['b', 'c', 'd', 'gone']);
    expect(votesMovedAway(shown, { a: 3, e: 2 })).toEqual([]);
  });
});
