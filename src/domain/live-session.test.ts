import { describe, expect, it } from 'vitest';
import { can, type Actor } from './access.ts';
import { createSessionSchema, joinSchema, updateSessionSchema } from './api/live.ts';
import {
  canMerge,
  canPostCard,
  canVote,
  cardTotals,
  codeAlphabet,
  codeFromBytes,
  documentationOverflow,
  eventForParticipants,
  formatCode,
  addressNetwork,
  normaliseCode,
  pointLimitRefusal,
  toWorkshopDocumentation,
  type LiveCard,
  type LiveCluster,
} from './live-session.ts';
import { actionNeedSchema } from './workshop.ts';

const own = 'kommune-a';
const actors: Record<string, Actor> = {
  programmteam: { userId: 'p', programmeRole: 'programmteam', assignedKommuneIds: [], memberships: [] },
  prozessbegleitung: { userId: 'b', programmeRole: 'prozessbegleitung', assignedKommuneIds: [own], memberships: [] },
  koordination: { userId: 'k', programmeRole: null, assignedKommuneIds: [], memberships: [{ kommuneId: own, role: 'koordination', fieldKeys: null }] },
  mitwirkende: { userId: 'm', programmeRole: null, assignedKommuneIds: [], memberships: [{ kommuneId: own, role: 'mitwirkende', fieldKeys: null }] },
  lesende: { userId: 'l', programmeRole: null, assignedKommuneIds: [], memberships: [{ kommuneId: own, role: 'lesende', fieldKeys: null }] },
};

describe('live.moderate', () => {
  it('Programmteam, the assigned Prozessbegleitung and the Koordination; not Mitwirkende, Lesende, nor anyone in another Kommune but the Programmteam', () => {
    const allowed = Object.entries(actors).filter(([, actor]) => can(actor, 'live.moderate', own)).map(([name]) => name);
    expect(allowed).toEqual(['programmteam', 'prozessbegleitung', 'koordination']);
    const elsewhere = Object.entries(actors).filter(([, actor]) => can(actor, 'live.moderate', 'kommune-b')).map(([name]) => name);
    expect(elsewhere).toEqual(['programmteam']);
    expect(can(actors.programmteam!, 'live.moderate')).toBe(false);
  });
});

describe('Sitzungscode', () => {
  it('has 32 distinct characters without look-alikes', () => {
    expect(new Set(codeAlphabet).size).toBe(32);
    for (const lookAlike of ['I', 'O', '0', '1']) expect(codeAlphabet).not.toContain(lookAlike);
  });

  it('maps every byte onto the alphabet evenly (256 is a multiple of 32)', () => {
    const counts = new Map<string, number>();
    for (let byte = 0; byte < 256; byte++) {
      const code = codeFromBytes(new Uint8Array(10).fill(byte));
      counts.set(code[0]!, (counts.get(code[0]!) ?? 0) + 1);
    }
    expect([...counts.values()].every((count) => count === 8)).toBe(true);
  });

  it('is read case-insensitively, with spaces and dashes ignored; anything else is no code', () => {
    const code = codeFromBytes(Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(code).toBe('ABCDEFGHJK');
    expect(formatCode(code)).toBe('ABCD-EFGH-JK');
    expect(normaliseCode(' abcd-efgh jk ')).toBe(code);
    expect(normaliseCode('abcd–efgh–jk')).toBe(code);
    expect(normaliseCode('ABCD-EFGH-J')).toBeNull();
    expect(normaliseCode('ABCD-EFGH-JO')).toBeNull();
    expect(joinSchema.safeParse({ code: 'abcd efgh jk' }).data).toEqual({ code, displayName: '', nameConsent: false });
    expect(joinSchema.safeParse({ code: 'abc' }).error?.issues[0]?.message).toContain('10 Zeichen');
  });
});

describe('request schemas', () => {
  it('defaults the limits and refuses M above N with a German message', () => {
    expect(createSessionSchema.parse({ workshopId: 'workshop-1', fieldKeys: ['1'] })).toMatchObject({ votesPerParticipant: 5, maxVotesPerCard: 3, retentionDays: 30 });
    expect(createSessionSchema.safeParse({ workshopId: 'workshop-1', fieldKeys: ['1'], votesPerParticipant: 2, maxVotesPerCard: 3 }).error?.issues[0]?.message).toContain('nicht mehr Punkte');
    expect(createSessionSchema.safeParse({ workshopId: 'workshop-1', fieldKeys: [] }).error?.issues[0]?.message).toBe('bitte mindestens ein Handlungsfeld wählen');
    expect(createSessionSchema.safeParse({ workshopId: 'workshop-1', fieldKeys: ['1', '1'] }).success).toBe(false);
    expect(updateSessionSchema.safeParse({ phase: 'feiern' }).error?.issues[0]?.message).toBe('ungültige Phase');
  });
});

const session = { status: 'offen', votingOpen: true, votesPerParticipant: 5, maxVotesPerCard: 3 } as const;
const need = { questionIndex: 2, hidden: false, mergedIntoId: null } as const;

describe('canVote', () => {
  it('allows 0..M on a card and N in all', () => {
    expect(canVote(session, need, 3, 2)).toEqual({ ok: true });
    expect(canVote(session, need, 0, 5)).toEqual({ ok: true });
    expect(canVote(session, need, 4, 0)).toEqual({ ok: false, reason: 'per-card' });
    expect(canVote(session, need, 2, 4)).toEqual({ ok: false, reason: 'total' });
    expect(canVote(session, need, -1, 0)).toEqual({ ok: false, reason: 'per-card' });
  });

  it('only while open and voting, only on visible unmerged Handlungsbedarfe', () => {
    expect(canVote({ ...session, status: 'beendet' }, need, 1, 0)).toEqual({ ok: false, reason: 'closed' });
    expect(canVote({ ...session, votingOpen: false }, need, 1, 0)).toEqual({ ok: false, reason: 'voting-closed' });
    expect(canVote(session, { ...need, questionIndex: 0 }, 1, 0)).toEqual({ ok: false, reason: 'not-votable' });
    expect(canVote(session, { ...need, hidden: true }, 1, 0)).toEqual({ ok: false, reason: 'not-votable' });
    expect(canVote(session, { ...need, mergedIntoId: 'x' }, 1, 0)).toEqual({ ok: false, reason: 'not-votable' });
  });

  it('participants post only while collecting', () => {
    expect(canPostCard({ status: 'offen', phase: 'sammeln' })).toBe(true);
    expect(canPostCard({ status: 'offen', phase: 'ordnen' })).toBe(false);
    expect(canPostCard({ status: 'beendet', phase: 'sammeln' })).toBe(false);
  });
});

let clock = 0;
function card(values: Partial<LiveCard> & Pick<LiveCard, 'id' | 'text'>): LiveCard {
  clock += 1;
  return { fieldKey: '1', questionIndex: 2, authorName: 'Erika', hidden: false, clusterId: null, mergedIntoId: null, votes: 0, createdAt: `2026-11-30T10:00:${String(clock).padStart(2, '0')}Z`, ...values };
}

describe('addressNetwork: what a join limit counts for', () => {
  it('an IPv4 address itself, also written IPv4-mapped', () => {
    expect(addressNetwork('198.51.100.7')).toBe('198.51.100.7');
    expect(addressNetwork('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(addressNetwork('::FFFF:198.51.100.7')).toBe('198.51.100.7');
  });
  it('an IPv6 address by its /64 network, however it is written', () => {
    const network = '2001:db8:aa:1::/64';
    for (const address of ['2001:db8:aa:1::1', '2001:db8:aa:1:ffff:ffff:ffff:ffff', '2001:0DB8:00aa:0001:0:0:0:2', '2001:db8:aa:1::1%eth0', ' 2001:db8:aa:1:1:2:3:4 ']) {
      expect(addressNetwork(address)).toBe(network);
    }
    expect(addressNetwork('2001:db8:aa:2::1')).toBe('2001:db8:aa:2::/64');
    expect(addressNetwork('::1')).toBe('0:0:0:0::/64');
    expect(addressNetwork('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });
  it('text that is not an address counts as it is', () => {
    for (const text of ['unbekannt', '1:2:3', '1::2::3', 'zz::1', '1:2:3:4:5:6:7:8:9']) expect(addressNetwork(text)).toBe(text);
  });
});

describe('lowering the points per person and per card', () => {
  const given = { mostInAll: 4, mostOnOneCard: 2 };
  it('raising, or lowering to what is held, is allowed', () => {
    expect(pointLimitRefusal({ votesPerParticipant: 7, maxVotesPerCard: 3 }, given)).toBeNull();
    expect(pointLimitRefusal({ votesPerParticipant: 4, maxVotesPerCard: 2 }, given)).toBeNull();
    expect(pointLimitRefusal({ votesPerParticipant: 1, maxVotesPerCard: 1 }, { mostInAll: 0, mostOnOneCard: 0 })).toBeNull();
  });
  it('below what one person holds it is refused, naming the lowest possible value', () => {
    expect(pointLimitRefusal({ votesPerParticipant: 3, maxVotesPerCard: 2 }, given)).toBe(
      'Eine Person hat schon 4 Punkte vergeben. Weniger als 4 Punkte pro Person lassen sich jetzt nicht mehr einstellen.',
    );
    expect(pointLimitRefusal({ votesPerParticipant: 5, maxVotesPerCard: 1 }, given)).toBe(
      'Eine Person hat schon 2 Punkte auf eine Karte gegeben. Weniger als 2 Punkte pro Karte lassen sich jetzt nicht mehr einstellen.',
    );
  });
});

describe('merging', () => {
  it('counts a merged card for its target, also along a chain, and refuses cycles', () => {
    const cards = [card({ id: 'a', text: 'A', votes: 2 }), card({ id: 'b', text: 'B', votes: 1, mergedIntoId: 'a' }), card({ id: 'c', text: 'C', votes: 4, mergedIntoId: 'b' })];
    expect(cardTotals(cards).get('a')).toBe(7);
    const byId = new Map(cards.map((entry) => [entry.id, entry]));
    expect(canMerge(byId, 'a', 'c')).toBe(false);
    expect(canMerge(byId, 'a', 'a')).toBe(false);
    expect(canMerge(new Map([['x', { id: 'x', mergedIntoId: null }], ['y', { id: 'y', mergedIntoId: null }]]), 'x', 'y')).toBe(true);
  });
});

describe('toWorkshopDocumentation', () => {
  const clusters: LiveCluster[] = [
    { id: 'g1', fieldKey: '1', questionIndex: 2, heading: 'Sprache', position: 0 },
    { id: 'g2', fieldKey: '1', questionIndex: 0, heading: 'Beratung', position: 0 },
  ];
  const cards = [
    card({ id: 'w1', text: 'Beratungsstelle', questionIndex: 0, clusterId: 'g2' }),
    card({ id: 'w2', text: 'Sprechstunde', questionIndex: 0, clusterId: 'g2' }),
    card({ id: 'w3', text: 'Willkommensmappe', questionIndex: 0 }),
    card({ id: 'n1', text: 'Wartezeiten', questionIndex: 1 }),
    card({ id: 'n2', text: 'Beleidigung', questionIndex: 1, hidden: true }),
    card({ id: 'h1', text: 'Dolmetschpool', clusterId: 'g1', votes: 2 }),
    card({ id: 'h2', text: 'Leichte Sprache', clusterId: 'g1', votes: 1 }),
    card({ id: 'h3', text: 'Mehr Personal', votes: 4 }),
    card({ id: 'h4', text: 'mehr Personal!', votes: 3, mergedIntoId: 'h3' }),
    card({ id: 'h5', text: 'Fortbildung', votes: 0 }),
    card({ id: 'x1', text: 'Anderes Feld', fieldKey: '2' }),
  ];

  it('groups become headings with their cards, Handlungsbedarfe ranked by points, merged counted, hidden and names left out', () => {
    const [field, other] = toWorkshopDocumentation({ fieldKeys: ['1', '2'] }, cards, clusters);
    expect(field).toEqual({
      fieldKey: '1',
      worksWell: ['Beratung: Beratungsstelle; Sprechstunde', 'Willkommensmappe'],
      notYet: ['Wartezeiten'],
      actionNeeds: [
        { text: 'Mehr Personal', subpoints: [], votes: 7 },
        { text: 'Sprache', subpoints: ['Dolmetschpool', 'Leichte Sprache'], votes: 3 },
        { text: 'Fortbildung', subpoints: [], votes: 0 },
      ],
    });
    expect(other).toEqual({ fieldKey: '2', worksWell: [], notYet: [], actionNeeds: [{ text: 'Anderes Feld', subpoints: [], votes: 0 }] });
    expect(JSON.stringify([field, other])).not.toContain('Erika');
    for (const entry of field!.actionNeeds) expect(actionNeedSchema.safeParse(entry).success).toBe(true);
  });

  it('without any point the votes are null, not 0', () => {
    const [field] = toWorkshopDocumentation({ fieldKeys: ['1'] }, cards.map((entry) => ({ ...entry, votes: 0 })), clusters);
    expect(field!.actionNeeds.every((entry) => entry.votes === null)).toBe(true);
  });

  it('a group line longer than a point may be is split into the heading and its cards', () => {
    const long = [card({ id: 'l1', text: 'x'.repeat(280), questionIndex: 0, clusterId: 'g2' }), card({ id: 'l2', text: 'y'.repeat(280), questionIndex: 0, clusterId: 'g2' })];
    const [field] = toWorkshopDocumentation({ fieldKeys: ['1'] }, long, clusters);
    expect(field!.worksWell).toEqual(['Beratung', 'x'.repeat(280), 'y'.repeat(280)]);
  });

  it('names what does not fit the workshop document', () => {
    const fields = toWorkshopDocumentation({ fieldKeys: ['1'] }, cards, clusters);
    expect(documentationOverflow(fields, [], () => 'Verwaltung')).toBeNull();
    const full = [{ fieldKey: '1', worksWell: [], notYet: [], actionNeeds: Array.from({ length: 38 }, () => ({})) }];
    expect(documentationOverflow(fields, full, () => 'Verwaltung')).toContain('mehr als 40 Handlungsbedarfe');
  });
});

describe('participant streams', () => {
  it('never carry author names, hidden cards or participant events', () => {
    const visible = card({ id: 'v', text: 'Sichtbar' });
    expect(eventForParticipants({ type: 'card-added', card: visible })).toEqual({ type: 'card-added', card: { ...visible, authorName: null } });
    expect(eventForParticipants({ type: 'card-added', card: { ...visible, hidden: true } })).toBeNull();
    expect(eventForParticipants({ type: 'card-changed', card: { ...visible, hidden: true } })).toEqual({ type: 'card-changed', card: { id: 'v', hidden: true } });
    expect(eventForParticipants({ type: 'participant-left', participantId: 'p', count: 1 })).toBeNull();
  });
});
