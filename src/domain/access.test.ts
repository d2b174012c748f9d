import { describe, expect, it } from 'vitest';
import { can, grantableRoles, roleInKommune, type Action, type Actor } from './access.ts';

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
  programmteam: ['kommune.read', 'kommune.update', 'kommune.archive', 'members.read', 'members.invite', 'members.manage'],
  prozessbegleitung: ['kommune.read', 'members.read'],
  koordination: ['kommune.read', 'members.read', 'members.invite', 'members.manage'],
  mitwirkende: ['kommune.read'],
  lesende: ['kommune.read'],
};
const kommuneActions: Action[] = ['kommune.read', 'kommune.update', 'kommune.archive', 'members.read', 'members.invite', 'members.manage'];

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
