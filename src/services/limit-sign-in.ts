import { isBlocked, signInKey, signInLimits, type SignInScope } from '../domain/sign-in-limit.ts';
import { DomainError } from '../domain/errors.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import { lockKeyForTransaction } from '../db/repositories/lock-repository.ts';
import { countFailedAttempts, markAttemptsSucceeded, pruneAttempts, recordAttempts } from '../db/repositories/login-attempt-repository.ts';
import type { Database } from '../db/client.ts';

function keysOf(email: string, address: string) {
  return signInLimits.map((limit) => ({
    limit,
    key: signInKey(limit.scope, limit.scope === 'email' ? email : address),
  }));
}

/** A sign-in attempt that passed the limit and is counted as failed until finishSignIn says otherwise. */
export interface SignInAttempt {
  attemptIds: number[];
}

/**
 * Lets a sign-in attempt through the limit, or refuses it with `rate-limited` (and an audit entry).
 * Counting and recording are one step: under advisory locks on the e-mail and the address (always
 * in that order, so two attempts never wait for each other in a circle), the failures in the window
 * are counted and this attempt is recorded as failed before any password is checked. However many
 * attempts arrive at once, at most the limit's number of passwords is checked per e-mail and per
 * address within a window; a successful one is marked as such afterwards by finishSignIn.
 */
export async function beginSignIn(db: Database, email: string, address: string, now: Date): Promise<SignInAttempt> {
  const keys = keysOf(email, address);
  const outcome = await db.transaction(async (tx): Promise<{ blocked: (typeof signInLimits)[number] } | { blocked: null; attemptIds: number[] }> => {
    for (const { key } of keys) await lockKeyForTransaction(tx, `sign-in:${key}`);
    for (const { limit, key } of keys) {
      const failures = await countFailedAttempts(tx, key, new Date(now.getTime() - limit.windowMs));
      if (isBlocked(failures, limit.scope)) return { blocked: limit };
    }
    return { blocked: null, attemptIds: await recordAttempts(tx, keys.map((entry) => entry.key), false, now) };
  });
  if (outcome.blocked) {
    const scope: SignInScope = outcome.blocked.scope;
    // After the transaction, so the entry stays although the attempt is refused; never the password.
    await recordAudit(db, { actorUserId: null, action: 'auth.sign-in-blocked', details: { email: email.toLowerCase(), limit: scope, address } });
    throw new DomainError('rate-limited', { retryAfterSeconds: Math.ceil(outcome.blocked.windowMs / 1000) });
  }
  return { attemptIds: outcome.attemptIds };
}

/** Records the outcome of a sign-in that passed the limit, for the limit and the audit log. */
export async function finishSignIn(
  db: Database,
  attempt: SignInAttempt,
  input: { email: string; userId: string | null; succeeded: boolean },
  now: Date,
): Promise<void> {
  if (input.succeeded) await markAttemptsSucceeded(db, attempt.attemptIds);
  await recordAudit(db, {
    actorUserId: input.userId,
    action: input.succeeded ? 'auth.sign-in' : 'auth.sign-in-failed',
    details: { email: input.email.toLowerCase() },
  });
  const longestWindow = Math.max(...signInLimits.map((limit) => limit.windowMs));
  if (Math.random() < 0.05) await pruneAttempts(db, new Date(now.getTime() - longestWindow));
}

/** Records a sign-out in the audit log. */
export async function recordSignOut(db: Database, userId: string): Promise<void> {
  await recordAudit(db, { actorUserId: userId, action: 'auth.sign-out' });
}
