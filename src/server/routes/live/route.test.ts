import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeAlphabet, formatCode, liveLimits } from '../../../domain/live-session.ts';
import { readLiveEvents } from '../../../services/run-live-session.ts';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../../../tests/support/factories.ts';
import { TestClient } from '../../../../tests/support/http.ts';

// The live session (issue 16): the Moderation opens it for a documented workshop, participants join
// by code without an account, post cards and give points, the close writes the workshop documentation.

let runtime: TestRuntime;
let kommune: { id: string; slug: string };
let koordination: Person;
let base: string;
const workshopId = 'workshop-live-2026';
let addressCounter = 0;

/** A phone: its own address, so the join limit of one does not hit another. */
const phone = () => new TestClient(runtime, `192.0.2.${++addressCounter}`);

async function documentWorkshop(person: Person, slug: string, fields: unknown[] = []) {
  const saved = await person.client.put(`/api/kommunen/${slug}/documents/workshops`, {
    content: { workshops: [{ id: workshopId, roundNumber: null, date: '2026-11-30', title: 'Workshop Willkommenskultur', fields }] },
    expectedVersion: 0,
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
}

async function openSession(fieldKeys = ['1', '4'], extra: Record<string, unknown> = {}) {
  const created = await koordination.client.post(`/api/kommunen/${kommune.slug}/live-sessions`, { workshopId, fieldKeys, ...extra });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { session: { id: string; code: string }; joinUrl: string; qrSvg: string; lastEventId: number };
}

async function join(client: TestClient, code: string, displayName = '', nameConsent = false) {
  return client.post('/api/live/join', { code, displayName, nameConsent });
}

beforeAll(async () => {
  runtime = await createTestRuntime();
  kommune = await makeKommune(runtime);
  koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
  await documentWorkshop(koordination, kommune.slug, [{ fieldKey: '4', worksWell: ['Schon vorher notiert'] }]);
  base = `/api/kommunen/${kommune.slug}/live-sessions`;
});
afterAll(() => runtime?.close());

describe('a whole live session', () => {
  let sessionId: string;
  let code: string;
  const erika = () => phones[0]!;
  const phones: TestClient[] = [];
  let needA: string;
  let needB: string;

  it('the Koordination opens a session: a code of 10 characters, a join link and a QR code', async () => {
    const opened = await openSession();
    sessionId = opened.session.id;
    code = opened.session.code;
    expect(code).toMatch(new RegExp(`^[${codeAlphabet}]{10}$`));
    expect(opened.joinUrl).toBe(`http://localhost:3000/live/${formatCode(code)}`);
    expect(opened.qrSvg).toMatch(/^<svg/);
    expect(opened.session).toMatchObject({ phase: 'ergebnisse', status: 'offen', votesPerParticipant: 5, maxVotesPerCard: 3, workshopTitle: 'Workshop Willkommenskultur' });
    const again = await koordination.client.post(base, { workshopId, fieldKeys: ['1'] });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('läuft schon eine Live-Sitzung');
    const list = await koordination.client.get(base);
    expect(list.body.sessions).toEqual([expect.objectContaining({ id: sessionId, status: 'offen', participantCount: 0, cardCount: 0 })]);
  });

  it('a workshop that is not documented gets a German 404', async () => {
    const missing = await koordination.client.post(base, { workshopId: 'workshop-unknown', fieldKeys: ['1'] });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('Diesen Workshop gibt es in der Dokumentation der Kommune nicht.');
  });

  it('participants join with the code typed in lower case with spaces; the cookie is HttpOnly, SameSite=Strict, on /api/live', async () => {
    phones.push(phone(), phone(), phone());
    const joined = await join(erika(), code.toLowerCase().replace(/(.{4})/g, '$1 '), 'Erika Beispiel', true);
    expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    const cookie = joined.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^wo_live=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/api\/live/);
    expect(joined.body.session).toMatchObject({ id: sessionId, phase: 'ergebnisse', kommuneTitle: expect.any(String) });
    expect(joined.body.session.fields.map((field: { key: string }) => field.key)).toEqual(['1', '4']);
    expect((await join(phones[1]!, code, 'Bernd')).status).toBe(201);
    expect((await join(phones[2]!, formatCode(code))).status).toBe(201);
  });

  it('an unknown code, and no cookie, are refused in German', async () => {
    const unknown = await join(phone(), 'ABCD-EFGH-JK');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('Diesen Sitzungscode gibt es nicht');
    const malformed = await join(phone(), 'abc');
    expect(malformed.status).toBe(400);
    expect((await phone().get('/api/live/session')).status).toBe(401);
  });

  it('cards only in the phase „Sammeln“; the same clientId twice gives one card', async () => {
    const clientId = randomUUID();
    const early = await erika().post('/api/live/cards', { clientId, fieldKey: '1', questionIndex: 0, text: 'Gute Beratung' });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('Sammeln');
    expect((await koordination.client.request('PATCH', `${base}/${sessionId}`, { phase: 'sammeln' })).status).toBe(200);
    const first = await erika().post('/api/live/cards', { clientId, fieldKey: '1', questionIndex: 0, text: 'Gute Beratung' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.authorName).toBeNull();
    const second = await erika().post('/api/live/cards', { clientId, fieldKey: '1', questionIndex: 0, text: 'Gute Beratung' });
    expect(second.body.id).toBe(first.body.id);
    const outside = await erika().post('/api/live/cards', { clientId: randomUUID(), fieldKey: '7', questionIndex: 0, text: 'Anderes Feld' });
    expect(outside.status).toBe(400);
    needA = (await erika().post('/api/live/cards', { clientId: randomUUID(), fieldKey: '1', questionIndex: 2, text: 'Mehr Sprachmittlung' })).body.id;
    needB = (await phones[1]!.post('/api/live/cards', { clientId: randomUUID(), fieldKey: '1', questionIndex: 2, text: 'Sprachmittlung ausbauen' })).body.id;
    const state = await erika().get('/api/live/session');
    expect(state.body.cards).toHaveLength(3);
    expect(state.body.myClientIds).toContain(clientId);
    // The session's own code, as shown, so a phone can tell a second session's QR link from it.
    const moderation = await koordination.client.get(`${base}/${sessionId}`);
    expect(state.body.session.code.replaceAll('-', '')).toBe(moderation.body.session.code);
    expect(state.body.session.code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}$/);
  });

  it('the Moderation sees author names, participants never; a hidden card is gone from the phones', async () => {
    const moderation = await koordination.client.get(`${base}/${sessionId}`);
    expect(moderation.body.cards.find((card: { id: string }) => card.id === needA).authorName).toBe('Erika Beispiel');
    const offensive = await phones[2]!.post('/api/live/cards', { clientId: randomUUID(), fieldKey: '4', questionIndex: 1, text: 'Unsinn' });
    expect((await koordination.client.request('PATCH', `${base}/${sessionId}/cards/${offensive.body.id}`, { hidden: true })).status).toBe(200);
    const state = await phones[1]!.get('/api/live/session');
    expect(JSON.stringify(state.body)).not.toContain('Erika Beispiel');
    expect(state.body.cards.map((card: { id: string }) => card.id)).not.toContain(offensive.body.id);
  });

  it('points: only while voting is open, on Handlungsbedarfe, at most M per card and N in all', async () => {
    const closed = await erika().put(`/api/live/votes/${needA}`, { count: 1 });
    expect(closed.status).toBe(409);
    expect(closed.body.error.message).toBe('Das Punktevergeben ist gerade nicht geöffnet.');
    await koordination.client.request('PATCH', `${base}/${sessionId}`, { phase: 'priorisieren', votingOpen: true });
    const three = await erika().put(`/api/live/votes/${needA}`, { count: 3 });
    expect(three.status, JSON.stringify(three.body)).toBe(200);
    expect(three.body).toMatchObject({ myVotes: { [needA]: 3 }, votesLeft: 2, total: 3 });
    expect((await erika().put(`/api/live/votes/${needB}`, { count: 3 })).body.error.message).toBe('Sie haben nicht mehr so viele Punkte übrig.');
    expect((await erika().put(`/api/live/votes/${needB}`, { count: 2 })).status).toBe(200);
    expect((await phones[1]!.put(`/api/live/votes/${needB}`, { count: 4 })).status).toBe(409);
    expect((await phones[1]!.put(`/api/live/votes/${needB}`, { count: 1 })).body.total).toBe(3);
    const state = await koordination.client.get(`${base}/${sessionId}`);
    const worksWell = state.body.cards.find((card: { questionIndex: number }) => card.questionIndex === 0);
    expect((await erika().put(`/api/live/votes/${worksWell.id}`, { count: 0 })).status).toBe(200);
    expect((await erika().put(`/api/live/votes/${worksWell.id}`, { count: 1 })).body.error.message).toBe('Auf diese Karte können keine Punkte vergeben werden.');
  });

  it('merging moves the points to the target; a group becomes the heading with the cards as sub-points', async () => {
    const merged = await koordination.client.post(`${base}/${sessionId}/cards/${needB}/merge`, { intoCardId: needA });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    // Erika's 3 + 2 meet on one card: she keeps M = 3 there, the other 2 go back to her; Bernd's 1 moves.
    expect(merged.body.into.votes).toBe(4);
    expect((await erika().get('/api/live/session')).body).toMatchObject({ myVotes: { [needA]: 3 }, votesLeft: 2 });
    expect((await koordination.client.post(`${base}/${sessionId}/cards/${needA}/merge`, { intoCardId: needB })).status).toBe(409);
    const group = await koordination.client.post(`${base}/${sessionId}/groups`, { fieldKey: '4', questionIndex: 2, heading: 'Personal' });
    expect(group.status).toBe(201);
    const card = await koordination.client.post(`${base}/${sessionId}/cards`, { fieldKey: '4', questionIndex: 2, text: 'Stelle für Integration' });
    expect((await koordination.client.request('PATCH', `${base}/${sessionId}/cards/${card.body.id}`, { clusterId: group.body.id })).body.clusterId).toBe(group.body.id);
    expect((await phones[2]!.put(`/api/live/votes/${card.body.id}`, { count: 2 })).status).toBe(200);
  });

  it('a removed participant: the cookie stops working, the points are withdrawn', async () => {
    const state = await koordination.client.get(`${base}/${sessionId}`);
    const bernd = state.body.participants.find((participant: { displayName: string }) => participant.displayName === 'Bernd');
    expect((await koordination.client.delete(`${base}/${sessionId}/participants/${bernd.id}`)).status).toBe(200);
    expect((await phones[1]!.get('/api/live/session')).status).toBe(410);
    const after = await koordination.client.get(`${base}/${sessionId}`);
    expect(after.body.cards.find((entry: { id: string }) => entry.id === needA).votes).toBe(3);
  });

  it('a locked room takes nobody new (423)', async () => {
    await koordination.client.request('PATCH', `${base}/${sessionId}`, { locked: true });
    const refused = await join(phone(), code);
    expect(refused.status).toBe(423);
    expect(refused.body.error.message).toContain('keine weiteren Teilnehmenden');
    await koordination.client.request('PATCH', `${base}/${sessionId}`, { locked: false });
  });

  it('the events are numbered without gaps; participants get neither names, hidden cards nor joins', async () => {
    const moderation = await readLiveEvents(runtime.services, { sessionId, participantId: null }, 0);
    if (moderation.kind !== 'events') throw new Error(moderation.kind);
    expect(moderation.events.map((event) => event.id)).toEqual(moderation.events.map((_, index) => index + 1));
    expect(moderation.events.some((event) => event.type === 'participant-joined')).toBe(true);
    const state = await erika().get('/api/live/session');
    const participantId = (await koordination.client.get(`${base}/${sessionId}`)).body.participants.find((entry: { displayName: string }) => entry.displayName === 'Erika Beispiel').id;
    const theirs = await readLiveEvents(runtime.services, { sessionId, participantId }, 0);
    if (theirs.kind !== 'events') throw new Error(theirs.kind);
    expect(theirs.lastId).toBe(state.body.lastEventId);
    expect(JSON.stringify(theirs.events)).not.toContain('Erika Beispiel');
    expect(JSON.stringify(theirs.events)).not.toContain('Unsinn');
    expect(theirs.events.some((event) => event.type.startsWith('participant-'))).toBe(false);
    expect(await readLiveEvents(runtime.services, { sessionId, participantId }, state.body.lastEventId + 5)).toEqual({ kind: 'reset', lastId: state.body.lastEventId });
  });

  it('the stream replays from Last-Event-ID and sends new events as they happen', async () => {
    const state = await erika().get('/api/live/session');
    const controller = new AbortController();
    const response = await runtime.app.request('http://localhost:3000/api/live/events', {
      headers: { cookie: erika().cookieHeader, 'last-event-id': String(state.body.lastEventId - 1) },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}: ${text}`);
        text += decoder.decode(value);
      }
    };
    await readUntil(`id: ${state.body.lastEventId}\n`);
    expect(text).not.toContain(`id: ${state.body.lastEventId - 1}\n`);
    await koordination.client.request('PATCH', `${base}/${sessionId}`, { phase: 'ordnen' });
    await readUntil('"phase":"ordnen"');
    expect(text).toContain('"phase":"ordnen"');
    controller.abort();
    await reader.cancel().catch(() => {});
  });

  it('the close writes the documentation: appended to what the workshop had, ranked by points, with counts, without names', async () => {
    const closed = await koordination.client.post(`${base}/${sessionId}/close`, {});
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toMatchObject({ workshopId, participantCount: 2 });
    const document = await koordination.client.get(`/api/kommunen/${kommune.slug}/documents/workshops`);
    const workshop = document.body.content.workshops[0];
    expect(workshop.participantsTotal).toBe(2);
    const fieldOne = workshop.fields.find((field: { fieldKey: string }) => field.fieldKey === '1');
    const fieldFour = workshop.fields.find((field: { fieldKey: string }) => field.fieldKey === '4');
    expect(fieldOne.worksWell).toEqual(['Gute Beratung']);
    expect(fieldOne.actionNeeds).toEqual([{ text: 'Mehr Sprachmittlung', subpoints: [], votes: 3 }]);
    expect(fieldFour.worksWell).toEqual(['Schon vorher notiert']);
    expect(fieldFour.notYet).toEqual([]);
    expect(fieldFour.actionNeeds).toEqual([{ text: 'Personal', subpoints: ['Stelle für Integration'], votes: 2 }]);
    expect(JSON.stringify(document.body)).not.toContain('Erika Beispiel');
    expect((await erika().get('/api/live/session')).status).toBe(410);
    expect((await koordination.client.request('PATCH', `${base}/${sessionId}`, { phase: 'sammeln' })).status).toBe(409);
    expect((await koordination.client.post(`${base}/${sessionId}/close`, {})).status).toBe(409);
  });

  it('the export names only those who agreed; CSV for German spreadsheets, XLSX as a workbook', async () => {
    const csv = await koordination.client.get(`${base}/${sessionId}/export?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.body).toMatch(/^\ufeff?Handlungsfeld;Frage;Gruppe;Karte;Punkte;/);
    expect(csv.body).toContain('Erika Beispiel');
    expect(csv.body).not.toMatch(/;Bernd\r\n/);
    expect(csv.body).toContain('Unsinn;0;ja;');
    expect(csv.body).toContain('Sprachmittlung ausbauen;0;nein;Mehr Sprachmittlung;');
    const xlsx = await runtime.app.request(`http://localhost:3000${base}/${sessionId}/export?format=xlsx`, { headers: { cookie: koordination.client.cookieHeader } });
    expect(xlsx.status).toBe(200);
    expect(new TextDecoder().decode((await xlsx.arrayBuffer()).slice(0, 2))).toBe('PK');
  });

  it('deleting removes the raw session', async () => {
    expect((await koordination.client.delete(`${base}/${sessionId}`)).status).toBe(200);
    expect((await koordination.client.get(`${base}/${sessionId}`)).status).toBe(404);
  });
});

describe('limits', () => {
  it('a room behind one address: correct codes are not counted, only the session\'s participant cap limits them', async () => {
    const opened = await openSession(['1']);
    const guestWifi = new TestClient(runtime, '198.51.100.7');
    for (let person = 0; person < liveLimits.wrongCodesPerAddress + 5; person++) {
      const joined = await join(guestWifi, opened.session.code);
      expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    }
    await koordination.client.delete(`${base}/${opened.session.id}`);
  });

  it('60 wrong codes per address in 10 minutes, then every join from it gets a German 429, also with the correct code', async () => {
    const opened = await openSession(['1']);
    const client = phone();
    const half = liveLimits.wrongCodesPerAddress / 2;
    for (let attempt = 0; attempt < half; attempt++) expect((await join(client, 'ABCD-EFGH-JK')).status).toBe(404);
    // A correct code in between is not counted, and does not reset the count either.
    expect((await join(client, opened.session.code)).status).toBe(201);
    for (let attempt = half; attempt < liveLimits.wrongCodesPerAddress; attempt++) expect((await join(client, 'ABCD-EFGH-JK')).status).toBe(404);
    const refused = await join(client, opened.session.code);
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toContain('zu viele falsche Sitzungscodes');
    expect(refused.body.error.message).toContain('wer schon beigetreten ist, kann weitermachen');
    expect(refused.headers.get('retry-after')).toBe(String(liveLimits.joinWindowMinutes * 60));
    expect((await join(client, 'ABCD-EFGH-JK')).status).toBe(429);
    // Another address is not affected.
    expect((await join(phone(), opened.session.code)).status).toBe(201);
    await koordination.client.post(`${base}/${opened.session.id}/close`, {});
  });

  it('IPv6: the wrong codes of one /64 network count together, whichever of its addresses sends them', async () => {
    const opened = await openSession(['1']);
    for (let attempt = 0; attempt < liveLimits.wrongCodesPerAddress; attempt++) {
      expect((await join(new TestClient(runtime, `2001:db8:16:1::${(attempt + 1).toString(16)}`), 'ABCD-EFGH-JK')).status).toBe(404);
    }
    expect((await join(new TestClient(runtime, '2001:db8:16:1:ffff::9'), opened.session.code)).status).toBe(429);
    // The next /64 is another network.
    expect((await join(new TestClient(runtime, '2001:db8:16:2::1'), opened.session.code)).status).toBe(201);
    await koordination.client.post(`${base}/${opened.session.id}/close`, {});
  });

  it('30 cards per participant in 10 minutes', async () => {
    const opened = await openSession(['1']);
    await koordination.client.request('PATCH', `${base}/${opened.session.id}`, { phase: 'sammeln' });
    const client = phone();
    await join(client, opened.session.code);
    for (let index = 0; index < 30; index++) expect((await client.post('/api/live/cards', { clientId: randomUUID(), fieldKey: '1', questionIndex: 0, text: `Karte ${index}` })).status).toBe(201);
    const refused = await client.post('/api/live/cards', { clientId: randomUUID(), fieldKey: '1', questionIndex: 0, text: 'Eine zu viel' });
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toContain('30 Karten');
    await koordination.client.delete(`${base}/${opened.session.id}`);
  });
});

/**
 * A session on field 1 with two phones, Anna and Ben, each posting Handlungsbedarfe in turn (the first
 * text Anna's), then voting opened; deleted again after `work`.
 */
async function withRoomOfTwo(needTexts: string[], work: (room: { sessionId: string; anna: TestClient; ben: TestClient; needs: [string, string] }) => Promise<void>) {
  const opened = await openSession(['1']);
  const sessionId = opened.session.id;
  try {
    await koordination.client.request('PATCH', `${base}/${sessionId}`, { phase: 'sammeln' });
    const [anna, ben] = [phone(), phone()];
    await join(anna, opened.session.code);
    await join(ben, opened.session.code);
    const needs: string[] = [];
    for (const [index, text] of needTexts.entries()) {
      needs.push((await (index % 2 === 0 ? anna : ben).post('/api/live/cards', { clientId: randomUUID(), fieldKey: '1', questionIndex: 2, text })).body.id as string);
    }
    await koordination.client.request('PATCH', `${base}/${sessionId}`, { phase: 'priorisieren', votingOpen: true });
    await work({ sessionId, anna, ben, needs: needs as [string, string] });
  } finally {
    await koordination.client.delete(`${base}/${sessionId}`);
  }
}

describe('point changes per minute', () => {
  it(`${liveLimits.voteChangesPerMinute} changes a minute per person, then a German 429; a repeat of the same count is no change`, async () => {
    await withRoomOfTwo(['Mehr Sprachkurse'], async ({ anna, ben, needs: [need] }) => {
      for (let change = 0; change < liveLimits.voteChangesPerMinute; change++) {
        expect((await anna.put(`/api/live/votes/${need}`, { count: (change % 2) + 1 })).status).toBe(200);
      }
      // The same count again changes nothing and is not counted.
      expect((await anna.put(`/api/live/votes/${need}`, { count: 2 })).status).toBe(200);
      const refused = await anna.put(`/api/live/votes/${need}`, { count: 1 });
      expect(refused.status).toBe(429);
      expect(refused.body.error.message).toBe('Sie haben Ihre Punkte sehr oft in kurzer Zeit geändert. Bitte warten Sie eine Minute.');
      expect((await anna.get('/api/live/session')).body.myVotes).toEqual({ [need]: 2 });
      // Another person is not affected.
      expect((await ben.put(`/api/live/votes/${need}`, { count: 1 })).body.total).toBe(3);
    });
  });
});

describe('hiding a card', () => {
  it('withdraws every point on it, with votes-changed for phones and projector; the points go back; shown again it starts at 0', async () => {
    await withRoomOfTwo(['Mehr Sprachkurse'], async ({ sessionId, anna, ben, needs: [need] }) => {
      expect((await anna.put(`/api/live/votes/${need}`, { count: 3 })).body).toMatchObject({ votesLeft: 2, total: 3 });
      expect((await ben.put(`/api/live/votes/${need}`, { count: 2 })).body).toMatchObject({ votesLeft: 3, total: 5 });
      const before = (await koordination.client.get(`${base}/${sessionId}`)).body.lastEventId as number;

      expect((await koordination.client.request('PATCH', `${base}/${sessionId}/cards/${need}`, { hidden: true })).status).toBe(200);
      const events = await readLiveEvents(runtime.services, { sessionId, participantId: null }, before);
      expect(events.kind === 'events' && events.events.filter((event) => event.type === 'votes-changed').map((event) => event.data)).toEqual([{ type: 'votes-changed', cardId: need, total: 0 }]);
      for (const client of [anna, ben]) {
        const state = await client.get('/api/live/session');
        expect(state.body.myVotes[need] ?? 0).toBe(0);
        expect(state.body.votesLeft).toBe(5);
      }

      expect((await koordination.client.request('PATCH', `${base}/${sessionId}/cards/${need}`, { hidden: false })).body.votes).toBe(0);
      expect((await ben.put(`/api/live/votes/${need}`, { count: 1 })).body).toMatchObject({ votesLeft: 4, total: 1 });
    });
  });
});

describe('points after the rules changed', () => {
  it('N and M can be lowered only as far as no one holds more; a merge leaves a person at most M on the target and gives the rest back', async () => {
    await withRoomOfTwo(['Mehr Sprachkurse', 'Sprachkurse ausbauen'], async ({ sessionId, anna, ben, needs: [first, duplicate] }) => {
      expect((await anna.put(`/api/live/votes/${first}`, { count: 2 })).status).toBe(200);
      expect((await anna.put(`/api/live/votes/${duplicate}`, { count: 2 })).status).toBe(200);
      expect((await ben.put(`/api/live/votes/${duplicate}`, { count: 1 })).status).toBe(200);

      // Anna holds 4 in all and 2 on one card: 3 per person, or 1 per card, would leave her points the rules no longer allow.
      const fewerInAll = await koordination.client.request('PATCH', `${base}/${sessionId}`, { votesPerParticipant: 3 });
      expect(fewerInAll.status).toBe(409);
      expect(fewerInAll.body.error.message).toBe('Eine Person hat schon 4 Punkte vergeben. Weniger als 4 Punkte pro Person lassen sich jetzt nicht mehr einstellen.');
      const fewerPerCard = await koordination.client.request('PATCH', `${base}/${sessionId}`, { maxVotesPerCard: 1 });
      expect(fewerPerCard.status).toBe(409);
      expect(fewerPerCard.body.error.message).toContain('Weniger als 2 Punkte pro Karte');
      const settings = (await koordination.client.get(`${base}/${sessionId}`)).body.session;
      expect([settings.votesPerParticipant, settings.maxVotesPerCard]).toEqual([5, 3]);
      // Down to what is held, and up again, is fine.
      expect((await koordination.client.request('PATCH', `${base}/${sessionId}`, { votesPerParticipant: 4, maxVotesPerCard: 2 })).status).toBe(200);
      expect((await koordination.client.request('PATCH', `${base}/${sessionId}`, { votesPerParticipant: 5, maxVotesPerCard: 3 })).status).toBe(200);

      // Anna's 2 + 2 meet on one card: she keeps M = 3 there, and has 1 point back to give.
      const merged = await koordination.client.post(`${base}/${sessionId}/cards/${duplicate}/merge`, { intoCardId: first });
      expect(merged.status, JSON.stringify(merged.body)).toBe(200);
      expect(merged.body.into.votes).toBe(4);
      const annaState = (await anna.get('/api/live/session')).body;
      expect(annaState.myVotes).toEqual({ [first]: 3 });
      expect(annaState.votesLeft).toBe(2);
      expect((await ben.get('/api/live/session')).body.myVotes).toEqual({ [first]: 1 });
    });
  });
});

describe('removing a participant with their cards', () => {
  it('hideCards=true hides every card of the person (points withdrawn); without it the cards stay', async () => {
    const opened = await openSession(['1']);
    const sessionId = opened.session.id;
    try {
      await koordination.client.request('PATCH', `${base}/${sessionId}`, { phase: 'sammeln' });
      const [spammer, other, kept] = [phone(), phone(), phone()];
      const names = ['Spam', 'Anna', 'Bernd'];
      for (const [index, client] of [spammer, other, kept].entries()) await join(client, opened.session.code, names[index], true);
      const spam = [];
      for (const text of ['Werbung', 'Noch mehr Werbung']) spam.push((await spammer.post('/api/live/cards', { clientId: randomUUID(), fieldKey: '1', questionIndex: 2, text })).body.id as string);
      const good = (await other.post('/api/live/cards', { clientId: randomUUID(), fieldKey: '1', questionIndex: 2, text: 'Sprachkurse' })).body.id as string;
      const keptCard = (await kept.post('/api/live/cards', { clientId: randomUUID(), fieldKey: '1', questionIndex: 0, text: 'Gute Beratung' })).body.id as string;
      await koordination.client.request('PATCH', `${base}/${sessionId}`, { phase: 'priorisieren', votingOpen: true });
      expect((await other.put(`/api/live/votes/${spam[0]}`, { count: 2 })).status).toBe(200);
      const state = (await koordination.client.get(`${base}/${sessionId}`)).body;
      const idOf = (index: number) => (state.participants as { id: string; displayName: string }[]).find((entry) => entry.displayName === names[index])!.id;

      expect((await koordination.client.delete(`${base}/${sessionId}/participants/${idOf(0)}?hideCards=true`)).status).toBe(200);
      expect((await koordination.client.delete(`${base}/${sessionId}/participants/${idOf(2)}`)).status).toBe(200);
      const after = (await koordination.client.get(`${base}/${sessionId}`)).body as { cards: { id: string; hidden: boolean; votes: number }[] };
      const card = (id: string) => after.cards.find((entry) => entry.id === id)!;
      expect(spam.map((id) => card(id).hidden)).toEqual([true, true]);
      expect(card(spam[0]!).votes).toBe(0);
      expect([card(good).hidden, card(keptCard).hidden]).toEqual([false, false]);
      const seen = await other.get('/api/live/session');
      expect(seen.body.cards.map((entry: { id: string }) => entry.id)).toEqual(expect.not.arrayContaining(spam));
      expect(seen.body.votesLeft).toBe(5);
      expect((await koordination.client.delete(`${base}/${sessionId}/participants/${idOf(1)}?hideCards=vielleicht`)).status).toBe(400);
    } finally {
      await koordination.client.delete(`${base}/${sessionId}`);
    }
  });
});

describe('streams', () => {
  async function readAll(response: Response): Promise<string> {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return text;
      text += decoder.decode(value);
    }
  }

  it("a participant's stream ends when the Moderation removes the person; the Moderation's stream got the removal", async () => {
    const opened = await openSession(['1']);
    const client = phone();
    const joined = await join(client, opened.session.code, 'Entfernt');
    const participantStream = await runtime.app.request(`http://localhost:3000/api/live/events?after=${joined.body.lastEventId}`, { headers: { cookie: client.cookieHeader } });
    const moderationStream = await runtime.app.request(`http://localhost:3000${base}/${opened.session.id}/events?after=0`, { headers: { cookie: koordination.client.cookieHeader } });
    const ended = readAll(participantStream);
    const state = await koordination.client.get(`${base}/${opened.session.id}`);
    expect((await koordination.client.delete(`${base}/${opened.session.id}/participants/${state.body.participants[0].id}`)).status).toBe(200);
    expect(await ended).toContain(': verbunden');
    const reader = moderationStream.body!.getReader();
    let text = '';
    while (!text.includes('event: participant-left')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('event: participant-joined');
    await reader.cancel();
    await koordination.client.delete(`${base}/${opened.session.id}`);
  });

  it("several streams of one session each get every event once, in order, from the shared reader", async () => {
    const opened = await openSession(['1']);
    await koordination.client.request('PATCH', `${base}/${opened.session.id}`, { phase: 'sammeln' });
    const clients = [phone(), phone(), phone()];
    const states: Awaited<ReturnType<typeof join>>[] = [];
    for (const client of clients) states.push(await join(client, opened.session.code));
    const streams = await Promise.all(clients.map((client, index) => runtime.app.request(`http://localhost:3000/api/live/events?after=${states[index]!.body.lastEventId}`, { headers: { cookie: client.cookieHeader } })));
    const texts = ['', '', ''];
    const readers = streams.map((stream) => stream.body!.getReader());
    for (let index = 0; index < 6; index++) {
      expect((await clients[index % 3]!.post('/api/live/cards', { clientId: randomUUID(), fieldKey: '1', questionIndex: 0, text: `Geteilt ${index}` })).status).toBe(201);
    }
    await Promise.all(
      readers.map(async (reader, index) => {
        while (!texts[index]!.includes('Geteilt 5')) texts[index] += new TextDecoder().decode((await reader.read()).value);
      }),
    );
    for (const [index, text] of texts.entries()) {
      const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
      expect(ids, `stream ${index}`).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
      for (let card = 0; card < 6; card++) expect(text.split(`Geteilt ${card}"`).length - 1).toBe(1);
      // The joins of the later phones are for the Moderation only.
      expect(text).not.toContain('participant-joined');
    }
    await Promise.all(readers.map((reader) => reader.cancel()));
    await koordination.client.delete(`${base}/${opened.session.id}`);
  });
});
