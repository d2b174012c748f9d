import { Hono } from 'hono';
import { listEmailLog, previewReminders, sendReminders, setDeadline } from '../../../services/remind-round.ts';
import type { AppEnv } from '../../app-env.ts';
import { endpoint } from '../../endpoint.ts';
import { kommuneErrors, roundErrors, slugSchema } from '../common-schemas.ts';
import { deadlineSchema, remindSchema } from '../../../domain/api/reminders.ts';
import { roundParams } from '../../../domain/api/rounds.ts';

const tag = 'Frist und Erinnerungen';

/** Deadline and reminders of a round: /api/kommunen/:slug/rounds/:number/deadline|reminders */
export const reminderRoutes = new Hono<AppEnv>()
  .put(
    '/:number/deadline',
    endpoint(
      {
        tag,
        summary: 'Setzt oder entfernt die Frist der Runde und die automatische Erinnerung',
        access: 'signed-in',
        params: roundParams,
        body: deadlineSchema,
        errors: [...roundErrors, 'round-closed', 'deadline-invalid'],
        response: { description: 'Frist und Erinnerung der Runde.' },
      },
      async (context, { actor, params, body }) => context.json(await setDeadline(context.var.deps.services, actor, params.slug, params.number, body)),
    ),
  )
  .get(
    '/:number/reminders',
    endpoint(
      { tag, summary: 'Zeigt, wer erinnert würde (Personen mit offenen Leitfragen)', access: 'signed-in', params: roundParams, errors: roundErrors, response: { description: 'Die Personen mit ihren offenen Leitfragen und der letzten Erinnerung.' } },
      async (context, { actor, params }) => context.json(await previewReminders(context.var.deps.services, actor, params.slug, params.number)),
    ),
  )
  .post(
    '/:number/reminders',
    endpoint(
      {
        tag,
        summary: 'Erinnert Personen mit offenen Leitfragen per E-Mail',
        access: 'signed-in',
        params: roundParams,
        body: remindSchema,
        errors: [...roundErrors, 'round-closed', 'reminded-recently', 'rate-limited'],
        response: { status: 202, description: 'Die E-Mails sind zum Versand eingereiht.' },
      },
      async (context, { actor, params, body }) =>
        context.json(await sendReminders(context.var.deps.services, actor, params.slug, params.number, body.userIds, body.confirmRecent), 202),
    ),
  );

/** The E-Mail-Protokoll of a Kommune: /api/kommunen/:slug/email-log */
export const emailLogRoutes = new Hono<AppEnv>().get(
  '/',
  endpoint(
    { tag: 'Kommunen', summary: 'Liefert das E-Mail-Protokoll der Kommune', access: 'signed-in', params: slugSchema, errors: kommuneErrors, response: { description: 'Die verschickten E-Mails (ohne Links).' } },
    async (context, { actor, params }) => context.json(await listEmailLog(context.var.deps.services, actor, params.slug)),
  ),
);
