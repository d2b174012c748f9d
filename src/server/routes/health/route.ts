import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.ts';

/** 200 {"status":"ok"} once the database answers; 503 otherwise. */
export const healthRoutes = new Hono<AppEnv>().get('/', async (context) => {
  try {
    await context.var.deps.services.db.execute(sql`select 1`);
    return context.json({ status: 'ok' });
  } catch {
    return context.json({ status: 'unavailable' }, 503);
  }
});
