import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent, kommune as kommuneTable } from '../../../db/schema.ts';
import { createTestRuntime, testDatabaseKind, type TestRuntime } from '../../../../tests/support/database.ts';
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

describe('name, designation and Gemeindeschlüssel', () => {
  const kreis = { name: 'Beispielkreis', kind: 'Landkreis', bundesland: 'Nordrhein-Westfalen', gemeindeschluessel: null, modules: [1] };

  it('the name is stored without its kind; the designation is chosen from the kind\'s and returned with it', async () => {
    const created = await programmteam.client.post('/api/kommunen', { ...kreis, designation: 'Kreis' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const overview = await programmteam.client.get(`/api/kommunen/${created.body.kommune.slug}`);
    expect(overview.body.kommune).toMatchObject({ name: 'Beispielkreis', kind: 'Landkreis', designation: 'Kreis' });
    const listed = (await programmteam.client.get('/api/kommunen')).body.kommunen.find((k: { slug: string }) => k.slug === created.body.kommune.slug);
    expect(listed).toMatchObject({ kind: 'Landkreis', designation: 'Kreis' });
    // The kind itself is stored as no designation of its own.
    const edited = await programmteam.client.put(`/api/kommunen/${created.body.kommune.slug}`, { ...kreis, designation: 'Landkreis' });
    expect(edited.status).toBe(200);
    expect((await programmteam.client.get(`/api/kommunen/${created.body.kommune.slug}`)).body.kommune.designation).toBeNull();
  });

  it.each([
    ['a name that begins with its kind', { ...kreis, name: 'Landkreis Beispielkreis' }, 'name', 'Bitte geben Sie den Namen ohne „Landkreis“ ein; die Bezeichnung wählen Sie darunter.'],
    ['a name that begins with a designation of its kind', { ...kreis, kind: 'Stadt', name: 'Hansestadt Rostock', bundesland: 'Mecklenburg-Vorpommern' }, 'name', 'Bitte geben Sie den Namen ohne „Hansestadt“ ein; die Bezeichnung wählen Sie darunter.'],
    ['a designation of another kind', { ...kreis, designation: 'Hansestadt' }, 'designation', '„Hansestadt“ ist keine Bezeichnung für die Art „Landkreis“; möglich sind „Landkreis“, „Kreis“ und „Region“.'],
  ])('%s is refused with 400, in German, naming the field; nothing is written', async (_name, body, field, message) => {
    const before = await kommuneCount();
    for (const response of [await programmteam.client.post('/api/kommunen', body), await programmteam.client.put('/api/kommunen/dessau-rosslau', { ...valid, ...body })]) {
      expect(response.status).toBe(400);
      expect(response.body.error.fields[field]).toBe(message);
      expect(response.body.error.message).toBe(message);
    }
    expect(await kommuneCount()).toBe(before);
    expect((await programmteam.client.get('/api/kommunen/dessau-rosslau')).body.kommune.name).toBe('Dessau-Roßlau');
  });

  it('a real name that begins with a designation is a name: „Markt Indersdorf“', async () => {
    const created = await programmteam.client.post('/api/kommunen', { name: 'Markt Indersdorf', kind: 'Gemeinde', bundesland: 'Bayern', gemeindeschluessel: null, modules: [1] });
    expect(created.status).toBe(201);
  });

  it('a second Kommune with the same Gemeindeschlüssel is refused with 409 naming and linking the first; so is an edit that takes it', async () => {
    const before = await kommuneCount();
    const twice = await programmteam.client.post('/api/kommunen', { ...valid, name: 'Dessau' });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({
      code: 'gemeindeschluessel-taken',
      message: 'Die Kommune „Stadt Dessau-Roßlau“ hat bereits den Amtlichen Gemeindeschlüssel 15001000. Jede Kommune wird nur einmal angelegt.',
      fields: { gemeindeschluessel: expect.stringContaining('Dessau-Roßlau') },
    });
    expect(twice.body.current).toEqual({ slug: 'dessau-rosslau', name: 'Dessau-Roßlau', title: 'Stadt Dessau-Roßlau', isArchived: false });
    expect(await kommuneCount()).toBe(before);

    const other = await programmteam.client.post('/api/kommunen', { ...valid, name: 'Roßlau', gemeindeschluessel: null });
    const taking = await programmteam.client.put(`/api/kommunen/${other.body.kommune.slug}`, { ...valid, name: 'Roßlau' });
    expect(taking.status).toBe(409);
    expect(taking.body.current.slug).toBe('dessau-rosslau');
    // Its own key is no conflict.
    expect((await programmteam.client.put('/api/kommunen/dessau-rosslau', { ...valid, modules: [1, 2, 3] })).status).toBe(200);
  });

  it('an archived Kommune keeps its key: the refusal says it can be restored', async () => {
    const archived = await programmteam.client.post('/api/kommunen', { ...valid, name: 'Archivstadt', gemeindeschluessel: '15003000' });
    await programmteam.client.put(`/api/kommunen/${archived.body.kommune.slug}/archive`, { isArchived: true });
    const again = await programmteam.client.post('/api/kommunen', { ...valid, name: 'Archivstadt', gemeindeschluessel: '15003000' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/Sie ist archiviert; Sie können sie auf ihrer Seite wiederherstellen\.$/);
    expect(again.body.current).toMatchObject({ slug: archived.body.kommune.slug, isArchived: true });
  });

  it('Kommunen that share a key from before the rule stay editable, as long as the key does not change', async () => {
    const first = await makeKommune(runtime, 'Altstadt Eins', 'Stadt', { gemeindeschluessel: '15084000' });
    await makeKommune(runtime, 'Altstadt Zwei', 'Stadt', { gemeindeschluessel: '15084000' });
    const edited = await programmteam.client.put(`/api/kommunen/${first.slug}`, { ...valid, name: 'Altstadt Eins', gemeindeschluessel: '15084000' });
    expect(edited.status).toBe(200);
  });

  it(`of ${testDatabaseKind === 'postgres' ? 12 : 4} creates with one Gemeindeschlüssel at the same moment, exactly one succeeds (${testDatabaseKind})`, async () => {
    const attempts = testDatabaseKind === 'postgres' ? 12 : 4;
    for (let trial = 0; trial < 3; trial++) {
      const ags = `1509${trial}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
      const responses = await Promise.all(
        Array.from({ length: attempts }, (_, index) => programmteam.client.post('/api/kommunen', { ...valid, name: `Gleichzeitig ${trial} ${index}`, gemeindeschluessel: ags })),
      );
      expect(responses.map((response) => response.status).sort()).toEqual([201, ...Array<number>(attempts - 1).fill(409)]);
      const winner = responses.find((response) => response.status === 201)!.body.kommune.slug;
      for (const refused of responses.filter((response) => response.status === 409)) {
        expect(refused.body.error.code).toBe('gemeindeschluessel-taken');
        expect(refused.body.current.slug).toBe(winner);
      }
      const stored = await runtime.services.db.select({ value: count() }).from(kommuneTable).where(eq(kommuneTable.gemeindeschluessel, ags));
      expect(stored[0]!.value).toBe(1);
    }
  });
});

describe('modules and the documents that belong to them', () => {
  it('Modul 2 cannot be taken from a Kommune with dialogue events; the refusal names them', async () => {
    const body = { name: 'Dialogstadt', kind: 'Stadt', bundesland: 'Sachsen-Anhalt', gemeindeschluessel: null, modules: [2] };
    const created = await programmteam.client.post('/api/kommunen', body);
    const slug = created.body.kommune.slug;
    const events = ['Auftakt im Rathaus', 'Engagement-Forum'].map((title, index) => ({ id: `dialog-${index}-abcdef`, title }));
    const saved = await programmteam.client.put(`/api/kommunen/${slug}/documents/dialogues`, { content: { events }, expectedVersion: 0 });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const removed = await programmteam.client.put(`/api/kommunen/${slug}`, { ...body, modules: [3] });
    expect(removed.status).toBe(400);
    expect(removed.body.error.fields.modules).toBe(
      'Zur Kommune sind 2 Dialogveranstaltungen aus Modul 2 eingetragen: „Auftakt im Rathaus“ und „Engagement-Forum“. Bitte entfernen Sie diese zuerst, wenn die Kommune Modul 2 nicht mehr nutzt.',
    );
    expect((await programmteam.client.get(`/api/kommunen/${slug}`)).body.kommune.modules).toEqual([1, 2]);
    // Without events the module can go; then no event can be saved until it is taken again.
    expect((await programmteam.client.put(`/api/kommunen/${slug}/documents/dialogues`, { content: { events: [] }, expectedVersion: 1 })).status).toBe(200);
    expect((await programmteam.client.put(`/api/kommunen/${slug}`, { ...body, modules: [] })).status).toBe(200);
    const refused = await programmteam.client.put(`/api/kommunen/${slug}/documents/dialogues`, { content: { events }, expectedVersion: 2 });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields['content.events']).toMatch(/^Dialogveranstaltungen gehören zu Modul 2, das diese Kommune nicht nutzt/);
  });

  it(`a module taken away while events are saved at the same moment: never both (${testDatabaseKind})`, async () => {
    const trials = testDatabaseKind === 'postgres' ? 10 : 3;
    for (let trial = 0; trial < trials; trial++) {
      const body = { name: `Wettlaufstadt ${trial}`, kind: 'Stadt', bundesland: 'Sachsen-Anhalt', gemeindeschluessel: null, modules: [2] };
      const slug = (await programmteam.client.post('/api/kommunen', body)).body.kommune.slug;
      const [saved, removed] = await Promise.all([
        programmteam.client.put(`/api/kommunen/${slug}/documents/dialogues`, { content: { events: [{ id: 'dialog-wettlauf', title: 'Wettlauf' }] }, expectedVersion: 0 }),
        programmteam.client.put(`/api/kommunen/${slug}`, { ...body, modules: [] }),
      ]);
      expect([saved.status, removed.status].sort(), JSON.stringify([saved.body, removed.body])).toEqual([200, 400]);
      const modules: number[] = (await programmteam.client.get(`/api/kommunen/${slug}`)).body.kommune.modules;
      const stored: unknown[] = (await programmteam.client.get(`/api/kommunen/${slug}/documents/dialogues`)).body.content.events;
      expect(modules.includes(2) || stored.length === 0).toBe(true);
    }
  });
});
