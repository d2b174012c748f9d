import { and, count, desc, eq, gt, gte, isNull } from 'drizzle-orm';
import { kommuneRoles, programmeRoles } from '../../domain/access.ts';
import { invitationPurposes } from '../../domain/invitation.ts';
import { oneOf } from '../../domain/one-of.ts';
import type { Database } from '../client.ts';
import { invitation, user } from '../schema.ts';

export type InvitationRow = typeof invitation.$inferSelect;

export async function insertInvitation(db: Database, values: typeof invitation.$inferInsert): Promise<InvitationRow> {
  const [row] = await db.insert(invitation).values(values).returning();
  return row!;
}

export async function findInvitationByTokenHash(db: Database, tokenHash: string): Promise<InvitationRow | undefined> {
  const [row] = await db.select().from(invitation).where(eq(invitation.tokenHash, tokenHash));
  return row;
}

export async function findInvitationById(db: Database, id: string): Promise<InvitationRow | undefined> {
  const [row] = await db.select().from(invitation).where(eq(invitation.id, id));
  return row;
}

/**
 * Marks an open invitation as used. The condition in the UPDATE makes it single-use even when two
 * requests accept it at the same moment: only one of them gets the row back.
 */
export async function claimInvitation(db: Database, id: string, userId: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(invitation)
    .set({ acceptedAt: now, acceptedBy: userId })
    .where(
      and(eq(invitation.id, id), isNull(invitation.acceptedAt), isNull(invitation.revokedAt), gt(invitation.expiresAt, now)),
    )
    .returning({ id: invitation.id });
  return rows.length === 1;
}

export async function revokeInvitation(db: Database, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(invitation)
    .set({ revokedAt: now })
    .where(and(eq(invitation.id, id), isNull(invitation.acceptedAt), isNull(invitation.revokedAt)))
    .returning({ id: invitation.id });
  return rows.length === 1;
}

/** Invitations not yet used, revoked or expired; of one Kommune, or of the programme when kommuneId is null. */
export async function listOpenInvitations(db: Database, kommuneId: string | null, now: Date) {
  const rows = await db
    .select({
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      purpose: invitation.purpose,
      fieldKeys: invitation.fieldKeys,
      assignedKommuneIds: invitation.assignedKommuneIds,
      createdAt: invitation.createdAt,
      expiresAt: invitation.expiresAt,
      invitedByName: user.name,
    })
    .from(invitation)
    .leftJoin(user, eq(user.id, invitation.invitedBy))
    .where(
      and(
        kommuneId === null ? isNull(invitation.kommuneId) : eq(invitation.kommuneId, kommuneId),
        isNull(invitation.acceptedAt),
        isNull(invitation.revokedAt),
        gt(invitation.expiresAt, now),
      ),
    )
    .orderBy(desc(invitation.createdAt));
  return rows.map((row) => ({
    ...row,
    role: oneOf([...programmeRoles, ...kommuneRoles], row.role, 'Rolle einer Einladung'),
    purpose: oneOf(invitationPurposes, row.purpose, 'Zweck einer Einladung'),
  }));
}

/** How many invitations a person created since a moment (for the invitation limit). */
export async function countInvitationsBy(db: Database, userId: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ value: count() })
    .from(invitation)
    .where(and(eq(invitation.invitedBy, userId), gte(invitation.createdAt, since)));
  return row?.value ?? 0;
}

/**
 * Revokes every open invitation and set-password link for one address in one Kommune (or in the
 * programme, kommuneId null), whoever sent it; `purpose` narrows it to one kind. Returns the ids revoked.
 */
export async function revokeOpenInvitationsFor(
  db: Database,
  kommuneId: string | null,
  email: string,
  now: Date,
  purpose?: 'invitation' | 'set-password',
): Promise<string[]> {
  const rows = await db
    .update(invitation)
    .set({ revokedAt: now })
    .where(
      and(
        kommuneId === null ? isNull(invitation.kommuneId) : eq(invitation.kommuneId, kommuneId),
        eq(invitation.email, email.toLowerCase()),
        isNull(invitation.acceptedAt),
        isNull(invitation.revokedAt),
        purpose ? eq(invitation.purpose, purpose) : undefined,
      ),
    )
    .returning({ id: invitation.id });
  return rows.map((row) => row.id);
}
