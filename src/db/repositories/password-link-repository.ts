import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { invitation, user, verification } from '../schema.ts';

/**
 * Deletes every reset token of a person. better-auth stores a reset token as a `verification` row
 * whose identifier is the hash of `reset-password:TOKEN` and whose value is the user id; in our
 * configuration that table holds nothing else (no e-mail verification, no other plugin), so the
 * value finds all of a person's reset links, used or not.
 */
export async function deleteResetTokensOfUser(db: Database, userId: string): Promise<number> {
  const rows = await db.delete(verification).where(eq(verification.value, userId)).returning({ id: verification.id });
  return rows.length;
}

/**
 * Withdraws the person's open set-password links: the links a reminder gives a member without a
 * password (decision 016, `purpose` 'set-password'); an invitation someone sent stays open.
 */
export async function revokeSetPasswordLinks(db: Database, userId: string, now: Date): Promise<number> {
  const rows = await db
    .update(invitation)
    .set({ revokedAt: now })
    .where(
      and(
        eq(invitation.email, sql`(select lower(${user.email}) from ${user} where ${user.id} = ${userId})`),
        eq(invitation.purpose, 'set-password'),
        isNull(invitation.acceptedAt),
        isNull(invitation.revokedAt),
      ),
    )
    .returning({ id: invitation.id });
  return rows.length;
}
