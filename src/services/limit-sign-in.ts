import { isBlocked, signInKey, signInLimits } from '../domain/sign-in-limit.ts';
import { DomainError } from '../domain/errors.ts';
import type { Database } from '../db/client.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import { lockKeyForTransaction } from '../db/repositories/lock-repository.ts';
import { countFailedAndRunning, pruneAttempts, recordAttempts, settleAttempts } from '../db/repositories/login-attempt-repository.ts';

/** Attempts whose password is being checked are recorded under this prefix until they are settled. */
const runningPrefix = 'running:';
/** How long an attempt may wait for running ones to finish before it is turned away (429, retry soon). */
const defaultMaxWaitMs = 15_000;
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

// Attempts in this process waiting for a running one with the same key, oldest first. Only a way to
// wake them early: what counts is in the database, and waiters look again on their own after a pause.
const waiting = new Map<string, (() => void)[]>();

function waitForTurn(keys: readonly string[], ms: number): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      for (const key of keys) {
        const queue = waiting.get(key)?.filter((entry) => entry !== wake) ?? [];
        if (queue.length) waiting.set(key, queue);
        else waiting.delete(key);
      }
      resolve();
    };
    const timer = setTimeout(wake, ms);
    for (const key of keys) waiting.set(key, [...(waiting.get(key) ?? []), wake]);
  });
}

/** Wakes the oldest waiter of each key: a running attempt finished, or a waiter found its answer. */
function wakeNext(keys: readonly string[]): void {
  for (const key of keys) waiting.get(key)?.[0]?.();
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
  const deadline = Date.now() + (options.maxWaitMs ?? defaultMaxWaitMs);
  for (let pauseMs = 25; ; pauseMs = Math.min(pauseMs * 2, 1_000)) {
    const at = now();
    const decision = await db.transaction(async (tx): Promise<Decision> => {
      for (const { key } of keys) await lockKeyForTransaction(tx, `sign-in:${key}`);
      const counts = [];
      for (const { limit, key } of keys) {
        const since = new Date(at.getTime() - limit.windowMs);
        const { failures, running } = await countFailedAndRunning(tx, key, runningPrefix + key, since);
        if (isBlocked(failures, limit.scope)) return { kind: 'blocked', limit };
        counts.push({ limit, total: failures + running });
      }
      if (counts.some(({ limit, total }) => isBlocked(total, limit.scope))) return { kind: 'wait' };
      return { kind: 'admitted', attemptIds: await recordAttempts(tx, plainKeys.map((key) => runningPrefix + key), false, at) };
    });
    if (decision.kind === 'admitted') return { attemptIds: decision.attemptIds, keys: plainKeys };
    // Whoever waits behind this one will get the same answer, or a turn: let it look now.
    if (decision.kind === 'blocked') {
      wakeNext(plainKeys);
      // After the transaction, so the entry stays although the attempt is refused; never the password.
      await recordAudit(db, { actorUserId: null, action: 'auth.sign-in-blocked', details: { email: email.toLowerCase(), limit: decision.limit.scope, address } });
      throw new DomainError('rate-limited', { retryAfterSeconds: Math.ceil(decision.limit.windowMs / 1000) });
    }
    if (Date.now() + pauseMs > deadline) {
      wakeNext(plainKeys);
      await recordAudit(db, { actorUserId: null, action: 'auth.sign-in-blocked', details: { email: email.toLowerCase(), limit: 'running', address } });
      throw new DomainError('sign-in-busy', { retryAfterSeconds: busyRetryAfterSeconds });
    }
    await waitForTurn(plainKeys, pauseMs);
  }
}

/** Records the outcome of a sign-in that passed the limit, for the limit and the audit log. */
export async function finishSignIn(
  db: Database,
  attempt: SignInAttempt,
  input: { email: string; userId: string | null; succeeded: boolean },
  now: Date,
): Promise<void> {
  await settleAttempts(db, attempt.attemptIds, runningPrefix, input.succeeded);
  wakeNext(attempt.keys);
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
  wakeNext(attempt.keys);
}

/** Records a sign-out in the audit log. */
export async function recordSignOut(db: Database, userId: string): Promise<void> {
  await recordAudit(db, { actorUserId: userId, action: 'auth.sign-out' });
}
