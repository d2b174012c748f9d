import { Hono } from 'hono';
import { z } from 'zod';
import { documentKindNames, documentKinds, getDocument, saveDocument } from '../../../services/manage-documents.ts';
import type { AppEnv } from '../../app-env.ts';
import { bodyByParam, endpoint } from '../../endpoint.ts';
import { kommuneErrors, slugSchema } from '../common-schemas.ts';

const params = slugSchema.extend({ kind: z.enum(documentKindNames, 'unbekannte Art von Dokument') });
const version = z.number('eine Versionsnummer').int().min(0).max(2_147_483_647);
/** Each kind of document has its own content schema; the path names the kind. */
const saveSchemas = Object.fromEntries(documentKindNames.map((kind) => [kind, z.object({ content: documentKinds[kind].schema, expectedVersion: version })])) as {
  [K in (typeof documentKindNames)[number]]: z.ZodObject<{ content: (typeof documentKinds)[K]['schema']; expectedVersion: typeof version }>;
};
const tag = 'Dokumente';

/** Process documents of a Kommune: /api/kommunen/:slug/documents/:kind (profile, kickoff, …) */
export const documentRoutes = new Hono<AppEnv>()
  .get(
    '/:kind',
    endpoint(
      { tag, summary: 'Liefert ein Prozessdokument der Kommune', access: 'signed-in', params, errors: kommuneErrors, response: { description: 'Inhalt und Version des Dokuments.' } },
      async (context, { actor, params: { slug, kind } }) => context.json(await getDocument(context.var.deps.services, actor, slug, kind)),
    ),
  )
  .put(
    '/:kind',
    endpoint(
      {
        tag,
        summary: 'Speichert ein Prozessdokument der Kommune',
        access: 'signed-in',
        params,
        body: bodyByParam('kind', saveSchemas),
        errors: [...kommuneErrors, 'stale-version'],
        response: { description: 'Das gespeicherte Dokument mit neuer Version.' },
      },
      async (context, { actor, params: { slug, kind }, body }) => context.json(await saveDocument(context.var.deps.services, actor, slug, kind, body)),
    ),
  );
