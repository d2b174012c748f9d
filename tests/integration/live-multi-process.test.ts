import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeAlphabet, liveLimits } from '../../src/domain/live-session.ts';
import { launchBrowser } from '../support/browser.ts';
import { createTestDatabaseUrl, testDatabaseKind } from '../support/database.ts';
import { runLiveWorkshopJourney } from '../support/live-journey.ts';
import { startNginx, type Nginx } from '../support/nginx.ts';
import { runCli, startServerProcess, waitForHealth, type ServerProcess } from '../support/processes.ts';
import { openEventStream, type EventStream, type StreamEvent } from '../support/sse.ts';

/**
 * Issue 16: the live session with two `weltoffen serve` processes on one PostgreSQL behind nginx
 * (round robin, no sticky sessions). Phones talk to process A or B; the projection's stream is on the
 * other one: every card and every point change reaches it exactly once (LISTEN/NOTIFY wakes the
 * streams of both processes, the event table is the truth). A stream cut and resumed with
 * Last-Event-ID at the other process gets exactly what it missed. The join limit and the card limit
 * count across both processes. Closing at one process ends the phones' streams at both. Then the
 * browser journey of the whole workshop (WEB's runLiveWorkshopJourney) runs through nginx.
 * PGlite admits one process per data directory (as tests/integration/multi-process.test.ts shows): on
 * that leg the second stops with the German lock message and the same steps run through nginx
 * against the one that runs, A and B being the same process.
 *
 * The processes run with TRUST_PROXY=2 so that a phone's own X-Forwarded-For is the address the join
 * limit counts (nginx appends 127.0.0.1); the browser journey's phones all come from 127.0.0.1.
 */
const ports = { proxy: 4470, servers: [4471, 4472] } as const;
const slug = 'musterstadt';
const workshopId = 'workshop-musterstadt-1';
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

async function send(origin: string, method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
  const response = await fetch(`${origin}${url}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), origin, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

/** A phone without an account: its wo_live cookie and its own address (as a proxy in front of nginx would send it). */
class Phone {
  cookie = '';
  readonly address: string;
  constructor(address: string) {
    this.address = address;
  }
  /** Directly at a process the phone sends the header nginx would have made; through nginx nginx appends. */
  headers(origin: string, proxy: string): Record<string, string> {
    return { 'x-forwarded-for': origin === proxy ? this.address : `${this.address}, 127.0.0.1`, ...(this.cookie ? { cookie: this.cookie } : {}) };
  }
}

const cardTexts = (events: StreamEvent[]) => events.filter((event) => event.type === 'card-added').map((event) => (event.data as { card: { text: string } }).card.text);
const ids = (events: StreamEvent[]) => events.map((event) => event.id);
const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => from + index);

describe(`the live session with several server processes behind nginx (${testDatabaseKind})`, () => {
  it(
    testDatabaseKind === 'postgres'
      ? 'two processes on one PostgreSQL: cards, points, resumed streams, limits and the close hold across both; the browser workshop runs through nginx'
      : 'PGlite refuses the second process; cards, points, resumed streams, limits, the close and the browser workshop run through nginx against the one',
    { timeout: 420_000 },
    async () => {
      const database = await createTestDatabaseUrl();
      cleanups.push(() => database.drop());
      const dataDir = mkdtempSync(path.join(tmpdir(), 'weltoffen-live-multi-'));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const proxy = `http://127.0.0.1:${ports.proxy}`;
      const env = { DATA_DIR: dataDir, ...(database.url ? { DATABASE_URL: database.url } : {}), AUTH_SECRET: 'live-multi-process-secret-0123456789ab', PUBLIC_URL: proxy, TRUST_PROXY: '2' };
      const demo = await runCli(['demo'], env);
      const password = /Passwort: (\S+)/.exec(demo.stdout)?.[1];
      expect(password, demo.stderr).toBeTruthy();

      const servers = ports.servers.map((port) => startServerProcess({ ...env, PORT: String(port) })) as [ServerProcess, ServerProcess];
      cleanups.push(() => Promise.all(servers.map((server) => server.stop())).then(() => {}));
      let running: number[];
      if (testDatabaseKind === 'postgres') {
        const up = await Promise.all(ports.servers.map((port) => waitForHealth(port, 120_000)));
        expect(up, `${servers[0].output()}\n${servers[1].output()}`).toEqual([true, true]);
        running = [...ports.servers];
      } else {
        const loser = await Promise.race(servers.map((server) => server.exited.then(() => server)));
        expect(loser.output(), loser.output()).toMatch(/wird bereits von einem anderen Weltoffen-Prozess|Ein zweiter Server auf derselben eingebetteten Datenbank ist nicht möglich/);
        const winner = ports.servers[loser === servers[0] ? 1 : 0];
        expect(await waitForHealth(winner, 120_000), servers.map((server) => server.output()).join('\n')).toBe(true);
        running = [winner];
      }
      const [a, b] = [`http://127.0.0.1:${running[0]}`, `http://127.0.0.1:${running.at(-1)}`];
      const nginx: Nginx = await startNginx(ports.proxy, running);
      cleanups.push(() => nginx.stop());
      const outputs = () => servers.map((server) => server.output()).join('\n');

      // The Koordination signs in through nginx; the session cookie works at both processes.
      const signIn = await send(proxy, 'POST', '/api/session', { 'x-forwarded-for': '198.51.100.1' }, { email: 'integrationsbuero@musterstadt.example', password });
      expect(signIn.status, JSON.stringify(signIn.body)).toBe(200);
      const cookie = signIn.headers.getSetCookie().map((entry) => entry.split(';')[0]).join('; ');
      const moderate = (origin: string, method: string, url: string, body?: unknown) => send(origin, method, url, { cookie }, body);
      const opened = await moderate(a, 'POST', `/api/kommunen/${slug}/live-sessions`, { workshopId, fieldKeys: ['4', '5'], votesPerParticipant: 5, maxVotesPerCard: 3 });
      expect(opened.status, JSON.stringify(opened.body)).toBe(201);
      const code: string = opened.body.session.code;
      const sessionUrl = `/api/kommunen/${slug}/live-sessions/${opened.body.session.id}`;
      expect((await moderate(b, 'PATCH', sessionUrl, { phase: 'sammeln', votingOpen: true })).status).toBe(200);
      const start: number = (await moderate(a, 'GET', sessionUrl)).body.lastEventId;

      // The projection's stream on B, the Moderation's console on A.
      const streams: EventStream[] = [];
      const stream = (url: string, headers: Record<string, string>) => {
        const opened = openEventStream(url, headers);
        streams.push(opened);
        return opened;
      };
      cleanups.push(() => streams.forEach((entry) => entry.close()));
      const projection = stream(`${b}${sessionUrl}/events?after=${start}`, { cookie });
      const console_ = stream(`${a}${sessionUrl}/events?after=${start}`, { cookie });
      expect(await Promise.all([projection.opened, console_.opened])).toEqual([200, 200]);

      // Four phones: two join at A, two at B; each keeps its participant stream at the other process.
      const phones = [1, 2, 3, 4].map((number) => new Phone(`203.0.113.${number}`));
      const home = (index: number) => (index < 2 ? a : b);
      const away = (index: number) => (index < 2 ? b : a);
      const phoneStreams: EventStream[] = [];
      for (const [index, phone] of phones.entries()) {
        const joined = await send(home(index), 'POST', '/api/live/join', phone.headers(home(index), proxy), { code, displayName: `Telefon ${index + 1}`, nameConsent: false });
        expect(joined.status, JSON.stringify(joined.body)).toBe(201);
        phone.cookie = joined.headers.getSetCookie().map((entry) => entry.split(';')[0]).find((entry) => entry!.startsWith('wo_live='))!;
        const after: number = joined.body.lastEventId;
        phoneStreams.push(stream(`${away(index)}/api/live/events?after=${after}`, phone.headers(away(index), proxy)));
      }
      expect(await Promise.all(phoneStreams.map((entry) => entry.opened))).toEqual([200, 200, 200, 200]);

      // Each phone posts three cards at its own process, one per question; a retry of the same clientId makes no double.
      const posted: string[] = [];
      const needs: string[] = [];
      for (const [index, phone] of phones.entries()) {
        for (const questionIndex of [0, 1, 2]) {
          const text = `Telefon ${index + 1}, Frage ${questionIndex + 1}`;
          const clientId = randomUUID();
          const card = await send(home(index), 'POST', '/api/live/cards', phone.headers(home(index), proxy), { clientId, fieldKey: index % 2 ? '5' : '4', questionIndex, text });
          expect(card.status, JSON.stringify(card.body)).toBe(201);
          const retried = await send(away(index), 'POST', '/api/live/cards', phone.headers(away(index), proxy), { clientId, fieldKey: index % 2 ? '5' : '4', questionIndex, text });
          expect(retried.body.id).toBe(card.body.id);
          posted.push(text);
          if (questionIndex === 2) needs.push(card.body.id);
        }
      }
      // Points, alternately at both processes: each phone gives 2 on one need and 1 on the next.
      let pointChanges = 0;
      for (const [index, phone] of phones.entries()) {
        for (const [offset, count] of [[0, 2], [1, 1]] as const) {
          const origin = (index + offset) % 2 ? b : a;
          const voted = await send(origin, 'PUT', `/api/live/votes/${needs[(index + offset) % needs.length]}`, phone.headers(origin, proxy), { count });
          expect(voted.status, JSON.stringify(voted.body)).toBe(200);
          pointChanges += 1;
        }
      }
      const expectedTotals = Object.fromEntries(needs.map((id) => [id, 0]));
      for (const index of phones.keys()) {
        expectedTotals[needs[index % needs.length]!]! += 2;
        expectedTotals[needs[(index + 1) % needs.length]!]! += 1;
      }
      const settled = (events: StreamEvent[]) => cardTexts(events).length >= posted.length && events.filter((event) => event.type === 'votes-changed').length >= pointChanges;
      for (const watcher of [projection, console_]) {
        const events = await watcher.until(settled);
        // Every card exactly once, every point change exactly once, the ids gap-free from the start.
        expect(cardTexts(events).sort()).toEqual([...posted].sort());
        const votes = events.filter((event) => event.type === 'votes-changed').map((event) => event.data as { cardId: string; total: number });
        expect(votes).toHaveLength(pointChanges);
        const lastTotals = Object.fromEntries(votes.map((vote) => [vote.cardId, vote.total]));
        expect(lastTotals).toEqual(Object.fromEntries(Object.entries(expectedTotals).filter(([, total]) => total > 0)));
        expect(ids(events)).toEqual(range(start + 1, events.at(-1)!.id));
      }
      const stored = await moderate(b, 'GET', sessionUrl);
      expect(Object.fromEntries(stored.body.cards.filter((card: { questionIndex: number }) => card.questionIndex === 2).map((card: { id: string; votes: number }) => [card.id, card.votes]))).toEqual(expectedTotals);
      // The phones' streams (at the other process): every card, no names, no participant events.
      for (const phoneStream of phoneStreams) {
        const events = await phoneStream.until(settled);
        expect(cardTexts(events).sort()).toEqual([...posted].sort());
        expect(events.filter((event) => event.type === 'votes-changed')).toHaveLength(pointChanges);
        expect(JSON.stringify(events)).not.toMatch(/Telefon \d"|participant-joined|authorName":"Telefon/);
        expect(ids(events)).toEqual([...new Set(ids(events))].sort((x, y) => x - y));
      }

      // The projection's stream is cut after the event it applied last; meanwhile cards come at A and B;
      // it comes back at the other process (A) with Last-Event-ID and gets exactly what it missed.
      const cutAt = projection.events.at(-1)!.id;
      projection.close();
      expect(await projection.ended).toBe('closed');
      const missed: string[] = [];
      for (const [index, phone] of phones.entries()) {
        const text = `Während der Unterbrechung ${index + 1}`;
        const card = await send(index % 2 ? a : b, 'POST', '/api/live/cards', phone.headers(index % 2 ? a : b, proxy), { clientId: randomUUID(), fieldKey: '4', questionIndex: 1, text });
        expect(card.status, JSON.stringify(card.body)).toBe(201);
        missed.push(text);
      }
      const hidden = await moderate(b, 'PATCH', `${sessionUrl}/cards/${needs[0]}`, { hidden: true });
      expect(hidden.status).toBe(200);
      const now: number = (await moderate(a, 'GET', sessionUrl)).body.lastEventId;
      const resumed = stream(`${a}${sessionUrl}/events`, { cookie, 'last-event-id': String(cutAt) });
      expect(await resumed.opened).toBe(200);
      const replayed = await resumed.until((events) => (events.at(-1)?.id ?? 0) >= now);
      expect(ids(replayed)).toEqual(range(cutAt + 1, now));
      expect(cardTexts(replayed)).toEqual(missed);
      // The hide came last: the card is hidden, and the points on it are withdrawn with it.
      const afterCards = replayed.filter((event) => event.type !== 'card-added');
      expect(afterCards[0]).toMatchObject({ type: 'card-changed', data: { card: { id: needs[0], hidden: true } } });
      for (const event of afterCards.slice(1)) expect(event).toMatchObject({ type: 'votes-changed', data: { cardId: needs[0], total: 0 } });
      // The console, never cut, saw the same events with the same ids.
      const consoleEvents = await console_.until((events) => (events.at(-1)?.id ?? 0) >= now);
      expect(consoleEvents.filter((event) => event.id > cutAt).map((event) => [event.id, event.type])).toEqual(replayed.map((event) => [event.id, event.type]));

      // The join limit (60 wrong codes per address in 10 minutes) counts across the processes: through
      // nginx (round robin) the next join of that address is refused wherever it lands, also with the right code.
      const before = nginx.requests().length;
      const guesser = new Phone('203.0.113.99');
      const wrongCode = code.slice(0, 9) + (code[9] === codeAlphabet[0] ? codeAlphabet[1] : codeAlphabet[0]);
      for (let attempt = 0; attempt < liveLimits.wrongCodesPerAddress; attempt++) {
        const tried = await send(proxy, 'POST', '/api/live/join', guesser.headers(proxy, proxy), { code: wrongCode, displayName: '', nameConsent: false });
        expect(tried.status, JSON.stringify(tried.body)).toBe(404);
      }
      const refused = await send(proxy, 'POST', '/api/live/join', guesser.headers(proxy, proxy), { code, displayName: '', nameConsent: false });
      expect(refused.status, JSON.stringify(refused.body)).toBe(429);
      expect(refused.body.error.message).toMatch(/zu viele falsche Sitzungscodes/);
      const joins = (await nginx.logged((requests) => requests.slice(before).filter((entry) => entry.uri === '/api/live/join').length >= liveLimits.wrongCodesPerAddress + 1)).slice(before);
      expect(new Set(joins.map((entry) => entry.upstream)).size, nginx.output()).toBe(running.length);

      // The card limit (30 per phone in 10 minutes) counts across the processes: phone 1 has posted 4
      // cards; of 27 more, alternately at A and B, 26 are taken and the last is refused.
      const statuses: number[] = [];
      for (let number = 0; number < 27; number++) {
        const origin = number % 2 ? b : a;
        const card = await send(origin, 'POST', '/api/live/cards', phones[0]!.headers(origin, proxy), { clientId: randomUUID(), fieldKey: number % 2 ? '4' : '5', questionIndex: number % 2, text: `Noch eine Karte ${number + 1}` });
        statuses.push(card.status);
      }
      expect(statuses).toEqual([...Array.from({ length: 26 }, () => 201), 429]);

      // Closing at B ends the phones' streams at both processes, after the close has reached them.
      const closed = await moderate(b, 'POST', `${sessionUrl}/close`, {});
      expect(closed.status, JSON.stringify(closed.body)).toBe(200);
      expect(await Promise.all(phoneStreams.map((entry) => entry.ended))).toEqual(['server', 'server', 'server', 'server']);
      // The signed-in streams stay open (the console shows the closed session); the close reaches them too.
      for (const entry of [...phoneStreams, console_, resumed]) {
        const events = await entry.until((seen) => seen.at(-1)?.type === 'session-changed');
        expect(events.at(-1), JSON.stringify(events.at(-1))).toMatchObject({ type: 'session-changed', data: { session: { status: 'beendet' } } });
      }
      for (const [index, phone] of phones.entries()) {
        expect((await send(away(index), 'GET', '/api/live/session', phone.headers(away(index), proxy))).status).toBe(410);
      }
      for (const entry of streams) entry.close();
      // The raw session is deleted at A (the documentation stays); the workshop is free for the next one.
      expect((await moderate(a, 'DELETE', sessionUrl)).status).toBe(200);
      expect((await moderate(b, 'GET', sessionUrl)).status).toBe(404);

      // The whole workshop in the browser through nginx, both processes answering.
      const browserBefore = nginx.requests().length;
      const { browser, close } = await launchBrowser();
      cleanups.push(close);
      const result = await runLiveWorkshopJourney(proxy, { browser, moderatorEmail: 'integrationsbuero@musterstadt.example', password: password!, slug, workshopTitle: 'Selbstcheck-Workshop' });
      expect(result.problems).toEqual([]);
      expect(new Set(nginx.requests().slice(browserBefore).map((entry) => entry.upstream)).size, nginx.output()).toBe(running.length);

      expect(nginx.requests().filter((entry) => entry.status >= 500), nginx.output()).toEqual([]);
      expect(outputs()).not.toMatch(/Interner Fehler|Unerwarteter Fehler/);
    },
  );
});
