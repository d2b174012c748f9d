import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { TestRuntime } from '../support/database.ts';
import { createTestDatabaseUrl, testDatabaseKind } from '../support/database.ts';
import { testPassword } from '../support/factories.ts';
import { TestClient } from '../support/http.ts';
import { startNginx, type Nginx, type ProxiedRequest } from '../support/nginx.ts';
import { startServerProcess, waitForHealth, type ServerProcess } from '../support/processes.ts';
import { closeRoundConfirmed } from '../support/rounds.ts';
import { decodedMail, startCaptureSmtp } from '../support/smtp.ts';

/**
 * Issue 15: „several server processes on one PostgreSQL behind a reverse proxy behave as with one“.
 * Two `weltoffen serve` processes share one PostgreSQL database behind nginx (round robin, no
 * sticky sessions, TRUST_PROXY=1), and the whole journey runs through the proxy: the first account
 * from the setup link, sign-in, a Kommune, invitations accepted, a round answered, discussed,
 * consolidated and closed, results, the report and the export. nginx logs which process answered
 * each request, so the test proves both did, and that the limits count across them: the sign-in
 * limit trips after the same five failures though they alternate between the processes, the
 * reminder limit and the note limit hold across both, and a session made at one works at the other.
 * PGlite admits one process per data directory: on that leg the second stops with the German lock
 * message and the same journey runs through nginx against the one that runs.
 */
const ports = { proxy: 4350, servers: [4351, 4352] } as const;
const authSecret = 'multi-process-secret-multi-process-0123';
const servers: ServerProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A browser-like client (cookies, JSON) whose requests go to `target.origin`, which may change between requests. */
function clientAt(target: { origin: string }, address = '198.51.100.7'): TestClient {
  const app = { request: (url: string, init: RequestInit) => fetch(url.replace('http://localhost:3000', target.origin), init) };
  return new TestClient({ app } as unknown as Pick<TestRuntime, 'app'>, address);
}

/** The token of the newest link of the given kind in the captured mails to `email`, waiting for the mail up to 30 s. */
async function linkTokenFromMail(mails: { to: string[]; data: string }[], email: string, kind: 'einladung'): Promise<string> {
  for (let waited = 0; waited < 30_000; waited += 100) {
    const mail = mails.findLast((entry) => entry.to.includes(email));
    const token = mail && new RegExp(`/${kind}/([A-Za-z0-9_-]{20,})`).exec(decodedMail(mail))?.[1];
    if (token) return token;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Keine E-Mail mit Link an ${email} angekommen.`);
}

describe(`several server processes behind nginx (${testDatabaseKind})`, () => {
  it(
    testDatabaseKind === 'postgres'
      ? 'two processes on one PostgreSQL behind nginx: the journey works, sessions and limits hold across both'
      : 'PGlite refuses the second process with the German lock message; the journey runs through nginx against the one',
    { timeout: 240_000 },
    async () => {
      const smtp = await startCaptureSmtp();
      cleanups.push(() => smtp.close());
      const database = await createTestDatabaseUrl();
      cleanups.push(() => database.drop());
      const dataDir = mkdtempSync(path.join(tmpdir(), 'weltoffen-multi-process-'));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const origin = `http://127.0.0.1:${ports.proxy}`;
      // The same settings on every process: one PUBLIC_URL (the proxy's), one AUTH_SECRET, one SMTP server.
      const env = {
        DATA_DIR: dataDir,
        ...(database.url ? { DATABASE_URL: database.url } : {}),
        AUTH_SECRET: authSecret,
        PUBLIC_URL: origin,
        TRUST_PROXY: '1',
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Weltoffen <weltoffen@example.org>',
        MAIL_INTERVAL_SECONDS: '1',
      };
      const [first, second] = ports.servers.map((port) => startServerProcess({ ...env, PORT: String(port) })) as [ServerProcess, ServerProcess];
      servers.push(first, second);
      let running: { server: ServerProcess; port: number }[];
      if (testDatabaseKind === 'postgres') {
        const up = await Promise.all(ports.servers.map((port) => waitForHealth(port, 120_000)));
        expect(up, `${first.output()}\n${second.output()}`).toEqual([true, true]);
        running = [{ server: first, port: ports.servers[0] }, { server: second, port: ports.servers[1] }];
      } else {
        // The lock on the data directory refuses the second; once the first runs, `serve` finds it and says so.
        const loser = await Promise.race([first.exited.then(() => first), second.exited.then(() => second)]);
        expect(loser.output(), loser.output()).toMatch(/wird bereits von einem anderen Weltoffen-Prozess|Ein zweiter Server auf derselben eingebetteten Datenbank ist nicht möglich/);
        const winner = loser === first ? { server: second, port: ports.servers[1] } : { server: first, port: ports.servers[0] };
        expect(await waitForHealth(winner.port, 120_000), winner.server.output()).toBe(true);
        running = [winner];
      }
      const outputs = () => running.map((entry) => entry.server.output()).join('\n');
      const nginx: Nginx = await startNginx(ports.proxy, running.map((entry) => entry.port));
      cleanups.push(() => nginx.stop());
      const proxy = { origin };
      /** The `count` logged requests of this kind, once nginx has logged them all. */
      const loggedRequests = async (method: string, uri: string, count: number, since = 0) => {
        const matching = (requests: ProxiedRequest[]) => requests.slice(since).filter((entry) => entry.method === method && entry.uri === uri);
        return matching(await nginx.logged((requests) => matching(requests).length >= count));
      };
      /** The processes (upstreams) that answered `count` requests of this kind. */
      const upstreamsOf = async (method: string, uri: string, count: number) => new Set((await loggedRequests(method, uri, count)).map((entry) => entry.upstream));

      // 1. The first account, through a setup link from a process's log. Each process that found no
      //    account printed one; whichever is used first creates the account, and then every link is done.
      const setupTokens = [...outputs().matchAll(/\/einrichtung\/([A-Za-z0-9_-]{20,})/g)].map((match) => match[1]!);
      expect(setupTokens.length, outputs()).toBeGreaterThanOrEqual(1);
      const programmteam = clientAt(proxy);
      const setup = await programmteam.post(`/api/setup/${setupTokens.at(-1)}`, { name: 'Paula Programm', email: 'paula@programm.example', password: testPassword });
      expect(setup.status, JSON.stringify(setup.body)).toBe(201);
      for (const token of setupTokens) {
        const again = await clientAt(proxy).post(`/api/setup/${token}`, { name: 'Zweite Person', email: 'zweite@programm.example', password: testPassword });
        expect(again.status, JSON.stringify(again.body)).toBe(410);
        expect(again.body.error.message).toMatch(/Einrichtung ist abgeschlossen/);
      }

      // 2. Sign in through the proxy; the session cookie works at every process, directly and through nginx.
      expect((await programmteam.signIn('paula@programm.example', testPassword)).status).toBe(200);
      for (let request = 0; request < 4; request++) {
        const session = await programmteam.get('/api/session');
        expect(session.status, JSON.stringify(session.body)).toBe(200);
        expect(JSON.stringify(session.body)).toContain('paula@programm.example');
      }
      const direct = { origin: `http://127.0.0.1:${running[0]!.port}` };
      const atOne = clientAt(direct);
      expect((await atOne.signIn('paula@programm.example', testPassword)).status).toBe(200);
      for (const entry of running) {
        direct.origin = `http://127.0.0.1:${entry.port}`;
        const session = await atOne.get('/api/session');
        expect(session.status, `${entry.port}: ${JSON.stringify(session.body)}`).toBe(200);
        expect(JSON.stringify(session.body)).toContain('paula@programm.example');
      }
      // Signed out at one process means signed out at every one.
      direct.origin = `http://127.0.0.1:${running.at(-1)!.port}`;
      const cookieBeforeSignOut = atOne.cookieHeader;
      expect((await atOne.delete('/api/session')).status).toBe(200);
      for (const entry of running) {
        const response = await fetch(`http://127.0.0.1:${entry.port}/api/kommunen`, { headers: { cookie: cookieBeforeSignOut } });
        expect(response.status, `${entry.port}`).toBe(401);
      }

      // 3. A Kommune, its Koordination and a Mitwirkende, each invited by e-mail and accepting through the proxy.
      const created = await programmteam.post('/api/kommunen', { name: 'Proxystadt', kind: 'Stadt', bundesland: 'Sachsen', gemeindeschluessel: null, modules: [1] });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const slug: string = created.body.kommune.slug;
      const invited = await programmteam.post(`/api/kommunen/${slug}/invitations`, { email: 'koordination@proxystadt.example', role: 'koordination', fieldKeys: [] });
      expect(invited.status, JSON.stringify(invited.body)).toBe(201);
      const koordination = clientAt(proxy);
      const koordinationToken = await linkTokenFromMail(smtp.received, 'koordination@proxystadt.example', 'einladung');
      const acceptedKoordination = await koordination.post(`/api/invitations/by-token/${koordinationToken}/accept`, { name: 'Kora Koordination', password: testPassword });
      expect(acceptedKoordination.status, JSON.stringify(acceptedKoordination.body)).toBe(201);
      const invitedMitwirkende = await koordination.post(`/api/kommunen/${slug}/invitations`, { email: 'mira@proxystadt.example', role: 'mitwirkende', fieldKeys: ['1'] });
      expect(invitedMitwirkende.status, JSON.stringify(invitedMitwirkende.body)).toBe(201);
      const mitwirkende = clientAt(proxy);
      const mitwirkendeToken = await linkTokenFromMail(smtp.received, 'mira@proxystadt.example', 'einladung');
      expect((await mitwirkende.post(`/api/invitations/by-token/${mitwirkendeToken}/accept`, { name: 'Mira Mitwirkend', password: testPassword })).status).toBe(201);

      // The invitation limit (30 an hour per person) counts across the processes too: the Programmteam
      // invited one person so far; of 30 more sent at once, 29 go out.
      const invitations = await Promise.all(
        Array.from({ length: 30 }, (_, index) => programmteam.post(`/api/kommunen/${slug}/invitations`, { email: `lesende-${index + 1}@proxystadt.example`, role: 'lesende', fieldKeys: [] })),
      );
      expect(invitations.filter((response) => response.status === 201), JSON.stringify(invitations.map((response) => response.status))).toHaveLength(29);
      expect(invitations.filter((response) => response.status === 429)).toHaveLength(1);
      expect((await upstreamsOf('POST', `/api/kommunen/${slug}/invitations`, 32)).size, nginx.output()).toBe(running.length);

      // 4. A round, answered.
      const base = `/api/kommunen/${slug}/rounds/1`;
      const round = await koordination.post(`/api/kommunen/${slug}/rounds`, { workedFieldKeys: ['1'], participants: '' });
      expect(round.status, JSON.stringify(round.body)).toBe(201);
      const answered = await mitwirkende.put(`${base}/answers/1.1.1`, { value: 'ja', comment: 'Über den Proxy', evidence: '', expectedVersion: 0 });
      expect(answered.status, JSON.stringify(answered.body)).toBe(200);

      // 5. The note limit (30 in ten minutes per person) counts across the processes: of 35 notes
      //    sent at once, through both processes, exactly 30 are kept.
      const notes = await Promise.all(
        Array.from({ length: 35 }, (_, index) => mitwirkende.post(`${base}/notes`, { kind: 'question', key: '1.1.1', body: `Anmerkung Nummer ${index + 1}` })),
      );
      expect(notes.filter((note) => note.status === 201), JSON.stringify(notes.map((note) => note.status))).toHaveLength(30);
      expect((await upstreamsOf('POST', `${base}/notes`, 35)).size, nginx.output()).toBe(running.length);
      const refusedNotes = notes.filter((note) => note.status !== 201);
      expect(refusedNotes.map((note) => note.status)).toEqual([429, 429, 429, 429, 429]);
      const discussion = await koordination.get(`${base}/notes`);
      expect(discussion.status).toBe(200);
      expect(JSON.stringify(discussion.body).match(/Anmerkung Nummer/g)).toHaveLength(30);

      // 6. The reminder limit (three per person and day) counts across the processes.
      const preview = await koordination.get(`${base}/reminders`);
      expect(preview.status, JSON.stringify(preview.body)).toBe(200);
      const mira = preview.body.people.find((person: { email: string | null }) => person.email === 'mira@proxystadt.example');
      expect(mira, JSON.stringify(preview.body)).toBeDefined();
      for (let reminder = 0; reminder < 3; reminder++) {
        const sent = await koordination.post(`${base}/reminders`, { userIds: [mira.userId], confirmRecent: true });
        expect(sent.status, JSON.stringify(sent.body)).toBe(202);
      }
      const fourth = await koordination.post(`${base}/reminders`, { userIds: [mira.userId], confirmRecent: true });
      expect(fourth.status, JSON.stringify(fourth.body)).toBe(429);
      expect(fourth.body.error.message).toMatch(/schon 3 Erinnerungen/);
      expect((await upstreamsOf('POST', `${base}/reminders`, 4)).size, nginx.output()).toBe(running.length);

      // 7. Consolidated, closed, results.
      const rating = await koordination.put(`${base}/ratings/1.1`, { rating: 'ja', reason: 'Im Team besprochen', expectedVersion: 0 });
      expect(rating.status, JSON.stringify(rating.body)).toBe(200);
      const closed = await closeRoundConfirmed(koordination, slug, 1);
      expect(closed.status, JSON.stringify(closed.body)).toBe(200);
      const results = await koordination.get(`${base}/results`);
      expect(results.status, JSON.stringify(results.body)).toBe(200);
      expect(results.body.round.status).toBe('closed');
      expect(results.body.fields[0].criteria[0]).toMatchObject({ key: '1.1', consolidatedRating: 'ja' });

      // 8. The report and the export, through the proxy.
      const report = await koordination.get(`/api/kommunen/${slug}/report?format=pdf`);
      expect(report.status, typeof report.body === 'string' ? report.body.slice(0, 200) : JSON.stringify(report.body)).toBe(200);
      expect(report.headers.get('content-type')).toBe('application/pdf');
      expect(String(report.body).startsWith('%PDF')).toBe(true);
      if (database.url) {
        // While the Koordination's report is being made at one process (its lease row held), the
        // other process refuses a second one too, as one process would; afterwards both render again.
        const direct = new pg.Client({ connectionString: database.url });
        await direct.connect();
        try {
          await direct.query(`insert into work_lease (key, holder, expires_at) select 'document:' || id, 'anderer-prozess', now() + interval '1 minute' from "user" where email = $1`, ['koordination@proxystadt.example']);
          for (const entry of running) {
            const busy = await fetch(`http://127.0.0.1:${entry.port}/api/kommunen/${slug}/report?format=html`, { headers: { cookie: koordination.cookieHeader } });
            expect(busy.status, `${entry.port}`).toBe(429);
            expect((await busy.json()).error.message).toMatch(/vorheriger Bericht wird noch erzeugt/);
          }
          await direct.query(`delete from work_lease where holder = 'anderer-prozess'`);
        } finally {
          await direct.end();
        }
        for (const entry of running) {
          const again = await fetch(`http://127.0.0.1:${entry.port}/api/kommunen/${slug}/report?format=html`, { headers: { cookie: koordination.cookieHeader } });
          expect(again.status, `${entry.port}`).toBe(200);
          await again.arrayBuffer();
        }
      }
      const exported = await koordination.get(`/api/kommunen/${slug}/bundle`);
      expect(exported.status, JSON.stringify(exported.body)).toBe(200);
      expect(exported.body.kommune.name).toBe('Proxystadt');
      expect(exported.body.rounds[0].answers).toHaveLength(1);

      // 9. The sign-in limit: five wrong passwords, alternating between the processes, and the sixth
      //    attempt is refused even with the right password, as with one process.
      const guesser = clientAt(proxy, '203.0.113.99');
      const before = nginx.requests().length;
      for (let attempt = 0; attempt < 5; attempt++) {
        expect((await guesser.signIn('mira@proxystadt.example', 'falsches-Passwort-123')).status).toBe(401);
      }
      const blocked = await guesser.signIn('mira@proxystadt.example', testPassword);
      expect(blocked.status, JSON.stringify(blocked.body)).toBe(429);
      const attempts = await loggedRequests('POST', '/api/session', 6, before);
      expect(attempts.map((entry) => entry.status)).toEqual([401, 401, 401, 401, 401, 429]);
      expect(new Set(attempts.slice(0, 5).map((entry) => entry.upstream)).size, JSON.stringify(attempts)).toBe(running.length);

      if (running.length > 1) {
        // One process stops (an update, a failed machine): nginx sends everything to the other, and
        // sessions, the Kommune and its round are all there.
        await running[0]!.server.stop();
        for (let request = 0; request < 4; request++) {
          expect((await koordination.get(`${base}/results`)).status).toBe(200);
        }
        const secondRound = await koordination.post(`/api/kommunen/${slug}/rounds`, { workedFieldKeys: ['2'], participants: '' });
        expect(secondRound.status, JSON.stringify(secondRound.body)).toBe(201);
      }

      // The limit on password links (three an hour per address) counts across the processes as well.
      const forgetful = clientAt(proxy, '203.0.113.77');
      const resetBefore = nginx.requests().length;
      for (let request = 0; request < 3; request++) {
        expect((await forgetful.post('/api/account/password-reset/request', { email: 'unbekannt@proxystadt.example' })).status).toBe(200);
      }
      const tooMany = await forgetful.post('/api/account/password-reset/request', { email: 'unbekannt@proxystadt.example' });
      expect(tooMany.status, JSON.stringify(tooMany.body)).toBe(429);
      expect(tooMany.body.error.message).toMatch(/zu oft neue Passwörter angefordert/);
      const resets = await loggedRequests('POST', '/api/account/password-reset/request', 4, resetBefore);
      expect(resets.map((entry) => entry.status)).toEqual([200, 200, 200, 429]);

      // Every process answered requests of this journey (on PGlite the one that runs).
      const upstreams = new Set(nginx.requests().map((entry) => entry.upstream));
      expect([...upstreams].sort(), nginx.output()).toEqual(running.map((entry) => `127.0.0.1:${entry.port}`).sort());
      // Nothing was answered with a server error, and no process logged one.
      expect(nginx.requests().filter((entry) => entry.status >= 500), nginx.output()).toEqual([]);
      expect(outputs()).not.toMatch(/Interner Fehler|Unerwarteter Fehler/);
    },
  );
});
