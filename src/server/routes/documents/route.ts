import { Hono } from 'hono';
import { z } from 'zod';
import { documentKindNames, documentKinds, getDocument, saveDocument } from '../../../services/manage-documents.ts';
import type { AppEnv } from '../../app-env.ts';
import { readBody, readParams, requireActor } from '../../http.ts';
import { slugSchema } from '../common-schemas.ts';

const params = slugSchema.extend({ kind: z.enum(documentKindNames, 'unbekannte Art von Dokument') });
const version = z.number('eine Versionsnummer').int().min(0).max(2_147_483_647);

/** Process documents of a Kommune: /api/kommunen/:slug/documents/:kind (profile, kickoff, …) */
export const documentRoutes = new Hono<AppEnv>()
  .get('/:kind', async (context) => {
    const actor = await requireActor(context);
    const { slug, kind } = readParams(context.req.param(), params);
    return context.json(await getDocument(context.var.deps.services, actor, slug, kind));
  })
  .put('/:kind', async (context) => {
    const actor = await requireActor(context);
    const { slug, kind } = readParams(context.req.param(), params);
    const input = await readBody(context, z.object({ content: documentKinds[kind].schema, expectedVersion: version }));
    return context.json(await saveDocument(context.var.deps.services, actor, slug, kind, input));
  });
