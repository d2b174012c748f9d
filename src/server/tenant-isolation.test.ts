import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, type TestRuntime } from '../../tests/support/database.ts';
import { minimalPdf, startBelegUpload, uploadBeleg } from '../../tests/support/belege.ts';
import { makeKommune, makePerson, type Person } from '../../tests/support/factories.ts';
import { TestClient } from '../../tests/support/http.ts';

/**
 * Tenant isolation under attack: people of Kommune A try every route with the slugs, numbers and ids
 * of Kommune B (known, guessed or enumerated). They get 403 or 404, never B's data, and change nothing.
 */

const secret = 'GEHEIM-B-7f3a';
let runtime: TestRuntime;
let a: { id: string; slug: string };
let b: { id: string; slug: string };
let attackers: Record<string, Person>;
let bMember: Person;
let bInvitationId: string;
let bNoteId: string;

beforeAll(async () => {
  runtime = await createTestRuntime();
  a = await makeKommune(runtime, 'Astadt');
  b = await makeKommune(runtime, 'Bstadt');
  const team = await makePerson(runtime, { programme: 'programmteam' });
  bMember = await makePerson(runtime, { kommune: { id: b.id, role: 'koordination' } });
  attackers = {
    koordination: await makePerson(runtime, { kommune: { id: a.id, role: 'koordination' } }),
    mitwirkende: await makePerson(runtime, { kommune: { id: a.id, role: 'mitwirkende' } }),
    lesende: await makePerson(runtime, { kommune: { id: a.id, role: 'lesende' } }),
    prozessbegleitung: await makePerson(runtime, { programme: 'prozessbegleitung', assigned: [a.id] }),
  };
  // Kommune B with a round, an answer, a rating, documents and an open invitation, all carrying the secret.
  const round = await bMember.client.post(`/api/kommunen/${b.slug}/rounds`, { periodStart: null, periodEnd: null, workedFieldKeys: ['1', '2'], participants: secret });
  expect(round.status).toBe(201);
  expect((await bMember.client.put(`/api/kommunen/${b.slug}/rounds/1/answers/1.1.1`, { value: 'ja', comment: secret, evidence: secret, expectedVersion: 0 })).status).toBe(200);
  expect((await bMember.client.put(`/api/kommunen/${b.slug}/rounds/1/ratings/1.1`, { rating: 'nein', reason: secret, expectedVersion: 0 })).status).toBe(200);
  expect((await bMember.client.put(`/api/kommunen/${b.slug}/documents/profile`, { content: { furtherConditions: secret }, expectedVersion: 0 })).status).toBe(200);
  const note = await bMember.client.post(`/api/kommunen/${b.slug}/rounds/1/notes`, { kind: 'question', key: '1.1.1', body: secret });
  expect(note.status).toBe(201);
  bNoteId = note.body.note.id;
  const invitation = await team.client.post(`/api/kommunen/${b.slug}/invitations`, { email: 'b-neu@example.org', role: 'lesende' });
  bInvitationId = invitation.body.invitation.id;
});
afterAll(() => runtime?.close());

const reads = (slug: string) => [
  `/api/kommunen/${slug}`,
  `/api/kommunen/${slug}/rounds`,
  `/api/kommunen/${slug}/rounds/1`,
  `/api/kommunen/${slug}/rounds/1/fields/1`,
  `/api/kommunen/${slug}/rounds/1/consolidation`,
  `/api/kommunen/${slug}/rounds/1/changes`,
  `/api/kommunen/${slug}/rounds/1/results`,
  `/api/kommunen/${slug}/rounds/1/results/radar.svg`,
  `/api/kommunen/${slug}/rounds/1/questionnaire?format=pdf`,
  `/api/kommunen/${slug}/rounds/1/on-behalf`,
  `/api/kommunen/${slug}/rounds/1/fields/1?onBehalfOf=Sozialamt`,
  `/api/kommunen/${slug}/rounds/1/questionnaire?format=docx&field=1`,
  `/api/kommunen/${slug}/documents/profile`,
  `/api/kommunen/${slug}/documents/workshops`,
  `/api/kommunen/${slug}/report`,
  `/api/kommunen/${slug}/report?format=pdf`,
  `/api/kommunen/${slug}/bundle`,
  `/api/kommunen/${slug}/peers`,
  `/api/kommunen/${slug}/comparison?from=1&to=2`,
  `/api/kommunen/${slug}/rounds/1/reminders`,
  `/api/kommunen/${slug}/email-log`,
  `/api/kommunen/${slug}/rounds/1/notes`,
  `/api/kommunen/${slug}/rounds/1/notes?kind=question&key=1.1.1`,
];

const writes = (slug: string, userId: string): [string, string, unknown][] => [
  ['PUT', `/api/kommunen/${slug}/rounds/1/answers/1.1.2`, { value: 'nein', comment: 'x', evidence: '', expectedVersion: 0 }],
  ['PUT', `/api/kommunen/${slug}/rounds/1/answers/1.1.1`, { value: 'nein', comment: 'x', evidence: '', expectedVersion: 1 }],
  ['PUT', `/api/kommunen/${slug}/rounds/1/ratings/1.1`, { rating: 'ja', reason: 'weil', expectedVersion: 1 }],
  ['PUT', `/api/kommunen/${slug}/rounds/1`, { periodStart: null, periodEnd: null, workedFieldKeys: ['1'], participants: '', expectedVersion: 1 }],
  ['POST', `/api/kommunen/${slug}/rounds/1/close`, { expectedVersion: 1 }],
  ['PUT', `/api/kommunen/${slug}/rounds/1/deadline`, { deadline: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10), reminderDaysBefore: 3 }],
  ['POST', `/api/kommunen/${slug}/rounds/1/reminders`, {}],
  ['PUT', `/api/kommunen/${slug}/documents/profile`, { content: {}, expectedVersion: 1 }],
  ['POST', `/api/kommunen/${slug}/invitations`, { email: 'fremd@example.org', role: 'koordination' }],
  ['PUT', `/api/kommunen/${slug}/members/${userId}`, { role: 'lesende', fieldKeys: null }],
  ['DELETE', `/api/kommunen/${slug}/members/${userId}`, undefined],
  ['POST', `/api/kommunen/${slug}/bundle`, { format: 'weltoffen-kommune-bundle' }],
  ['DELETE', `/api/invitations/${bInvitationId}`, undefined],
  ['POST', `/api/invitations/${bInvitationId}/renew`, undefined],
  ['POST', `/api/kommunen/${slug}/rounds/1/notes`, { kind: 'question', key: '1.1.1', body: 'eingeschleust' }],
  ['PUT', `/api/kommunen/${slug}/rounds/1/notes/${bNoteId}`, { body: 'überschrieben' }],
  ['DELETE', `/api/kommunen/${slug}/rounds/1/notes/${bNoteId}`, undefined],
  ['PUT', `/api/kommunen/${slug}/rounds/1/threads/question/1.1.1`, { settled: true }],
  // A reset link for a person of B: only the Programmteam may send one.
  ['POST', `/api/account/people/${userId}/password-reset`, undefined],
];

describe('people of one Kommune against another', () => {
  for (const role of ['koordination', 'mitwirkende', 'lesende', 'prozessbegleitung']) {
    it(`${role} of A reads nothing of B`, async () => {
      for (const path of reads(b.slug)) {
        const response = await attackers[role]!.client.get(path);
        expect([403, 404], `${path} → ${response.status}`).toContain(response.status);
        expect(JSON.stringify(response.body ?? '')).not.toContain(secret);
      }
    });

    it(`${role} of A changes nothing of B, also through A's own slug`, async () => {
      const before = await bMember.client.get(`/api/kommunen/${b.slug}/bundle`);
      for (const [method, path, body] of [...writes(b.slug, bMember.userId), ...writes(a.slug, bMember.userId).filter(([, path]) => path.includes('/members/'))]) {
        const response = await attackers[role]!.client.request(method, path, body);
        expect([403, 404], `${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`).toContain(response.status);
      }
      const after = await bMember.client.get(`/api/kommunen/${b.slug}/bundle`);
      expect({ ...after.body, exportedAt: null }).toEqual({ ...before.body, exportedAt: null });
    });
  }

  it('guessed and enumerated slugs, round numbers and ids give 403/404 and no data', async () => {
    const attacker = attackers.koordination!;
    const guesses = ['bstadt', 'b-stadt', 'kommune-b', 'musterstadt', 'admin', b.slug.toUpperCase()];
    for (const slug of guesses) {
      const response = await attacker.client.get(`/api/kommunen/${encodeURIComponent(slug)}/rounds/1/results`);
      expect([400, 403, 404]).toContain(response.status);
      expect(JSON.stringify(response.body)).not.toContain(secret);
    }
    for (let number = 1; number <= 5; number++) {
      const response = await attacker.client.get(`/api/kommunen/${b.slug}/rounds/${number}/consolidation`);
      expect([403, 404]).toContain(response.status);
    }
    for (const id of [bMember.userId, crypto.randomUUID(), '00000000-0000-0000-0000-000000000000']) {
      const response = await attacker.client.put(`/api/kommunen/${a.slug}/members/${id}`, { role: 'koordination', fieldKeys: null });
      expect([403, 404]).toContain(response.status);
    }
    // B's note, reached through A's own round (same number, same question): not found, unchanged.
    const ownRound = await attacker.client.post(`/api/kommunen/${a.slug}/rounds`, { workedFieldKeys: ['1'] });
    expect(ownRound.status).toBe(201);
    const aBase = `/api/kommunen/${a.slug}/rounds/${ownRound.body.round.number}`;
    expect((await attacker.client.put(`${aBase}/notes/${bNoteId}`, { body: 'überschrieben' })).status).toBe(404);
    expect((await attacker.client.delete(`${aBase}/notes/${bNoteId}`)).status).toBe(404);
    const aThread = await attacker.client.get(`${aBase}/notes?kind=question&key=1.1.1`);
    expect(aThread.status).toBe(200);
    expect(JSON.stringify(aThread.body)).not.toContain(secret);
    expect((await attacker.client.put(`${aBase}/threads/question/1.1.1`, { settled: true })).status).toBe(409);
    const bThread = await bMember.client.get(`/api/kommunen/${b.slug}/rounds/1/notes?kind=question&key=1.1.1`);
    expect(bThread.body.threads[0]).toMatchObject({ isOpen: true, settled: null });
    expect(bThread.body.threads[0].notes[0].body).toBe(secret);
    // The Kommunen list of A's people holds A only.
    const list = await attacker.client.get('/api/kommunen');
    expect(list.body.kommunen.map((entry: { slug: string }) => entry.slug)).toEqual([a.slug]);
  });
});

describe('live sessions of another Kommune and of another session', () => {
  let bSessionId: string;
  let bCardId: string;
  let bCode: string;
  let aSessionId: string;
  let aCode: string;
  const phone = (address: string) => new TestClient(runtime, address);

  beforeAll(async () => {
    const workshop = { id: 'workshop-b-live', title: 'Workshop B', date: '2026-11-30' };
    expect((await bMember.client.put(`/api/kommunen/${b.slug}/documents/workshops`, { content: { workshops: [workshop] }, expectedVersion: 0 })).status).toBe(200);
    const opened = await bMember.client.post(`/api/kommunen/${b.slug}/live-sessions`, { workshopId: workshop.id, fieldKeys: ['1'] });
    bSessionId = opened.body.session.id;
    bCode = opened.body.session.code;
    await bMember.client.request('PATCH', `/api/kommunen/${b.slug}/live-sessions/${bSessionId}`, { phase: 'priorisieren', votingOpen: true });
    bCardId = (await bMember.client.post(`/api/kommunen/${b.slug}/live-sessions/${bSessionId}/cards`, { fieldKey: '1', questionIndex: 2, text: secret })).body.id;
    const koordinationA = attackers.koordination!;
    expect((await koordinationA.client.put(`/api/kommunen/${a.slug}/documents/workshops`, { content: { workshops: [{ ...workshop, id: 'workshop-a-live' }] }, expectedVersion: 0 })).status).toBe(200);
    const own = await koordinationA.client.post(`/api/kommunen/${a.slug}/live-sessions`, { workshopId: 'workshop-a-live', fieldKeys: ['1'] });
    aSessionId = own.body.session.id;
    aCode = own.body.session.code;
    await koordinationA.client.request('PATCH', `/api/kommunen/${a.slug}/live-sessions/${aSessionId}`, { phase: 'priorisieren', votingOpen: true });
  });

  const liveReads = (slug: string, id: string) => [
    `/api/kommunen/${slug}/live-sessions`,
    `/api/kommunen/${slug}/live-sessions/${id}`,
    `/api/kommunen/${slug}/live-sessions/${id}/start-slide`,
    `/api/kommunen/${slug}/live-sessions/${id}/events`,
    `/api/kommunen/${slug}/live-sessions/${id}/export?format=csv`,
  ];
  const liveWrites = (slug: string, id: string): [string, string, unknown][] => [
    ['PATCH', `/api/kommunen/${slug}/live-sessions/${id}`, { locked: true }],
    ['POST', `/api/kommunen/${slug}/live-sessions/${id}/cards`, { fieldKey: '1', questionIndex: 2, text: 'eingeschleust' }],
    ['PATCH', `/api/kommunen/${slug}/live-sessions/${id}/cards/${bCardId}`, { hidden: true }],
    ['POST', `/api/kommunen/${slug}/live-sessions/${id}/groups`, { fieldKey: '1', questionIndex: 2, heading: 'fremd' }],
    ['POST', `/api/kommunen/${slug}/live-sessions/${id}/close`, {}],
    ['DELETE', `/api/kommunen/${slug}/live-sessions/${id}`, undefined],
  ];

  for (const role of ['koordination', 'mitwirkende', 'lesende', 'prozessbegleitung']) {
    it(`${role} of A neither reads nor changes B's live session, also through A's own slug`, async () => {
      for (const path of [...liveReads(b.slug, bSessionId), ...liveReads(a.slug, bSessionId).slice(1)]) {
        const response = await attackers[role]!.client.get(path);
        expect([403, 404], `${path} → ${response.status}`).toContain(response.status);
        expect(JSON.stringify(response.body ?? '')).not.toContain(secret);
      }
      for (const [method, path, body] of [...liveWrites(b.slug, bSessionId), ...liveWrites(a.slug, bSessionId)]) {
        const response = await attackers[role]!.client.request(method, path, body);
        expect([403, 404], `${method} ${path} → ${response.status}`).toContain(response.status);
      }
      const state = await bMember.client.get(`/api/kommunen/${b.slug}/live-sessions/${bSessionId}`);
      expect(state.body.session).toMatchObject({ status: 'offen', locked: false });
      expect(state.body.cards).toEqual([expect.objectContaining({ id: bCardId, hidden: false, text: secret })]);
    });
  }

  it("a participant of A's session reaches nothing of B's: not its cards, not the Moderation's routes", async () => {
    const participant = phone('192.0.2.200');
    expect((await participant.post('/api/live/join', { code: aCode })).status).toBe(201);
    const vote = await participant.put(`/api/live/votes/${bCardId}`, { count: 1 });
    expect(vote.status).toBe(404);
    const state = await participant.get('/api/live/session');
    expect(JSON.stringify(state.body)).not.toContain(secret);
    for (const path of [...liveReads(b.slug, bSessionId), ...liveReads(a.slug, aSessionId)]) {
      expect((await participant.get(path)).status, path).toBe(401);
    }
    const b1 = await bMember.client.get(`/api/kommunen/${b.slug}/live-sessions/${bSessionId}`);
    expect(b1.body.cards[0].votes).toBe(0);
  });

  it('a removed participant and one of a closed session are turned away (410)', async () => {
    const removed = phone('192.0.2.201');
    expect((await removed.post('/api/live/join', { code: bCode, displayName: 'Störer' })).status).toBe(201);
    const list = await bMember.client.get(`/api/kommunen/${b.slug}/live-sessions/${bSessionId}`);
    const id = list.body.participants.find((entry: { displayName: string | null }) => entry.displayName === 'Störer').id;
    expect((await bMember.client.delete(`/api/kommunen/${b.slug}/live-sessions/${bSessionId}/participants/${id}`)).status).toBe(200);
    expect((await removed.get('/api/live/session')).status).toBe(410);
    expect((await removed.put(`/api/live/votes/${bCardId}`, { count: 1 })).status).toBe(410);
    expect((await removed.post('/api/live/cards', { clientId: crypto.randomUUID(), fieldKey: '1', questionIndex: 0, text: 'noch da?' })).status).toBe(410);
    expect((await removed.get('/api/live/events')).status).toBe(410);

    const stayed = phone('192.0.2.202');
    expect((await stayed.post('/api/live/join', { code: bCode })).status).toBe(201);
    expect((await bMember.client.post(`/api/kommunen/${b.slug}/live-sessions/${bSessionId}/close`, {})).status).toBe(200);
    expect((await stayed.get('/api/live/session')).status).toBe(410);
    expect((await stayed.put(`/api/live/votes/${bCardId}`, { count: 1 })).status).toBe(410);
    const again = await phone('192.0.2.203').post('/api/live/join', { code: bCode });
    expect(again.status).toBe(404);
  });
});

describe("Belege of another Kommune (issue 18)", () => {
  let bDocumentId: string;
  let bUploadId: string;
  let aRound: number;

  beforeAll(async () => {
    const document = await uploadBeleg(bMember.client, b.slug, minimalPdf(), { title: secret, fileName: `${secret}.pdf` });
    bDocumentId = document.id;
    expect((await bMember.client.request('PATCH', `/api/kommunen/${b.slug}/belege/${bDocumentId}`, { releasedForReaders: true })).status).toBe(200);
    expect((await bMember.client.put(`/api/kommunen/${b.slug}/belege/${bDocumentId}/links/1/question/1.1.1`)).status).toBe(200);
    bUploadId = (await startBelegUpload(bMember.client, b.slug, minimalPdf(), { title: secret })).uploadId;
    const rounds = await attackers.koordination!.client.get(`/api/kommunen/${a.slug}/rounds`);
    const open = rounds.body.rounds.find((entry: { status: string }) => entry.status === 'open');
    aRound = open ? open.number : (await attackers.koordination!.client.post(`/api/kommunen/${a.slug}/rounds`, { workedFieldKeys: ['1'] })).body.round.number;
  });

  const belegReads = (slug: string) => [
    `/api/kommunen/${slug}/belege/${bDocumentId}`,
    `/api/kommunen/${slug}/belege/${bDocumentId}/versions/1`,
    `/api/kommunen/${slug}/belege/uploads/${bUploadId}`,
  ];
  const belegWrites = (slug: string, round: number): [string, string, unknown][] => [
    ['PATCH', `/api/kommunen/${slug}/belege/${bDocumentId}`, { title: 'überschrieben' }],
    ['DELETE', `/api/kommunen/${slug}/belege/${bDocumentId}`, undefined],
    ['PUT', `/api/kommunen/${slug}/belege/${bDocumentId}/links/${round}/question/1.1.2`, undefined],
    ['DELETE', `/api/kommunen/${slug}/belege/${bDocumentId}/links/${round}/question/1.1.1`, undefined],
    ['POST', `/api/kommunen/${slug}/belege/uploads`, { documentId: bDocumentId, fileName: 'neu.pdf', size: 600 }],
    ['PUT', `/api/kommunen/${slug}/belege/uploads/${bUploadId}?offset=0`, minimalPdf()],
    ['POST', `/api/kommunen/${slug}/belege/uploads/${bUploadId}/finish`, undefined],
  ];

  for (const role of ['koordination', 'mitwirkende', 'lesende', 'prozessbegleitung']) {
    it(`${role} of A neither reads nor changes B's Belege, also with B's ids under A's own slug`, async () => {
      const list = await attackers[role]!.client.get(`/api/kommunen/${b.slug}/belege`);
      expect(list.status).toBe(403);
      for (const path of belegReads(b.slug)) expect((await attackers[role]!.client.get(path)).status, path).toBe(403);
      // Under A's slug B's ids do not exist.
      for (const path of belegReads(a.slug)) {
        const response = await attackers[role]!.client.get(path);
        expect([403, 404], `${path} → ${response.status}`).toContain(response.status);
        if (role !== 'prozessbegleitung' && !path.includes('/uploads/')) expect(response.status, path).toBe(404);
        expect(JSON.stringify(response.body ?? '')).not.toContain(secret);
      }
      expect(JSON.stringify((await attackers[role]!.client.get(`/api/kommunen/${a.slug}/belege`)).body)).not.toContain(secret);
      for (const [method, path, body] of belegWrites(b.slug, 1)) expect((await attackers[role]!.client.request(method, path, body)).status, `${method} ${path}`).toBe(403);
      for (const [method, path, body] of belegWrites(a.slug, aRound)) {
        const response = await attackers[role]!.client.request(method, path, body);
        expect([403, 404], `${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`).toContain(response.status);
        if (role === 'koordination') expect(response.status, `${method} ${path}`).toBe(404);
      }
      const after = await bMember.client.get(`/api/kommunen/${b.slug}/belege/${bDocumentId}`);
      expect(after.body).toMatchObject({ title: secret, releasedForReaders: true, links: [{ round: 1, kind: 'question', key: '1.1.1' }] });
      expect(after.body.versions).toHaveLength(1);
      expect((await bMember.client.get(`/api/kommunen/${b.slug}/belege/uploads/${bUploadId}`)).body).toEqual({ offset: 0, size: 600 });
    });
  }
});
