import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { insertUsersWithoutPassword } from '../../src/db/repositories/bundle-repository.ts';
import { upsertMembership } from '../../src/db/repositories/member-repository.ts';
import { createApp } from '../../src/server/app.ts';
import { openRuntime } from '../../src/server/wiring/runtime.ts';
import { catalogDir, createTestDatabaseUrl, testDatabaseKind, type TestRuntime } from '../support/database.ts';
import { makeKommune, makePerson, testPassword } from '../support/factories.ts';
import { TestClient } from '../support/http.ts';
import { startServerProcess, waitForHealth, type ServerProcess } from '../support/processes.ts';
import { startCaptureSmtp } from '../support/smtp.ts';

/**
 * The issue's „reminder sent once with two server processes“: two `weltoffen serve` processes on one
 * PostgreSQL database, each with its own mail loop every second, and a real SMTP server. The
 * automatic reminder (N days before the deadline) and a reminder sent at once reach every person
 * exactly once. PGlite admits one process per data directory (the second stops with a German
 * message, tests/integration/start-together.test.ts), so on the PGlite leg the second process is
 * refused and the one that runs must send each reminder exactly once; the PostgreSQL leg of CI
 * (DATABASE_URL) runs both processes side by side.
 */
// Not 4150: the reminders browser journey uses it, and integration and e2e files may run at the same time.
const ports = [4156, 4157] as const;
const authSecret = 'two-processes-secret-two-processes-0123';
const servers: ServerProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A client like the in-process one, but against a real server process on `port`. */
function remoteClient(port: number): TestClient {
  const app = { request: (url: string, init: RequestInit) => fetch(url.replace('http://localhost:3000', `http://127.0.0.1:${port}`), init) };
  return new TestClient({ app } as unknown as Pick<TestRuntime, 'app'>, '127.0.0.1');
}

/** A Kommune with an open round: a Koordination, two Mitwirkende, and one person from an import without a password. */
async function seed(database: { url: string | undefined }, dataDir: string) {
  const opened = await openRuntime(
    { databaseUrl: database.url, dataDir, publicUrl: `http://127.0.0.1:${ports[0]}`, authSecret, mailFrom: 'test@localhost', catalogDir },
    () => {},
  );
  try {
    const runtime = { ...opened, logs: [], app: createApp({ services: opened.services, auth: opened.auth, session: opened.session, trustProxy: true, webDir: null }) } as TestRuntime;
    const kommune = await makeKommune(runtime, 'Zweiprozessstadt');
    const koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
    await makePerson(runtime, { kommune: { id: kommune.id, role: 'mitwirkende', fieldKeys: ['1'] } });
    await makePerson(runtime, { kommune: { id: kommune.id, role: 'mitwirkende', fieldKeys: ['2'] } });
    const imported = { id: randomUUID(), email: 'importiert@zweiprozessstadt.example', name: 'Ida Import' };
    await insertUsersWithoutPassword(opened.services.db, [imported]);
    await upsertMembership(opened.services.db, { kommuneId: kommune.id, userId: imported.id, role: 'mitwirkende', fieldKeys: ['1', '2'] });
    const started = await koordination.client.post(`/api/kommunen/${kommune.slug}/rounds`, { workedFieldKeys: ['1', '2'], participants: '' });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    return { slug: kommune.slug, koordination: koordination.email, imported: imported.email };
  } finally {
    await opened.close();
  }
}

/** Waits until `count` mails arrived (or a minute passed), then five more loop runs of each process, so a second copy would have arrived too. */
async function receivedAfterSettling(received: unknown[], count: number) {
  for (let waited = 0; waited < 60_000 && received.length < count; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
  await new Promise((resolve) => setTimeout(resolve, 5_000));
}

describe(`reminders with two server processes on one database (${testDatabaseKind})`, () => {
  it(
    testDatabaseKind === 'postgres'
      ? 'both processes send from one queue: the automatic and the sent-now reminder reach every person exactly once'
      : 'PGlite admits one of the two processes; it sends the automatic and the sent-now reminder to every person exactly once',
    { timeout: 240_000 },
    async () => {
      const smtp = await startCaptureSmtp();
      cleanups.push(() => smtp.close());
      const database = await createTestDatabaseUrl();
      cleanups.push(() => database.drop());
      const dataDir = mkdtempSync(path.join(tmpdir(), 'weltoffen-two-processes-'));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const { slug, koordination, imported } = await seed(database, dataDir);

      const env = {
        DATA_DIR: dataDir,
        ...(database.url ? { DATABASE_URL: database.url } : {}),
        AUTH_SECRET: authSecret,
        PUBLIC_URL: `http://127.0.0.1:${ports[0]}`,
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Weltoffen <weltoffen@example.org>',
        MAIL_INTERVAL_SECONDS: '1',
      };
      const first = startServerProcess({ ...env, PORT: String(ports[0]) });
      const second = startServerProcess({ ...env, PORT: String(ports[1]) });
      servers.push(first, second);
      let running: { server: ServerProcess; port: number }[];
      if (testDatabaseKind === 'postgres') {
        const up = await Promise.all(ports.map((port) => waitForHealth(port, 120_000)));
        expect(up, `${first.output()}\n${second.output()}`).toEqual([true, true]);
        running = [{ server: first, port: ports[0] }, { server: second, port: ports[1] }];
      } else {
        // PGlite: one process gets the data directory, the other stops with a German message.
        const loser = await Promise.race([first.exited.then(() => first), second.exited.then(() => second)]);
        expect(loser.output(), loser.output()).toMatch(/wird bereits von einem anderen Weltoffen-Prozess/);
        const winner = loser === first ? { server: second, port: ports[1] } : { server: first, port: ports[0] };
        expect(await waitForHealth(winner.port, 120_000), winner.server.output()).toBe(true);
        running = [winner, winner];
      }

      const outputs = () => running.map((entry) => entry.server.output()).join('\n');
      // The Koordination signs in at one process and sets the automatic reminder three days before a
      // deadline in two days: due at once, for both processes' loops.
      const atFirst = remoteClient(running[0]!.port);
      const signedIn = await atFirst.signIn(koordination, testPassword);
      expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
      const base = `/api/kommunen/${slug}/rounds/1`;
      const preview = await atFirst.get(`${base}/reminders`);
      expect(preview.status, JSON.stringify(preview.body)).toBe(200);
      const expected: string[] = preview.body.people.filter((person: { openCount: number; email: string | null }) => person.openCount > 0 && person.email).map((person: { email: string }) => person.email).sort();
      expect(expected).toContain(imported);
      expect(expected.length).toBeGreaterThanOrEqual(3);
      const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
      const deadline = await atFirst.put(`${base}/deadline`, { deadline: inTwoDays, reminderDaysBefore: 3 });
      expect(deadline.status, JSON.stringify(deadline.body)).toBe(200);

      await receivedAfterSettling(smtp.received, expected.length);
      expect(smtp.received.map((mail) => mail.to[0]).sort(), outputs()).toEqual(expected);
      // The person without a password got a personal link to set one, once.
      const importedMail = smtp.received.find((mail) => mail.to[0] === imported)!;
      expect(importedMail.data).toMatch(/\/einladung\/[A-Za-z0-9_-]{20,}\?weiter=/);

      // A reminder sent now through the other process (which sends at once, while the loops run too).
      const atSecond = remoteClient(running[1]!.port);
      expect((await atSecond.signIn(koordination, testPassword)).status).toBe(200);
      // Everyone was reminded automatically a moment ago: sending again needs the confirmation.
      expect((await atSecond.post(`${base}/reminders`, {})).status).toBe(409);
      const sent = await atSecond.post(`${base}/reminders`, { confirmRecent: true });
      expect(sent.status, JSON.stringify(sent.body)).toBe(202);
      expect(sent.body.queued).toBe(expected.length);
      await receivedAfterSettling(smtp.received, 2 * expected.length);
      expect(smtp.received.map((mail) => mail.to[0]).sort(), outputs()).toEqual([...expected, ...expected].sort());

      // Both processes' E-Mail-Protokoll: every reminder once, sent.
      for (const client of [atFirst, atSecond]) {
        const log = await client.get(`/api/kommunen/${slug}/email-log`);
        const reminders = log.body.entries.filter((entry: { kindLabel: string }) => entry.kindLabel.startsWith('Erinnerung'));
        expect(reminders, JSON.stringify(log.body)).toHaveLength(2 * expected.length);
        expect(reminders.every((entry: { state: string }) => entry.state === 'sent')).toBe(true);
      }
      await Promise.all(running.map((entry) => entry.server.stop()));
    },
  );
});
