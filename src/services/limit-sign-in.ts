import { isBlocked, signInKey, signInLimits } from '../domain/sign-in-limit.ts';
import { DomainError } from '../domain/errors.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import { countFailedAttempts, pruneAttempts, recordAttempts } from '../db/repositories/login-attempt-repository.ts';
import type { Database } from '../db/client.ts';

function keysOf(email: string, address: string) {
  return signInLimits.map((limit) => ({
    limit,
    key: signInKey(limit.scope, limit.scope === 'email' ? email : address),
  }));
}

/** Refuses a sign-in attempt while the e-mail or the address has too many recent failures. */
export async function checkSignInAllowed(db: Database, email: string, address: string, now: Date): Promise<void> {
  for (const { limit, key } of keysOf(email, address)) {
    const failures = await countFailedAttempts(db, key, new Date(now.getTime() - limit.windowMs));
    if (isBlocked(failures, limit.scope)) {
      throw new DomainError('rate-limited', { retryAfterSeconds: Math.ceil(limit.windowMs / 1000) });
    }
  }
}

/** Records the outcome of a sign-in for the limit and the audit log. */
export async function recordSignIn(
  db: Database,
  input: { email: string; address: string; userId: string | null; succeeded: boolean },
  now: Date,
): Promise<void> {
  const keys = keysOf(input.email, input.address).map((entry) => entry.key);
  await recordAttempts(db, keys, input.succeeded, now);
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
