import { Hono } from 'hono';
import { z } from 'zod';
import {
  changeSurveySchema,
  changeSurveyTextSchema,
  createSurveySchema,
  excludeResponsesSchema,
  exclusionParams,
  publishSurveySchema,
  reviewOpenAnswersSchema,
  reviewSurveyTextsSchema,
  surveyLanguageParams,
  surveyParams,
  surveyTextParams,
} from '../../../domain/api/survey.ts';
import type { ErrorCode } from '../../../domain/errors.ts';
import {
  changeResidentSurvey,
  createResidentSurvey,
  deleteResidentSurvey,
  excludeResponses,
  getResidentSurvey,
  publishResidentSurvey,
  renderSurveyPoster,
  reviewOpenAnswers,
  undoExclusion,
} from '../../../services/manage-resident-surveys.ts';
import { changeSurveyText, getSurveyTranslations, reviewSurveyLanguage } from '../../../services/manage-survey-texts.ts';
import { exportSurveyResponses } from '../../../services/export-resident-surveys.ts';
import { sendTable } from '../../table-download.ts';
import type { AppEnv } from '../../app-env.ts';
import { endpoint } from '../../endpoint.ts';
import { roundErrors } from '../common-schemas.ts';

const tag = 'Einwohner:innen-Umfrage';
const manageErrors = [...roundErrors, 'survey-not-found'] as const satisfies readonly ErrorCode[];

/** The resident survey of a round (Außensicht): /api/kommunen/:slug/rounds/:number/survey */
export const surveyRoutes = new Hono<AppEnv>()
  .get(
    '/:number/survey',
    endpoint(
      {
        tag,
        summary: 'Die Einwohner:innen-Umfrage einer Runde mit ihren Ergebnissen neben der Innensicht',
        description: 'Ergebnisse erst ab 10 gezählten Antworten, Gruppen nur, wenn die Gruppe und der Rest je mindestens 10 haben; Anmerkungen nur freigegebene (wer die Umfrage verwaltet, sieht alle, um sie zu prüfen).',
        access: 'signed-in',
        params: surveyParams,
        errors: roundErrors,
        response: { description: '`{ survey | null, results, openAnswers, exclusions, perMinute, statements, languages, canManage }`' },
      },
      async (context, { actor, params }) => context.json(await getResidentSurvey(context.var.deps.services, actor, params.slug, params.number)),
    ),
  )
  .post(
    '/:number/survey',
    endpoint(
      { tag, summary: 'Legt die Einwohner:innen-Umfrage einer Runde als Entwurf an', access: 'signed-in', params: surveyParams, body: createSurveySchema, errors: [...roundErrors, 'survey-exists', 'survey-fields-unknown'], response: { status: 201, description: '`{ survey }`' } },
      async (context, { actor, params, body }) => context.json({ survey: await createResidentSurvey(context.var.deps.services, actor, params.slug, params.number, body.settings) }, 201),
    ),
  )
  .put(
    '/:number/survey',
    endpoint(
      {
        tag,
        summary: 'Ändert die Einstellungen der Umfrage',
        description: 'Nach dem Veröffentlichen bleiben Handlungsfelder und offene Fragen, wie sie beantwortet werden (409 `survey-published`).',
        access: 'signed-in',
        params: surveyParams,
        body: changeSurveySchema,
        errors: [...manageErrors, 'stale-version', 'survey-published', 'survey-fields-unknown'],
        response: { description: '`{ survey }`' },
      },
      async (context, { actor, params, body }) => context.json({ survey: await changeResidentSurvey(context.var.deps.services, actor, params.slug, params.number, body.version, body.settings) }),
    ),
  )
  .post(
    '/:number/survey/publish',
    endpoint(
      { tag, summary: 'Veröffentlicht die Umfrage: ihr Link nimmt ab dem ersten Tag Antworten an', access: 'signed-in', params: surveyParams, body: publishSurveySchema, errors: [...manageErrors, 'stale-version', 'survey-no-language'], response: { description: '`{ survey }`' } },
      async (context, { actor, params, body }) => context.json({ survey: await publishResidentSurvey(context.var.deps.services, actor, params.slug, params.number, body.version) }),
    ),
  )
  .delete(
    '/:number/survey',
    endpoint(
      { tag, summary: 'Löscht die Umfrage mit allen Antworten', access: 'signed-in', params: surveyParams, errors: manageErrors, response: { description: 'Die Umfrage und ihre Antworten sind gelöscht.' } },
      async (context, { actor, params }) => {
        await deleteResidentSurvey(context.var.deps.services, actor, params.slug, params.number);
        return context.json({ ok: true });
      },
    ),
  )
  .post(
    '/:number/survey/open-answers/review',
    endpoint(
      { tag, summary: 'Gibt Anmerkungen frei, verwirft sie oder setzt sie zurück auf „offen“', access: 'signed-in', params: surveyParams, body: reviewOpenAnswersSchema, errors: [...manageErrors, 'not-found'], response: { description: '`{ changed }`' } },
      async (context, { actor, params, body }) => context.json(await reviewOpenAnswers(context.var.deps.services, actor, params.slug, params.number, body)),
    ),
  )
  .post(
    '/:number/survey/exclusions',
    endpoint(
      { tag, summary: 'Lässt die Antworten eines Zeitraums mit Begründung aus den Ergebnissen heraus', description: 'Ein Zeitraum mit 1 bis 9 Antworten wird abgelehnt (422 `survey-exclusion-small`): Der Vergleich vorher/nachher zeigte sonst, wie die wenigen geantwortet haben.', access: 'signed-in', params: surveyParams, body: excludeResponsesSchema, errors: [...manageErrors, 'survey-exclusion-small'], response: { status: 201, description: '`{ id, excluded }`' } },
      async (context, { actor, params, body }) =>
        context.json(await excludeResponses(context.var.deps.services, actor, params.slug, params.number, { fromAt: new Date(body.fromAt), toAt: new Date(body.toAt), reason: body.reason }), 201),
    ),
  )
  .delete(
    '/:number/survey/exclusions/:exclusionId',
    endpoint(
      { tag, summary: 'Hebt einen Ausschluss auf: seine Antworten zählen wieder', description: 'Das Protokoll behält, was aufgehoben wurde und mit welcher Begründung es ausgeschlossen war.', access: 'signed-in', params: exclusionParams, errors: [...manageErrors, 'not-found'], response: { description: '`{ counted }`: wie viele Antworten wieder zählen' } },
      async (context, { actor, params }) => context.json(await undoExclusion(context.var.deps.services, actor, params.slug, params.number, params.exclusionId)),
    ),
  );

const exportParams = surveyParams.extend({ format: z.enum(['csv', 'xlsx'], 'csv oder xlsx') });

/** The downloads of a round's survey: /api/kommunen/:slug/rounds/:number/survey/responses/:format */
export const surveyExportRoutes = new Hono<AppEnv>().get(
  '/:number/survey/responses/:format',
  endpoint(
    {
      tag,
      summary: 'Die Antworten der Umfrage als CSV oder Excel-Datei',
      description: 'Eine Zeile je Antwort; Tag des Eingangs (nie die Uhrzeit); ausgeschlossene markiert; nur freigegebene Anmerkungen.',
      access: 'signed-in',
      params: exportParams,
      errors: manageErrors,
      response: { description: 'Die Tabelle als Download.', contentTypes: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] },
    },
    async (context, { actor, params }) => {
      const exported = await exportSurveyResponses(context.var.deps.services, actor, params.slug, params.number);
      return sendTable(context, params.format, {
        fileName: `weltoffen-umfrage-${exported.kommuneSlug}-runde-${params.number}.${params.format}`,
        sheetName: 'Antworten',
        header: exported.header,
        lines: exported.lines,
        widths: exported.widths,
      });
    },
  ),
);

/** The poster to print: /api/kommunen/:slug/rounds/:number/survey/poster.pdf */
export const surveyPosterRoutes = new Hono<AppEnv>().get(
  '/:number/survey/poster.pdf',
  endpoint(
    {
      tag,
      summary: 'Das Plakat der Umfrage mit QR-Code zum Ausdrucken (PDF)',
      description: 'Erst nach dem Veröffentlichen (409 `survey-draft`); der Titel in jeder Sprache, die Einwohner:innen wählen können. Ein Dokument je Person zugleich (429).',
      access: 'signed-in',
      params: surveyParams,
      errors: [...manageErrors, 'survey-draft', 'report-busy', 'reports-busy'],
      response: { description: 'Das Plakat als PDF/UA-1.', contentTypes: ['application/pdf'] },
    },
    async (context, { actor, params }) => {
      const poster = await renderSurveyPoster(context.var.deps.services, actor, params.slug, params.number);
      context.header('Content-Type', 'application/pdf');
      context.header('Content-Disposition', `attachment; filename="${poster.fileName}"`);
      return context.body(new Uint8Array(poster.body));
    },
  ),
);

/** The survey's texts per language, kept by the Programmteam: /api/survey-texts */
export const surveyTextRoutes = new Hono<AppEnv>()
  .get(
    '/:language',
    endpoint(
      { tag, summary: 'Die Texte einer Sprache neben der deutschen Vorlage, mit Prüfstand aller Sprachen', access: 'signed-in', params: surveyLanguageParams, errors: ['forbidden'], response: { description: '`{ setVersion, languages, language, texts }`' } },
      async (context, { actor, params }) => context.json(await getSurveyTranslations(context.var.deps.services, actor, params.language)),
    ),
  )
  .put(
    '/:language/:key',
    endpoint(
      {
        tag,
        summary: 'Ändert einen Text; er ist danach ein Entwurf',
        description: 'Ein geänderter deutscher Text macht seine Übersetzungen wieder zu Entwürfen. Platzhalter müssen zur Vorlage passen (422).',
        access: 'signed-in',
        params: surveyTextParams,
        body: changeSurveyTextSchema,
        errors: ['forbidden', 'not-found', 'survey-text-invalid'],
        response: { description: '`{ key, text, reviewed }`' },
      },
      async (context, { actor, params, body }) => context.json(await changeSurveyText(context.var.deps.services, actor, { language: params.language, key: params.key, text: body.text })),
    ),
  )
  .post(
    '/:language/review',
    endpoint(
      { tag, summary: 'Markiert Texte einer Sprache als geprüft', access: 'signed-in', params: surveyLanguageParams, body: reviewSurveyTextsSchema, errors: ['forbidden', 'not-found', 'survey-text-invalid'], response: { description: '`{ reviewed, languages }`' } },
      async (context, { actor, params, body }) => context.json(await reviewSurveyLanguage(context.var.deps.services, actor, { language: params.language, keys: body.keys })),
    ),
  );
