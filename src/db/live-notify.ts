/**
 * The wake-up of live session streams. The event table is the truth; a notification only says „session
 * X has new events“, and each stream of that session reads what it has not sent yet.
 *
 * PGlite (one process): the services announce after their commit, and this process's streams wake.
 * PostgreSQL (several processes): the services' transactions call pg_notify('weltoffen_live', id),
 * delivered at commit to one dedicated LISTEN connection per process, which wakes that process's
 * streams; after the connection was lost and is back, every stream catches up (a notification sent
 * meanwhile is lost, the events are not).
 */
import { EventEmitter } from 'node:events';
import type { Database } from './client.ts';

export const liveChannel = 'weltoffen_live';

export interface LiveNotifier {
  /** A transaction that wrote events of the session committed (PGlite; on PostgreSQL LISTEN does it). */
  announce(sessionId: string): void;
  /** Calls `wake` on every notification for the session and on every catch-up; returns the unsubscribe. */
  subscribe(sessionId: string, wake: () => void, end: () => void): () => void;
  /** Streams open in this process. */
  streamCount(): number;
  /** Ends every stream (server shutdown) and the LISTEN connection. */
  close(): Promise<void>;
}

interface Internal extends LiveNotifier {
  wake(sessionId: string): void;
  wakeAll(): void;
  usesListen: boolean;
  closers: (() => Promise<void>)[];
}

const notifiers = new WeakMap<Database, Internal>();

function create(): Internal {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const ends = new Set<() => void>();
  const notifier: Internal = {
    usesListen: false,
    closers: [],
    announce(sessionId) {
      if (!notifier.usesListen) notifier.wake(sessionId);
    },
    wake(sessionId) {
      emitter.emit(`session:${sessionId}`);
    },
    wakeAll() {
      emitter.emit('all');
    },
    subscribe(sessionId, wake, end) {
      emitter.on(`session:${sessionId}`, wake);
      emitter.on('all', wake);
      ends.add(end);
      return () => {
        emitter.off(`session:${sessionId}`, wake);
        emitter.off('all', wake);
        ends.delete(end);
      };
    },
    streamCount: () => ends.size,
    async close() {
      for (const end of [...ends]) end();
      ends.clear();
      await Promise.all(notifier.closers.map((close) => close()));
      notifier.closers = [];
    },
  };
  return notifier;
}

/** The notifier of this database handle (one per process and database). */
export function liveNotifierOf(db: Database): LiveNotifier {
  let notifier = notifiers.get(db);
  if (!notifier) {
    notifier = create();
    notifiers.set(db, notifier);
  }
  return notifier;
}

/**
 * Starts the LISTEN connection for a PostgreSQL database: from now on notifications come from the
 * database (this process's own too), announce() does nothing. Reconnects after a loss with a growing
 * pause (up to 30 s) and then wakes every stream. `log` gets German lines without data.
 */
export async function listenForLiveChanges(db: Database, databaseUrl: string, log: (message: string, level?: 'info' | 'warn' | 'error') => void): Promise<void> {
  const notifier = liveNotifierOf(db) as Internal;
  if (notifier.usesListen) return;
  const { default: pg } = await import('pg');
  let client: InstanceType<typeof pg.Client> | null = null;
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    if (stopped) return;
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', (message) => {
      if (message.channel === liveChannel && message.payload) notifier.wake(message.payload);
    });
    next.on('error', () => {
      // The 'end' handler below reconnects; the error itself is reported there once.
    });
    next.on('end', () => {
      if (client !== next || stopped) return;
      client = null;
      log('Live-Sitzungen: Verbindung zum Benachrichtigungskanal der Datenbank verloren; sie wird wieder aufgebaut.', 'warn');
      schedule();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${liveChannel}`);
    } catch {
      await next.end().catch(() => {});
      schedule();
      return;
    }
    client = next;
    if (failures > 0) log('Live-Sitzungen: Benachrichtigungskanal wieder verbunden.');
    failures = 0;
    // Whatever was notified while no connection listened: every stream reads what it has not sent.
    notifier.wakeAll();
  };
  const schedule = () => {
    if (stopped) return;
    failures += 1;
    const delay = Math.min(30_000, 250 * 2 ** Math.min(failures, 7));
    timer = setTimeout(() => void connect(), delay);
    timer.unref();
  };
  notifier.usesListen = true;
  notifier.closers.push(async () => {
    stopped = true;
    clearTimeout(timer);
    const current = client;
    client = null;
    await current?.end().catch(() => {});
  });
  await connect();
}
