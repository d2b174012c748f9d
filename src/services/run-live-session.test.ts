import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../domain/access.ts';
import { DomainError } from '../domain/errors.ts';
import { liveLimits } from '../domain/live-session.ts';
import { openDatabase } from '../db/client.ts';
import { listenForLiveChanges, liveNotifierOf } from '../db/live-notify.ts';
import { insertLiveParticipant, listLiveEventsAfter } from '../db/repositories/live-repository.ts';
import { createTestRuntime, testDatabaseKind, type TestRuntime } from '../../tests/support/database.ts';
import { makeKommune, makePerson } from '../../tests/support/factories.ts';
import { saveDocument } from './manage-documents.ts';
import {
  createLiveSession,
  joinLiveSession,
  leaveLiveSession,
  postParticipantCard,
  readLiveEvents,
  setParticipantVotes,
  updateLiveSessionSettings,
  addModerationCard,
  closeLiveSession,
  sweepLiveSessions,
  followLiveSession,
  openModerationStream,
  openParticipantStream,
  removeLiveParticipant,
  updateLiveCard,
  type LiveStreamEvent,
} from './run-live-session.ts';
import { findLiveSessionById } from '../db/repositories/live-repository.ts';
import { findDocument } from '../db/repositories/document-repository.ts';

// The rules of the live session that concern several requests at once: limits counted under the
// session's row lock hold for parallel requests (on PostgreSQL: really parallel, from two handles like
// two server processes), the event numbers stay without gaps, and a change wakes the streams of every
// process (PostgreSQL: LISTEN/NOTIFY; PGlite: in-process after the commit).

let runtime: TestRuntime;
let kommune: { id: string; slug: string };
let actor: Actor;
let workshopCounter = 0;

beforeAll(async () => {
  runtime = await createTestRuntime();
  kommune = await makeKommune(runtime);
  const person = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
  actor = { userId: person.userId, programmeRole: null, assignedKommuneIds: [], memberships: [{ kommuneId: kommune.id, role: 'koordination', fieldKeys: null }] };
  const workshops = Array.from({ length: 20 }, (_, index) => ({ id: `workshop-parallel-${index}`, title: `Workshop ${index}`, date: '2026-11-30' }));
  await saveDocument(runtime.services, actor, kommune.slug, 'workshops', { content: { workshops }, expectedVersion: 0 });
});
afterAll(() => runtime?.close());

/** A fresh open session in the phase given, with voting open. */
async function session(phase: 'sammeln' | 'priorisieren' = 'sammeln') {
  const created = await createLiveSession(runtime.services, actor, kommune.slug, {
    workshopId: `workshop-parallel-${workshopCounter++}`,
    fieldKeys: ['1'],
    votesPerParticipant: 5,
    maxVotesPerCard: 3,
    retentionDays: 30,
  });
  await updateLiveSessionSettings(runtime.services, actor, kommune.slug, created.session.id, { phase, votingOpen: true });
  return created.session;
}

async function participant(code: string) {
  const joined = await joinLiveSession(runtime.services, { code, displayName: '', nameConsent: false, clientAddress: `198.18.${randomBytes(1)[0]}.${randomBytes(1)[0]}` });
  return joined.token;
}

const outcome = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
};

describe(`parallel requests (${testDatabaseKind})`, () => {
  it('40 cards of one participant at once: exactly 30 pass, the others are limited', async () => {
    const opened = await session();
    const token = await participant(opened.code);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, index) => outcome(postParticipantCard(runtime.services, token, { clientId: randomUUID(), fieldKey: '1', questionIndex: 0, text: `Karte ${index}` }))),
    );
    expect(results.filter((result) => result === 'ok')).toHaveLength(liveLimits.cardsPerParticipant);
    expect(results.filter((result) => result !== 'ok').every((result) => result === 'live-limited')).toBe(true);
  });

  it('one point on each of 8 cards at once with 5 points: exactly 5 pass', async () => {
    const opened = await session('priorisieren');
    const cards = [];
    for (let index = 0; index < 8; index++) cards.push(await addModerationCard(runtime.services, actor, kommune.slug, opened.id, { fieldKey: '1', questionIndex: 2, text: `Bedarf ${index}` }));
    const token = await participant(opened.code);
    const results = await Promise.all(cards.map((card) => outcome(setParticipantVotes(runtime.services, token, card.id, 1))));
    expect(results.filter((result) => result === 'ok')).toHaveLength(5);
    expect(results.filter((result) => result !== 'ok').every((result) => result === 'live-not-now')).toBe(true);
  });

  it('the event numbers stay without gaps when many write at once', async () => {
    const opened = await session();
    const tokens = await Promise.all(Array.from({ length: 6 }, () => participant(opened.code)));
    await Promise.all(
      tokens.flatMap((token) => Array.from({ length: 5 }, (_, index) => postParticipantCard(runtime.services, token, { clientId: randomUUID(), fieldKey: '1', questionIndex: 1, text: `Parallel ${index}` }))),
    );
    const events = await listLiveEventsAfter(runtime.services.db, opened.id, 0, false, 1000);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events.filter((event) => event.type === 'card-added')).toHaveLength(30);
    const read = await readLiveEvents(runtime.services, { sessionId: opened.id, participantId: null }, 0);
    expect(read.kind === 'events' && read.lastId).toBe(events.length);
  });

  it('joins at once: each tells the Moderation how many are there then; who left is not counted', async () => {
    const opened = await session();
    const first = await Promise.all(Array.from({ length: 8 }, () => participant(opened.code)));
    await leaveLiveSession(runtime.services, first[0]);
    await participant(opened.code);
    const joined = (await listLiveEventsAfter(runtime.services.db, opened.id, 0, false, 1000)).filter((event) => event.type === 'participant-joined');
    expect(joined.map((event) => (event.payload as { count: number }).count)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 8]);
  });

  it('wrong codes: 60 from one address refuse its joins for 10 minutes; then its old hits are gone and it may join', async () => {
    const opened = await session();
    const at = new Date('2031-03-04T10:00:00Z');
    const then = { ...runtime.services, now: () => at };
    const later = { ...runtime.services, now: () => new Date(at.getTime() + (liveLimits.joinWindowMinutes + 1) * 60_000) };
    const join = (context: typeof then, code: string) => outcome(joinLiveSession(context, { code, displayName: '', nameConsent: false, clientAddress: '198.51.100.77' }));
    for (let attempt = 0; attempt < liveLimits.wrongCodesPerAddress; attempt++) expect(await join(then, 'ABCDEFGHJK')).toBe('live-code-unknown');
    expect(await join(then, opened.code)).toBe('live-limited');
    const hits = async () => (await runtime.services.db.execute(sql`select count(*)::int as n from live_rate_hit where at = ${at.toISOString()}::timestamptz`)) as unknown as { rows: { n: number }[] };
    expect((await hits()).rows[0]!.n).toBe(liveLimits.wrongCodesPerAddress);
    expect(await join(later, opened.code)).toBe('ok');
    expect((await hits()).rows[0]!.n).toBe(0);
  });

  it('at most 300 participants per session; leaving frees no place', async () => {
    const opened = await session();
    for (let index = 0; index < liveLimits.participantsPerSession; index++) {
      const leftAt = index === 0 ? new Date() : null;
      await insertLiveParticipant(runtime.services.db, { id: randomUUID(), sessionId: opened.id, tokenHash: randomBytes(32).toString('hex'), leftAt });
    }
    await expect(participant(opened.code)).rejects.toMatchObject({ code: 'live-limited', message: expect.stringContaining('300 Personen') });
  });
});

describe(`wake-ups (${testDatabaseKind})`, () => {
  it('a change wakes the streams of the session, in another process too', async () => {
    const opened = await session();
    const token = await participant(opened.code);
    // PostgreSQL: a second handle on the same database, listening like a second server process.
    // PGlite: one process, the wake-up comes from the service after its commit.
    const other = testDatabaseKind === 'postgres' ? await openDatabase({ databaseUrl: urlOf(runtime), dataDir: '' }) : null;
    try {
      if (other) await listenForLiveChanges(other.db, urlOf(runtime), () => {});
      const notifier = liveNotifierOf(other?.db ?? runtime.services.db);
      const woken = new Promise<void>((resolve) => {
        const unsubscribe = notifier.subscribe(opened.id, () => {
          unsubscribe();
          resolve();
        }, () => {});
      });
      await postParticipantCard(runtime.services, token, { clientId: randomUUID(), fieldKey: '1', questionIndex: 0, text: 'Weckt alle' });
      await woken;
    } finally {
      if (other) await liveNotifierOf(other.db).close();
      await other?.close();
    }
  });
});

describe(`a participant's stream (${testDatabaseKind})`, () => {
  it('sends everything due at a wake-up at once and in order, no hidden text and no names, and ends after the own removal', async () => {
    const opened = await session();
    const watching = await participant(opened.code);
    const posting = await participant(opened.code);
    const target = await openParticipantStream(runtime.services, watching);
    const batches: LiveStreamEvent[][] = [];
    let ended = false;
    let sentAfterEnd = 0;
    // The first send waits until the changes below are made, so they are due together afterwards.
    let openGate = () => {};
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const following = followLiveSession(runtime.services, target, target.lastEventId, {
      send: async (events) => {
        if (ended) sentAfterEnd += 1;
        batches.push([...events]);
        if (batches.length === 1) await gate;
      },
      end: () => (ended = true),
    });
    const until = async (condition: () => boolean) => {
      // PostgreSQL: this test's handle does not LISTEN, so poke stands in for the wake-up (as the heartbeat does).
      for (const deadline = Date.now() + 10_000; !condition() && Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 20))) following.poke();
      expect(condition()).toBe(true);
    };
    // The Moderation's stream shares the process's reader: once it has the last change, the reader has read it too.
    const moderation: LiveStreamEvent[] = [];
    const moderating = followLiveSession(runtime.services, await openModerationStream(runtime.services, actor, kommune.slug, opened.id), target.lastEventId, {
      send: async (events) => void moderation.push(...events),
      end: () => {},
    });
    const post = (text: string, questionIndex: 0 | 1 | 2 = 0) => postParticipantCard(runtime.services, posting, { clientId: randomUUID(), fieldKey: '1', questionIndex, text });
    try {
      await post('Vorher');
      await until(() => batches.length === 1);
      const shown = await post('Bleibt sichtbar');
      const hidden = await post('Wird ausgeblendet: vertraulich');
      const edited = await post('Alter Text');
      await updateLiveCard(runtime.services, actor, kommune.slug, opened.id, hidden.id, { hidden: true });
      await updateLiveCard(runtime.services, actor, kommune.slug, opened.id, edited.id, { text: 'Neuer Text' });
      await until(() => moderation.some((event) => event.type === 'card-changed' && (event.data as { card: { id: string; text?: string } }).card.text === 'Neuer Text'));
      openGate();
      await until(() => batches.flat().some((event) => event.type === 'card-changed' && (event.data as { card: { id: string } }).card.id === edited.id));

      const sent = batches.flat();
      // Several events went in one send, in order and each once.
      expect(batches.slice(1).some((batch) => batch.length > 1)).toBe(true);
      const ids = sent.map((event) => event.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
      // Both changes were read before the batch went: the hidden card never comes with its text, the edited one only with the new text.
      const json = JSON.stringify(sent);
      expect(json).toContain('Bleibt sichtbar');
      expect(json).not.toContain('vertraulich');
      expect(json).not.toContain('Alter Text');
      expect(json).toContain('Neuer Text');
      expect(sent.some((event) => event.type.startsWith('participant-'))).toBe(false);
      expect(sent.every((event) => !('card' in (event.data as object)) || (event.data as { card: { authorName?: unknown } }).card.authorName == null)).toBe(true);
      expect(sent.map((event) => (event.data as { card?: { id: string } }).card?.id)).toContain(shown.id);

      await removeLiveParticipant(runtime.services, actor, kommune.slug, opened.id, target.participantId!);
      await until(() => ended);
      expect(sentAfterEnd).toBe(0);
    } finally {
      openGate();
      following.stop();
      moderating.stop();
    }
  });
});

/** The connection string of the runtime's PostgreSQL database (the test database of this file). */
function urlOf(test: TestRuntime): string {
  const pool = (test.services.db as unknown as { $client: { options: { connectionString: string } } }).$client;
  return pool.options.connectionString;
}

describe('retention', () => {
  const days = (count: number) => count * 86_400_000;

  it('a closed session is deleted retentionDays after its close, not a day earlier', async () => {
    const opened = await session();
    await updateLiveSessionSettings(runtime.services, actor, kommune.slug, opened.id, { retentionDays: 7 });
    await closeLiveSession(runtime.services, actor, kommune.slug, opened.id);
    const closedAt = (await findLiveSessionById(runtime.services.db, opened.id))!.closedAt!.getTime();
    await sweepLiveSessions({ ...runtime.services, now: () => new Date(closedAt + days(7) - 60_000) });
    expect(await findLiveSessionById(runtime.services.db, opened.id)).toBeDefined();
    const swept = await sweepLiveSessions({ ...runtime.services, now: () => new Date(closedAt + days(7) + 60_000) });
    expect(swept.deleted).toBeGreaterThanOrEqual(1);
    expect(await findLiveSessionById(runtime.services.db, opened.id)).toBeUndefined();
  });

  it('an open session idle for 30 days is closed with its documentation, then deleted after its retention', async () => {
    const opened = await session();
    await addModerationCard(runtime.services, actor, kommune.slug, opened.id, { fieldKey: '1', questionIndex: 0, text: 'Nach 30 Tagen übernommen' });
    const changedAt = (await findLiveSessionById(runtime.services.db, opened.id))!.updatedAt.getTime();
    await sweepLiveSessions({ ...runtime.services, now: () => new Date(changedAt + days(29)) });
    expect((await findLiveSessionById(runtime.services.db, opened.id))!.status).toBe('offen');
    const later = new Date(changedAt + days(31));
    await sweepLiveSessions({ ...runtime.services, now: () => later });
    const closed = (await findLiveSessionById(runtime.services.db, opened.id))!;
    expect(closed.status).toBe('beendet');
    const stored = await findDocument(runtime.services.db, kommune.id, 'workshops');
    expect(JSON.stringify(stored?.content)).toContain('Nach 30 Tagen übernommen');
    await sweepLiveSessions({ ...runtime.services, now: () => new Date(later.getTime() + days(31)) });
    expect(await findLiveSessionById(runtime.services.db, opened.id)).toBeUndefined();
  });
});
