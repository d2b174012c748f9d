import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../../services/load-demo.ts';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { makeKommune, makePerson, testPassword, type Person } from '../../../../tests/support/factories.ts';
import { TestClient } from '../../../../tests/support/http.ts';

let source: TestRuntime;
let target: TestRuntime;
let sourceKoordination: Person;
let targetKoordination: Person;
let targetProgrammteam: Person;
let empty: { id: string; slug: string };

beforeAll(async () => {
  [source, target] = await Promise.all([createTestRuntime(), createTestRuntime()]);
  const demo = await loadDemo(source.services);
  sourceKoordination = { userId: '', email: 'integrationsbuero@musterstadt.example', client: new TestClient(source, '198.51.100.7') };
  const signedIn = await sourceKoordination.client.signIn(sourceKoordination.email, demo.password!);
  expect(signedIn.status).toBe(200);
  empty = await makeKommune(target, 'Leerstadt');
  targetKoordination = await makePerson(target, { kommune: { id: empty.id, role: 'koordination' } });
  targetProgrammteam = await makePerson(target, { programme: 'programmteam' });
});
afterAll(async () => {
  await source?.close();
  await target?.close();
});

describe('download and upload of a Kommune bundle over HTTP', () => {
  let bundle: Record<string, unknown>;

  it('the Koordination downloads its Kommune as a file', async () => {
    const response = await sourceKoordination.client.get('/api/kommunen/musterstadt/bundle');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="weltoffen-musterstadt-\d{4}-\d{2}-\d{2}\.json"$/);
    bundle = response.body;
    expect(bundle.format).toBe('weltoffen-kommune-bundle');
  });

  it('the download is logged in the audit log', async () => {
    const events = await source.services.db.query.auditEvent.findMany();
    expect(events.map((event) => event.action)).toContain('kommune.exported');
  });

  it('a Koordination may not create a new Kommune from it', async () => {
    const response = await targetKoordination.client.post('/api/kommunen/import', bundle);
    expect(response.status).toBe(403);
  });

  it('anything but a JSON object is refused in German', async () => {
    const notJson = await targetKoordination.client.request('POST', `/api/kommunen/${empty.slug}/bundle`, '{"format": ', { 'content-type': 'application/json' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.message).toBe('Der Inhalt der Anfrage ist kein gültiges JSON.');
    const list = await targetKoordination.client.post(`/api/kommunen/${empty.slug}/bundle`, [1, 2]);
    expect(list.status).toBe(400);
  });

  it('a broken bundle gets 400 naming the JSON path, and the Kommune stays empty', async () => {
    const broken = structuredClone(bundle) as { rounds: { answers: { value: unknown }[] }[] };
    broken.rounds[0]!.answers[2]!.value = 42;
    const response = await targetKoordination.client.post(`/api/kommunen/${empty.slug}/bundle`, broken);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('bundle-invalid');
    expect(response.body.error.message).toContain('$.rounds[0].answers[2].value');
    expect(response.body.error.fields).toHaveProperty(['$.rounds[0].answers[2].value']);
    const rounds = await targetKoordination.client.get(`/api/kommunen/${empty.slug}/rounds`);
    expect(rounds.body.rounds).toEqual([]);
  });

  it('the Koordination fills its empty Kommune from it; people come without passwords', async () => {
    const response = await targetKoordination.client.post(`/api/kommunen/${empty.slug}/bundle`, bundle);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    // Only the Programmteam creates Modul-3 offers; one this installation lacks is left out and named.
    expect(response.body.result).toMatchObject({ slug: empty.slug, name: 'Leerstadt', rounds: 1, peopleCreated: 5, offersSkipped: ['Impuls-Breakfast-Talk'] });
    const again = await targetKoordination.client.get(`/api/kommunen/${empty.slug}/bundle`);
    // The Kommune's own master data stays; everything else is the bundle's.
    for (const part of ['documents', 'rounds'] as const) expect(again.body[part], part).toEqual(bundle[part]);
    expect(again.body.offers).toEqual([]);
    expect(again.body.people).toEqual(expect.arrayContaining((bundle.people as object[]).map((person) => expect.objectContaining(person))));
  });

  it('a second upload into the now filled Kommune is refused with 409', async () => {
    const response = await targetKoordination.client.post(`/api/kommunen/${empty.slug}/bundle`, bundle);
    expect(response.status).toBe(409);
    expect(response.body.error.message).toMatch(/leere Kommune/);
  });

  it('an imported person gets access through an invitation that sets the first password', async () => {
    const email = 'sozialamt@musterstadt.example';
    const cannot = await new TestClient(target, '198.51.100.90').signIn(email, testPassword);
    expect(cannot.status).toBe(401);
    const invited = await targetKoordination.client.post(`/api/kommunen/${empty.slug}/invitations`, { email, role: 'mitwirkende', fieldKeys: ['2', '6'] });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    const token = (invited.body.invitation.link as string).split('/einladung/')[1]!;
    const browser = new TestClient(target, '198.51.100.91');
    expect((await browser.get(`/api/invitations/by-token/${token}`)).body.invitation.hasAccount).toBe(false);
    const accepted = await browser.post(`/api/invitations/by-token/${token}/accept`, { name: 'Marija Nowak', password: testPassword });
    expect(accepted.status, JSON.stringify(accepted.body)).toBeLessThan(300);
    const signedIn = await new TestClient(target, '198.51.100.92').signIn(email, testPassword);
    expect(signedIn.status).toBe(200);
    // Once the person has a password, inviting them again is the usual "already a member".
    const twice = await targetKoordination.client.post(`/api/kommunen/${empty.slug}/invitations`, { email, role: 'lesende' });
    expect(twice.status).toBe(409);
  });

  it('two accepts of one invitation for an imported person at the same moment: one sets the password, the other is refused', async () => {
    const email = 'wirtschaft@musterstadt.example';
    const invited = await targetKoordination.client.post(`/api/kommunen/${empty.slug}/invitations`, { email, role: 'mitwirkende', fieldKeys: ['3'] });
    expect(invited.status).toBe(201);
    const token = (invited.body.invitation.link as string).split('/einladung/')[1]!;
    const results = await Promise.all(
      ['Passwort-von-Tab-eins-2026', 'Passwort-von-Tab-zwei-2026'].map((password, index) =>
        new TestClient(target, `198.51.100.${95 + index}`).post(`/api/invitations/by-token/${token}/accept`, { name: 'Thomas Weiß', password }),
      ),
    );
    const first = results[0]!;
    const second = results[1]!;
    expect([first.status, second.status].sort()).toEqual([201, 410]);
    const winner = first.status === 201 ? 'Passwort-von-Tab-eins-2026' : 'Passwort-von-Tab-zwei-2026';
    const loser = first.status === 201 ? 'Passwort-von-Tab-zwei-2026' : 'Passwort-von-Tab-eins-2026';
    expect((await new TestClient(target, '198.51.100.97').signIn(email, winner)).status).toBe(200);
    expect((await new TestClient(target, '198.51.100.98').signIn(email, loser)).status).toBe(401);
    // Exactly one password: the refused accept did not leave a second one behind.
    const person = await target.services.db.query.user.findFirst({ where: (table, { eq }) => eq(table.email, email) });
    const credentials = await target.services.db.query.account.findMany({ where: (table, { eq }) => eq(table.userId, person!.id) });
    expect(credentials).toHaveLength(1);
  });

  it('the Programmteam creates a new Kommune from a bundle larger than the usual 1 MB limit', async () => {
    const big = structuredClone(bundle) as { documents: { profile: { furtherConditions: string } }; rounds: { answers: { comment: string; evidence: string }[] }[] };
    const long = (length: number) => 'Ausführlicher Kommentar mit Belegen. '.repeat(Math.ceil(length / 30)).slice(0, length);
    for (const answer of big.rounds[0]!.answers) Object.assign(answer, { comment: long(4_900), evidence: long(1_990) });
    big.documents.profile.furtherConditions = long(19_000);
    expect(Buffer.byteLength(JSON.stringify(big))).toBeGreaterThan(1024 * 1024);
    const response = await targetProgrammteam.client.post('/api/kommunen/import?slug=musterstadt-kopie', big);
    expect(response.status, JSON.stringify(response.body).slice(0, 300)).toBe(201);
    expect(response.body.result.slug).toBe('musterstadt-kopie');
    const invalidSlug = await targetProgrammteam.client.post('/api/kommunen/import?slug=Nicht%20gut', bundle);
    expect(invalidSlug.status).toBe(400);
  });
});
