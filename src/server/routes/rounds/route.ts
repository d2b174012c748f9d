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
import { readBody, readParams, requireActor } from '../../http.ts';
import { slugSchema } from '../common-schemas.ts';
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
} from './schemas.ts';

/** Selbstcheck rounds of a Kommune: /api/kommunen/:slug/rounds/… */
export const roundRoutes = new Hono<AppEnv>()
  .get('/', async (context) => {
    const actor = await requireActor(context);
    const { slug } = readParams(context.req.param(), slugSchema);
    return context.json(await listRoundsOf(context.var.deps.services, actor, slug));
  })
  .post('/', async (context) => {
    const actor = await requireActor(context);
    const { slug } = readParams(context.req.param(), slugSchema);
    const input = await readBody(context, startSchema);
    const created = await startRound(context.var.deps.services, actor, slug, input);
    return context.json({ round: { number: created.number } }, 201);
  })
  .get('/:number', async (context) => {
    const actor = await requireActor(context);
    const { slug, number } = readParams(context.req.param(), roundParams);
    return context.json(await getRoundOverview(context.var.deps.services, actor, slug, number));
  })
  .put('/:number', async (context) => {
    const actor = await requireActor(context);
    const { slug, number } = readParams(context.req.param(), roundParams);
    const input = await readBody(context, updateSettingsSchema);
    const updated = await updateRoundSettings(context.var.deps.services, actor, slug, number, input);
    return context.json({ round: { number: updated.number, version: updated.version } });
  })
  .post('/:number/close', async (context) => {
    const actor = await requireActor(context);
    const { slug, number } = readParams(context.req.param(), roundParams);
    const { expectedVersion, confirmedOpenQuestions } = await readBody(context, closeSchema);
    await closeRound(context.var.deps.services, actor, slug, number, expectedVersion, confirmedOpenQuestions);
    return context.json({ ok: true });
  })
  .post('/:number/reopen', async (context) => {
    const actor = await requireActor(context);
    const { slug, number } = readParams(context.req.param(), roundParams);
    const { reason } = await readBody(context, reopenSchema);
    await reopenRound(context.var.deps.services, actor, slug, number, reason);
    return context.json({ ok: true });
  })
  .get('/:number/fields/:fieldKey', async (context) => {
    const actor = await requireActor(context);
    const { slug, number, fieldKey } = readParams(context.req.param(), fieldParams);
    const { onBehalfOf } = readParams(context.req.query(), onBehalfQuery);
    return context.json(await getMyFieldAnswers(context.var.deps.services, actor, slug, number, fieldKey, onBehalfOf));
  })
  .get('/:number/on-behalf', async (context) => {
    const actor = await requireActor(context);
    const { slug, number } = readParams(context.req.param(), roundParams);
    return context.json(await listMyOnBehalfEntries(context.var.deps.services, actor, slug, number));
  })
  .put('/:number/answers/:questionKey', async (context) => {
    const actor = await requireActor(context);
    const { slug, number, questionKey } = readParams(context.req.param(), questionParams);
    const input = await readBody(context, answerSchema);
    return context.json({ answer: await saveAnswer(context.var.deps.services, actor, slug, number, questionKey, input) });
  })
  .get('/:number/consolidation', async (context) => {
    const actor = await requireActor(context);
    const { slug, number } = readParams(context.req.param(), roundParams);
    return context.json(await getConsolidation(context.var.deps.services, actor, slug, number));
  })
  .put('/:number/ratings/:criterionKey', async (context) => {
    const actor = await requireActor(context);
    const { slug, number, criterionKey } = readParams(context.req.param(), criterionParams);
    const input = await readBody(context, ratingSchema);
    return context.json({ rating: await setCriterionRating(context.var.deps.services, actor, slug, number, criterionKey, input) });
  })
  .get('/:number/changes', async (context) => {
    const actor = await requireActor(context);
    const { slug, number } = readParams(context.req.param(), roundParams);
    return context.json(await getRoundChanges(context.var.deps.services, actor, slug, number));
  })
  .get('/:number/results', async (context) => {
    const actor = await requireActor(context);
    const { slug, number } = readParams(context.req.param(), roundParams);
    return context.json(await getRoundResults(context.var.deps.services, actor, slug, number));
  })
  .get('/:number/results/radar.svg', async (context) => {
    const actor = await requireActor(context);
    const { slug, number } = readParams(context.req.param(), roundParams);
    const svg = await getRoundRadarSvg(context.var.deps.services, actor, slug, number);
    return context.body(svg, 200, { 'Content-Type': 'image/svg+xml; charset=utf-8', 'Cache-Control': 'private, no-cache' });
  });
