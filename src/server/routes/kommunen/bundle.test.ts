import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadDemo } from '../../../services/load-demo.ts';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { makeKommune, makePerson, testPassword, type Person } from '../../../../tests/support/factories.ts';
import { TestClient } from '../../../../tests/support/http.ts';
import { minimalDocx, minimalPdf, uploadBeleg } from '../../../../tests/support/belege.ts';

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
  empty = await makeKommune(target, 'Leerstadt', 'Stadt', { modules: [1, 2, 3] });
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
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="weltoffen-musterstadt-\d{4}-\d{2}-\d{2}\.zip"$/);
    expect(response.headers.get('content-type')).toBe('application/zip');
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

  it('a Koordination may not fill its own empty Kommune either: only the Programmteam imports', async () => {
    const response = await targetKoordination.client.post(`/api/kommunen/${empty.slug}/bundle`, bundle);
    expect(response.status).toBe(403);
    const overview = await targetKoordination.client.get(`/api/kommunen/${empty.slug}`);
    expect(overview.body.canImportBundle).toBe(false);
  });

  it('anything but a JSON object is refused in German', async () => {
    const notJson = await targetProgrammteam.client.request('POST', `/api/kommunen/${empty.slug}/bundle`, '{"format": ', { 'content-type': 'application/json' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.message).toBe('Der Inhalt der Anfrage ist kein gültiges JSON.');
    const list = await targetProgrammteam.client.post(`/api/kommunen/${empty.slug}/bundle`, [1, 2]);
    expect(list.status).toBe(400);
  });

  it('a broken bundle gets 400 naming the JSON path, and the Kommune stays empty', async () => {
    const broken = structuredClone(bundle) as { rounds: { answers: { value: unknown }[] }[] };
    broken.rounds[0]!.answers[2]!.value = 42;
    const response = await targetProgrammteam.client.post(`/api/kommunen/${empty.slug}/bundle`, broken);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('bundle-invalid');
    expect(response.body.error.message).toContain('$.rounds[0].answers[2].value');
    expect(response.body.error.fields).toHaveProperty(['$.rounds[0].answers[2].value']);
    const rounds = await targetKoordination.client.get(`/api/kommunen/${empty.slug}/rounds`);
    expect(rounds.body.rounds).toEqual([]);
  });

  it('the Programmteam fills the empty Kommune from it; people come without passwords', async () => {
    const response = await targetProgrammteam.client.post(`/api/kommunen/${empty.slug}/bundle`, bundle);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.result).toMatchObject({ slug: empty.slug, name: 'Leerstadt', rounds: 1, peopleCreated: 5, offersSkipped: [] });
    const status = await targetProgrammteam.client.get('/api/kommunen/import/status');
    expect(status.body.import).toMatchObject({ status: 'done', result: { slug: empty.slug } });
    expect(status.body.import.done).toBe(status.body.import.total);
    // The Koordination does not see another person's import.
    expect((await targetKoordination.client.get('/api/kommunen/import/status')).body.import).toBeNull();
    const again = await targetKoordination.client.get(`/api/kommunen/${empty.slug}/bundle`);
    // The Kommune's own master data stays; everything else is the bundle's.
    for (const part of ['documents', 'rounds'] as const) expect(again.body[part], part).toEqual(bundle[part]);
    expect(again.body.offers).toEqual(bundle.offers);
    expect(again.body.people).toEqual(expect.arrayContaining((bundle.people as object[]).map((person) => expect.objectContaining(person))));
  });

  it('a second upload into the now filled Kommune is refused with 409', async () => {
    const response = await targetProgrammteam.client.post(`/api/kommunen/${empty.slug}/bundle`, bundle);
    expect(response.status).toBe(409);
    expect(response.body.error.message).toMatch(/nur einmal und nur in eine leere Kommune/);
  });

  it('an imported person gets access through an invitation that sets the first password', async () => {
    const email = 'sozialamt@musterstadt.example';
    const cannot = await new TestClient(target, '198.51.100.90').signIn(email, testPassword);
    expect(cannot.status).toBe(401);
    const invited = await targetKoordination.client.post(`/api/kommunen/${empty.slug}/invitations`, { email, role: 'mitwirkende', fieldKeys: ['2', '6'] });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    const token = linkFromLog(email);
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
    const token = linkFromLog(email);
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
    // The body is parsed in a worker thread: JSON.parse of megabytes here would stop every other request meanwhile.
    const parse = vi.spyOn(JSON, 'parse');
    let parsedHere: number[] = [];
    const response = await targetProgrammteam.client.post('/api/kommunen/import?slug=musterstadt-kopie', big).finally(() => {
      parsedHere = parse.mock.calls.map(([text]) => String(text).length);
      parse.mockRestore();
    });
    expect(response.status, JSON.stringify(response.body).slice(0, 300)).toBe(201);
    expect(parsedHere.length).toBeGreaterThan(0);
    expect(parsedHere.filter((length) => length > 100_000)).toEqual([]);
    expect(response.body.result.slug).toBe('musterstadt-kopie');
    const invalidSlug = await targetProgrammteam.client.post('/api/kommunen/import?slug=Nicht%20gut', bundle);
    expect(invalidSlug.status).toBe(400);
  });

  it('a second new Kommune from a bundle with the same Gemeindeschlüssel is refused with 409, naming and linking the first', async () => {
    const again = await targetProgrammteam.client.post('/api/kommunen/import?slug=musterstadt-zweimal', bundle);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('gemeindeschluessel-taken');
    expect(again.body.error.message).toBe('Die Kommune „Stadt Musterstadt“ hat bereits den Amtlichen Gemeindeschlüssel 15099999. Jede Kommune wird nur einmal angelegt.');
    expect(again.body.current).toMatchObject({ slug: 'musterstadt-kopie', name: 'Musterstadt' });
    expect((await targetProgrammteam.client.get('/api/kommunen/musterstadt-zweimal')).status).toBe(404);
  });
});

/** The invitation link for an existing account goes only to its address (here: the log, without SMTP). */
function linkFromLog(email: string): string {
  const line = [...target.logs].reverse().find((entry) => entry.includes(email) && /\/einladung\//.test(entry));
  if (!line) throw new Error(`Kein Einladungslink für ${email} im Protokoll`);
  return line.match(/\/einladung\/([A-Za-z0-9_-]+)/)![1]!;
}

/** A request body that is produced only as the server reads it, and counts how much it read. */
function meteredBody(totalBytes: number, gate?: Promise<void>) {
  const chunk = new TextEncoder().encode(' '.repeat(1024 * 1024));
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (gate) await gate;
        if (pulled >= totalBytes) return controller.close();
        pulled += chunk.length;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}

async function postStream(client: TestClient, path: string, body: ReadableStream<Uint8Array>) {
  const init = { method: 'POST', headers: { cookie: client.cookieHeader, 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.60' }, body, duplex: 'half' } as RequestInit;
  const response = await target.app.request(`http://localhost:3000${path}`, init);
  return { status: response.status, headers: response.headers, body: await response.json() };
}

describe('bundle uploads and the memory of the server', () => {
  it('the 40 MB upload of someone who may not import is refused with 403 before any of it is read', async () => {
    const lesende = await makePerson(target, { kommune: { id: empty.id, role: 'lesende' } });
    for (const [person, path] of [
      [lesende, '/api/kommunen/import'],
      [lesende, `/api/kommunen/${empty.slug}/bundle`],
      [targetKoordination, `/api/kommunen/${empty.slug}/bundle`],
    ] as const) {
      const body = meteredBody(40 * 1024 * 1024);
      const response = await postStream(person.client, path, body.stream);
      expect(response.status, path).toBe(403);
      expect(response.body.error.message).toMatch(/Berechtigung/);
      expect(body.pulled(), path).toBe(0);
    }
  });

  it('one person uploads one bundle at a time: a second upload meanwhile gets 429 with Retry-After', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const slow = meteredBody(2 * 1024 * 1024, gate);
    const first = postStream(targetProgrammteam.client, '/api/kommunen/import?slug=langsam', slow.stream);
    // Let the first request reach the reading of its body.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await targetProgrammteam.client.post('/api/kommunen/import?slug=parallel', { format: 'weltoffen-kommune-bundle' });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(second.body.error.message).toMatch(/gerade schon ein Paket/);
    open();
    // Spaces only: not JSON, refused in German once read.
    expect((await first).status).toBe(400);
    // Afterwards the next upload is read again.
    const third = await targetProgrammteam.client.post('/api/kommunen/import?slug=danach', { format: 'weltoffen-kommune-bundle' });
    expect(third.status).toBe(400);
    expect(third.body.error.code).toBe('bundle-invalid');
  });

  it('the name rules of the form hold for the API too: bidi overrides and zero-width characters are refused', async () => {
    for (const name of ['Muster\u202Estadt', 'Muster\u200Bstadt', '<script>x</script>']) {
      const response = await targetProgrammteam.client.post('/api/kommunen', { name, kind: 'Stadt', bundesland: 'Sachsen-Anhalt', gemeindeschluessel: null, modules: [1] });
      expect(response.status, name).toBe(400);
      expect(response.body.error.fields.name).toMatch(/keine Steuer/);
    }
  });
});

describe('the ZIP file of format version 2 over HTTP', () => {
  it('the Koordination downloads its Kommune with a Beleg; the Programmteam fills an empty Kommune from that file, the Beleg byte for byte', async () => {
    const pdf = minimalPdf(300_000);
    const beleg = await uploadBeleg(sourceKoordination.client, 'musterstadt', pdf, { title: 'Ratsbeschluss zum Zip-Test' });
    const download = await sourceKoordination.client.get('/api/kommunen/musterstadt/bundle');
    expect(download.status).toBe(200);
    expect(download.body.formatVersion).toBe(2);
    expect(download.body.belege.map((entry: { title: string }) => entry.title)).toContain('Ratsbeschluss zum Zip-Test');

    const zipstadt = await makeKommune(target, 'Zipstadt', 'Stadt', { modules: [1, 2, 3] });
    const imported = await targetProgrammteam.client.request('POST', `/api/kommunen/${zipstadt.slug}/bundle`, download.bytes!, { 'content-type': 'application/zip' });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect(imported.body.result.belege).toBe(download.body.belege.length);

    const list = await targetProgrammteam.client.get(`/api/kommunen/${zipstadt.slug}/belege`);
    const copied = list.body.documents.find((document: { title: string }) => document.title === 'Ratsbeschluss zum Zip-Test');
    expect(copied.current.sha256).toBe(beleg.current.sha256);
    const file = await target.app.request(`http://localhost:3000/api/kommunen/${zipstadt.slug}/belege/${copied.id}/versions/1`, { headers: { cookie: targetProgrammteam.client.cookieHeader, 'x-forwarded-for': '198.51.100.9' } });
    expect(file.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await file.arrayBuffer()), Buffer.from(pdf))).toBe(0);
  });

  it('a body that is neither JSON nor ZIP gets 400 naming the two; a ZIP that is no bundle gets 400, and nothing is created', async () => {
    const kommunen = (await targetProgrammteam.client.get('/api/kommunen')).body;
    const text = await targetProgrammteam.client.request('POST', '/api/kommunen/import', new TextEncoder().encode('Hallo'), { 'content-type': 'text/plain' });
    expect(text.status).toBe(400);
    expect(text.body.error.message).toContain('die ZIP-Datei des Exports (Content-Type: application/zip) oder JSON');
    const notBundle = await targetProgrammteam.client.request('POST', '/api/kommunen/import', minimalDocx(), { 'content-type': 'application/zip' });
    expect(notBundle.status).toBe(400);
    expect(notBundle.body.error.message).toContain('keine Datei „bundle.json“');
    const garbage = await targetProgrammteam.client.request('POST', '/api/kommunen/import', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), { 'content-type': 'application/zip' });
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.message).toContain('beschädigt oder unvollständig');
    expect((await targetProgrammteam.client.get('/api/kommunen')).body).toEqual(kommunen);
  });
});
