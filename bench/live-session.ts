import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { startNginx, type Nginx } from '../tests/support/nginx.ts';
import { runCli, startServerProcess, waitForHealth, type ServerProcess } from '../tests/support/processes.ts';
import { openEventStream, type EventStream, type StreamEvent } from '../tests/support/sse.ts';
import { cpuMs, percentile } from './save-answers.ts';

/**
 * A live workshop room (issue 16): 100 simulated participants on one live session for 5 minutes
 * (BENCH_LIVE_SECONDS shortens it for trying). Each phone joins by code, keeps its participant event
 * stream open, posts a card about every 20 s (the card limit allows 30 in 10 minutes) and changes its
 * points on a Handlungsbedarf about every 3 s. Two signed-in streams watch the room: the projection and
 * the Moderation's console. Measured: card-to-projection latency (card sent → its card-added event
 * received), p50/p99; events lost and doubled (every card posted must arrive exactly once on both
 * streams; every point change that changed something exactly one votes-changed, and the last total of
 * every card on the stream equals the stored one); posts per second and their p50/p99; the servers'
 * peak memory (VmHWM).
 *
 * PGlite: one process. PostgreSQL (BENCH_DATABASE_URL): two processes behind nginx (tests/support/
 * nginx.ts, round robin): the phones talk to nginx, so their requests and streams spread over both;
 * the projection is connected to the first process directly, the Moderation's console to the second,
 * so most cards cross from one process to the other through LISTEN/NOTIFY. Behind nginx the processes
 * run with TRUST_PROXY=2: the phones' own X-Forwarded-For address (one per phone, as in a room where
 * every phone is on the mobile network) is then the client address the join limit counts.
 *
 * Ports: BENCH_PORT + 2 and + 3 for the processes, + 4 for nginx.
 */

const basePort = Number(process.env.BENCH_PORT ?? 3985);
const ports = { first: basePort + 2, second: basePort + 3, proxy: basePort + 4 };
const slug = 'musterstadt';
const workshopId = 'workshop-musterstadt-1';
const fieldKeys = ['4', '5'];
/** A phone gives up on a request after this long (counted under failures as TimeoutError). */
const requestTimeoutMs = 30_000;

export interface LiveBenchOptions {
  participants: number;
  seconds: number;
  /** Mean pause between a phone's cards (±20 %). */
  cardEveryMs: number;
  /** Mean pause between a phone's point changes (±30 %). */
  voteEveryMs: number;
  /** Whether every phone keeps its participant event stream open (as the phone view does). */
  phoneStreams: boolean;
}

/** BENCH_LIVE_SECONDS (a whole number of seconds, 10–3600) or the five minutes of the issue. */
export function liveBenchSeconds(value = process.env.BENCH_LIVE_SECONDS): number {
  if (value === undefined || value === '') return 300;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 10 || seconds > 3600) throw new Error(`BENCH_LIVE_SECONDS: muss eine ganze Zahl von Sekunden zwischen 10 und 3600 sein, nicht „${value}“.`);
  return seconds;
}

function peakRssMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

/** What one signed-in stream (projection or console) saw. */
class Watcher {
  readonly cardLatencies: number[] = [];
  /** When each of those cards was posted (performance.now()), in the same order. */
  readonly cardSentAt: number[] = [];
  readonly seenCards = new Map<string, number>();
  votesChanged = 0;
  readonly lastTotals = new Map<string, number>();
  outOfOrder = 0;
  unknownCards = 0;
  private lastId = 0;
  private readonly sent: Map<string, number>;
  constructor(sent: Map<string, number>) {
    this.sent = sent;
  }
  start(lastEventId: number) {
    this.lastId = lastEventId;
  }
  receive = (event: StreamEvent) => {
    const now = performance.now();
    if (event.id <= this.lastId) this.outOfOrder += 1;
    this.lastId = Math.max(this.lastId, event.id);
    if (event.type === 'card-added') {
      const text = (event.data as { card: { text: string } }).card.text;
      this.seenCards.set(text, (this.seenCards.get(text) ?? 0) + 1);
      const sentAt = this.sent.get(text);
      if (sentAt === undefined) this.unknownCards += 1;
      else if (this.seenCards.get(text) === 1) {
        this.cardLatencies.push(now - sentAt);
        this.cardSentAt.push(sentAt);
      }
    } else if (event.type === 'votes-changed') {
      const { cardId, total } = event.data as { cardId: string; total: number };
      this.votesChanged += 1;
      this.lastTotals.set(cardId, total);
    }
  };
}

const round = (value: number) => Math.round(value * 10) / 10;
function summary(values: number[], seconds?: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    ...(seconds ? { perSecond: round(sorted.length / seconds) } : {}),
    p50Ms: round(percentile(sorted, 0.5)),
    p99Ms: round(percentile(sorted, 0.99)),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const jitter = (mean: number, share: number) => mean * (1 - share + Math.random() * 2 * share);

export async function measureLiveSession(
  work: string,
  database: { name: 'pglite' | 'postgres'; url?: string },
  // BENCH_LIVE_PHONE_STREAMS=0: the phones post and vote without their own streams (only the two signed-in streams read).
  options: LiveBenchOptions = { participants: 100, seconds: liveBenchSeconds(), cardEveryMs: 20_000, voteEveryMs: 3_000, phoneStreams: process.env.BENCH_LIVE_PHONE_STREAMS !== '0' },
) {
  const env = { DATA_DIR: path.join(work, `live-${database.name}`), HOST: '127.0.0.1', ...(database.url ? { DATABASE_URL: database.url } : {}) };
  const demo = await runCli(['demo'], env);
  const password = /Passwort: (\S+)/.exec(demo.stdout)?.[1];
  if (!password) throw new Error(demo.stderr || demo.stdout);
  const twoProcesses = database.name === 'postgres';
  const servers: ServerProcess[] = [startServerProcess({ ...env, PORT: String(ports.first), TRUST_PROXY: twoProcesses ? '2' : 'true', PUBLIC_URL: `http://127.0.0.1:${twoProcesses ? ports.proxy : ports.first}` })];
  let nginx: Nginx | null = null;
  try {
    if (!(await waitForHealth(ports.first, 120_000))) throw new Error(servers[0]!.output());
    if (twoProcesses) {
      servers.push(startServerProcess({ ...env, PORT: String(ports.second), TRUST_PROXY: '2', PUBLIC_URL: `http://127.0.0.1:${ports.proxy}` }));
      if (!(await waitForHealth(ports.second, 120_000))) throw new Error(servers[1]!.output());
      nginx = await startNginx(ports.proxy, [ports.first, ports.second]);
    }
    const first = `http://127.0.0.1:${ports.first}`;
    const second = twoProcesses ? `http://127.0.0.1:${ports.second}` : first;
    const front = nginx ? nginx.origin : first;

    // The Moderation signs in (the session cookie works at every process), opens the session, sets
    // the phase „Sammeln“ and opens the voting, so cards and points come at once.
    const signedIn = await fetch(`${first}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.9.0.1' }, body: JSON.stringify({ email: 'integrationsbuero@musterstadt.example', password }) });
    if (signedIn.status !== 200) throw new Error(`Anmeldung: ${signedIn.status} ${await signedIn.text()}`);
    const cookie = signedIn.headers.getSetCookie().map((entry) => entry.split(';')[0]).join('; ');
    const moderation = (origin: string) => ({ 'content-type': 'application/json', cookie, origin });
    const created = await fetch(`${first}/api/kommunen/${slug}/live-sessions`, { method: 'POST', headers: moderation(first), body: JSON.stringify({ workshopId, fieldKeys }) });
    if (created.status !== 201) throw new Error(`Live-Sitzung: ${created.status} ${await created.text()}`);
    const opened = (await created.json()) as { session: { id: string; code: string; votesPerParticipant: number; maxVotesPerCard: number } };
    const sessionUrl = `/api/kommunen/${slug}/live-sessions/${opened.session.id}`;
    const patched = await fetch(`${first}${sessionUrl}`, { method: 'PATCH', headers: moderation(first), body: JSON.stringify({ phase: 'sammeln', votingOpen: true }) });
    if (patched.status !== 200) throw new Error(`Phase: ${patched.status} ${await patched.text()}`);
    const { lastEventId } = (await (await fetch(`${first}${sessionUrl}`, { headers: moderation(first) })).json()) as { lastEventId: number };
    const { votesPerParticipant: votesEach, maxVotesPerCard: votesPerCard } = opened.session;

    const sent = new Map<string, number>();
    const projection = new Watcher(sent);
    const console_ = new Watcher(sent);
    projection.start(lastEventId);
    console_.start(lastEventId);
    // A stream that ends or breaks before the run is over counts as a failure.
    let closing = false;
    const streamFailures: string[] = [];
    const streams: EventStream[] = [];
    const watch = (what: string, stream: EventStream) => {
      streams.push(stream);
      void stream.opened.then((status) => status !== 200 && streamFailures.push(`${what}: ${status}`));
      void stream.ended.then((how) => !closing && streamFailures.push(`${what}: ${how}`));
      return stream;
    };
    watch('Projektion', openEventStream(`${first}${sessionUrl}/events?after=${lastEventId}`, { cookie }, projection.receive));
    watch('Moderation', openEventStream(`${second}${sessionUrl}/events?after=${lastEventId}`, { cookie }, console_.receive));
    await Promise.all(streams.map((stream) => stream.opened));

    const posts = { cards: [] as number[], votes: [] as number[] };
    const failures: Record<string, number> = {};
    const fail = (what: string) => (failures[what] = (failures[what] ?? 0) + 1);
    const votableCards: string[] = [];
    let votesThatChanged = 0;
    /** Requests given up on: whether the server took them is not known (their events may still come). */
    const uncertain = { cards: 0, votes: 0 };
    const uncertainTexts = new Set<string>();
    let cardsPosted = 0;
    const phoneEvents = { received: 0, outOfOrder: 0 };

    const loadBefore = loadavg()[0]!;
    const cpuBefore = servers.map((server) => cpuMs(server.child.pid!));
    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    await Promise.all(
      Array.from({ length: options.participants }, async (_, index) => {
        const address = `10.8.${Math.floor(index / 250)}.${(index % 250) + 1}`;
        // The phones arrive over the first five seconds.
        await pause((index / options.participants) * 5_000);
        const joined = await fetch(`${front}/api/live/join`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: JSON.stringify({ code: opened.session.code, displayName: '', nameConsent: false }), signal: AbortSignal.timeout(requestTimeoutMs) }).catch((error: Error) => {
          fail(`join ${error.name}`);
          return null;
        });
        if (!joined) return;
        if (joined.status !== 201) {
          fail(`join ${joined.status}`);
          await joined.arrayBuffer();
          return;
        }
        const token = joined.headers.getSetCookie().map((entry) => entry.split(';')[0]!).find((entry) => entry.startsWith('wo_live='))!;
        const state = (await joined.json()) as { lastEventId: number };
        const headers = { 'content-type': 'application/json', cookie: token, 'x-forwarded-for': address };
        let phoneLast = state.lastEventId;
        if (options.phoneStreams) watch(
          `Telefon ${index + 1}`,
          openEventStream(`${front}/api/live/events?after=${state.lastEventId}`, { cookie: token, 'x-forwarded-for': address }, (event) => {
            phoneEvents.received += 1;
            if (event.id <= phoneLast) phoneEvents.outOfOrder += 1;
            phoneLast = Math.max(phoneLast, event.id);
          }),
        );
        const mine = new Map<string, number>();
        let number = 0;
        // The Moderation says „los“: the first cards come within two seconds of everyone's arrival.
        let nextCard = performance.now() + Math.max(0, 5_000 - (index / options.participants) * 5_000) + Math.random() * 2_000;
        let nextVote = performance.now() + jitter(options.voteEveryMs, 0.3);
        while (performance.now() < deadline) {
          const wait = Math.min(nextCard, nextVote) - performance.now();
          if (wait > 0) await pause(wait);
          if (performance.now() >= deadline) break;
          if (nextCard <= nextVote) {
            nextCard += jitter(options.cardEveryMs, 0.2);
            const questionIndex = number % 3;
            const text = `Karte ${index + 1}.${++number}: ${['läuft gut', 'läuft noch nicht so gut', 'Handlungsbedarf'][questionIndex]} im Bench`;
            const sentAt = performance.now();
            sent.set(text, sentAt);
            try {
              const response = await fetch(`${front}/api/live/cards`, { method: 'POST', headers, body: JSON.stringify({ clientId: randomUUID(), fieldKey: fieldKeys[number % fieldKeys.length], questionIndex, text }), signal: AbortSignal.timeout(requestTimeoutMs) });
              const body = (await response.json()) as { id?: string };
              posts.cards.push(performance.now() - sentAt);
              if (response.status === 201) {
                cardsPosted += 1;
                if (questionIndex === 2) votableCards.push(body.id!);
              } else {
                sent.delete(text);
                fail(`card ${response.status}`);
              }
            } catch (error) {
              // Given up on (timeout): the server may still take the card, so its text stays expected.
              uncertain.cards += 1;
              uncertainTexts.add(text);
              fail(`card ${(error as Error).name}`);
            }
          } else {
            nextVote += jitter(options.voteEveryMs, 0.3);
            const spent = [...mine.values()].reduce((sum, value) => sum + value, 0);
            // Points left: one more on a random Handlungsbedarf (up to M); none left: take all back from one.
            let cardId: string | undefined;
            let count = 0;
            if (spent < votesEach && votableCards.length > 0) {
              cardId = votableCards[Math.floor(Math.random() * votableCards.length)]!;
              count = Math.min(votesPerCard, (mine.get(cardId) ?? 0) + 1);
            } else if (mine.size > 0) {
              cardId = [...mine.keys()][Math.floor(Math.random() * mine.size)]!;
              count = 0;
            }
            if (!cardId) continue;
            const before = mine.get(cardId) ?? 0;
            const sentAt = performance.now();
            try {
              const response = await fetch(`${front}/api/live/votes/${cardId}`, { method: 'PUT', headers, body: JSON.stringify({ count }), signal: AbortSignal.timeout(requestTimeoutMs) });
              const body = (await response.json()) as { myVotes?: Record<string, number> };
              posts.votes.push(performance.now() - sentAt);
              if (response.status === 200) {
                if (count !== before) votesThatChanged += 1;
                mine.clear();
                for (const [id, value] of Object.entries(body.myVotes ?? {})) if (value > 0) mine.set(id, value);
              } else fail(`vote ${response.status}`);
            } catch (error) {
              uncertain.votes += 1;
              fail(`vote ${(error as Error).name}`);
            }
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const loadAfter = loadavg()[0]!;
    // What the room cost the servers (CPU, from /proc): holds still on a shared machine when the latencies do not.
    const serverCpuMs = servers.reduce((sum, server, index) => sum + cpuMs(server.child.pid!) - cpuBefore[index]!, 0);
    // The streams get a few seconds for the last events (or until every card arrived on both).
    for (const waitUntil = performance.now() + 10_000; performance.now() < waitUntil; await pause(100)) {
      if ([projection, console_].every((watcher) => watcher.seenCards.size >= cardsPosted && watcher.votesChanged >= votesThatChanged)) break;
    }
    const stored = (await (await fetch(`${first}${sessionUrl}`, { headers: moderation(first) })).json()) as { cards: { id: string; votes: number }[] };
    const storedTotals = new Map(stored.cards.map((card) => [card.id, card.votes]));
    closing = true;
    for (const stream of streams) stream.close();
    const report = (watcher: Watcher) => {
      const cards = [...sent.keys()];
      const wrongTotals = [...watcher.lastTotals].filter(([id, total]) => storedTotals.get(id) !== total).length;
      return {
        cardLatency: summary(watcher.cardLatencies),
        // The start (the phones join and open their streams over the first five seconds) apart from the rest.
        cardLatencyFirst30s: summary(watcher.cardLatencies.filter((_, index) => watcher.cardSentAt[index]! - started < 30_000)),
        cardLatencyAfter30s: summary(watcher.cardLatencies.filter((_, index) => watcher.cardSentAt[index]! - started >= 30_000)),
        cardsReceived: watcher.seenCards.size,
        cardsLost: cards.filter((text) => !watcher.seenCards.has(text) && !uncertainTexts.has(text)).length,
        cardsDoubled: [...watcher.seenCards.values()].filter((count) => count > 1).length,
        cardsNotPosted: watcher.unknownCards,
        votesChangedExpected: votesThatChanged,
        votesChangedReceived: watcher.votesChanged,
        cardTotalsDifferingFromStored: wrongTotals,
        eventsOutOfOrder: watcher.outOfOrder,
      };
    };
    const serverPeakRssMb = servers.map((server) => peakRssMegabytes(server.child.pid!));
    return {
      database: database.name,
      processes: servers.length,
      participants: options.participants,
      seconds: round(seconds),
      cardEveryMs: options.cardEveryMs,
      phoneStreams: options.phoneStreams,
      voteEveryMs: options.voteEveryMs,
      posts: { cards: summary(posts.cards, seconds), votes: summary(posts.votes, seconds), all: summary([...posts.cards, ...posts.votes], seconds) },
      errors: Object.values(failures).reduce((sum, count) => sum + count, 0),
      failures,
      uncertain,
      projection: { connectedTo: 'process 1', ...report(projection) },
      moderation: { connectedTo: twoProcesses ? 'process 2' : 'process 1', ...report(console_) },
      phones: { streams: options.phoneStreams ? options.participants : 0, eventsReceived: phoneEvents.received, eventsOutOfOrder: phoneEvents.outOfOrder },
      streamFailures,
      serverPeakRssMb,
      // All server processes together: CPU per card or point change, and the share of one core it took.
      serverCpu: { msPerPost: round(serverCpuMs / Math.max(1, posts.cards.length + posts.votes.length)), coreShare: round(serverCpuMs / 1000 / seconds) },
      // The machine's load (1-minute average) before and after: other work on it slows everything down.
      machineLoad: { before: round(loadBefore), after: round(loadAfter) },
      goal: { cardToProjectionP99Ms: 500, eventsLost: 0 },
    };
  } finally {
    await nginx?.stop();
    await Promise.all(servers.map((server) => server.stop()));
  }
}
