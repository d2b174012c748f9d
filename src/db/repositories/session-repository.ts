import { sql } from 'drizzle-orm';
import type { Actor, KommuneRole, ProgrammeRole } from '../../domain/access.ts';
import type { Database } from '../client.ts';
import { readCacheOf } from '../read-cache.ts';

export interface SessionActor {
  user: { id: string; name: string; email: string };
  actor: Actor;
}

interface MembershipJson {
  kommuneId: string;
  role: string;
  fieldKeys: string[] | null;
}

interface Row {
  user_id: string;
  expires_at: Date | string;
  name: string;
  email: string;
  programme_role: string | null;
  assigned: string[] | null;
  memberships: MembershipJson[] | string | null;
}

/**
 * The signed-in person and all their roles for a session token, in one query: this runs on every
 * request, so it must be cheap. Expired sessions find nothing. On the embedded database the answer
 * is kept until the session expires or anything writes a session, a person, a role or a membership
 * (read-cache.ts).
 */
export async function findSessionActor(db: Database, token: string, now: Date): Promise<SessionActor | null> {
  const cache = readCacheOf(db);
  if (!cache) return (await loadSessionActor(db, token, now))?.found ?? null;
  const loaded = await cache.get('session', token, now.getTime(), () => loadSessionActor(db, token, now), (value) => value.expiresAt);
  return loaded?.found ?? null;
}

async function loadSessionActor(db: Database, token: string, now: Date): Promise<{ found: SessionActor; expiresAt: number } | null> {
  const result = await db.execute(sql`
    SELECT u.id AS user_id, s.expires_at, u.name, u.email,
      (SELECT pm.role FROM programme_member pm WHERE pm.user_id = u.id) AS programme_role,
      (SELECT array_agg(pa.kommune_id) FROM process_assignment pa WHERE pa.user_id = u.id) AS assigned,
      (SELECT json_agg(json_build_object('kommuneId', km.kommune_id, 'role', km.role, 'fieldKeys', km.field_keys))
         FROM kommune_member km WHERE km.user_id = u.id) AS memberships
    FROM session s JOIN "user" u ON u.id = s.user_id
    WHERE s.token = ${token} AND s.expires_at > ${now.toISOString()}::timestamptz
  `);
  const row = (result as unknown as { rows: Row[] }).rows[0];
  if (!row) return null;
  // json_agg arrives parsed from node-postgres and as text from some drivers.
  const memberships: MembershipJson[] = typeof row.memberships === 'string' ? JSON.parse(row.memberships) : (row.memberships ?? []);
  const found: SessionActor = {
    user: { id: row.user_id, name: row.name, email: row.email },
    actor: {
      userId: row.user_id,
      programmeRole: (row.programme_role as ProgrammeRole | null) ?? null,
      assignedKommuneIds: row.assigned ?? [],
      memberships: memberships.map((entry) => ({
        kommuneId: entry.kommuneId,
        role: entry.role as KommuneRole,
        fieldKeys: entry.fieldKeys,
      })),
    },
  };
  return { found, expiresAt: new Date(row.expires_at).getTime() };
}
