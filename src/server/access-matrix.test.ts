import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { codeFromBytes } from '../domain/live-session.ts';
import { insertInvitation } from '../db/repositories/invitation-repository.ts';
import { insertLiveCard, insertLiveGroup, insertLiveParticipant, insertLiveSession } from '../db/repositories/live-repository.ts';
import { insertResponse } from '../db/repositories/resident-survey-repository.ts';
import { liveSession } from '../db/schema.ts';
import { createTestRuntime, type TestRuntime } from '../../tests/support/database.ts';
import { minimalPdf, startBelegUpload, uploadBeleg } from '../../tests/support/belege.ts';
import { makeKommune, makePerson, type Person } from '../../tests/support/factories.ts';
import { TestClient } from '../../tests/support/http.ts';
import { closeRoundConfirmed } from '../../tests/support/rounds.ts';
import { createApp } from './app.ts';
import { createLogger } from './logging.ts';
import { createMetrics } from './metrics.ts';

type RoleName = 'programmteam' | 'prozessbegleitung' | 'koordination' | 'mitwirkende' | 'lesende';
const roleNames: RoleName[] = ['programmteam', 'prozessbegleitung', 'koordination', 'mitwirkende', 'lesende'];

let runtime: TestRuntime;
let own: { id: string; slug: string };
let other: { id: string; slug: string };
const people = {} as Record<RoleName, Person>;

beforeAll(async () => {
  runtime = await createTestRuntime();
  own = await makeKommune(runtime);
  other = await makeKommune(runtime);
  people.programmteam = await makePerson(runtime, { programme: 'programmteam' });
  people.prozessbegleitung = await makePerson(runtime, { programme: 'prozessbegleitung', assigned: [own.id] });
  people.koordination = await makePerson(runtime, { kommune: { id: own.id, role: 'koordination' } });
  people.mitwirkende = await makePerson(runtime, { kommune: { id: own.id, role: 'mitwirkende', fieldKeys: ['2'] } });
  people.lesende = await makePerson(runtime, { kommune: { id: own.id, role: 'lesende' } });
});
afterAll(() => runtime?.close());

const email = () => `neu-${randomBytes(4).toString('hex')}@example.org`;
const kommuneBody = (name: string) => ({ name, kind: 'Stadt', bundesland: 'Sachsen-Anhalt', gemeindeschluessel: null, modules: [1, 2] });

interface KommuneRoute {
  name: string;
  /** Who may, in their own Kommune (in another Kommune only the Programmteam may). */
  allowedInOwn: RoleName[];
  /** Builds the request; may create what it acts on (a member to remove, an invitation to withdraw). */
  prepare(kommune: { id: string; slug: string }): Promise<[method: string, path: string, body?: unknown]>;
}

async function freshMember(kommuneId: string): Promise<string> {
  return (await makePerson(runtime, { kommune: { id: kommuneId, role: 'lesende' } })).userId;
}

/**
 * An open invitation, written straight to the database: through the API the Programmteam would
 * reach its own limit of 30 invitations an hour within this file.
 */
async function freshInvitation(kommuneId: string | null, role = 'lesende'): Promise<string> {
  const row = await insertInvitation(runtime.services.db, {
    id: randomUUID(),
    tokenHash: randomBytes(32).toString('hex'),
    email: email(),
    role,
    kommuneId,
    // Nobody's, so that they do not count towards anyone's limit.
    invitedBy: null,
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  return row.id;
}

/** A bundle with master data only: importing it leaves a Kommune empty, so it can be imported again. */
const emptyBundle = (name: string) => ({
  format: 'weltoffen-kommune-bundle',
  formatVersion: 1,
  exportedAt: '2026-11-25T12:00:00.000Z',
  kommune: { slug: 'leerstadt', name, kind: 'Stadt', gemeindeschluessel: null, bundesland: 'Sachsen-Anhalt', modules: [1], archived: false },
  people: [],
  documents: { profile: {}, kickoff: {}, workshops: {}, dialogues: {}, outlook: {} },
  offers: [],
  rounds: [],
});

// Live sessions, written straight to the database: what is acted on exists whoever asks.
const liveWorkshopId = 'workshop-matrix-live';
const documentedKommunen = new Set<string>();

/** A workshop the close can write into, documented once per Kommune. */
async function documentLiveWorkshop(kommune: { id: string; slug: string }): Promise<void> {
  if (documentedKommunen.has(kommune.id)) return;
  const saved = await people.programmteam.client.put(`/api/kommunen/${kommune.slug}/documents/workshops`, {
    content: { workshops: [{ id: liveWorkshopId, title: 'Workshop der Matrix', date: '2026-11-30' }] },
    expectedVersion: 0,
  });
  if (saved.status !== 200) throw new Error(JSON.stringify(saved.body));
  documentedKommunen.add(kommune.id);
}

/** An open live session of the Kommune; an earlier open one of the same workshop is closed first. */
async function freshLiveSession(kommune: { id: string; slug: string }, workshopId = `workshop-${randomBytes(4).toString('hex')}`): Promise<string> {
  const db = runtime.services.db;
  await db.update(liveSession).set({ status: 'beendet' }).where(and(eq(liveSession.kommuneId, kommune.id), eq(liveSession.workshopId, workshopId)));
  const row = await insertLiveSession(db, {
    id: randomUUID(),
    kommuneId: kommune.id,
    workshopId,
    code: codeFromBytes(randomBytes(10)),
    fieldKeys: ['1'],
    questions: ['Gut?', 'Nicht so gut?', 'Bedarfe?'],
    votesPerParticipant: 5,
    maxVotesPerCard: 3,
    retentionDays: 30,
  });
  return row.id;
}

async function freshLiveCard(kommune: { id: string; slug: string }): Promise<{ sessionId: string; cardId: string; otherCardId: string }> {
  const sessionId = await freshLiveSession(kommune);
  const card = () => insertLiveCard(runtime.services.db, { id: randomUUID(), sessionId, fieldKey: '1', questionIndex: 2, text: 'Karte' });
  return { sessionId, cardId: (await card()).id, otherCardId: (await card()).id };
}

const liveModerators: RoleName[] = ['programmteam', 'prozessbegleitung', 'koordination'];
const live = (k: { slug: string }, rest = '') => `/api/kommunen/${k.slug}/live-sessions${rest}`;

const liveRoutes: KommuneRoute[] = [
  { name: 'Live-Sitzungen auflisten', allowedInOwn: liveModerators, prepare: async (k) => ['GET', live(k)] },
  {
    name: 'Live-Sitzung öffnen',
    allowedInOwn: liveModerators,
    prepare: async (k) => {
      await documentLiveWorkshop(k);
      // The workshop's open session of an earlier case is closed first: one open session per workshop.
      await runtime.services.db.update(liveSession).set({ status: 'beendet' }).where(and(eq(liveSession.kommuneId, k.id), eq(liveSession.workshopId, liveWorkshopId)));
      return ['POST', live(k), { workshopId: liveWorkshopId, fieldKeys: ['1'] }];
    },
  },
  { name: 'Live-Sitzung ansehen', allowedInOwn: liveModerators, prepare: async (k) => ['GET', live(k, `/${await freshLiveSession(k)}`)] },
  { name: 'Live-Sitzung einstellen', allowedInOwn: liveModerators, prepare: async (k) => ['PATCH', live(k, `/${await freshLiveSession(k)}`), { phase: 'sammeln' }] },
  { name: 'Live-Sitzung: erste Folie', allowedInOwn: liveModerators, prepare: async (k) => ['GET', live(k, `/${await freshLiveSession(k)}/start-slide`)] },
  { name: 'Live-Sitzung: Karte der Moderation', allowedInOwn: liveModerators, prepare: async (k) => ['POST', live(k, `/${await freshLiveSession(k)}/cards`), { fieldKey: '1', questionIndex: 0, text: 'Von der Moderation' }] },
  {
    name: 'Live-Sitzung: Karte ändern',
    allowedInOwn: liveModerators,
    prepare: async (k) => {
      const { sessionId, cardId } = await freshLiveCard(k);
      return ['PATCH', live(k, `/${sessionId}/cards/${cardId}`), { hidden: true }];
    },
  },
  {
    name: 'Live-Sitzung: Karten zusammenführen',
    allowedInOwn: liveModerators,
    prepare: async (k) => {
      const { sessionId, cardId, otherCardId } = await freshLiveCard(k);
      return ['POST', live(k, `/${sessionId}/cards/${cardId}/merge`), { intoCardId: otherCardId }];
    },
  },
  { name: 'Live-Sitzung: Gruppe anlegen', allowedInOwn: liveModerators, prepare: async (k) => ['POST', live(k, `/${await freshLiveSession(k)}/groups`), { fieldKey: '1', questionIndex: 2, heading: 'Gruppe' }] },
  {
    name: 'Live-Sitzung: Gruppe ändern',
    allowedInOwn: liveModerators,
    prepare: async (k) => {
      const sessionId = await freshLiveSession(k);
      const group = await insertLiveGroup(runtime.services.db, { id: randomUUID(), sessionId, fieldKey: '1', questionIndex: 2, heading: 'Gruppe' });
      return ['PATCH', live(k, `/${sessionId}/groups/${group.id}`), { heading: 'Neu' }];
    },
  },
  {
    name: 'Live-Sitzung: Gruppe auflösen',
    allowedInOwn: liveModerators,
    prepare: async (k) => {
      const sessionId = await freshLiveSession(k);
      const group = await insertLiveGroup(runtime.services.db, { id: randomUUID(), sessionId, fieldKey: '1', questionIndex: 2, heading: 'Gruppe' });
      return ['DELETE', live(k, `/${sessionId}/groups/${group.id}`)];
    },
  },
  {
    name: 'Live-Sitzung: Person entfernen',
    allowedInOwn: liveModerators,
    prepare: async (k) => {
      const sessionId = await freshLiveSession(k);
      const participant = await insertLiveParticipant(runtime.services.db, { id: randomUUID(), sessionId, tokenHash: randomBytes(32).toString('hex') });
      return ['DELETE', live(k, `/${sessionId}/participants/${participant.id}`)];
    },
  },
  {
    name: 'Live-Sitzung beenden',
    allowedInOwn: liveModerators,
    prepare: async (k) => {
      await documentLiveWorkshop(k);
      return ['POST', live(k, `/${await freshLiveSession(k, liveWorkshopId)}/close`), {}];
    },
  },
  { name: 'Live-Sitzung exportieren', allowedInOwn: liveModerators, prepare: async (k) => ['GET', live(k, `/${await freshLiveSession(k)}/export?format=csv`)] },
  { name: 'Live-Sitzung löschen', allowedInOwn: liveModerators, prepare: async (k) => ['DELETE', live(k, `/${await freshLiveSession(k)}`)] },
];

// The live routes come last: the workshop they document makes the Kommune non-empty for the bundle import.
const kommuneRoutes: KommuneRoute[] = [
  { name: 'Kommune lesen', allowedInOwn: roleNames, prepare: async (k) => ['GET', `/api/kommunen/${k.slug}`] },
  {
    name: 'Stammdaten ändern',
    allowedInOwn: ['programmteam'],
    prepare: async (k) => ['PUT', `/api/kommunen/${k.slug}`, kommuneBody(`Geändert ${k.slug}`)],
  },
  {
    name: 'archivieren',
    allowedInOwn: ['programmteam'],
    prepare: async (k) => ['PUT', `/api/kommunen/${k.slug}/archive`, { isArchived: false }],
  },
  {
    name: 'einladen',
    allowedInOwn: ['programmteam', 'koordination'],
    prepare: async (k) => ['POST', `/api/kommunen/${k.slug}/invitations`, { email: email(), role: 'mitwirkende', fieldKeys: ['3'] }],
  },
  {
    name: 'Rolle ändern',
    allowedInOwn: ['programmteam', 'koordination'],
    prepare: async (k) => ['PUT', `/api/kommunen/${k.slug}/members/${await freshMember(k.id)}`, { role: 'mitwirkende', fieldKeys: ['1'] }],
  },
  {
    name: 'Mitglied entfernen',
    allowedInOwn: ['programmteam', 'koordination'],
    prepare: async (k) => ['DELETE', `/api/kommunen/${k.slug}/members/${await freshMember(k.id)}`],
  },
  {
    name: 'Einladung neu senden',
    allowedInOwn: ['programmteam', 'koordination'],
    prepare: async (k) => ['POST', `/api/invitations/${await freshInvitation(k.id)}/renew`],
  },
  {
    name: 'Einladung zurückziehen',
    allowedInOwn: ['programmteam', 'koordination'],
    prepare: async (k) => ['DELETE', `/api/invitations/${await freshInvitation(k.id)}`],
  },
  { name: 'Abschlussbericht ansehen', allowedInOwn: ['programmteam', 'prozessbegleitung', 'koordination', 'lesende'], prepare: async (k) => ['GET', `/api/kommunen/${k.slug}/report`] },
  { name: 'Vergleich mit ähnlichen Kommunen', allowedInOwn: roleNames, prepare: async (k) => ['GET', `/api/kommunen/${k.slug}/peers`] },
  { name: 'Paket herunterladen', allowedInOwn: ['programmteam', 'koordination'], prepare: async (k) => ['GET', `/api/kommunen/${k.slug}/bundle`] },
  {
    name: 'Paket in leere Kommune übernehmen',
    allowedInOwn: ['programmteam'],
    prepare: async (k) => ['POST', `/api/kommunen/${k.slug}/bundle`, emptyBundle('Leerstadt')],
  },
  ...liveRoutes,
];

describe.each(kommuneRoutes)('access matrix: $name', (route) => {
  for (const role of roleNames) {
    for (const where of ['own', 'other'] as const) {
      const isAllowed = where === 'own' ? route.allowedInOwn.includes(role) : role === 'programmteam';
      it(`${role} in ${where === 'own' ? 'der eigenen' : 'einer anderen'} Kommune → ${isAllowed ? '2xx' : '403'}`, async () => {
        const [method, path, body] = await route.prepare(where === 'own' ? own : other);
        const response = await people[role].client.request(method, path, body);
        if (isAllowed) expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
        else {
          expect(response.status, JSON.stringify(response.body)).toBe(403);
          expect(response.body.error.message).toMatch(/Berechtigung/);
        }
      });
    }
  }
  it('anonymous → 401', async () => {
    const [method, path, body] = await route.prepare(own);
    const response = await new TestClient(runtime).request(method, path, body);
    expect(response.status).toBe(401);
    expect(response.body.error.message).toBe('Bitte melden Sie sich an.');
  });
});

interface GlobalRoute {
  name: string;
  allowed: RoleName[];
  prepare(): Promise<[method: string, path: string, body?: unknown]>;
}

async function freshProgrammeMember(): Promise<string> {
  return (await makePerson(runtime, { programme: 'prozessbegleitung' })).userId;
}

const globalRoutes: GlobalRoute[] = [
  { name: 'Kommunen auflisten', allowed: roleNames, prepare: async () => ['GET', '/api/kommunen'] },
  { name: 'eigene Sitzung', allowed: roleNames, prepare: async () => ['GET', '/api/session'] },
  {
    name: 'Kommune anlegen',
    allowed: ['programmteam'],
    prepare: async () => ['POST', '/api/kommunen', kommuneBody(`Neustadt ${randomBytes(3).toString('hex')}`)],
  },
  { name: 'Katalogversionen', allowed: roleNames, prepare: async () => ['GET', '/api/catalogs'] },
  { name: 'Katalog', allowed: roleNames, prepare: async () => ['GET', `/api/catalogs/${encodeURIComponent('weltoffene-kommune@1.0')}`] },
  { name: 'Programmteam ansehen', allowed: ['programmteam'], prepare: async () => ['GET', '/api/programme'] },
  {
    name: 'in das Programm einladen',
    allowed: ['programmteam'],
    prepare: async () => ['POST', '/api/programme/invitations', { email: email(), role: 'prozessbegleitung', assignedKommuneIds: [own.id] }],
  },
  {
    name: 'Programmrolle ändern',
    allowed: ['programmteam'],
    prepare: async () => ['PUT', `/api/programme/members/${await freshProgrammeMember()}`, { role: 'prozessbegleitung', assignedKommuneIds: [other.id] }],
  },
  {
    name: 'aus dem Programm entfernen',
    allowed: ['programmteam'],
    prepare: async () => ['DELETE', `/api/programme/members/${await freshProgrammeMember()}`],
  },
  {
    name: 'Programmeinladung zurückziehen',
    allowed: ['programmteam'],
    prepare: async () => ['DELETE', `/api/invitations/${await freshInvitation(null, 'programmteam')}`],
  },
  {
    name: 'Programmeinladung neu senden',
    allowed: ['programmteam'],
    prepare: async () => ['POST', `/api/invitations/${await freshInvitation(null, 'prozessbegleitung')}/renew`],
  },
  { name: 'Modul-3-Angebote lesen', allowed: roleNames, prepare: async () => ['GET', '/api/offers'] },
  {
    name: 'Modul-3-Angebot anlegen',
    allowed: ['programmteam'],
    prepare: async () => ['POST', '/api/offers', { title: `Angebot ${randomBytes(3).toString('hex')}` }],
  },
  { name: 'Übersicht über die Kommunen', allowed: ['programmteam'], prepare: async () => ['GET', '/api/programme/overview'] },
  { name: 'Einschätzungen exportieren (CSV)', allowed: ['programmteam'], prepare: async () => ['GET', '/api/programme/ratings/csv'] },
  { name: 'Einschätzungen exportieren (XLSX)', allowed: ['programmteam'], prepare: async () => ['GET', '/api/programme/ratings/xlsx'] },
  {
    name: 'Paket als neue Kommune anlegen',
    allowed: ['programmteam'],
    prepare: async () => ['POST', '/api/kommunen/import', emptyBundle(`Neustadt ${randomBytes(3).toString('hex')}`)],
  },
  { name: 'Impressum ändern', allowed: ['programmteam'], prepare: async () => ['PUT', '/api/site-texts/impressum', { body: 'Stadt Musterstadt' }] },
  // The resident survey's texts per language: the Programmteam keeps them.
  { name: 'Umfragetexte lesen', allowed: ['programmteam'], prepare: async () => ['GET', '/api/survey-texts/en'] },
  { name: 'Umfrageantworten aller Kommunen exportieren', allowed: ['programmteam'], prepare: async () => ['GET', '/api/programme/survey-responses/xlsx'] },
  { name: 'Umfragetext ändern', allowed: ['programmteam'], prepare: async () => ['PUT', '/api/survey-texts/en/page.language', { text: 'Language' }] },
  { name: 'Umfragetexte prüfen', allowed: ['programmteam'], prepare: async () => ['POST', '/api/survey-texts/en/review', { keys: ['page.language'] }] },
  { name: 'Meine Sitzungen', allowed: roleNames, prepare: async () => ['GET', '/api/account/sessions'] },
  { name: 'andere eigene Sitzungen beenden', allowed: roleNames, prepare: async () => ['DELETE', '/api/account/sessions'] },
  {
    name: 'Link für ein neues Passwort senden (Person einer anderen Kommune)',
    allowed: ['programmteam'],
    prepare: async () => ['POST', `/api/account/people/${await freshMember(other.id)}/password-reset`],
  },
  {
    name: 'Link für ein neues Passwort senden (Person der eigenen Kommune)',
    allowed: ['programmteam'],
    prepare: async () => ['POST', `/api/account/people/${await freshMember(own.id)}/password-reset`],
  },
];

describe.each(globalRoutes)('access matrix: $name', (route) => {
  it.each(roleNames)('%s', async (role) => {
    const [method, path, body] = await route.prepare();
    const response = await people[role].client.request(method, path, body);
    if (route.allowed.includes(role)) expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
    else expect(response.status, JSON.stringify(response.body)).toBe(403);
  });
  it('anonymous → 401', async () => {
    const [method, path, body] = await route.prepare();
    expect((await new TestClient(runtime).request(method, path, body)).status).toBe(401);
  });
});

describe('what each role sees', () => {
  it('the Kommunen list holds only the Kommunen a person belongs to', async () => {
    for (const role of ['prozessbegleitung', 'koordination', 'mitwirkende', 'lesende'] as const) {
      const response = await people[role].client.get('/api/kommunen');
      expect(response.body.kommunen.map((k: { id: string }) => k.id), role).toEqual([own.id]);
    }
    const all = await people.programmteam.client.get('/api/kommunen');
    expect(all.body.kommunen.map((k: { id: string }) => k.id)).toEqual(expect.arrayContaining([own.id, other.id]));
  });

  it('Mitwirkende and Lesende see contacts but no member list with e-mail addresses', async () => {
    for (const role of ['mitwirkende', 'lesende'] as const) {
      const response = await people[role].client.get(`/api/kommunen/${own.slug}`);
      expect(response.body.members, role).toBeNull();
      expect(response.body.invitations, role).toBeNull();
      expect(JSON.stringify(response.body)).not.toContain('@example.org');
    }
  });

  it('public pages need no account: health, legal texts', async () => {
    const anonymous = new TestClient(runtime);
    expect((await anonymous.get('/api/health')).body).toEqual({ status: 'ok' });
    expect((await anonymous.get('/api/site-texts/impressum')).status).toBe(200);
  });

  it('the API description (/api/openapi.json) is public and the same for every role: it names no Kommune and no person', async () => {
    const anonymous = await new TestClient(runtime).get('/api/openapi.json');
    expect(anonymous.status).toBe(200);
    for (const role of roleNames) {
      const response = await people[role].client.get('/api/openapi.json');
      expect(response.body, role).toEqual(anonymous.body);
    }
    expect(JSON.stringify(anonymous.body)).not.toContain('@example.org');
    expect(JSON.stringify(anonymous.body)).not.toContain(own.slug);
    expect(JSON.stringify(anonymous.body)).not.toContain(other.slug);
  });

  it('the SSO routes are public and the same for every role; without a provider configured they offer nothing, and no other better-auth endpoint is reachable', async () => {
    for (const role of [...roleNames, 'anonym'] as const) {
      const client = role === 'anonym' ? new TestClient(runtime) : people[role].client;
      expect((await client.get('/api/sso')).body, role).toEqual({ sso: null, isSsoOnly: false });
      expect((await client.get('/api/sso/start?weiter=%2Fkommunen')).status, role).toBe(404);
      expect((await client.get('/api/auth/callback/oidc?code=x&state=y')).status, role).toBe(404);
      // Sign-up, sessions and the rest of better-auth's API stay unmounted: only our routes reach it.
      for (const path of ['/api/auth/sign-up/email', '/api/auth/sign-in/email', '/api/auth/sign-in/social', '/api/auth/list-sessions']) {
        expect((await client.post(path, { email: 'neu@example.org', password: 'ein-sicheres-Passwort-2026', name: 'Neu', provider: 'oidc' })).status, `${role} ${path}`).toBe(404);
      }
    }
  });

  it('liveness and readiness are public; /metrics is for the machine or the token only, never for a session of any role, and names no Kommune', async () => {
    const anonymous = new TestClient(runtime);
    expect((await anonymous.get('/health/live')).body).toEqual({ status: 'ok' });
    expect((await anonymous.get('/health/ready')).body).toEqual({ status: 'ok' });
    const token = 'metrics-token-of-the-access-matrix';
    const silent = createLogger({ level: 'silent', format: 'json' });
    const deps = { services: runtime.services, auth: runtime.auth, session: runtime.session, trustProxy: true, webDir: null };
    const withToken = createApp(deps, { logger: silent, metrics: createMetrics(), metricsToken: token, readiness: async () => null });
    const withoutToken = createApp(deps, { logger: silent, metrics: createMetrics(), readiness: async () => null });
    for (const app of [withToken, withoutToken]) {
      await app.request(`http://localhost:3000/api/kommunen/${own.slug}`, { headers: { cookie: people.koordination.client.cookieHeader } });
      for (const role of [...roleNames, 'anonym'] as const) {
        const cookie = role === 'anonym' ? '' : people[role].client.cookieHeader;
        const response = await app.request('http://localhost:3000/metrics', { headers: { cookie, 'x-forwarded-for': '198.51.100.7' } });
        expect(response.status, role).toBe(401);
        expect(await response.text(), role).not.toContain('weltoffen_');
      }
    }
    const scraped = await (await withToken.request('http://localhost:3000/metrics', { headers: { authorization: `Bearer ${token}` } })).text();
    expect(scraped).toContain('route="/api/kommunen/:slug"');
    for (const kommune of [own, other]) expect(scraped).not.toContain(kommune.slug);
  });
});

// ── Selbstcheck rounds ───────────────────────────────────────────────────────────────────────────
async function ensureOpenRound(kommune: { slug: string }): Promise<number> {
  const list = await people.programmteam.client.get(`/api/kommunen/${kommune.slug}/rounds`);
  const open = list.body.rounds.find((entry: { status: string }) => entry.status === 'open');
  if (open) return open.number;
  const started = await people.programmteam.client.post(`/api/kommunen/${kommune.slug}/rounds`, { workedFieldKeys: ['1', '2'] });
  return started.body.round.number;
}

async function ensureClosedRound(kommune: { slug: string }): Promise<number> {
  const number = await ensureOpenRound(kommune);
  await closeRoundConfirmed(people.programmteam.client, kommune.slug, number);
  return number;
}

const field2Questions = Array.from({ length: 10 }, (_, criterion) => [1, 2, 3].map((question) => `2.${criterion + 1}.${question}`)).flat();
let questionCursor = 0;
let criterionCursor = 0;

// The resident survey (issue 17): everyone of the Kommune reads it, who manages the round manages it.
const surveySettings = { fields: ['6'], openQuestions: [{ text: 'Was sollte sich hier ändern?' }], opensOn: '2026-01-01', closesOn: '2026-12-31', retentionMonths: 6, controller: 'Stadt Musterstadt, Rathaus' };
const survey = (k: { slug: string }, number: number, rest = '') => `/api/kommunen/${k.slug}/rounds/${number}/survey${rest}`;

/** The open round's survey as a draft (a published one is replaced); returns the round and the survey's version. */
async function freshSurvey(kommune: { slug: string }): Promise<{ number: number; version: number }> {
  const number = await ensureOpenRound(kommune);
  const current = await people.programmteam.client.get(survey(kommune, number));
  if (current.body.survey?.status === 'entwurf') return { number, version: current.body.survey.version };
  if (current.body.survey) await people.programmteam.client.delete(survey(kommune, number));
  const created = await people.programmteam.client.post(survey(kommune, number), { settings: surveySettings });
  return { number, version: created.body.survey.version };
}

/** An open answer of a resident, written straight to the database (answering needs a solved challenge). */
async function freshOpenAnswer(kommune: { slug: string }): Promise<{ number: number; id: string }> {
  const { number } = await freshSurvey(kommune);
  const row = (await people.programmteam.client.get(survey(kommune, number))).body.survey;
  const id = randomUUID();
  await insertResponse(runtime.services.db, {
    id: randomUUID(),
    surveyId: row.id,
    language: 'de',
    answers: { '6.1': 'zu' },
    groups: {},
    deviceHash: randomBytes(32).toString('hex'),
    receivedAt: new Date(),
    open: [{ id, questionIndex: 0, text: 'Mehr Begegnung' }],
  });
  return { number, id };
}

const surveyManagers: RoleName[] = ['programmteam', 'koordination'];
const surveyRoutes: KommuneRoute[] = [
  { name: 'Umfrage ansehen', allowedInOwn: roleNames, prepare: async (k) => ['GET', survey(k, await ensureOpenRound(k))] },
  {
    name: 'Umfrage anlegen',
    allowedInOwn: surveyManagers,
    prepare: async (k) => {
      const number = await ensureOpenRound(k);
      await people.programmteam.client.delete(survey(k, number));
      return ['POST', survey(k, number), { settings: surveySettings }];
    },
  },
  {
    name: 'Umfrage ändern',
    allowedInOwn: surveyManagers,
    prepare: async (k) => {
      const { number, version } = await freshSurvey(k);
      return ['PUT', survey(k, number), { version, settings: surveySettings }];
    },
  },
  {
    name: 'Umfrage veröffentlichen',
    allowedInOwn: surveyManagers,
    prepare: async (k) => {
      const { number, version } = await freshSurvey(k);
      return ['POST', survey(k, number, '/publish'), { version }];
    },
  },
  { name: 'Umfrage löschen', allowedInOwn: surveyManagers, prepare: async (k) => ['DELETE', survey(k, (await freshSurvey(k)).number)] },
  {
    name: 'Anmerkungen freigeben',
    allowedInOwn: surveyManagers,
    prepare: async (k) => {
      const { number, id } = await freshOpenAnswer(k);
      return ['POST', survey(k, number, '/open-answers/review'), { ids: [id], review: 'freigegeben' }];
    },
  },
  {
    name: 'Plakat der Umfrage',
    allowedInOwn: surveyManagers,
    prepare: async (k) => {
      const { number, version } = await freshSurvey(k);
      await people.programmteam.client.post(survey(k, number, '/publish'), { version });
      return ['GET', survey(k, number, '/poster.pdf')];
    },
  },
  { name: 'Umfrage exportieren', allowedInOwn: surveyManagers, prepare: async (k) => ['GET', survey(k, (await freshSurvey(k)).number, '/responses/csv')] },
  {
    name: 'Antworten ausschließen',
    allowedInOwn: surveyManagers,
    prepare: async (k) => ['POST', survey(k, (await freshSurvey(k)).number, '/exclusions'), { fromAt: '2026-01-01T00:00:00Z', toAt: '2026-01-01T01:00:00Z', reason: 'Test des Ausschlusses' }],
  },
  {
    name: 'Ausschluss aufheben',
    allowedInOwn: surveyManagers,
    prepare: async (k) => {
      const { number } = await freshSurvey(k);
      const made = await people.programmteam.client.post(survey(k, number, '/exclusions'), { fromAt: '2026-01-01T00:00:00Z', toAt: '2026-01-01T01:00:00Z', reason: 'Test des Ausschlusses' });
      return ['DELETE', survey(k, number, `/exclusions/${made.body.id}`)];
    },
  },
];

// Belege (issue 18): everyone of the Kommune reads (Lesende only released ones: released here), who
// answers uploads, renames and links (Mitwirkende in their field 2), who manages the round releases and deletes.
const belege = (k: { slug: string }, rest = '') => `/api/kommunen/${k.slug}/belege${rest}`;
const belegUploaders: RoleName[] = ['programmteam', 'koordination', 'mitwirkende'];
const belegManagers: RoleName[] = ['programmteam', 'koordination'];
/** A Beleg of the Kommune, uploaded by the Programmteam and released for Lesende. */
async function releasedBeleg(k: { slug: string }): Promise<string> {
  const document = await uploadBeleg(people.programmteam.client, k.slug, minimalPdf(), { title: 'Ratsbeschluss' });
  expect((await people.programmteam.client.request('PATCH', belege(k, `/${document.id}`), { releasedForReaders: true })).status).toBe(200);
  return document.id;
}
const belegRoutes: KommuneRoute[] = [
  { name: 'Belege auflisten', allowedInOwn: roleNames, prepare: async (k) => ['GET', belege(k)] },
  { name: 'Beleg ansehen', allowedInOwn: roleNames, prepare: async (k) => ['GET', belege(k, `/${await releasedBeleg(k)}`)] },
  { name: 'Beleg öffnen (Datei)', allowedInOwn: roleNames, prepare: async (k) => ['GET', belege(k, `/${await releasedBeleg(k)}/versions/1`)] },
  { name: 'Hochladen beginnen', allowedInOwn: belegUploaders, prepare: async (k) => ['POST', belege(k, '/uploads'), { title: 'Konzept', fileName: 'konzept.pdf', size: 600 }] },
  {
    name: 'Stand eines Hochladens',
    allowedInOwn: belegUploaders,
    prepare: async (k) => ['GET', belege(k, `/uploads/${(await startBelegUpload(people.programmteam.client, k.slug, minimalPdf())).uploadId}`)],
  },
  {
    name: 'Teil einer Datei senden',
    allowedInOwn: belegUploaders,
    prepare: async (k) => ['PUT', belege(k, `/uploads/${(await startBelegUpload(people.programmteam.client, k.slug, minimalPdf())).uploadId}?offset=0`), minimalPdf()],
  },
  {
    name: 'Hochladen abschließen',
    allowedInOwn: belegUploaders,
    prepare: async (k) => {
      const { uploadId } = await startBelegUpload(people.programmteam.client, k.slug, minimalPdf());
      expect((await people.programmteam.client.request('PUT', belege(k, `/uploads/${uploadId}?offset=0`), minimalPdf())).status).toBe(200);
      return ['POST', belege(k, `/uploads/${uploadId}/finish`)];
    },
  },
  { name: 'Beleg umbenennen', allowedInOwn: belegUploaders, prepare: async (k) => ['PATCH', belege(k, `/${await releasedBeleg(k)}`), { title: 'Neuer Titel', documentDate: '2026-01-31' }] },
  { name: 'Beleg für Lesende freigeben', allowedInOwn: belegManagers, prepare: async (k) => ['PATCH', belege(k, `/${await releasedBeleg(k)}`), { releasedForReaders: false }] },
  { name: 'Beleg löschen', allowedInOwn: belegManagers, prepare: async (k) => ['DELETE', belege(k, `/${await releasedBeleg(k)}`)] },
  {
    name: 'Beleg mit einer Leitfrage verknüpfen',
    allowedInOwn: belegUploaders,
    prepare: async (k) => ['PUT', belege(k, `/${await releasedBeleg(k)}/links/${await ensureOpenRound(k)}/question/2.1.1`)],
  },
  {
    name: 'Verknüpfung eines Belegs lösen',
    allowedInOwn: belegUploaders,
    prepare: async (k) => {
      const id = await releasedBeleg(k);
      const number = await ensureOpenRound(k);
      expect((await people.programmteam.client.put(belege(k, `/${id}/links/${number}/criterion/2.1`))).status).toBe(200);
      return ['DELETE', belege(k, `/${id}/links/${number}/criterion/2.1`)];
    },
  },
];

const roundRoutes: KommuneRoute[] = [
  ...belegRoutes,
  ...surveyRoutes,
  { name: 'Ausgangslage lesen', allowedInOwn: roleNames, prepare: async (k) => ['GET', `/api/kommunen/${k.slug}/documents/profile`] },
  {
    name: 'Auftaktgespräch ändern',
    allowedInOwn: ['programmteam', 'koordination'],
    prepare: async (k) => {
      const current = await people.programmteam.client.get(`/api/kommunen/${k.slug}/documents/kickoff`);
      return ['PUT', `/api/kommunen/${k.slug}/documents/kickoff`, { content: { date: '2026-07-01' }, expectedVersion: current.body.version }];
    },
  },
  {
    name: 'Workshops dokumentieren',
    allowedInOwn: ['programmteam', 'prozessbegleitung', 'koordination'],
    prepare: async (k) => {
      const current = await people.programmteam.client.get(`/api/kommunen/${k.slug}/documents/workshops`);
      return ['PUT', `/api/kommunen/${k.slug}/documents/workshops`, { content: { workshops: [] }, expectedVersion: current.body.version }];
    },
  },
  {
    name: 'Ausblick und Maßnahmen ändern',
    allowedInOwn: ['programmteam', 'koordination'],
    prepare: async (k) => {
      const current = await people.programmteam.client.get(`/api/kommunen/${k.slug}/documents/outlook`);
      return ['PUT', `/api/kommunen/${k.slug}/documents/outlook`, { content: { narrative: 'Weiter so.' }, expectedVersion: current.body.version }];
    },
  },
  {
    name: 'Ausgangslage ändern',
    allowedInOwn: ['programmteam', 'koordination'],
    prepare: async (k) => {
      const current = await people.programmteam.client.get(`/api/kommunen/${k.slug}/documents/profile`);
      return ['PUT', `/api/kommunen/${k.slug}/documents/profile`, { content: { population: 1000 }, expectedVersion: current.body.version }];
    },
  },
  { name: 'Runden auflisten', allowedInOwn: roleNames, prepare: async (k) => ['GET', `/api/kommunen/${k.slug}/rounds`] },
  { name: 'Runde ansehen', allowedInOwn: roleNames, prepare: async (k) => ['GET', `/api/kommunen/${k.slug}/rounds/${await ensureOpenRound(k)}`] },
  // Paper questionnaires entered on behalf of a department: who manages the round.
  { name: 'Eingetragene Papierbögen auflisten', allowedInOwn: ['programmteam', 'koordination'], prepare: async (k) => ['GET', `/api/kommunen/${k.slug}/rounds/${await ensureOpenRound(k)}/on-behalf`] },
  // The questionnaire on paper: everyone who may read the round, every worked field (the questions are no secret).
  { name: 'Fragebogen herunterladen', allowedInOwn: roleNames, prepare: async (k) => ['GET', `/api/kommunen/${k.slug}/rounds/${await ensureOpenRound(k)}/questionnaire?format=docx&field=1`] },
  { name: 'Fragen eines Handlungsfelds', allowedInOwn: roleNames, prepare: async (k) => ['GET', `/api/kommunen/${k.slug}/rounds/${await ensureOpenRound(k)}/fields/2`] },
  { name: 'Ergebnisse', allowedInOwn: roleNames, prepare: async (k) => ['GET', `/api/kommunen/${k.slug}/rounds/${await ensureOpenRound(k)}/results`] },
  { name: 'Netzdiagramm', allowedInOwn: roleNames, prepare: async (k) => ['GET', `/api/kommunen/${k.slug}/rounds/${await ensureOpenRound(k)}/results/radar.svg`] },
  {
    name: 'antworten',
    allowedInOwn: ['programmteam', 'koordination', 'mitwirkende'],
    prepare: async (k) => [
      'PUT',
      `/api/kommunen/${k.slug}/rounds/${await ensureOpenRound(k)}/answers/${field2Questions[questionCursor++ % field2Questions.length]}`,
      { value: 'eher_ja', comment: '', evidence: '', expectedVersion: 0 },
    ],
  },
  // Deadline, reminders (issue 14): who manages the round; the E-Mail-Protokoll: Koordination and Programmteam.
  { name: 'Frist setzen', allowedInOwn: ['programmteam', 'koordination'], prepare: async (k) => ['PUT', `/api/kommunen/${k.slug}/rounds/${await ensureOpenRound(k)}/deadline`, { deadline: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10), reminderDaysBefore: null }] },
  { name: 'Erinnerungen ansehen', allowedInOwn: ['programmteam', 'koordination'], prepare: async (k) => ['GET', `/api/kommunen/${k.slug}/rounds/${await ensureOpenRound(k)}/reminders`] },
  { name: 'Erinnerungen senden', allowedInOwn: ['programmteam', 'koordination'], prepare: async (k) => ['POST', `/api/kommunen/${k.slug}/rounds/${await ensureOpenRound(k)}/reminders`, {}] },
  { name: 'E-Mail-Protokoll', allowedInOwn: ['programmteam', 'koordination'], prepare: async (k) => ['GET', `/api/kommunen/${k.slug}/email-log`] },
  { name: 'Konsolidierung ansehen', allowedInOwn: ['programmteam', 'prozessbegleitung', 'koordination'], prepare: async (k) => ['GET', `/api/kommunen/${k.slug}/rounds/${await ensureOpenRound(k)}/consolidation`] },
  { name: 'Änderungsverlauf', allowedInOwn: ['programmteam', 'prozessbegleitung', 'koordination'], prepare: async (k) => ['GET', `/api/kommunen/${k.slug}/rounds/${await ensureOpenRound(k)}/changes`] },
  // The discussion per question and criterion (issue 14): everyone who works on the round reads and
  // writes (Mitwirkende on their fields: field 2 here); who consolidates settles. Lesende do neither.
  { name: 'Diskussion lesen', allowedInOwn: ['programmteam', 'prozessbegleitung', 'koordination', 'mitwirkende'], prepare: async (k) => ['GET', `/api/kommunen/${k.slug}/rounds/${await ensureOpenRound(k)}/notes`] },
  {
    name: 'Notiz schreiben',
    allowedInOwn: ['programmteam', 'prozessbegleitung', 'koordination', 'mitwirkende'],
    prepare: async (k) => ['POST', `/api/kommunen/${k.slug}/rounds/${await ensureOpenRound(k)}/notes`, { kind: 'question', key: '2.1.1', body: 'Wer ist hier zuständig?' }],
  },
  {
    name: 'Diskussion als erledigt markieren',
    allowedInOwn: ['programmteam', 'koordination'],
    prepare: async (k) => {
      const number = await ensureOpenRound(k);
      await people.programmteam.client.post(`/api/kommunen/${k.slug}/rounds/${number}/notes`, { kind: 'criterion', key: '2.1', body: 'Bitte klären.' });
      return ['PUT', `/api/kommunen/${k.slug}/rounds/${number}/threads/criterion/2.1`, { settled: false }];
    },
  },
  {
    name: 'Einschätzung festlegen',
    allowedInOwn: ['programmteam', 'koordination'],
    prepare: async (k) => [
      'PUT',
      `/api/kommunen/${k.slug}/rounds/${await ensureOpenRound(k)}/ratings/2.${(criterionCursor++ % 10) + 1}`,
      { rating: null, reason: '', expectedVersion: 0 },
    ],
  },
  {
    name: 'Einstellungen ändern',
    allowedInOwn: ['programmteam', 'koordination'],
    prepare: async (k) => {
      const number = await ensureOpenRound(k);
      const overview = await people.programmteam.client.get(`/api/kommunen/${k.slug}/rounds/${number}`);
      return ['PUT', `/api/kommunen/${k.slug}/rounds/${number}`, { workedFieldKeys: ['1', '2'], participants: 'Steuerungsgruppe', expectedVersion: overview.body.round.version }];
    },
  },
  {
    name: 'Runde abschließen',
    allowedInOwn: ['programmteam', 'koordination'],
    prepare: async (k) => {
      const number = await ensureOpenRound(k);
      const overview = await people.programmteam.client.get(`/api/kommunen/${k.slug}/rounds/${number}`);
      return ['POST', `/api/kommunen/${k.slug}/rounds/${number}/close`, { expectedVersion: overview.body.round.version, confirmedOpenQuestions: overview.body.review.openQuestionCount }];
    },
  },
  {
    name: 'Runde wieder öffnen',
    allowedInOwn: ['programmteam', 'koordination'],
    prepare: async (k) => ['POST', `/api/kommunen/${k.slug}/rounds/${await ensureClosedRound(k)}/reopen`, { reason: 'Nachtrag' }],
  },
  {
    name: 'Runde beginnen',
    allowedInOwn: ['programmteam', 'koordination'],
    prepare: async (k) => {
      await ensureClosedRound(k);
      return ['POST', `/api/kommunen/${k.slug}/rounds`, { workedFieldKeys: ['1', '2'] }];
    },
  },
];

describe.each(roundRoutes)('access matrix: $name', (route) => {
  for (const role of roleNames) {
    for (const where of ['own', 'other'] as const) {
      const isAllowed = where === 'own' ? route.allowedInOwn.includes(role) : role === 'programmteam';
      it(`${role} in ${where === 'own' ? 'der eigenen' : 'einer anderen'} Kommune → ${isAllowed ? '2xx' : '403'}`, async () => {
        const [method, path, body] = await route.prepare(where === 'own' ? own : other);
        const response = await people[role].client.request(method, path, body);
        if (isAllowed) expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
        else expect(response.status, JSON.stringify(response.body)).toBe(403);
      });
    }
  }
  it('anonymous → 401', async () => {
    const [method, path, body] = await route.prepare(own);
    expect((await new TestClient(runtime).request(method, path, body)).status).toBe(401);
  });
});
