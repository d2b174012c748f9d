import { sql } from 'drizzle-orm';
import type { Database } from '../client.ts';

/**
 * The department names answers of a round are stored under, in order of first use (the first
 * change-log entry that names the department; names without one, e.g. from an old import, last).
 */
export async function listDepartmentNames(db: Database, roundId: string): Promise<string[]> {
  const result = (await db.execute(sql`
    WITH names AS (SELECT DISTINCT on_behalf_of AS name FROM answer WHERE round_id = ${roundId} AND on_behalf_of <> '')
    SELECT name, (
      SELECT min(id) FROM round_change
      WHERE round_change.round_id = ${roundId} AND round_change.kind = 'answer' AND round_change.after->>'onBehalfOf' = names.name
    ) AS first
    FROM names
    ORDER BY first NULLS LAST, name`)) as unknown as { rows: { name: string }[] };
  return result.rows.map((row) => row.name);
}
