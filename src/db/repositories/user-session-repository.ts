import { and, desc, eq, gt, ne } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { session } from '../schema.ts';

/** A person's sessions that have not expired, newest first; the token never leaves this module. */
export async function listUserSessions(db: Database, userId: string, currentToken: string, now: Date) {
  const rows = await db
    .select({ id: session.id, token: session.token, createdAt: session.createdAt, updatedAt: session.updatedAt, userAgent: session.userAgent })
    .from(session)
    .where(and(eq(session.userId, userId), gt(session.expiresAt, now)))
    .orderBy(desc(session.updatedAt));
  return rows.map(({ token, ...row }) => ({ ...row, isCurrent: token === currentToken }));
}

/** Ends one of the person's sessions; false when it is not theirs or does not exist. */
export async function deleteUserSession(db: Database, userId: string, sessionId: string): Promise<boolean> {
  const deleted = await db.delete(session).where(and(eq(session.userId, userId), eq(session.id, sessionId))).returning({ id: session.id });
  return deleted.length > 0;
}

/** Ends every session of the person except the given one; returns how many. */
export async function deleteOtherUserSessions(db: Database, userId: string, keepToken: string): Promise<number> {
  const deleted = await db.delete(session).where(and(eq(session.userId, userId), ne(session.token, keepToken))).returning({ id: session.id });
  return deleted.length;
}
