import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent, kommune as kommuneTable } from '../../../db/schema.ts';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../../../tests/support/factories.ts';

let runtime: TestRuntime;
let programmteam: Person;
beforeAll(async () => {
  runtime = await createTestRuntime();
  programmteam = await makePerson(runtime, { programme: 'programmteam' });
});
afterAll(() => runtime?.close());

const valid = { name: 'Dessau-Roßlau', kind: 'Stadt', bundesland: 'Sachsen-Anhalt', gemeindeschluessel: '15001000', modules: [2, 3] };
const kommuneCount = async () => (await runtime.services.db.select({ value: count() }).from(kommuneTable))[0]!.value;

describe('Kommunen', () => {
  it('creates a Kommune with a slug from its name and Modul 1 always included', async () => {
    const created = await programmteam.client.post('/api/kommunen', valid);
    expect(created.status).toBe(201);
    expect(created.body.kommune.slug).toBe('dessau-rosslau');
    const overview = await programmteam.client.get('/api/kommunen/dessau-rosslau');
    expect(overview.body.kommune).toMatchObject({ name: 'Dessau-Roßlau', modules: [1, 2, 3], gemeindeschluessel: '15001000', isArchived: false });
    expect(overview.body.nextSteps[0]).toEqual({ key: 'invite-koordination' });
  });

  it('a second Kommune of the same name gets its own slug', async () => {
    const second = await programmteam.client.post('/api/kommunen', { ...valid, gemeindeschluessel: null });
    expect(second.body.kommune.slug).toBe('dessau-rosslau-2');
  });

  it('edits keep the slug; archiving hides from the list and can be undone', async () => {
    const created = await programmteam.client.post('/api/kommunen', { ...valid, name: 'Halle (Saale)', gemeindeschluessel: null });
    const slug = created.body.kommune.slug;
    const edited = await programmteam.client.put(`/api/kommunen/${slug}`, { ...valid, name: 'Halle an der Saale', kind: 'Stadt', gemeindeschluessel: '15002000', modules: [] });
    expect(edited.body.kommune.slug).toBe(slug);
    expect((await programmteam.client.get(`/api/kommunen/${slug}`)).body.kommune).toMatchObject({ name: 'Halle an der Saale', modules: [1] });
    await programmteam.client.put(`/api/kommunen/${slug}/archive`, { isArchived: true });
    expect((await programmteam.client.get('/api/kommunen')).body.kommunen.some((k: { slug: string }) => k.slug === slug)).toBe(false);
    expect((await programmteam.client.get('/api/kommunen?archiviert=1')).body.kommunen.some((k: { slug: string; isArchived: boolean }) => k.slug === slug && k.isArchived)).toBe(true);
    await programmteam.client.put(`/api/kommunen/${slug}/archive`, { isArchived: false });
    expect((await programmteam.client.get('/api/kommunen')).body.kommunen.some((k: { slug: string }) => k.slug === slug)).toBe(true);
  });

  it('lists Kommunen in German alphabetical order', async () => {
    for (const name of ['Zwickau', 'Ändernach', 'Aachen', 'Öhringen', 'Oberhausen']) {
      await programmteam.client.post('/api/kommunen', { ...valid, name, gemeindeschluessel: null });
    }
    const names: string[] = (await programmteam.client.get('/api/kommunen')).body.kommunen.map((k: { name: string }) => k.name);
    const picked = names.filter((name) => ['Zwickau', 'Ändernach', 'Aachen', 'Öhringen', 'Oberhausen'].includes(name));
    expect(picked).toEqual(['Aachen', 'Ändernach', 'Oberhausen', 'Öhringen', 'Zwickau']);
  });

  it('writes an audit event for create, edit and archive', async () => {
    const created = await programmteam.client.post('/api/kommunen', { ...valid, name: 'Audit-Stadt', gemeindeschluessel: null });
    await programmteam.client.put(`/api/kommunen/${created.body.kommune.slug}/archive`, { isArchived: true });
    const events = await runtime.services.db.select().from(auditEvent);
    const actions = events.filter((event) => event.kommuneId === created.body.kommune.id).map((event) => event.action);
    expect(actions).toEqual(['kommune.created', 'kommune.archived']);
  });
});

describe('bad input gets 400 with a German message naming the field, and nothing is written', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['missing name', { ...valid, name: undefined }, 'name', /Name/],
    ['name too short', { ...valid, name: 'A' }, 'name', /mindestens 2 Zeichen/],
    ['name with HTML', { ...valid, name: '<script>alert(1)</script>' }, 'name', /spitzen Klammern/],
    ['name as number', { ...valid, name: 42 }, 'name', /Name/],
    ['unknown kind', { ...valid, kind: 'Großstadt' }, 'kind', /Art/],
    ['unknown Bundesland', { ...valid, bundesland: 'Preußen' }, 'bundesland', /Bundesland/],
    ['AGS with 7 digits', { ...valid, gemeindeschluessel: '1500100' }, 'gemeindeschluessel', /8 Ziffern/],
    ['AGS of another Land', { ...valid, gemeindeschluessel: '09162000' }, 'gemeindeschluessel', /gehört zu Bayern/],
    ['module 4', { ...valid, modules: [4] }, 'modules.0', /Module/],
    ['modules as string', { ...valid, modules: '2' }, 'modules', /Module/],
  ];
  it.each(cases)('%s', async (_name, body, field, message) => {
    const before = await kommuneCount();
    const response = await programmteam.client.post('/api/kommunen', body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid-input');
    expect(response.body.error.fields[field], JSON.stringify(response.body)).toBeDefined();
    expect(response.body.error.message).toMatch(message);
    expect(await kommuneCount()).toBe(before);
  });

  it('an unknown Kommune is 404 in German', async () => {
    const response = await programmteam.client.get('/api/kommunen/gibt-es-nicht');
    expect(response.status).toBe(404);
    expect(response.body.error.message).toBe('Diese Kommune gibt es nicht.');
  });

  it('an invalid slug is 400', async () => {
    expect((await programmteam.client.get('/api/kommunen/Gro%C3%9F%20Stadt')).status).toBe(400);
  });

  it('an unknown member id is 404, an id that is no UUID is 400', async () => {
    const target = await makeKommune(runtime);
    expect((await programmteam.client.delete(`/api/kommunen/${target.slug}/members/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await programmteam.client.delete(`/api/kommunen/${target.slug}/members/123`)).status).toBe(400);
  });
});

describe('members', () => {
  it('Koordination changes a role, limits fields, removes a member; but not its own role', async () => {
    const target = await makeKommune(runtime);
    const koordination = await makePerson(runtime, { kommune: { id: target.id, role: 'koordination' } });
    const member = await makePerson(runtime, { kommune: { id: target.id, role: 'lesende' } });
    expect((await koordination.client.put(`/api/kommunen/${target.slug}/members/${member.userId}`, { role: 'mitwirkende', fieldKeys: ['4', '5'] })).status).toBe(200);
    const overview = await koordination.client.get(`/api/kommunen/${target.slug}`);
    expect(overview.body.members.find((m: { userId: string }) => m.userId === member.userId)).toMatchObject({ role: 'mitwirkende', fieldKeys: ['4', '5'] });
    const own = await koordination.client.put(`/api/kommunen/${target.slug}/members/${koordination.userId}`, { role: 'lesende' });
    expect(own.status).toBe(403);
    expect(own.body.error.message).toMatch(/nur das Programmteam/);
    expect((await koordination.client.delete(`/api/kommunen/${target.slug}/members/${member.userId}`)).status).toBe(200);
    expect((await member.client.get(`/api/kommunen/${target.slug}`)).status).toBe(403);
    // Role change and removal are security events: both are in the audit log, with who did it.
    const events = await runtime.services.db.select().from(auditEvent).where(eq(auditEvent.kommuneId, target.id));
    expect(events.filter((event) => event.actorUserId === koordination.userId).map((event) => event.action)).toEqual(expect.arrayContaining(['member.role-changed', 'member.removed']));
  });

  it('the programme keeps at least one Programmteam member', async () => {
    const other = await makePerson(runtime, { programme: 'programmteam' });
    // Two are there now (plus the one from beforeAll); the other may demote one of them.
    const response = await other.client.put(`/api/programme/members/${programmteam.userId}`, { role: 'prozessbegleitung', assignedKommuneIds: [] });
    expect(response.status).toBe(200);
    const last = await programmteam.client.get('/api/programme');
    expect(last.status).toBe(403);
    const selfRemoval = await other.client.delete(`/api/programme/members/${other.userId}`);
    expect(selfRemoval.status).toBe(403);
    // Restore for other tests.
    await other.client.put(`/api/programme/members/${programmteam.userId}`, { role: 'programmteam', assignedKommuneIds: [] });
  });
});
