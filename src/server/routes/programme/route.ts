import { Hono } from 'hono';
import { z } from 'zod';
import { inviteIntoProgramme } from '../../../services/manage-invitations.ts';
import {
  changeProgrammeMember,
  getProgrammeTeam,
  removeProgrammeMember,
} from '../../../services/manage-members.ts';
import { bundeslandNames, kommuneKinds } from '../../../domain/kommune.ts';
import { processStages } from '../../../domain/programme.ts';
import { getProgrammeOverview, getRatingsExport, overviewSorts } from '../../../services/view-programme.ts';
import type { AppEnv } from '../../app-env.ts';
import { endpoint } from '../../endpoint.ts';
import { programmeChangeSchema, programmeInviteSchema } from '../../../domain/api/programme.ts';
import { uuidSchema } from '../common-schemas.ts';
import { sendTable } from '../../table-download.ts';
import { exportAllSurveyResponses } from '../../../services/export-resident-surveys.ts';

const userParams = z.object({ userId: uuidSchema });

const overviewQuery = z.object({
  q: z.string().max(120, 'höchstens 120 Zeichen').optional(),
  land: z.enum(bundeslandNames, 'ein Land').optional(),
  art: z.enum(kommuneKinds, 'eine Art von Kommune').optional(),
  stufe: z.enum(processStages, 'eine Stufe des Prozesses').optional(),
  sortierung: z.enum(overviewSorts, 'name, stage, progress, activity oder result').default('name'),
  absteigend: z.enum(['0', '1'], '0 oder 1').default('0'),
  seite: z.coerce.number('eine Seitenzahl').int('eine Seitenzahl').min(1, 'ab 1').max(100_000).default(1),
});
const exportParams = z.object({ format: z.enum(['csv', 'xlsx'], 'csv oder xlsx') });

const tag = 'Programm';

/** The programme's people: Programmteam and Prozessbegleitung; and the overview across Kommunen. */
export const programmeRoutes = new Hono<AppEnv>()
  .get(
    '/overview',
    endpoint(
      { tag, summary: 'Liefert die Übersicht über alle Kommunen (Suche, Filter, Sortierung, Seiten zu 50)', access: 'signed-in', query: overviewQuery, errors: ['forbidden'], response: { description: 'Eine Seite der Übersicht mit Kennzahlen.' } },
      async (context, { actor, query }) =>
        context.json(
          await getProgrammeOverview(context.var.deps.services, actor, {
            search: query.q,
            bundesland: query.land,
            kind: query.art,
            stage: query.stufe,
            sort: query.sortierung,
            descending: query.absteigend === '1',
            page: query.seite,
            pageSize: 50,
          }),
        ),
    ),
  )
  .get(
    '/ratings/:format',
    endpoint(
      {
        tag,
        summary: 'Exportiert die Einschätzungen aller Kommunen als CSV oder Excel-Datei',
        access: 'signed-in',
        params: exportParams,
        errors: ['forbidden'],
        response: { description: 'Die Tabelle als Download.', contentTypes: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] },
      },
      async (context, { actor, params: { format } }) => {
        const { header, lines } = await getRatingsExport(context.var.deps.services, actor);
        const day = context.var.deps.services.now().toISOString().slice(0, 10);
        return sendTable(context, format, {
          fileName: `weltoffen-einschaetzungen-${day}.${format}`,
          sheetName: 'Einschätzungen',
          header,
          lines,
          widths: [28, 20, 12, 22, 11, 7, 16, 24, 36, 10, 48, 22, 6],
        });
      },
    ),
  )
  .get(
    '/survey-responses/:format',
    endpoint(
      {
        tag,
        summary: 'Exportiert die Antworten der Einwohner:innen-Umfragen aller Kommunen als CSV oder Excel-Datei',
        description: 'Eine Zeile je Antwort mit Kommune und Runde; nur freigegebene Anmerkungen; ausgeschlossene markiert.',
        access: 'signed-in',
        params: exportParams,
        errors: ['forbidden'],
        response: { description: 'Die Tabelle als Download.', contentTypes: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] },
      },
      async (context, { actor, params: { format } }) => {
        const { header, lines, widths } = await exportAllSurveyResponses(context.var.deps.services, actor);
        const day = context.var.deps.services.now().toISOString().slice(0, 10);
        return sendTable(context, format, { fileName: `weltoffen-umfragen-${day}.${format}`, sheetName: 'Antworten', header, lines, widths });
      },
    ),
  )
  .get(
    '/',
    endpoint({ tag, summary: 'Listet Programmteam und Prozessbegleitung mit offenen Einladungen', access: 'signed-in', errors: ['forbidden'], response: { description: 'Die Personen des Programms.' } }, async (context, { actor }) =>
      context.json(await getProgrammeTeam(context.var.deps.services, actor)),
    ),
  )
  .post(
    '/invitations',
    endpoint(
      {
        tag,
        summary: 'Lädt eine Person ins Programmteam oder in die Prozessbegleitung ein',
        access: 'signed-in',
        body: programmeInviteSchema,
        errors: ['forbidden', 'kommune-unknown', 'already-member', 'invitations-limited'],
        response: { status: 201, description: '`{ invitation }` mit dem Link.' },
      },
      async (context, { actor, body }) => context.json({ invitation: await inviteIntoProgramme(context.var.deps.services, actor, body) }, 201),
    ),
  )
  .put(
    '/members/:userId',
    endpoint(
      {
        tag,
        summary: 'Ändert Rolle und zugeordnete Kommunen einer Person des Programms',
        access: 'signed-in',
        params: userParams,
        body: programmeChangeSchema,
        errors: ['forbidden', 'membership-not-found', 'kommune-unknown', 'last-programmteam'],
        response: { description: 'Die Änderung ist gespeichert.' },
      },
      async (context, { actor, params, body }) => {
        await changeProgrammeMember(context.var.deps.services, actor, params.userId, body);
        return context.json({ ok: true });
      },
    ),
  )
  .delete(
    '/members/:userId',
    endpoint(
      { tag, summary: 'Entfernt eine Person aus dem Programm', access: 'signed-in', params: userParams, errors: ['forbidden', 'membership-not-found', 'last-programmteam'], response: { description: 'Die Person ist entfernt.' } },
      async (context, { actor, params }) => {
        await removeProgrammeMember(context.var.deps.services, actor, params.userId);
        return context.json({ ok: true });
      },
    ),
  );
