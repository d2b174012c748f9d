import { Hono } from 'hono';
import { z } from 'zod';
import { listEmailLog, previewReminders, sendReminders, setDeadline } from '../../../services/remind-round.ts';
import type { AppEnv } from '../../app-env.ts';
import { readBody, readParams, requireActor } from '../../http.ts';
import { slugSchema } from '../common-schemas.ts';
import { roundParams } from '../rounds/schemas.ts';

export const deadlineSchema = z.object({
  deadline: z.iso.date('Datum im Format JJJJ-MM-TT').nullable(),
  reminderDaysBefore: z
    .number('eine ganze Zahl von 1 bis 60, oder leer lassen (keine automatische Erinnerung)')
    .int('eine ganze Zahl von 1 bis 60')
    .min(1, 'mindestens 1 Tag')
    .max(60, 'höchstens 60 Tage')
    .nullable()
    .default(null),
});

export const remindSchema = z.object({
  // Without it: everyone with open questions.
  userIds: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'ungültige Person')).min(1, 'mindestens eine Person').max(500).optional(),
  // true: also remind those reminded in the last 24 hours (otherwise 409 naming them).
  confirmRecent: z.boolean('true oder false').default(false),
});

/** Deadline and reminders of a round: /api/kommunen/:slug/rounds/:number/deadline|reminders */
export const reminderRoutes = new Hono<AppEnv>()
  .put('/:number/deadline', async (context) => {
    const actor = await requireActor(context);
    const { slug, number } = readParams(context.req.param(), roundParams);
    const input = await readBody(context, deadlineSchema);
    return context.json(await setDeadline(context.var.deps.services, actor, slug, number, input));
  })
  .get('/:number/reminders', async (context) => {
    const actor = await requireActor(context);
    const { slug, number } = readParams(context.req.param(), roundParams);
    return context.json(await previewReminders(context.var.deps.services, actor, slug, number));
  })
  .post('/:number/reminders', async (context) => {
    const actor = await requireActor(context);
    const { slug, number } = readParams(context.req.param(), roundParams);
    const { userIds, confirmRecent } = await readBody(context, remindSchema);
    return context.json(await sendReminders(context.var.deps.services, actor, slug, number, userIds, confirmRecent), 202);
  });

/** The E-Mail-Protokoll of a Kommune: /api/kommunen/:slug/email-log */
export const emailLogRoutes = new Hono<AppEnv>().get('/', async (context) => {
  const actor = await requireActor(context);
  const { slug } = readParams(context.req.param(), slugSchema);
  return context.json(await listEmailLog(context.var.deps.services, actor, slug));
});
