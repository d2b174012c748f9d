import { Hono, type Context } from 'hono';

import { inviteIntoKommune } from '../../../services/manage-invitations.ts';
import { createKommune, setKommuneArchived, updateKommuneData } from '../../../services/manage-kommunen.ts';
import { changeMemberRole, removeMember } from '../../../services/manage-members.ts';
import { DomainError } from '../../../domain/errors.ts';
import { getOwnImportStatus } from '../../../services/manage-import-jobs.ts';
import { readBundleUpload, type UploadedBundle } from '../../../services/read-bundle-upload.ts';
import { authoriseImport, exportKommune, importKommune } from '../../../services/transfer-kommune.ts';
import { getKommuneOverview, listVisibleKommunen } from '../../../services/view-kommunen.ts';
import { compareRounds, getPeerComparison } from '../../../services/view-programme.ts';
import type { AppEnv } from '../../app-env.ts';
import { maxBundleBytes } from '../../app.ts';
import { errorBody } from '../../errors.ts';
import { InputError, readBody, readParams, requireActor } from '../../http.ts';
import { slugSchema, uuidSchema } from '../common-schemas.ts';
import { archiveSchema, bundleQuerySchema, changeMemberSchema, comparisonQuery, inviteMemberSchema, kommuneSchema, listQuerySchema, rawBundleSchema } from './schemas.ts';

const memberParams = slugSchema.extend({ userId: uuidSchema });

/**
 * Bundle uploads being read or imported in this process, by person. One at a time each bounds what
 * one person can make this process hold (a 50 MB body and its parsed form); a second gets 429.
 */
const uploadsRunning = new Set<string>();

/**
 * Reads a bundle body, at most maxBundleBytes of it (a body without Content-Length is only counted
 * here), and has it parsed and its shape checked off this thread (readBundleUpload); 413 beyond the
 * cap, 400 for anything but a JSON object.
 */
async function readBundleBody(context: Context<AppEnv>): Promise<UploadedBundle | Response> {
  if (!(context.req.header('content-type') ?? '').toLowerCase().startsWith('application/json')) {
    throw new InputError(undefined, 'Die Anfrage muss JSON enthalten (Content-Type: application/json).');
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = context.req.raw.body?.getReader();
  for (;;) {
    const next = reader ? await reader.read() : { done: true as const, value: undefined };
    if (next.done) break;
    size += next.value.byteLength;
    if (size > maxBundleBytes) {
      await reader!.cancel();
      return context.json(errorBody('too-large', 'Das Paket ist zu groß (höchstens 50 MB).'), 413);
    }
    chunks.push(next.value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  chunks.length = 0;
  const outcome = await readBundleUpload(bytes);
  if (outcome.kind === 'not-json') throw new InputError(undefined, 'Der Inhalt der Anfrage ist kein gültiges JSON.');
  // The same answer as for any other body that is no JSON object.
  if (outcome.kind === 'not-object') readParams(null, rawBundleSchema);
  if (outcome.kind !== 'read') throw new InputError(undefined, 'Das Paket muss ein JSON-Objekt sein.');
  return outcome.bundle;
}

async function oneUploadAtATime(userId: string, work: () => Promise<Response>): Promise<Response> {
  if (uploadsRunning.has(userId)) throw new DomainError('import-busy', { retryAfterSeconds: 30 });
  uploadsRunning.add(userId);
  try {
    return await work();
  } finally {
    uploadsRunning.delete(userId);
  }
}

export const kommunenRoutes = new Hono<AppEnv>()
  .get('/', async (context) => {
    const actor = await requireActor(context);
    const query = readParams(context.req.query(), listQuerySchema);
    const kommunen = await listVisibleKommunen(context.var.deps.services, actor, {
      includeArchived: query.archiviert === '1',
    });
    return context.json({ kommunen });
  })
  .post('/', async (context) => {
    const actor = await requireActor(context);
    const input = await readBody(context, kommuneSchema);
    const created = await createKommune(context.var.deps.services, actor, input);
    return context.json({ kommune: { slug: created.slug, id: created.id } }, 201);
  })
  // A bundle becomes a new Kommune (Programmteam); its content is checked by the service.
  .post('/import', async (context) => {
    const actor = await requireActor(context);
    const { slug } = readParams(context.req.query(), bundleQuerySchema);
    // Rights first: the body (up to 50 MB) of someone who may not import is never read.
    // The body may stay unread (refused below), so this connection cannot carry another request.
    context.header('Connection', 'close');
    await authoriseImport(context.var.deps.services, actor, { slug });
    return oneUploadAtATime(actor.userId, async () => {
      const bundle = await readBundleBody(context);
      if (bundle instanceof Response) return bundle;
      const result = await importKommune(context.var.deps.services, actor, bundle, { slug });
      return context.json({ result }, 201);
    });
  })
  // The progress of the person's own newest import, which the upload form polls.
  .get('/import/status', async (context) => {
    const actor = await requireActor(context);
    return context.json({ import: await getOwnImportStatus(context.var.deps.services, actor) });
  })
  .get('/:slug', async (context) => {
    const actor = await requireActor(context);
    const { slug } = readParams(context.req.param(), slugSchema);
    return context.json(await getKommuneOverview(context.var.deps.services, actor, slug));
  })
  .put('/:slug', async (context) => {
    const actor = await requireActor(context);
    const { slug } = readParams(context.req.param(), slugSchema);
    const input = await readBody(context, kommuneSchema);
    const updated = await updateKommuneData(context.var.deps.services, actor, slug, input);
    return context.json({ kommune: { slug: updated.slug, id: updated.id } });
  })
  .put('/:slug/archive', async (context) => {
    const actor = await requireActor(context);
    const { slug } = readParams(context.req.param(), slugSchema);
    const { isArchived } = await readBody(context, archiveSchema);
    await setKommuneArchived(context.var.deps.services, actor, slug, isArchived);
    return context.json({ ok: true });
  })
  .post('/:slug/invitations', async (context) => {
    const actor = await requireActor(context);
    const { slug } = readParams(context.req.param(), slugSchema);
    const input = await readBody(context, inviteMemberSchema);
    const invitation = await inviteIntoKommune(context.var.deps.services, actor, slug, input);
    return context.json({ invitation }, 201);
  })
  .put('/:slug/members/:userId', async (context) => {
    const actor = await requireActor(context);
    const { slug, userId } = readParams(context.req.param(), memberParams);
    const input = await readBody(context, changeMemberSchema);
    await changeMemberRole(context.var.deps.services, actor, slug, userId, input);
    return context.json({ ok: true });
  })
  .get('/:slug/peers', async (context) => {
    const actor = await requireActor(context);
    const { slug } = readParams(context.req.param(), slugSchema);
    return context.json(await getPeerComparison(context.var.deps.services, actor, slug));
  })
  .get('/:slug/comparison', async (context) => {
    const actor = await requireActor(context);
    const { slug } = readParams(context.req.param(), slugSchema);
    const { from, to } = readParams(context.req.query(), comparisonQuery);
    return context.json(await compareRounds(context.var.deps.services, actor, slug, from, to));
  })
  .get('/:slug/bundle', async (context) => {
    const actor = await requireActor(context);
    const { slug } = readParams(context.req.param(), slugSchema);
    const bundle = await exportKommune(context.var.deps.services, actor, slug);
    const day = bundle.exportedAt.slice(0, 10);
    context.header('Content-Disposition', `attachment; filename="weltoffen-${slug}-${day}.json"`);
    return context.json(bundle);
  })
  // A bundle fills this Kommune once, while it is still empty (Programmteam).
  .post('/:slug/bundle', async (context) => {
    const actor = await requireActor(context);
    const { slug } = readParams(context.req.param(), slugSchema);
    // The body may stay unread (refused below), so this connection cannot carry another request.
    context.header('Connection', 'close');
    await authoriseImport(context.var.deps.services, actor, { into: slug });
    return oneUploadAtATime(actor.userId, async () => {
      const bundle = await readBundleBody(context);
      if (bundle instanceof Response) return bundle;
      const result = await importKommune(context.var.deps.services, actor, bundle, { into: slug });
      return context.json({ result }, 201);
    });
  })
  .delete('/:slug/members/:userId', async (context) => {
    const actor = await requireActor(context);
    const { slug, userId } = readParams(context.req.param(), memberParams);
    await removeMember(context.var.deps.services, actor, slug, userId);
    return context.json({ ok: true });
  });

export type KommunenRoutes = typeof kommunenRoutes;
