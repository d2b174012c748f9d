import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupSchema, joinSchema, participantCardSchema } from '../../../domain/api/live.ts';
import { readLiveEvents } from '../../../services/run-live-session.ts';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../../../tests/support/factories.ts';
import { TestClient } from '../../../../tests/support/http.ts';

// The live session attacked from outside (issue 16): what a person in the room with the code, or a
// script on the guest Wi-Fi, must not be able to do.

let runtime: TestRuntime;
let kommune: { id: string; slug: string };
let koordination: Person;
let base: string;
const workshopId = 'workshop-attack-2026';
let addressCounter = 0;

const phone = () => new TestClient(runtime, `198.51.100.${++addressCounter}`);

beforeAll(async () => {
  runtime = await createTestRuntime();
  kommune = await makeKommune(runtime);
  koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
  const saved = await koordination.client.put(`/api/kommunen/${kommune.slug}/documents/workshops`, {
    content: { workshops: [{ id: workshopId, roundNumber: null, date: '2026-11-30', title: 'Workshop Angriff', fields: [] }] },
    expectedVersion: 0,
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  base = `/api/kommunen/${kommune.slug}/live-sessions`;
});
afterAll(() => runtime?.close());

async function openSession() {
  const created = await koordination.client.post(base, { workshopId, fieldKeys: ['1'] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { session: { id: string; code: string } };
}

async function closeSession(id: string) {
  const closed = await koordination.client.post(`${base}/${id}/close`, {});
  expect(closed.status, JSON.stringify(closed.body)).toBe(200);
}

describe('event streams of one participant', () => {
  it('one cookie cannot hold open any number of streams: more than a few at once get a German 429', async () => {
    const { session } = await openSession();
    const teenager = phone();
    expect((await teenager.post('/api/live/join', { code: session.code })).status).toBe(201);
    const open = async () => {
      const controller = new AbortController();
      const response = await runtime.app.request('http://localhost:3000/api/live/events', { headers: { cookie: teenager.cookieHeader }, signal: controller.signal });
      return { response, controller };
    };
    const streams: Awaited<ReturnType<typeof open>>[] = [];
    let refused: Response | undefined;
    for (let attempt = 0; attempt < 20 && !refused; attempt++) {
      const stream = await open();
      if (stream.response.status === 200) streams.push(stream);
      else refused = stream.response;
    }
    expect(refused?.status).toBe(429);
    expect(refused?.headers.get('retry-after')).toBeTruthy();
    expect(((await refused!.json()) as { error: { message: string } }).error.message).toContain('zu viele');
    expect(streams.length).toBeGreaterThan(0);
    expect(streams.length).toBeLessThan(20);
    // A stream that ends frees its place.
    const first = streams.shift()!;
    first.controller.abort();
    await first.response.body!.cancel().catch(() => {});
    let again: Awaited<ReturnType<typeof open>> | undefined;
    for (let attempt = 0; attempt < 50; attempt++) {
      again = await open();
      if (again.response.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(again?.response.status).toBe(200);
    streams.push(again!);
    for (const stream of streams) {
      stream.controller.abort();
      await stream.response.body!.cancel().catch(() => {});
    }
    await closeSession(session.id);
  });
});

describe('a card the Moderation edited', () => {
  it('is replayed with its new text only: a stream from the first event does not bring back what was written first', async () => {
    const { session } = await openSession();
    await koordination.client.request('PATCH', `${base}/${session.id}`, { phase: 'sammeln' });
    const author = phone();
    const reader = phone();
    expect((await author.post('/api/live/join', { code: session.code })).status).toBe(201);
    expect((await reader.post('/api/live/join', { code: session.code })).status).toBe(201);
    const original = 'Frau Beispiel von der Ausländerbehörde ist unfreundlich';
    const card = await author.post('/api/live/cards', { clientId: crypto.randomUUID(), fieldKey: '1', questionIndex: 1, text: original });
    expect(card.status, JSON.stringify(card.body)).toBe(201);
    const edited = await koordination.client.request('PATCH', `${base}/${session.id}/cards/${card.body.id}`, { text: 'Die Ausländerbehörde wirkt wenig zugewandt' });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const participants = (await koordination.client.get(`${base}/${session.id}`)).body.participants as { id: string }[];
    for (const participantId of [...participants.map((entry) => entry.id), null]) {
      const replay = await readLiveEvents(runtime.services, { sessionId: session.id, participantId }, 0);
      if (replay.kind !== 'events') throw new Error(replay.kind);
      expect(JSON.stringify(replay.events)).toContain('Die Ausländerbehörde wirkt wenig zugewandt');
      expect(JSON.stringify(replay.events)).not.toContain('Frau Beispiel');
    }
    // Through the route too, with ?after=0 as a script would send it.
    const controller = new AbortController();
    const response = await runtime.app.request('http://localhost:3000/api/live/events?after=0', { headers: { cookie: reader.cookieHeader }, signal: controller.signal });
    expect(response.status).toBe(200);
    const stream = response.body!.getReader();
    let text = '';
    while (!text.includes('wenig zugewandt')) {
      const { value, done } = await stream.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain('wenig zugewandt');
    expect(text).not.toContain('Frau Beispiel');
    controller.abort();
    await stream.cancel().catch(() => {});
    await closeSession(session.id);
  });
});

describe('text tricks in a card or a group heading', () => {
  const card = (text: string) => participantCardSchema.safeParse({ clientId: crypto.randomUUID(), fieldKey: '1', questionIndex: 0, text });
  const heading = (text: string) => groupSchema.safeParse({ fieldKey: '1', questionIndex: 2, heading: text });
  const message = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues.map((issue) => issue.message).join(' | ');

  it('a right-to-left override, an isolate or a zero-width space is refused with a German message', () => {
    for (const trick of ['Gut \u202Etxet rehcsriwrev', 'Gut \u2067gedreht\u2069', 'Un\u200Bsichtbar', 'Mitte\uFEFFdrin', 'Wort\u2060verbunden']) {
      expect(message(card(trick))).toBe('keine unsichtbaren Formatzeichen');
      expect(message(heading(trick))).toBe('keine unsichtbaren Formatzeichen');
    }
  });

  it('a tower of combining marks over one letter is refused; accents, Arabic vowel marks and emoji with joiners are not', () => {
    const zalgo = `Z${'\u0336\u0334\u0335'.repeat(30)}algo`;
    expect(zalgo.length).toBeLessThanOrEqual(280);
    expect(message(card(zalgo))).toBe('zu viele Akzente auf einem Zeichen');
    expect(message(heading(zalgo))).toBe('zu viele Akzente auf einem Zeichen');
    expect(message(joinSchema.safeParse({ code: 'ABCD-EFGH-JK', displayName: `E${'\u0336'.repeat(30)}rika` }))).toBe('zu viele Akzente auf einem Zeichen');
    expect(joinSchema.safeParse({ code: 'ABCD-EFGH-JK', displayName: 'Nguyễn Thị' }).success).toBe(true);
    for (const fine of ['Mehr Begegnungsorte für Familien', 'Café und Crème brûlée'.normalize('NFD'), 'Tiếng Việt', 'مَرْحَبًا بِكُمْ', 'Familie 👨\u200D👩\u200D👧 willkommen', 'فارسی\u200Cها']) {
      expect(card(fine).success, fine).toBe(true);
    }
  });

  it('the route answers a card with an override with a German 400', async () => {
    const { session } = await openSession();
    await koordination.client.request('PATCH', `${base}/${session.id}`, { phase: 'sammeln' });
    const someone = phone();
    expect((await someone.post('/api/live/join', { code: session.code })).status).toBe(201);
    const refused = await someone.post('/api/live/cards', { clientId: crypto.randomUUID(), fieldKey: '1', questionIndex: 0, text: 'Alles \u202Etug' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('keine unsichtbaren Formatzeichen');
    await closeSession(session.id);
  });
});

describe('points a script tries to give', () => {
  it('no points on a merged card, a card of another question, a card of another session, below 0 or above the limits', async () => {
    const first = await openSession();
    const { session } = first;
    await koordination.client.request('PATCH', `${base}/${session.id}`, { phase: 'priorisieren', votingOpen: true });
    const add = async (id: string, questionIndex: number, text: string) => {
      const added = await koordination.client.post(`${base}/${id}/cards`, { fieldKey: '1', questionIndex, text });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      return added.body.id as string;
    };
    const need = await add(session.id, 2, 'Mehr Sprachkurse');
    const duplicate = await add(session.id, 2, 'Sprachkurse ausbauen');
    const notANeed = await add(session.id, 0, 'Die Beratung ist gut');
    expect((await koordination.client.post(`${base}/${session.id}/cards/${duplicate}/merge`, { intoCardId: need })).status).toBe(200);
    const teenager = phone();
    expect((await teenager.post('/api/live/join', { code: session.code })).status).toBe(201);
    const vote = (cardId: string, count: unknown) => teenager.put(`/api/live/votes/${cardId}`, { count });
    expect((await vote(duplicate, 1)).status).toBe(409);
    expect((await vote(notANeed, 1)).status).toBe(409);
    expect((await vote(need, -1)).status).toBe(400);
    expect((await vote(need, 1.5)).status).toBe(400);
    expect((await vote(need, '3')).status).toBe(400);
    expect((await vote(need, 4)).status).toBe(409);
    // A card of another open session of the same Kommune (another workshop would be needed: close the first).
    await closeSession(session.id);
    const second = await openSession();
    await koordination.client.request('PATCH', `${base}/${second.session.id}`, { phase: 'priorisieren', votingOpen: true });
    const elsewhere = await add(second.session.id, 2, 'Anderswo');
    expect((await vote(elsewhere, 1)).status).toBe(410);
    const fresh = phone();
    expect((await fresh.post('/api/live/join', { code: second.session.code })).status).toBe(201);
    expect((await fresh.put(`/api/live/votes/${need}`, { count: 1 })).status).toBe(404);
    const parallel = await Promise.all(Array.from({ length: 8 }, () => fresh.put(`/api/live/votes/${elsewhere}`, { count: 3 })));
    expect(parallel.every((answer) => answer.status === 200)).toBe(true);
    const state = await fresh.get('/api/live/session');
    expect(state.body.myVotes).toEqual({ [elsewhere]: 3 });
    expect(state.body.votesLeft).toBe(2);
    await closeSession(second.session.id);
  });
});

describe("ids taken from another Kommune's session, used in one's own", () => {
  it("B's card, group and participant cannot be merged, grouped, moved, voted or removed through A's session", async () => {
    // B: another Kommune with a session, a card, a group and a participant.
    const other = await makeKommune(runtime);
    const otherKoordination = await makePerson(runtime, { kommune: { id: other.id, role: 'koordination' } });
    const otherBase = `/api/kommunen/${other.slug}/live-sessions`;
    const saved = await otherKoordination.client.put(`/api/kommunen/${other.slug}/documents/workshops`, {
      content: { workshops: [{ id: 'workshop-other-2026', roundNumber: null, date: '2026-11-30', title: 'Workshop B', fields: [] }] },
      expectedVersion: 0,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const theirs = (await otherKoordination.client.post(otherBase, { workshopId: 'workshop-other-2026', fieldKeys: ['1'] })).body.session as { id: string; code: string };
    await otherKoordination.client.request('PATCH', `${otherBase}/${theirs.id}`, { phase: 'priorisieren', votingOpen: true });
    const theirCard = (await otherKoordination.client.post(`${otherBase}/${theirs.id}/cards`, { fieldKey: '1', questionIndex: 2, text: 'Geheim bei B' })).body.id as string;
    const theirGroup = (await otherKoordination.client.post(`${otherBase}/${theirs.id}/groups`, { fieldKey: '1', questionIndex: 2, heading: 'Gruppe bei B' })).body.id as string;
    expect((await phone().post('/api/live/join', { code: theirs.code, displayName: 'Person bei B' })).status).toBe(201);
    const theirParticipant = (await otherKoordination.client.get(`${otherBase}/${theirs.id}`)).body.participants[0].id as string;
    const before = (await otherKoordination.client.get(`${otherBase}/${theirs.id}`)).body;

    // A: its own session, and B's ids in A's routes.
    const { session } = await openSession();
    await koordination.client.request('PATCH', `${base}/${session.id}`, { phase: 'priorisieren', votingOpen: true });
    const mine = (await koordination.client.post(`${base}/${session.id}/cards`, { fieldKey: '1', questionIndex: 2, text: 'Eigene Karte' })).body.id as string;
    const attempts: [string, string, unknown][] = [
      ['POST', `${base}/${session.id}/cards/${mine}/merge`, { intoCardId: theirCard }],
      ['POST', `${base}/${session.id}/cards/${theirCard}/merge`, { intoCardId: mine }],
      ['PATCH', `${base}/${session.id}/cards/${mine}`, { clusterId: theirGroup }],
      ['PATCH', `${base}/${session.id}/cards/${theirCard}`, { text: 'Überschrieben von A', hidden: true }],
      ['PATCH', `${base}/${session.id}/groups/${theirGroup}`, { heading: 'Umbenannt von A' }],
      ['DELETE', `${base}/${session.id}/groups/${theirGroup}`, undefined],
      ['DELETE', `${base}/${session.id}/participants/${theirParticipant}`, undefined],
    ];
    for (const [method, path, body] of attempts) {
      const answer = await koordination.client.request(method, path, body);
      expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBe(404);
      expect(JSON.stringify(answer.body)).not.toContain('Geheim bei B');
    }
    const participantOfA = phone();
    expect((await participantOfA.post('/api/live/join', { code: session.code })).status).toBe(201);
    expect((await participantOfA.put(`/api/live/votes/${theirCard}`, { count: 1 })).status).toBe(404);
    expect((await otherKoordination.client.get(`${otherBase}/${theirs.id}`)).body).toEqual(before);
    await closeSession(session.id);
  });
});

describe('Last-Event-ID tricks', () => {
  it('a negative, non-numeric or huge id never replays beyond the own session: nothing, or `reset` to the own last id', async () => {
    const { session } = await openSession();
    await koordination.client.request('PATCH', `${base}/${session.id}`, { phase: 'sammeln' });
    const someone = phone();
    expect((await someone.post('/api/live/join', { code: session.code })).status).toBe(201);
    await koordination.client.post(`${base}/${session.id}/cards`, { fieldKey: '1', questionIndex: 0, text: 'Schon da' });
    const lastEventId = (await someone.get('/api/live/session')).body.lastEventId as number;
    const firstChunk = async (headers: Record<string, string>, query = '') => {
      const controller = new AbortController();
      const response = await runtime.app.request(`http://localhost:3000/api/live/events${query}`, { headers: { cookie: someone.cookieHeader, ...headers }, signal: controller.signal });
      if (response.status !== 200) return { status: response.status, text: await response.text() };
      const reader = response.body!.getReader();
      let text = '';
      // The greeting comment comes first; a replay or reset follows at once, before any heartbeat.
      while (!text.includes(': verbunden')) text += new TextDecoder().decode((await reader.read()).value);
      const next = await Promise.race([reader.read().then(({ value }) => new TextDecoder().decode(value)), new Promise<string>((resolve) => setTimeout(() => resolve(''), 2000))]);
      controller.abort();
      await reader.cancel().catch(() => {});
      return { status: 200, text: text + next };
    };
    for (const header of ['-1', '1e3', 'abc', ' ']) {
      const answer = await firstChunk({ 'last-event-id': header });
      expect(answer.status).toBe(200);
      expect(answer.text).not.toContain('Schon da');
    }
    const huge = await firstChunk({ 'last-event-id': '999999999999999' });
    expect(huge.text).toContain(`event: reset\ndata: {}\nid: ${lastEventId}\n`);
    expect((await firstChunk({}, '?after=-1')).status).toBe(400);
    expect((await firstChunk({}, '?after=1e400')).status).toBe(400);
    await closeSession(session.id);
  });
});
