import { Hono } from 'hono';
import { z } from 'zod';
import { noteBody, noteKinds, subjectKeyPatterns } from '../../../domain/discussion.ts';
import { changeOwnNote, listDiscussion, postNote, settleThread } from '../../../services/discuss-round.ts';
import type { AppEnv } from '../../app-env.ts';
import { readBody, readParams, requireActor } from '../../http.ts';
import { roundParams } from '../rounds/schemas.ts';

const kind = z.enum(noteKinds, 'question (Leitfrage) oder criterion (Kriterium)');
const key = z.string().regex(/^[0-9]{1,2}\.[0-9]{1,2}(\.[0-9]{1,2})?$/, 'ungültige Leitfrage oder ungültiges Kriterium');

/** A question's key with kind question, a criterion's with kind criterion. */
const matchingKey = <T extends { kind?: (typeof noteKinds)[number]; key?: string }>(value: T) =>
  value.kind === undefined || value.key === undefined || subjectKeyPatterns[value.kind].test(value.key);
const keyMessage = { message: 'Der Schlüssel passt nicht zur Art: Leitfragen haben drei Stellen („1.2.3“), Kriterien zwei („1.2“).', path: ['key'] };

export const listQuery = z
  .object({
    kind: kind.optional(),
    key: key.optional(),
    field: z.string().regex(/^[0-9]{1,2}$/, 'ungültiges Handlungsfeld').optional(),
  })
  .refine((value) => (value.kind === undefined) === (value.key === undefined), { message: 'Art und Schlüssel nur zusammen angeben', path: ['key'] })
  .refine(matchingKey, keyMessage);

export const noteSchema = z.object({ kind, key, body: noteBody() }).refine(matchingKey, keyMessage);
export const editSchema = z.object({ body: noteBody() });
export const settleSchema = z.object({ settled: z.boolean('true (erledigt) oder false (wieder offen)') });

const noteParams = roundParams.extend({ noteId: z.uuid('ungültige Notiz') });
const threadParams = roundParams.extend({ kind, key }).refine(matchingKey, keyMessage);

/** The discussion of a round: /api/kommunen/:slug/rounds/:number/notes|threads */
export const discussionRoutes = new Hono<AppEnv>()
  .get('/:number/notes', async (context) => {
    const actor = await requireActor(context);
    const { slug, number } = readParams(context.req.param(), roundParams);
    const filter = readParams(context.req.query(), listQuery);
    return context.json(await listDiscussion(context.var.deps.services, actor, slug, number, { kind: filter.kind, key: filter.key, fieldKey: filter.field }));
  })
  .post('/:number/notes', async (context) => {
    const actor = await requireActor(context);
    const { slug, number } = readParams(context.req.param(), roundParams);
    const input = await readBody(context, noteSchema);
    return context.json({ note: await postNote(context.var.deps.services, actor, slug, number, input) }, 201);
  })
  .put('/:number/notes/:noteId', async (context) => {
    const actor = await requireActor(context);
    const { slug, number, noteId } = readParams(context.req.param(), noteParams);
    const { body } = await readBody(context, editSchema);
    return context.json({ note: await changeOwnNote(context.var.deps.services, actor, slug, number, noteId, body) });
  })
  .delete('/:number/notes/:noteId', async (context) => {
    const actor = await requireActor(context);
    const { slug, number, noteId } = readParams(context.req.param(), noteParams);
    return context.json({ note: await changeOwnNote(context.var.deps.services, actor, slug, number, noteId, null) });
  })
  .put('/:number/threads/:kind/:key', async (context) => {
    const actor = await requireActor(context);
    const { slug, number, kind: threadKind, key: threadKey } = readParams(context.req.param(), threadParams);
    const { settled } = await readBody(context, settleSchema);
    return context.json({ thread: await settleThread(context.var.deps.services, actor, slug, number, threadKind, threadKey, settled) });
  });
