import { desc, eq } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { auditEvent } from '../schema.ts';

export interface AuditEntry {
  actorUserId: string | null;
  action: string;
  kommuneId?: string | null;
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Database, entry: AuditEntry): Promise<void> {
  await db.insert(auditEvent).values({
    actorUserId: entry.actorUserId,
    action: entry.action,
    kommuneId: entry.kommuneId ?? null,
    details: entry.details ?? {},
  });
}

export async function listAudit(db: Database, options: { kommuneId?: string; limit: number }) {
  return db
    .select()
    .from(auditEvent)
    .where(options.kommuneId ? eq(auditEvent.kommuneId, options.kommuneId) : undefined)
    .orderBy(desc(auditEvent.id))
    .limit(options.limit);
}
