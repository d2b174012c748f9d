import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../domain/access.ts';
import type { Bundle } from '../domain/bundle.ts';
import { DomainError } from '../domain/errors.ts';
import { roundChange, user } from '../db/schema.ts';
import { findKommuneWithRound } from '../db/repositories/round-repository.ts';
import { createTestRuntime, type TestRuntime } from '../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../tests/support/factories.ts';
import { listDiscussion } from './discuss-round.ts';
import { exportKommune, importKommune } from './transfer-kommune.ts';

// The discussion travels with its round in the Kommune bundle (issue 14): notes with author, name
// and times (edited, deleted), settled threads with by whom and when; older bundles without them
// import as rounds without a discussion.

const operator: Actor = { userId: 'cli', programmeRole: 'programmteam', assignedKommuneIds: [], memberships: [] };

let source: TestRuntime;
let target: TestRuntime;
let kommune: { id: string; slug: string };
let koordination: Person;
let mitwirkende: Person;
let bundle: Bundle;

beforeAll(async () => {
  [source, target] = await Promise.all([createTestRuntime(), createTestRuntime()]);
  kommune = await makeKommune(source, 'Notizstadt');
  koordination = await makePerson(source, { kommune: { id: kommune.id, role: 'koordination' } });
  mitwirkende = await makePerson(source, { kommune: { id: kommune.id, role: 'mitwirkende', fieldKeys: ['1'] } });
  await source.services.db.update(user).set({ name: 'Katrin Koordination' }).where(eq(user.id, koordination.userId));
  await source.services.db.update(user).set({ name: 'Mira Mitwirkende' }).where(eq(user.id, mitwirkende.userId));
  const base = `/api/kommunen/${kommune.slug}/rounds/1`;
  expect((await koordination.client.post(`/api/kommunen/${kommune.slug}/rounds`, { workedFieldKeys: ['1', '2'] })).status).toBe(201);
  const first = await mitwirkende.client.post(`${base}/notes`, { kind: 'question', key: '1.1.1', body: 'Gilt das auch für Eigenbetriebe?' });
  expect(first.status).toBe(201);
  expect((await mitwirkende.client.put(`${base}/notes/${first.body.note.id}`, { body: 'Gilt das auch für die Eigenbetriebe?' })).status).toBe(200);
  expect((await koordination.client.post(`${base}/notes`, { kind: 'question', key: '1.1.1', body: 'Ja, die gehören dazu.\nSiehe Satzung.' })).status).toBe(201);
  const deleted = await mitwirkende.client.post(`${base}/notes`, { kind: 'criterion', key: '1.2', body: 'Falsche Stelle' });
  expect((await mitwirkende.client.delete(`${base}/notes/${deleted.body.note.id}`)).status).toBe(200);
  expect((await koordination.client.post(`${base}/notes`, { kind: 'criterion', key: '2.1', body: 'Bitte gemeinsam einschätzen.' })).status).toBe(201);
  expect((await koordination.client.put(`${base}/threads/question/1.1.1`, { settled: true })).status).toBe(200);
  bundle = await exportKommune(source.services, operator, kommune.slug);
});
afterAll(async () => {
  await source?.close();
  await target?.close();
});

const withoutExportTime = (value: Bundle) => ({ ...value, exportedAt: undefined });

describe('the discussion in the Kommune bundle', () => {
  it('is exported with its round: author by e-mail, name, text and times; deleted notes without text; settled threads', () => {
    const [round] = bundle.rounds;
    expect(round!.notes.map((note) => [note.kind, note.key, note.author, note.authorName, note.body, note.editedAt !== null, note.deletedAt !== null])).toEqual([
      ['question', '1.1.1', mitwirkende.email, 'Mira Mitwirkende', 'Gilt das auch für die Eigenbetriebe?', true, false],
      ['question', '1.1.1', koordination.email, 'Katrin Koordination', 'Ja, die gehören dazu.\nSiehe Satzung.', false, false],
      ['criterion', '1.2', mitwirkende.email, 'Mira Mitwirkende', '', false, true],
      ['criterion', '2.1', koordination.email, 'Katrin Koordination', 'Bitte gemeinsam einschätzen.', false, false],
    ]);
    expect(round!.settledThreads).toEqual([{ kind: 'question', key: '1.1.1', settledAt: expect.any(String), settledBy: koordination.email, settledByName: 'Katrin Koordination' }]);
    expect(round!.changes.map((change) => change.kind)).toEqual(expect.arrayContaining(['question-note', 'criterion-note', 'question-thread']));
  });

  it('comes back the same after an import into another installation, and reads there as it did', async () => {
    const result = await importKommune(target.services, operator, JSON.parse(JSON.stringify(bundle)));
    expect(result.slug).toBe(kommune.slug);
    const again = await exportKommune(target.services, operator, kommune.slug);
    expect(withoutExportTime(again)).toEqual(withoutExportTime(bundle));
    const discussion = await listDiscussion(target.services, operator, kommune.slug, 1);
    const thread = discussion.threads.find((entry) => entry.kind === 'question' && entry.key === '1.1.1')!;
    expect(thread).toMatchObject({ noteCount: 2, isOpen: false, settled: { byName: 'Katrin Koordination' } });
    expect(thread.notes.map((note) => note.authorName)).toEqual(['Mira Mitwirkende', 'Katrin Koordination']);
    expect(discussion.openByField).toEqual({ '2': 1 });
  });

  it('an older bundle without notes and settled threads imports with an empty discussion', async () => {
    const older = JSON.parse(JSON.stringify(bundle)) as Record<string, unknown> & { rounds: Record<string, unknown>[]; kommune: Record<string, unknown> };
    for (const round of older.rounds) {
      delete round.notes;
      delete round.settledThreads;
      round.changes = (round.changes as { kind: string }[]).filter((change) => !change.kind.includes('-'));
    }
    const result = await importKommune(target.services, operator, older, { slug: 'notizstadt-alt' });
    const discussion = await listDiscussion(target.services, operator, result.slug, 1);
    expect(discussion.threads).toEqual([]);
  });

  it.each([
    ['a note on a question the catalog does not have', (copy: Bundle) => (copy.rounds[0]!.notes[0]!.key = '1.1.9'), '$.rounds[0].notes[0].key', 'gibt es in der Katalogversion'],
    ['a note on a field the round does not work', (copy: Bundle) => (copy.rounds[0]!.notes[0]!.key = '3.1.1'), '$.rounds[0].notes[0].key', 'nicht bearbeitet'],
    ['a question key with kind criterion', (copy: Bundle) => (copy.rounds[0]!.notes[0]!.kind = 'criterion'), '$.rounds[0].notes[0].key', 'kein Schlüssel eines Kriteriums'],
    ['an empty note that is not deleted', (copy: Bundle) => (copy.rounds[0]!.notes[0]!.body = '  '), '$.rounds[0].notes[0].body', 'bitte einen Text eingeben'],
    ['a deleted note that still has its text', (copy: Bundle) => (copy.rounds[0]!.notes[2]!.body = 'noch da'), '$.rounds[0].notes[2].body', 'gelöschte Notiz'],
    ['an author who is not in people', (copy: Bundle) => (copy.rounds[0]!.notes[0]!.author = 'fremd@example.org'), '$.rounds[0].notes[0].author', 'steht nicht in „people“'],
    ['a thread settled twice', (copy: Bundle) => copy.rounds[0]!.settledThreads.push({ ...copy.rounds[0]!.settledThreads[0]! }), '$.rounds[0].settledThreads[1]', 'zweimal'],
    ['a note longer than 2,000 characters', (copy: Bundle) => (copy.rounds[0]!.notes[0]!.body = 'a'.repeat(2001)), '$.rounds[0].notes[0].body', 'höchstens 2.000 Zeichen'],
  ])('%s is refused naming its path, nothing imported', async (_name, change, path, message) => {
    const copy = structuredClone(bundle);
    change(copy);
    const error = await importKommune(target.services, operator, copy, { slug: 'nicht-da' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).detail?.field).toBe(path);
    expect((error as DomainError).message).toContain(message);
    expect(await exportKommune(target.services, operator, 'nicht-da').catch((caught: unknown) => (caught as DomainError).code)).toBe('kommune-not-found');
  });
});

// A person who deletes her note means it (issue 14, security review): the change log keeps who, when,
// which question or criterion and what happened, never the text, so neither it nor the bundle holds
// a deleted note's text or an edited note's earlier version.
describe('a note’s text in the change log of the bundle', () => {
  it('the export carries neither a deleted note’s text nor an earlier version of an edited one', () => {
    const text = JSON.stringify(bundle);
    expect(text).not.toContain('Falsche Stelle');
    expect(text).not.toContain('Gilt das auch für Eigenbetriebe?');
    const noteChanges = bundle.rounds[0]!.changes.filter((change) => change.kind.endsWith('-note'));
    expect(noteChanges.map((change) => [change.kind, change.subject, change.by, change.before, change.after])).toEqual([
      ['question-note', '1.1.1', mitwirkende.email, null, { status: 'written' }],
      ['question-note', '1.1.1', mitwirkende.email, null, { status: 'edited' }],
      ['question-note', '1.1.1', koordination.email, null, { status: 'written' }],
      ['criterion-note', '1.2', mitwirkende.email, null, { status: 'written' }],
      ['criterion-note', '1.2', mitwirkende.email, null, { status: 'deleted' }],
      ['criterion-note', '2.1', koordination.email, null, { status: 'written' }],
    ]);
  });

  it('an entry logged with the text before this rule is exported without it', async () => {
    const found = await findKommuneWithRound(source.services.db, kommune.slug, 1);
    await source.services.db.insert(roundChange).values([
      { roundId: found!.round!.id, changedBy: mitwirkende.userId, kind: 'criterion-note', subject: '1.2', before: null, after: { note: 'Altes Geheimnis 0151 111' } },
      { roundId: found!.round!.id, changedBy: mitwirkende.userId, kind: 'criterion-note', subject: '1.2', before: { note: 'Altes Geheimnis 0151 111' }, after: { status: 'deleted' } },
    ]);
    const again = await exportKommune(source.services, operator, kommune.slug);
    expect(JSON.stringify(again)).not.toContain('Altes Geheimnis');
    expect(again.rounds[0]!.changes.slice(-2).map((change) => [change.before, change.after])).toEqual([
      [null, { status: 'written' }],
      [null, { status: 'deleted' }],
    ]);
  });

  it('an older bundle whose change log holds note texts is imported without them', async () => {
    const older = structuredClone(bundle);
    older.rounds[0]!.changes.push(
      { at: '2026-11-01T10:00:00.000Z', by: mitwirkende.email, kind: 'question-note', subject: '1.1.1', before: null, after: { note: 'Erste Fassung mit Telefonnummer' } },
      { at: '2026-11-01T10:05:00.000Z', by: mitwirkende.email, kind: 'question-note', subject: '1.1.1', before: { note: 'Erste Fassung mit Telefonnummer' }, after: { note: 'Zweite Fassung' } },
      { at: '2026-11-01T10:09:00.000Z', by: mitwirkende.email, kind: 'question-note', subject: '1.1.1', before: { note: 'Zweite Fassung' }, after: { status: 'deleted' } },
    );
    const result = await importKommune(target.services, operator, older, { slug: 'notizstadt-protokoll' });
    const again = await exportKommune(target.services, operator, result.slug);
    expect(JSON.stringify(again)).not.toMatch(/Telefonnummer|Zweite Fassung/);
    expect(again.rounds[0]!.changes.slice(-3).map((change) => change.after)).toEqual([{ status: 'written' }, { status: 'edited' }, { status: 'deleted' }]);
  });
});

// Imported notes are credited by e-mail (security review): the name shown is that of the account the
// e-mail is matched with, never a name the bundle writes next to it; the person so named sees the note
// as hers (isMine), so she can delete words a bundle put in her mouth.
describe('the names of imported notes and settled threads', () => {
  it('follow the credited account, not the bundle’s authorName or settledByName', async () => {
    const elsewhere = await makeKommune(target, 'Andere Stadt');
    const olga = await makePerson(target, { kommune: { id: elsewhere.id, role: 'koordination' } });
    await target.services.db.update(user).set({ name: 'Olga Andere' }).where(eq(user.id, olga.userId));
    const forged = structuredClone(bundle);
    forged.people.push({ email: olga.email, name: 'Programmteam (offiziell)', role: 'mitwirkende', fieldKeys: ['1'] });
    const [first, second, , fourth] = forged.rounds[0]!.notes;
    first!.authorName = 'Katrin Koordination';
    Object.assign(second!, { author: olga.email, authorName: 'Programmteam (offiziell)' });
    // An author whose account was deleted (null): the bundle's name is all there is.
    Object.assign(fourth!, { author: null, authorName: 'Ehemalige Mitarbeiterin' });
    Object.assign(forged.rounds[0]!.settledThreads[0]!, { settledBy: olga.email, settledByName: 'Programmteam (offiziell)' });
    const result = await importKommune(target.services, operator, forged, { slug: 'notizstadt-namen' });

    const discussion = await listDiscussion(target.services, operator, result.slug, 1);
    const byKey = (key: string) => discussion.threads.find((thread) => thread.key === key)!;
    expect(byKey('1.1.1').notes.map((note) => note.authorName)).toEqual(['Mira Mitwirkende', 'Olga Andere']);
    expect(byKey('1.1.1').settled).toMatchObject({ byName: 'Olga Andere' });
    expect(byKey('2.1').notes.map((note) => note.authorName)).toEqual(['Ehemalige Mitarbeiterin']);
    expect(JSON.stringify(discussion)).not.toContain('Programmteam (offiziell)');

    const asOlga = await olga.client.get(`/api/kommunen/${result.slug}/rounds/1/notes?kind=question&key=1.1.1`);
    expect(asOlga.status).toBe(200);
    expect(asOlga.body.threads[0].notes.map((note: { authorName: string; isMine: boolean }) => [note.authorName, note.isMine])).toEqual([
      ['Mira Mitwirkende', false],
      ['Olga Andere', true],
    ]);
    // The account keeps its own name; the bundle's name for it is not taken over.
    const [account] = await target.services.db.select({ name: user.name }).from(user).where(eq(user.id, olga.userId));
    expect(account!.name).toBe('Olga Andere');
  });
});
