import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { user } from '../../../db/schema.ts';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../../../tests/support/factories.ts';
import { closeRoundConfirmed } from '../../../../tests/support/rounds.ts';

// The discussion per question and criterion (issue 14): notes visible to everyone of the round,
// with name and time; authors edit and delete their own; the Koordination settles a thread.

let runtime: TestRuntime;
let kommune: { id: string; slug: string };
let koordination: Person;
let amira: Person;
let bernd: Person;
let lesende: Person;
let prozessbegleitung: Person;
let base: string;

async function rename(person: Person, name: string) {
  await runtime.services.db.update(user).set({ name }).where(eq(user.id, person.userId));
}

beforeAll(async () => {
  runtime = await createTestRuntime();
  kommune = await makeKommune(runtime);
  koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
  amira = await makePerson(runtime, { kommune: { id: kommune.id, role: 'mitwirkende', fieldKeys: ['1'] } });
  bernd = await makePerson(runtime, { kommune: { id: kommune.id, role: 'mitwirkende', fieldKeys: ['1', '2'] } });
  lesende = await makePerson(runtime, { kommune: { id: kommune.id, role: 'lesende' } });
  prozessbegleitung = await makePerson(runtime, { programme: 'prozessbegleitung', assigned: [kommune.id] });
  await rename(koordination, 'Katrin Koordination');
  await rename(amira, 'Amira Schulamt');
  await rename(bernd, 'Bernd Sozialamt');
  const started = await koordination.client.post(`/api/kommunen/${kommune.slug}/rounds`, { workedFieldKeys: ['1', '2'] });
  expect(started.status).toBe(201);
  base = `/api/kommunen/${kommune.slug}/rounds/${started.body.round.number}`;
});
afterAll(() => runtime?.close());

const note = (key: string, body: string, kind = key.split('.').length === 3 ? 'question' : 'criterion') => ({ kind, key, body });

describe('notes on a question', () => {
  let amiraNoteId: string;

  it('a Mitwirkende writes a note; it comes back trimmed, with her name and time', async () => {
    const posted = await amira.client.post(`${base}/notes`, note('1.1.1', '  Gilt das auch für die Kitas?  '));
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    expect(posted.body.note).toMatchObject({ authorName: 'Amira Schulamt', body: 'Gilt das auch für die Kitas?', isMine: true, canChange: true, isDeleted: false, editedAt: null });
    expect(Date.parse(posted.body.note.createdAt)).not.toBeNaN();
    amiraNoteId = posted.body.note.id;
  });

  it('another Mitwirkende sees it with name and time and replies', async () => {
    const list = await bernd.client.get(`${base}/notes?kind=question&key=1.1.1`);
    expect(list.status).toBe(200);
    const [thread] = list.body.threads;
    expect(thread).toMatchObject({ kind: 'question', key: '1.1.1', fieldKey: '1', noteCount: 1, isOpen: true, settled: null });
    expect(thread.notes[0]).toMatchObject({ authorName: 'Amira Schulamt', body: 'Gilt das auch für die Kitas?', isMine: false, canChange: false });
    const reply = await bernd.client.post(`${base}/notes`, note('1.1.1', 'Ja, die Kitas gehören dazu.'));
    expect(reply.status).toBe(201);
    const again = await amira.client.get(`${base}/notes?kind=question&key=1.1.1`);
    expect(again.body.threads[0].notes.map((entry: { authorName: string; body: string }) => `${entry.authorName}: ${entry.body}`)).toEqual([
      'Amira Schulamt: Gilt das auch für die Kitas?',
      'Bernd Sozialamt: Ja, die Kitas gehören dazu.',
    ]);
  });

  it('the author edits her own note; it is marked as edited', async () => {
    const edited = await amira.client.put(`${base}/notes/${amiraNoteId}`, { body: 'Gilt das auch für die Kitas und Horte?' });
    expect(edited.status).toBe(200);
    expect(edited.body.note.body).toBe('Gilt das auch für die Kitas und Horte?');
    expect(edited.body.note.editedAt).not.toBeNull();
  });

  it('nobody edits or deletes another person’s note, not even the Koordination', async () => {
    for (const person of [bernd, koordination]) {
      const edited = await person.client.put(`${base}/notes/${amiraNoteId}`, { body: 'Überschrieben' });
      expect(edited.status).toBe(403);
      expect(edited.body.error.message).toBe('Sie können nur Ihre eigenen Notizen ändern oder löschen.');
      expect((await person.client.delete(`${base}/notes/${amiraNoteId}`)).status).toBe(403);
    }
    const list = await koordination.client.get(`${base}/notes?kind=question&key=1.1.1`);
    expect(list.body.threads[0].notes[0].body).toBe('Gilt das auch für die Kitas und Horte?');
  });

  it('a deleted note keeps its place without its text', async () => {
    const posted = await bernd.client.post(`${base}/notes`, note('1.1.2', 'Versehentlich hier geschrieben'));
    const deleted = await bernd.client.delete(`${base}/notes/${posted.body.note.id}`);
    expect(deleted.status).toBe(200);
    const list = await amira.client.get(`${base}/notes?kind=question&key=1.1.2`);
    expect(list.body.threads[0]).toMatchObject({ noteCount: 0, isOpen: false });
    expect(list.body.threads[0].notes[0]).toMatchObject({ authorName: 'Bernd Sozialamt', isDeleted: true, body: '' });
    expect(JSON.stringify(list.body)).not.toContain('Versehentlich');
    expect((await bernd.client.put(`${base}/notes/${posted.body.note.id}`, { body: 'wieder da' })).status).toBe(404);
  });

  it('the change log records posting, editing and deleting', async () => {
    const changes = await koordination.client.get(`${base}/changes`);
    const kinds = changes.body.changes.map((change: { kind: string; subject: string }) => `${change.kind} ${change.subject}`);
    expect(kinds).toEqual(expect.arrayContaining(['question-note 1.1.1', 'question-note 1.1.2']));
    const deletion = changes.body.changes.find((change: { subject: string; after: unknown }) => change.subject === '1.1.2' && JSON.stringify(change.after) === '{"status":"deleted"}');
    expect(deletion).toBeDefined();
  });

  it('a deleted note leaves no text in the change log, neither of its first nor of an edited version', async () => {
    const posted = await amira.client.post(`${base}/notes`, note('1.1.3', 'Fragen Sie mich gern.'));
    expect(posted.status).toBe(201);
    expect((await amira.client.put(`${base}/notes/${posted.body.note.id}`, { body: 'Fragen Sie mich gern: Tel. 0151 2345678' })).status).toBe(200);
    expect((await amira.client.delete(`${base}/notes/${posted.body.note.id}`)).status).toBe(200);
    const changes = await koordination.client.get(`${base}/changes`);
    expect(changes.status).toBe(200);
    expect(JSON.stringify(changes.body)).not.toMatch(/0151|Fragen Sie mich/);
    // Who, when, which question and what happened stay, oldest last.
    const logged = changes.body.changes.filter((change: { subject: string }) => change.subject === '1.1.3');
    expect(logged.map((change: { kind: string; changedByName: string; before: unknown; after: unknown }) => [change.kind, change.changedByName, change.before, change.after])).toEqual([
      ['question-note', 'Amira Schulamt', null, { status: 'deleted' }],
      ['question-note', 'Amira Schulamt', null, { status: 'edited' }],
      ['question-note', 'Amira Schulamt', null, { status: 'written' }],
    ]);
    expect(logged.every((change: { at: string }) => !Number.isNaN(Date.parse(change.at)))).toBe(true);
  });

  it('an edit leaves the earlier text in the change log neither', async () => {
    const posted = await bernd.client.post(`${base}/notes`, note('1.1.2', 'Meine private Nummer: 0170 9876543'));
    expect(posted.status).toBe(201);
    expect((await bernd.client.put(`${base}/notes/${posted.body.note.id}`, { body: 'Bitte rufen Sie das Sozialamt an.' })).status).toBe(200);
    const changes = await koordination.client.get(`${base}/changes`);
    expect(JSON.stringify(changes.body)).not.toMatch(/0170|private Nummer|Sozialamt an/);
    // Deleted again, so that 1.1.2 keeps only deleted notes for the counts below.
    expect((await bernd.client.delete(`${base}/notes/${posted.body.note.id}`)).status).toBe(200);
  });
});

describe('who may write where', () => {
  it('a Mitwirkende writes only on the questions and criteria of her fields', async () => {
    const refused = await amira.client.post(`${base}/notes`, note('2.1.1', 'Nicht mein Feld'));
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('Dieses Handlungsfeld ist Ihnen nicht zugewiesen.');
    expect((await amira.client.post(`${base}/notes`, note('2.1', 'Nicht mein Kriterium'))).status).toBe(403);
    // Reading the whole round is allowed: the list holds field 2 too once someone wrote there.
    expect((await bernd.client.post(`${base}/notes`, note('2.1.1', 'Frage an das Sozialamt'))).status).toBe(201);
    const all = await amira.client.get(`${base}/notes`);
    expect(all.body.threads.map((thread: { key: string }) => thread.key)).toContain('2.1.1');
    expect(all.body.writableFieldKeys).toEqual(['1']);
  });

  it('the Prozessbegleitung writes on every field but does not settle', async () => {
    expect((await prozessbegleitung.client.post(`${base}/notes`, note('2.1', 'Das kam im Workshop zur Sprache.'))).status).toBe(201);
    const settle = await prozessbegleitung.client.put(`${base}/threads/criterion/2.1`, { settled: true });
    expect(settle.status).toBe(403);
  });

  it('Lesende neither read nor write the discussion', async () => {
    expect((await lesende.client.get(`${base}/notes`)).status).toBe(403);
    expect((await lesende.client.post(`${base}/notes`, note('1.1.1', 'Ich auch'))).status).toBe(403);
  });
});

describe('bad input', () => {
  it('a question the round’s catalog does not have → 422 in German', async () => {
    const response = await koordination.client.post(`${base}/notes`, note('1.1.9', 'Gibt es nicht'));
    expect(response.status).toBe(422);
    expect(response.body.error.message).toBe('Diese Leitfrage oder dieses Kriterium gibt es in der Katalogversion der Runde nicht.');
    expect((await koordination.client.post(`${base}/notes`, note('9.9', 'Gibt es nicht'))).status).toBe(422);
    expect((await koordination.client.get(`${base}/notes?kind=question&key=9.9.9`)).status).toBe(422);
    expect((await koordination.client.put(`${base}/threads/question/9.9.9`, { settled: true })).status).toBe(422);
  });

  it('a text longer than 2,000 characters → 400 naming the field', async () => {
    const response = await koordination.client.post(`${base}/notes`, note('1.1.1', 'a'.repeat(2001)));
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe('Bitte prüfen Sie das Feld „Text“: höchstens 2.000 Zeichen');
    expect(response.body.error.fields.body).toBe('höchstens 2.000 Zeichen');
  });

  it('an empty text, a wrong kind, a key that does not fit the kind → 400', async () => {
    const empty = await koordination.client.post(`${base}/notes`, note('1.1.1', '   '));
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields.body).toBe('bitte einen Text eingeben');
    expect((await koordination.client.post(`${base}/notes`, { kind: 'field', key: '1', body: 'x' })).status).toBe(400);
    const mismatch = await koordination.client.post(`${base}/notes`, note('1.1', 'x', 'question'));
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.fields.key).toMatch(/Leitfragen haben drei Stellen/);
    expect((await koordination.client.put(`${base}/notes/keine-id`, { body: 'x' })).status).toBe(400);
  });

  it('an unknown note → 404', async () => {
    expect((await koordination.client.put(`${base}/notes/${crypto.randomUUID()}`, { body: 'x' })).status).toBe(404);
  });
});

describe('settling a thread', () => {
  it('the Koordination settles a criterion’s thread: it shows by whom and when, and nobody writes in it', async () => {
    expect((await amira.client.post(`${base}/notes`, note('1.2', 'Hier sind wir uns nicht einig.'))).status).toBe(201);
    const mine = (await amira.client.get(`${base}/notes?kind=criterion&key=1.2`)).body.threads[0].notes[0];
    const refused = await amira.client.put(`${base}/threads/criterion/1.2`, { settled: true });
    expect(refused.status).toBe(403);
    const settled = await koordination.client.put(`${base}/threads/criterion/1.2`, { settled: true });
    expect(settled.status).toBe(200);
    expect(settled.body.thread.settled).toMatchObject({ byName: 'Katrin Koordination' });
    const list = await amira.client.get(`${base}/notes?kind=criterion&key=1.2`);
    expect(list.body.threads[0]).toMatchObject({ isOpen: false, settled: { byName: 'Katrin Koordination' } });
    expect(list.body.threads[0].notes[0].canChange).toBe(false);
    const late = await bernd.client.post(`${base}/notes`, note('1.2', 'Noch etwas'));
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/als erledigt markiert/);
    expect((await amira.client.put(`${base}/notes/${mine.id}`, { body: 'geändert' })).status).toBe(409);
  });

  it('settling twice changes nothing; opening again lets people write', async () => {
    expect((await koordination.client.put(`${base}/threads/criterion/1.2`, { settled: true })).status).toBe(200);
    const reopened = await koordination.client.put(`${base}/threads/criterion/1.2`, { settled: false });
    expect(reopened.status).toBe(200);
    expect(reopened.body.thread.settled).toBeNull();
    expect((await bernd.client.post(`${base}/notes`, note('1.2', 'Noch etwas'))).status).toBe(201);
    const changes = (await koordination.client.get(`${base}/changes`)).body.changes.filter((change: { kind: string }) => change.kind === 'criterion-thread');
    expect(changes.map((change: { after: { status: string } }) => change.after.status)).toEqual(['open', 'settled']);
  });

  it('a thread without a note cannot be settled', async () => {
    const response = await koordination.client.put(`${base}/threads/question/1.3.1`, { settled: true });
    expect(response.status).toBe(409);
  });

  it('open threads are counted per field', async () => {
    const list = await koordination.client.get(`${base}/notes`);
    // Field 1: 1.1.1 and 1.2 (1.1.2 has only a deleted note); field 2: 2.1.1 and 2.1.
    expect(list.body.openByField).toEqual({ '1': 2, '2': 2 });
    expect(list.body.canSettle).toBe(true);
    const field2 = await koordination.client.get(`${base}/notes?field=2`);
    expect(field2.body.threads.map((thread: { key: string }) => thread.key).sort()).toEqual(['2.1', '2.1.1']);
  });
});

describe('the posting limit', () => {
  it('after 30 notes in ten minutes a person gets 429 with a German message; others still write', async () => {
    const busy = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
    for (let index = 0; index < 30; index++) {
      expect((await busy.client.post(`${base}/notes`, note('1.4', `Notiz ${index + 1}`))).status).toBe(201);
    }
    const refused = await busy.client.post(`${base}/notes`, note('1.4', 'Eine zu viel'));
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toMatch(/^Sie haben in den letzten zehn Minuten sehr viele Notizen geschrieben/);
    expect((await koordination.client.post(`${base}/notes`, note('1.4', 'Ich darf noch'))).status).toBe(201);
  });

  it('holds for notes sent at once: of 35 parallel posts exactly 30 are kept (counted and written under one lock per person)', async () => {
    const hasty = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
    const posted = await Promise.all(Array.from({ length: 35 }, (_, index) => hasty.client.post(`${base}/notes`, note('1.4', `Gleichzeitig ${index + 1}`))));
    expect(posted.filter((response) => response.status === 201)).toHaveLength(30);
    expect(posted.filter((response) => response.status === 429)).toHaveLength(5);
  });
});

describe('a closed round', () => {
  it('is read only: no notes, no edits, no settling; the notes stay readable', async () => {
    const mine = await bernd.client.post(`${base}/notes`, note('1.3.1', 'Kurz vor Schluss'));
    expect(mine.status).toBe(201);
    expect((await closeRoundConfirmed(koordination.client, kommune.slug, Number(base.split('/').at(-1)))).status).toBe(200);
    const posted = await bernd.client.post(`${base}/notes`, note('1.3.1', 'Zu spät'));
    expect(posted.status).toBe(409);
    expect(posted.body.error.message).toMatch(/abgeschlossen/);
    expect((await bernd.client.put(`${base}/notes/${mine.body.note.id}`, { body: 'Zu spät' })).status).toBe(409);
    expect((await bernd.client.delete(`${base}/notes/${mine.body.note.id}`)).status).toBe(409);
    expect((await koordination.client.put(`${base}/threads/question/1.3.1`, { settled: true })).status).toBe(409);
    const list = await bernd.client.get(`${base}/notes`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ canSettle: false, writableFieldKeys: [] });
    expect(list.body.threads.find((thread: { key: string }) => thread.key === '1.3.1').notes[0]).toMatchObject({ body: 'Kurz vor Schluss', canChange: false });
  });
});
