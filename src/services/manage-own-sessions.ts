import { DomainError } from '../domain/errors.ts';
import { describeUserAgent } from '../domain/user-agent.ts';
import type { Database } from '../db/client.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import { deleteOtherUserSessions, deleteUserSession, listUserSessions } from '../db/repositories/user-session-repository.ts';

/**
 * „Meine Sitzungen“: the signed-in person's own sessions, this one marked and first, the others by
 * last activity; only ever their own. Browser and times tell them apart: no place and no address
 * (better-auth's IP tracking is off, decision 015).
 */
export async function listOwnSessions(db: Database, userId: string, currentToken: string, now: Date) {
  const rows = await listUserSessions(db, userId, currentToken, now);
  return [...rows.filter((row) => row.isCurrent), ...rows.filter((row) => !row.isCurrent)].map((row) => ({
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.updatedAt.toISOString(),
    browser: describeUserAgent(row.userAgent),
    isCurrent: row.isCurrent,
  }));
}

/** Ends one of the person's own sessions; another person's session is „not found“, never ended. */
export async function endOwnSession(db: Database, userId: string, sessionId: string): Promise<void> {
  if (!(await deleteUserSession(db, userId, sessionId))) throw new DomainError('session-not-found');
  await recordAudit(db, { actorUserId: userId, action: 'auth.session-ended' });
}

/** Ends every other session of the person; this one stays. */
export async function endOtherOwnSessions(db: Database, userId: string, currentToken: string): Promise<number> {
  const count = await deleteOtherUserSessions(db, userId, currentToken);
  await recordAudit(db, { actorUserId: userId, action: 'auth.sessions-ended', details: { count } });
  return count;
}
