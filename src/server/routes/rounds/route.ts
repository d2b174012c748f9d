import { Hono } from 'hono';
import { getMyFieldAnswers, listMyOnBehalfEntries, saveAnswer } from '../../../services/answer-questions.ts';
import { getRoundRadarSvg, getRoundResults } from '../../../services/compute-results.ts';
import { getConsolidation, getRoundChanges, setCriterionRating } from '../../../services/consolidate-criteria.ts';
import {
  closeRound,
  getRoundOverview,
  listRoundsOf,
  reopenRound,
  startRound,
  updateRoundSettings,
} from '../../../services/manage-rounds.ts';
import type { AppEnv } from '../../app-env.ts';
import { endpoint } from '../../endpoint.ts';
import { kommuneErrors, roundErrors, slugSchema } from '../common-schemas.ts';
import {
  answerSchema,
  startSchema,
  closeSchema,
  criterionParams,
  fieldParams,
  onBehalfQuery,
  questionParams,
  ratingSchema,
  reopenSchema,
  roundParams,
  updateSettingsSchema,
} from '../../../domain/api/rounds.ts';

const tag = 'Runden';
const answerErrors = [...roundErrors, 'round-closed', 'field-unknown', 'field-not-worked', 'field-not-assigned'] as const;

/** Selbstcheck rounds of a Kommune: /api/kommunen/:slug/rounds/… */
export const roundRoutes = new Hono<AppEnv>()
  .get(
    '/',
    endpoint({ tag, summary: 'Listet die Selbstcheck-Runden der Kommune', access: 'signed-in', params: slugSchema, errors: kommuneErrors, response: { description: 'Die Runden mit Stand und Fortschritt.' } }, async (context, { actor, params }) =>
      context.json(await listRoundsOf(context.var.deps.services, actor, params.slug)),
    ),
  )
  .post(
    '/',
    endpoint(
      {
        tag,
        summary: 'Beginnt eine neue Selbstcheck-Runde',
        access: 'signed-in',
        params: slugSchema,
        body: startSchema,
        errors: [...kommuneErrors, 'round-open-exists', 'catalog-missing', 'field-unknown'],
        response: { status: 201, description: '`{ round: { number } }`' },
      },
      async (context, { actor, params, body }) => {
        const created = await startRound(context.var.deps.services, actor, params.slug, body);
        return context.json({ round: { number: created.number } }, 201);
      },
    ),
  )
  .get(
    '/:number',
    endpoint({ tag, summary: 'Liefert die Übersicht einer Runde', access: 'signed-in', params: roundParams, errors: roundErrors, response: { description: 'Einstellungen, Handlungsfelder und Fortschritt der Runde.' } }, async (context, { actor, params }) =>
      context.json(await getRoundOverview(context.var.deps.services, actor, params.slug, params.number)),
    ),
  )
  .put(
    '/:number',
    endpoint(
      {
        tag,
        summary: 'Ändert die Einstellungen einer Runde (Zeitraum, Handlungsfelder, Beteiligte)',
        access: 'signed-in',
        params: roundParams,
        body: updateSettingsSchema,
        errors: [...roundErrors, 'round-closed', 'stale-version', 'field-unknown', 'field-has-answers'],
        response: { description: '`{ round: { number, version } }`' },
      },
      async (context, { actor, params, body }) => {
        const updated = await updateRoundSettings(context.var.deps.services, actor, params.slug, params.number, body);
        return context.json({ round: { number: updated.number, version: updated.version } });
      },
    ),
  )
  .post(
    '/:number/close',
    endpoint(
      {
        tag,
        summary: 'Schließt eine Runde ab',
        access: 'signed-in',
        params: roundParams,
        body: closeSchema,
        errors: [...roundErrors, 'round-closed', 'stale-version', 'round-has-open-questions'],
        response: { description: 'Die Runde ist abgeschlossen.' },
      },
      async (context, { actor, params, body }) => {
        await closeRound(context.var.deps.services, actor, params.slug, params.number, body.expectedVersion, body.confirmedOpenQuestions);
        return context.json({ ok: true });
      },
    ),
  )
  .post(
    '/:number/reopen',
    endpoint(
      { tag, summary: 'Öffnet eine abgeschlossene Runde wieder (mit Begründung)', access: 'signed-in', params: roundParams, body: reopenSchema, errors: [...roundErrors, 'round-not-closed', 'round-open-exists'], response: { description: 'Die Runde ist wieder offen.' } },
      async (context, { actor, params, body }) => {
        await reopenRound(context.var.deps.services, actor, params.slug, params.number, body.reason);
        return context.json({ ok: true });
      },
    ),
  )
  .get(
    '/:number/fields/:fieldKey',
    endpoint(
      {
        tag,
        summary: 'Liefert die eigenen Antworten in einem Handlungsfeld (oder die für eine Stelle eingetragenen)',
        access: 'signed-in',
        params: fieldParams,
        query: onBehalfQuery,
        errors: answerErrors,
        response: { description: 'Leitfragen des Handlungsfelds mit den Antworten.' },
      },
      async (context, { actor, params, query }) =>
        context.json(await getMyFieldAnswers(context.var.deps.services, actor, params.slug, params.number, params.fieldKey, query.onBehalfOf)),
    ),
  )
  .get(
    '/:number/on-behalf',
    endpoint({ tag, summary: 'Listet die Stellen, für die man Fragebögen eingetragen hat', access: 'signed-in', params: roundParams, errors: roundErrors, response: { description: 'Die Stellen mit ihrem Fortschritt.' } }, async (context, { actor, params }) =>
      context.json(await listMyOnBehalfEntries(context.var.deps.services, actor, params.slug, params.number)),
    ),
  )
  .put(
    '/:number/answers/:questionKey',
    endpoint(
      {
        tag,
        summary: 'Speichert eine Antwort auf eine Leitfrage',
        access: 'signed-in',
        params: questionParams,
        body: answerSchema,
        errors: [...answerErrors, 'question-unknown', 'answer-not-in-scale', 'stale-version'],
        response: { description: '`{ answer }` mit neuer Version.' },
      },
      async (context, { actor, params, body }) =>
        context.json({ answer: await saveAnswer(context.var.deps.services, actor, params.slug, params.number, params.questionKey, body) }),
    ),
  )
  .get(
    '/:number/consolidation',
    endpoint({ tag, summary: 'Liefert die Konsolidierung: Antworten und Einschätzungen je Kriterium', access: 'signed-in', params: roundParams, errors: roundErrors, response: { description: 'Kriterien mit Antworten, errechneter und gesetzter Einschätzung.' } }, async (context, { actor, params }) =>
      context.json(await getConsolidation(context.var.deps.services, actor, params.slug, params.number)),
    ),
  )
  .put(
    '/:number/ratings/:criterionKey',
    endpoint(
      {
        tag,
        summary: 'Setzt die Einschätzung eines Kriteriums',
        access: 'signed-in',
        params: criterionParams,
        body: ratingSchema,
        errors: [...roundErrors, 'round-closed', 'criterion-unknown', 'field-not-worked', 'answer-not-in-scale', 'reason-required', 'stale-version'],
        response: { description: '`{ rating }` mit neuer Version.' },
      },
      async (context, { actor, params, body }) =>
        context.json({ rating: await setCriterionRating(context.var.deps.services, actor, params.slug, params.number, params.criterionKey, body) }),
    ),
  )
  .get(
    '/:number/changes',
    endpoint({ tag, summary: 'Liefert die Änderungen gegenüber der vorigen Runde', access: 'signed-in', params: roundParams, errors: roundErrors, response: { description: 'Die geänderten Einschätzungen.' } }, async (context, { actor, params }) =>
      context.json(await getRoundChanges(context.var.deps.services, actor, params.slug, params.number)),
    ),
  )
  .get(
    '/:number/results',
    endpoint({ tag, summary: 'Liefert die Ergebnisse der Runde je Handlungsfeld', access: 'signed-in', params: roundParams, errors: roundErrors, response: { description: 'Die Ergebnisse der Runde.' } }, async (context, { actor, params }) =>
      context.json(await getRoundResults(context.var.deps.services, actor, params.slug, params.number)),
    ),
  )
  .get(
    '/:number/results/radar.svg',
    endpoint(
      { tag, summary: 'Liefert das Netzdiagramm der Ergebnisse als SVG', access: 'signed-in', params: roundParams, errors: roundErrors, response: { description: 'Das Netzdiagramm.', contentTypes: ['image/svg+xml'] } },
      async (context, { actor, params }) => {
        const svg = await getRoundRadarSvg(context.var.deps.services, actor, params.slug, params.number);
        return context.body(svg, 200, { 'Content-Type': 'image/svg+xml; charset=utf-8', 'Cache-Control': 'private, no-cache' });
      },
    ),
  );
