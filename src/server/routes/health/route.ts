import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { endpoint } from '../../endpoint.ts';

/** 200 {"status":"ok"} once the database answers; 503 otherwise. */
const healthSpec = {
  tag: 'Betrieb',
  summary: 'Prüft, ob der Server läuft und die Datenbank antwortet',
  access: 'public',
  response: { description: '`{ status: "ok" }`; 503 mit `{ status: "unavailable" }`, wenn die Datenbank nicht antwortet.' },
} as const;

export const healthRoutes = new Hono<AppEnv>().get('/', endpoint(healthSpec, async (context) => {
  try {
    await context.var.deps.services.db.execute(sql`select 1`);
    return context.json({ status: 'ok' });
  } catch {
    return context.json({ status: 'unavailable' }, 503);
  }
}));
