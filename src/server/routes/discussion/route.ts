import { Hono } from 'hono';
import { changeOwnNote, listDiscussion, postNote, settleThread } from '../../../services/discuss-round.ts';
import type { AppEnv } from '../../app-env.ts';
import { endpoint } from '../../endpoint.ts';
import { roundErrors } from '../common-schemas.ts';
import { editSchema, listQuery, noteParams, noteSchema, settleSchema, threadParams } from '../../../domain/api/discussion.ts';
import { roundParams } from '../../../domain/api/rounds.ts';

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
