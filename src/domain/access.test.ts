import { describe, expect, it } from 'vitest';
import { can, canAnswerField, grantableRoles, roleInKommune, type Action, type Actor } from './access.ts';

const own = 'kommune-a';
const other = 'kommune-b';
const actors: Record<string, Actor> = {
  programmteam: { userId: 'p', programmeRole: 'programmteam', assignedKommuneIds: [], memberships: [] },
  prozessbegleitung: { userId: 'b', programmeRole: 'prozessbegleitung', assignedKommuneIds: [own], memberships: [] },
  koordination: { userId: 'k', programmeRole: null, assignedKommuneIds: [], memberships: [{ kommuneId: own, role: 'koordination', fieldKeys: null }] },
  mitwirkende: { userId: 'm', programmeRole: null, assignedKommuneIds: [], memberships: [{ kommuneId: own, role: 'mitwirkende', fieldKeys: ['2'] }] },
  lesende: { userId: 'l', programmeRole: null, assignedKommuneIds: [], memberships: [{ kommuneId: own, role: 'lesende', fieldKeys: null }] },
};

// Expected permissions in the own Kommune, from PRODUCT.md's role table; in another Kommune only
// the Programmteam may act.
const expectedOwn: Record<string, Action[]> = {
  programmteam: ['kommune.read', 'kommune.update', 'kommune.archive', 'members.read', 'members.invite', 'members.manage', 'round.read', 'round.answer', 'round.review', 'round.manage', 'process.edit', 'process.document', 'kommune.export', 'kommune.import', 'report.read'],
  prozessbegleitung: ['kommune.read', 'members.read', 'round.read', 'round.review', 'process.document', 'report.read'],
  koordination: ['kommune.read', 'members.read', 'members.invite', 'members.manage', 'round.read', 'round.answer', 'round.review', 'round.manage', 'process.edit', 'process.document', 'kommune.export', 'report.read'],
  mitwirkende: ['kommune.read', 'round.read', 'round.answer'],
  lesende: ['kommune.read', 'round.read', 'report.read'],
};
const kommuneActions: Action[] = ['kommune.read', 'kommune.update', 'kommune.archive', 'members.read', 'members.invite', 'members.manage', 'round.read', 'round.answer', 'round.review', 'round.manage', 'process.edit', 'process.document', 'kommune.export', 'kommune.import', 'report.read'];

describe('access rules', () => {
  for (const [name, actor] of Object.entries(actors)) {
    it.each(kommuneActions)(`${name} – %s in own and other Kommune`, (action) => {
      expect(can(actor, action, own)).toBe(expectedOwn[name]!.includes(action));
      expect(can(actor, action, other)).toBe(name === 'programmteam');
    });
  }

  it('global actions: only the Programmteam creates Kommunen, manages the programme and edits site texts', () => {
    for (const [name, actor] of Object.entries(actors)) {
      expect(can(actor, 'kommune.create'), name).toBe(name === 'programmteam');
      expect(can(actor, 'programme.manage'), name).toBe(name === 'programmteam');
      expect(can(actor, 'site.edit'), name).toBe(name === 'programmteam');
      expect(can(actor, 'catalog.read'), name).toBe(true);
    }
  });

  it('a Kommune action without a Kommune is never allowed', () => {
    expect(can(actors.programmteam!, 'kommune.read')).toBe(false);
  });

  it('a membership does not reach into another Kommune', () => {
    expect(roleInKommune(actors.koordination!, other)).toBeNull();
  });

  it('roles that can be granted', () => {
    expect(grantableRoles(actors.programmteam!)).toEqual(['programmteam', 'prozessbegleitung']);
    expect(grantableRoles(actors.koordination!)).toEqual([]);
    expect(grantableRoles(actors.koordination!, own)).toEqual(['koordination', 'mitwirkende', 'lesende']);
    expect(grantableRoles(actors.koordination!, other)).toEqual([]);
    expect(grantableRoles(actors.prozessbegleitung!, own)).toEqual([]);
  });
});

describe('answering by field', () => {
  it('Mitwirkende answer only their assigned fields; Koordination and Programmteam all; others none', () => {
    expect(canAnswerField(actors.mitwirkende!, own, '2')).toBe(true);
    expect(canAnswerField(actors.mitwirkende!, own, '3')).toBe(false);
    expect(canAnswerField(actors.koordination!, own, '7')).toBe(true);
    expect(canAnswerField(actors.programmteam!, other, '1')).toBe(true);
    expect(canAnswerField(actors.prozessbegleitung!, own, '1')).toBe(false);
    expect(canAnswerField(actors.lesende!, own, '1')).toBe(false);
    expect(canAnswerField(actors.koordination!, other, '1')).toBe(false);
  });

  it('Mitwirkende without a field limit answer every field', () => {
    const unlimited: Actor = { ...actors.mitwirkende!, memberships: [{ kommuneId: own, role: 'mitwirkende', fieldKeys: null }] };
    expect(canAnswerField(unlimited, own, '5')).toBe(true);
  });
});
