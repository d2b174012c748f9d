import { isBlocked, signInKey, signInLimits } from '../domain/sign-in-limit.ts';
import { DomainError } from '../domain/errors.ts';
import type { Database } from '../db/client.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import { lockKeyForTransaction } from '../db/repositories/lock-repository.ts';
import { countFailedAndRunning, pruneAttempts, recordAttempts, settleAttempts } from '../db/repositories/login-attempt-repository.ts';

/** Attempts whose password is being checked are recorded under this prefix until they are settled. */
const runningPrefix = 'running:';
/** How long an attempt may wait for running ones to finish before it is turned away (429, retry soon). */
const defaultMaxWaitMs = 30_000;
const busyRetryAfterSeconds = 5;

type SignInLimit = (typeof signInLimits)[number];

function keysOf(email: string, address: string) {
  return signInLimits.map((limit) => ({
    limit,
    key: signInKey(limit.scope, limit.scope === 'email' ? email : address),
  }));
}

/** An attempt that passed the limit; it counts against it until finishSignIn settles it. */
export interface SignInAttempt {
  attemptIds: number[];
  keys: string[];
}

/** One waiting attempt in this process; `wake` ends its current pause early. */
interface Ticket {
  wake: () => void;
}

// Attempts in this process for one e-mail, in order of arrival. Only the first asks the database;
// the others sleep until it is done, so a crowd of sign-ins for one account (one person on many
// devices) goes through in order, without asking the database again and again. What counts is in
// the database: waiters in other processes are not in this queue and ask it on their own.
const queues = new Map<string, Ticket[]>();

function enqueue(key: string): Ticket {
  const ticket: Ticket = { wake: () => {} };
  queues.set(key, [...(queues.get(key) ?? []), ticket]);
  return ticket;
}

/** Takes the ticket out of its queue and lets the next one ask at once. */
function dequeue(key: string, ticket: Ticket): void {
  const queue = (queues.get(key) ?? []).filter((entry) => entry !== ticket);
  if (queue.length) queues.set(key, queue);
  else queues.delete(key);
  queue[0]?.wake();
}

function isFirst(key: string, ticket: Ticket): boolean {
  return queues.get(key)?.[0] === ticket;
}

/** Sleeps until woken or for at most `ms`. */
function pause(ticket: Ticket, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => ticket.wake(), ms);
    ticket.wake = () => {
      clearTimeout(timer);
      ticket.wake = () => {};
      resolve();
    };
  });
}

/** A running attempt for this e-mail finished: the first waiter may go ahead now. */
function wakeFirst(key: string): void {
  queues.get(key)?.[0]?.wake();
}

type Decision = { kind: 'blocked'; limit: SignInLimit } | { kind: 'wait' } | { kind: 'admitted'; attemptIds: number[] };

/**
 * Lets a sign-in attempt through the limit, or refuses it with `rate-limited` (and an audit entry).
 * Counting and recording are one step: under advisory locks on the e-mail and the address (always
 * in that order, so two attempts never wait for each other in a circle), the failures and the
 * attempts still running are counted, and this attempt is recorded as running before any password
 * is checked. An attempt goes ahead only while failures and running attempts together stay under
 * the limit; while only running ones fill it, it waits for them (they may succeed), and once the
 * failures alone reach it, it is refused. So however many arrive at once, at most 5 passwords per
 * e-mail and 30 per address fail within a window, and parallel sign-ins that succeed (one account
 * on several devices, a workshop behind one address) wait a moment instead of being refused.
 */
export async function beginSignIn(
  db: Database,
  email: string,
  address: string,
  now: () => Date,
  options: { maxWaitMs?: number } = {},
): Promise<SignInAttempt> {
  const keys = keysOf(email, address);
  const plainKeys = keys.map((entry) => entry.key);
  const queueKey = plainKeys[0]!;
  const deadline = Date.now() + (options.maxWaitMs ?? defaultMaxWaitMs);
  const ticket = enqueue(queueKey);
  try {
    for (let pauseMs = 25; ; pauseMs = Math.min(pauseMs * 2, 1_000)) {
      if (isFirst(queueKey, ticket)) {
        const decision = await decide(db, keys, now());
        if (decision.kind === 'admitted') return { attemptIds: decision.attemptIds, keys: plainKeys };
        if (decision.kind === 'blocked') {
          // After the transaction, so the entry stays although the attempt is refused; never the password.
          await recordAudit(db, { actorUserId: null, action: 'auth.sign-in-blocked', details: { email: email.toLowerCase(), limit: decision.limit.scope, address } });
          throw new DomainError('rate-limited', { retryAfterSeconds: Math.ceil(decision.limit.windowMs / 1000) });
        }
      }
      if (Date.now() + pauseMs > deadline) {
        await recordAudit(db, { actorUserId: null, action: 'auth.sign-in-blocked', details: { email: email.toLowerCase(), limit: 'running', address } });
        throw new DomainError('sign-in-busy', { retryAfterSeconds: busyRetryAfterSeconds });
      }
      await pause(ticket, pauseMs);
    }
  } finally {
    dequeue(queueKey, ticket);
  }
}

/** Under the locks: refused (failures reach a limit), wait (running attempts fill it), or admitted and recorded as running. */
async function decide(db: Database, keys: ReturnType<typeof keysOf>, at: Date): Promise<Decision> {
  return db.transaction(async (tx): Promise<Decision> => {
    for (const { key } of keys) await lockKeyForTransaction(tx, `sign-in:${key}`);
    const totals = [];
    for (const { limit, key } of keys) {
      const since = new Date(at.getTime() - limit.windowMs);
      const { failures, running } = await countFailedAndRunning(tx, key, runningPrefix + key, since);
      if (isBlocked(failures, limit.scope)) return { kind: 'blocked', limit };
      totals.push({ limit, total: failures + running });
    }
    if (totals.some(({ limit, total }) => isBlocked(total, limit.scope))) return { kind: 'wait' };
    return { kind: 'admitted', attemptIds: await recordAttempts(tx, keys.map(({ key }) => runningPrefix + key), false, at) };
  });
}

/** Records the outcome of a sign-in that passed the limit, for the limit and the audit log. */
export async function finishSignIn(
  db: Database,
  attempt: SignInAttempt,
  input: { email: string; userId: string | null; succeeded: boolean },
  now: Date,
): Promise<void> {
  await settleAttempts(db, attempt.attemptIds, runningPrefix, input.succeeded);
  wakeFirst(attempt.keys[0]!);
  await recordAudit(db, {
    actorUserId: input.userId,
    action: input.succeeded ? 'auth.sign-in' : 'auth.sign-in-failed',
    details: { email: input.email.toLowerCase() },
  });
  const longestWindow = Math.max(...signInLimits.map((limit) => limit.windowMs));
  if (Math.random() < 0.05) await pruneAttempts(db, new Date(now.getTime() - longestWindow));
}

/** An attempt that broke off (an unexpected error while checking the password) counts as failed. */
export async function abandonSignIn(db: Database, attempt: SignInAttempt): Promise<void> {
  await settleAttempts(db, attempt.attemptIds, runningPrefix, false);
  wakeFirst(attempt.keys[0]!);
}

/** Records a sign-out in the audit log. */
export async function recordSignOut(db: Database, userId: string): Promise<void> {
  await recordAudit(db, { actorUserId: userId, action: 'auth.sign-out' });
}

/**
 * Settles an attempt that checked a password outside the sign-in (the current password when it is
 * changed): it counts against the same limit, and the caller records its own audit event.
 */
export async function settlePasswordCheck(db: Database, attempt: SignInAttempt, succeeded: boolean): Promise<void> {
  await settleAttempts(db, attempt.attemptIds, runningPrefix, succeeded);
  wakeFirst(attempt.keys[0]!);
}
