import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Actor, KommuneRole, ProgrammeRole } from '../../domain/access.ts';
import type { Database } from '../client.ts';
import { account, kommuneMember, processAssignment, programmeMember, user } from '../schema.ts';

/** Loads the roles of a user as the access rules need them. */
export async function loadActor(db: Database, userId: string): Promise<Actor> {
  const [programme, assignments, memberships] = await Promise.all([
    db.select().from(programmeMember).where(eq(programmeMember.userId, userId)),
    db.select().from(processAssignment).where(eq(processAssignment.userId, userId)),
    db.select().from(kommuneMember).where(eq(kommuneMember.userId, userId)),
  ]);
  return {
    userId,
    programmeRole: (programme[0]?.role as ProgrammeRole | undefined) ?? null,
    assignedKommuneIds: assignments.map((row) => row.kommuneId),
    memberships: memberships.map((row) => ({
      kommuneId: row.kommuneId,
      role: row.role as KommuneRole,
      fieldKeys: row.fieldKeys,
    })),
  };
}

export interface KommuneMemberView {
  userId: string;
  name: string;
  email: string;
  role: KommuneRole;
  fieldKeys: string[] | null;
  since: Date;
  /** False for people brought in by an import who have not set a password yet. */
  hasAccess: boolean;
}

export async function listKommuneMembers(db: Database, kommuneId: string): Promise<KommuneMemberView[]> {
  const rows = await db
    .select({
      userId: kommuneMember.userId,
      name: user.name,
      email: user.email,
      role: kommuneMember.role,
      fieldKeys: kommuneMember.fieldKeys,
      since: kommuneMember.createdAt,
      hasAccess: sql<boolean>`exists (select 1 from ${account} where ${account.userId} = ${kommuneMember.userId} and ${account.providerId} = 'credential')`,
    })
    .from(kommuneMember)
    .innerJoin(user, eq(user.id, kommuneMember.userId))
    .where(eq(kommuneMember.kommuneId, kommuneId))
    .orderBy(asc(kommuneMember.role), asc(sql`${user.name} COLLATE "und-x-icu"`));
  return rows.map((row) => ({ ...row, role: row.role as KommuneRole }));
}

export async function findMembership(db: Database, kommuneId: string, userId: string) {
  const [row] = await db
    .select()
    .from(kommuneMember)
    .where(and(eq(kommuneMember.kommuneId, kommuneId), eq(kommuneMember.userId, userId)));
  return row;
}

/** Adds a membership or, where the person is a member already, sets the new role. */
export async function upsertMembership(
  db: Database,
  values: { kommuneId: string; userId: string; role: KommuneRole; fieldKeys: string[] | null },
): Promise<void> {
  await db
    .insert(kommuneMember)
    .values(values)
    .onConflictDoUpdate({
      target: [kommuneMember.kommuneId, kommuneMember.userId],
      set: { role: values.role, fieldKeys: values.fieldKeys },
    });
}

/** Adds a membership unless the person is a member already; an existing role stays as it is. */
export async function insertMembershipIfAbsent(
  db: Database,
  values: { kommuneId: string; userId: string; role: KommuneRole; fieldKeys: string[] | null },
): Promise<void> {
  await db.insert(kommuneMember).values(values).onConflictDoNothing();
}

export async function updateMembership(
  db: Database,
  kommuneId: string,
  userId: string,
  values: { role: KommuneRole; fieldKeys: string[] | null },
): Promise<boolean> {
  const rows = await db
    .update(kommuneMember)
    .set(values)
    .where(and(eq(kommuneMember.kommuneId, kommuneId), eq(kommuneMember.userId, userId)))
    .returning({ userId: kommuneMember.userId });
  return rows.length > 0;
}

export async function deleteMembership(db: Database, kommuneId: string, userId: string): Promise<boolean> {
  const rows = await db
    .delete(kommuneMember)
    .where(and(eq(kommuneMember.kommuneId, kommuneId), eq(kommuneMember.userId, userId)))
    .returning({ userId: kommuneMember.userId });
  return rows.length > 0;
}

export interface ProgrammeMemberView {
  userId: string;
  name: string;
  email: string;
  role: ProgrammeRole;
  assignedKommuneIds: string[];
}

export async function listProgrammeMembers(db: Database): Promise<ProgrammeMemberView[]> {
  const [rows, assignments] = await Promise.all([
    db
      .select({ userId: programmeMember.userId, name: user.name, email: user.email, role: programmeMember.role })
      .from(programmeMember)
      .innerJoin(user, eq(user.id, programmeMember.userId))
      .orderBy(asc(programmeMember.role), asc(sql`${user.name} COLLATE "und-x-icu"`)),
    db.select().from(processAssignment),
  ]);
  return rows.map((row) => ({
    ...row,
    role: row.role as ProgrammeRole,
    assignedKommuneIds: assignments.filter((entry) => entry.userId === row.userId).map((entry) => entry.kommuneId),
  }));
}

/** Sets the programme role of a user and, for a Prozessbegleitung, exactly the assigned Kommunen. */
export async function setProgrammeMember(
  db: Database,
  userId: string,
  role: ProgrammeRole,
  assignedKommuneIds: readonly string[],
): Promise<void> {
  await db
    .insert(programmeMember)
    .values({ userId, role })
    .onConflictDoUpdate({ target: programmeMember.userId, set: { role } });
  await db.delete(processAssignment).where(eq(processAssignment.userId, userId));
  if (role === 'prozessbegleitung' && assignedKommuneIds.length > 0) {
    await db.insert(processAssignment).values(assignedKommuneIds.map((kommuneId) => ({ userId, kommuneId })));
  }
}

export async function deleteProgrammeMember(db: Database, userId: string): Promise<boolean> {
  await db.delete(processAssignment).where(eq(processAssignment.userId, userId));
  const rows = await db
    .delete(programmeMember)
    .where(eq(programmeMember.userId, userId))
    .returning({ userId: programmeMember.userId });
  return rows.length > 0;
}

export async function countProgrammteam(db: Database): Promise<number> {
  const [row] = await db
    .select({ value: count() })
    .from(programmeMember)
    .where(eq(programmeMember.role, 'programmteam'));
  return row?.value ?? 0;
}

export async function listAssignedProzessbegleitung(db: Database, kommuneId: string) {
  return db
    .select({ userId: user.id, name: user.name, email: user.email })
    .from(processAssignment)
    .innerJoin(user, eq(user.id, processAssignment.userId))
    .where(eq(processAssignment.kommuneId, kommuneId));
}
