import { Hono } from 'hono';
import { z } from 'zod';
import { noteBody, noteKinds, subjectKeyPatterns } from '../../../domain/discussion.ts';
import { changeOwnNote, listDiscussion, postNote, settleThread } from '../../../services/discuss-round.ts';
import type { AppEnv } from '../../app-env.ts';
import { endpoint } from '../../endpoint.ts';
import { roundErrors } from '../common-schemas.ts';
import { roundParams } from '../../../domain/api/rounds.ts';

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

const tag = 'Diskussion';
const noteErrors = [...roundErrors, 'round-closed', 'field-not-assigned', 'field-not-worked', 'discussion-subject-unknown'] as const;

/** The discussion of a round: /api/kommunen/:slug/rounds/:number/notes|threads */
export const discussionRoutes = new Hono<AppEnv>()
  .get(
    '/:number/notes',
    endpoint(
      {
        tag,
        summary: 'Listet die Notizen der Runde, nach Leitfrage oder Kriterium gruppiert',
        access: 'signed-in',
        params: roundParams,
        query: listQuery,
        errors: [...roundErrors, 'field-unknown'],
        response: { description: 'Die Diskussionen mit ihren Notizen.' },
      },
      async (context, { actor, params, query }) =>
        context.json(await listDiscussion(context.var.deps.services, actor, params.slug, params.number, { kind: query.kind, key: query.key, fieldKey: query.field })),
    ),
  )
  .post(
    '/:number/notes',
    endpoint(
      { tag, summary: 'Schreibt eine Notiz zu einer Leitfrage oder einem Kriterium', access: 'signed-in', params: roundParams, body: noteSchema, errors: [...noteErrors, 'thread-settled', 'notes-limited'], response: { status: 201, description: '`{ note }`' } },
      async (context, { actor, params, body }) => context.json({ note: await postNote(context.var.deps.services, actor, params.slug, params.number, body) }, 201),
    ),
  )
  .put(
    '/:number/notes/:noteId',
    endpoint(
      { tag, summary: 'Ändert eine eigene Notiz', access: 'signed-in', params: noteParams, body: editSchema, errors: [...noteErrors, 'note-not-found', 'note-not-yours', 'thread-settled'], response: { description: '`{ note }`' } },
      async (context, { actor, params, body }) => context.json({ note: await changeOwnNote(context.var.deps.services, actor, params.slug, params.number, params.noteId, body.body) }),
    ),
  )
  .delete(
    '/:number/notes/:noteId',
    endpoint(
      { tag, summary: 'Löscht eine eigene Notiz', access: 'signed-in', params: noteParams, errors: [...noteErrors, 'note-not-found', 'note-not-yours', 'thread-settled'], response: { description: '`{ note }` (als gelöscht markiert).' } },
      async (context, { actor, params }) => context.json({ note: await changeOwnNote(context.var.deps.services, actor, params.slug, params.number, params.noteId, null) }),
    ),
  )
  .put(
    '/:number/threads/:kind/:key',
    endpoint(
      { tag, summary: 'Markiert eine Diskussion als erledigt oder öffnet sie wieder', access: 'signed-in', params: threadParams, body: settleSchema, errors: [...noteErrors, 'thread-empty'], response: { description: '`{ thread }`' } },
      async (context, { actor, params, body }) =>
        context.json({ thread: await settleThread(context.var.deps.services, actor, params.slug, params.number, params.kind, params.key, body.settled) }),
    ),
  );
