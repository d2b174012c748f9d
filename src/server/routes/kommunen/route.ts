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
import { endpoint } from '../../endpoint.ts';
import { InputError, readParams } from '../../http.ts';
import { kommuneErrors, slugSchema, uuidSchema } from '../common-schemas.ts';
import { archiveSchema, bundleQuerySchema, changeMemberSchema, comparisonQuery, inviteMemberSchema, kommuneSchema, listQuerySchema, rawBundleSchema } from '../../../domain/api/kommunen.ts';

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

const tag = 'Kommunen';
const bundleErrors = ['forbidden', 'bundle-invalid', 'import-busy', 'slug-taken', 'kommune-not-empty', 'kommune-already-imported', 'kommune-importing'] as const;

export const kommunenRoutes = new Hono<AppEnv>()
  .get(
    '/',
    endpoint({ tag, summary: 'Listet die Kommunen, die man sehen darf', access: 'signed-in', query: listQuerySchema, response: { description: '`{ kommunen }`' } }, async (context, { actor, query }) => {
      const kommunen = await listVisibleKommunen(context.var.deps.services, actor, { includeArchived: query.archiviert === '1' });
      return context.json({ kommunen });
    }),
  )
  .post(
    '/',
    endpoint(
      { tag, summary: 'Legt eine Kommune an', access: 'signed-in', body: kommuneSchema, errors: ['forbidden', 'slug-taken', 'gemeindeschluessel-taken'], response: { status: 201, description: '`{ kommune: { slug, id } }`' } },
      async (context, { actor, body }) => {
        const created = await createKommune(context.var.deps.services, actor, body);
        return context.json({ kommune: { slug: created.slug, id: created.id } }, 201);
      },
    ),
  )
  // A bundle becomes a new Kommune (Programmteam); its content is checked by the service.
  .post(
    '/import',
    endpoint(
      {
        tag,
        summary: 'Spielt ein Paket einer Kommune als neue Kommune ein (bis 50 MB)',
        access: 'signed-in',
        query: bundleQuerySchema,
        upload: rawBundleSchema,
        errors: bundleErrors,
        response: { status: 201, description: '`{ result }`: die neue Kommune und was übernommen wurde.' },
      },
      async (context, { actor, query: { slug } }) => {
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
      },
    ),
  )
  // The progress of the person's own newest import, which the upload form polls.
  .get(
    '/import/status',
    endpoint({ tag, summary: 'Liefert den Stand des eigenen neuesten Imports', access: 'signed-in', response: { description: '`{ import }` (null, wenn es keinen gibt).' } }, async (context, { actor }) =>
      context.json({ import: await getOwnImportStatus(context.var.deps.services, actor) }),
    ),
  )
  .get(
    '/:slug',
    endpoint({ tag, summary: 'Liefert die Übersicht einer Kommune', access: 'signed-in', params: slugSchema, errors: kommuneErrors, response: { description: 'Stammdaten, Mitglieder, Einladungen und Runden.' } }, async (context, { actor, params }) =>
      context.json(await getKommuneOverview(context.var.deps.services, actor, params.slug)),
    ),
  )
  .put(
    '/:slug',
    endpoint(
      { tag, summary: 'Ändert die Stammdaten einer Kommune', access: 'signed-in', params: slugSchema, body: kommuneSchema, errors: [...kommuneErrors, 'gemeindeschluessel-taken'], response: { description: '`{ kommune: { slug, id } }`' } },
      async (context, { actor, params, body }) => {
        const updated = await updateKommuneData(context.var.deps.services, actor, params.slug, body);
        return context.json({ kommune: { slug: updated.slug, id: updated.id } });
      },
    ),
  )
  .put(
    '/:slug/archive',
    endpoint(
      { tag, summary: 'Archiviert eine Kommune oder holt sie aus dem Archiv', access: 'signed-in', params: slugSchema, body: archiveSchema, errors: kommuneErrors, response: { description: 'Die Änderung ist gespeichert.' } },
      async (context, { actor, params, body }) => {
        await setKommuneArchived(context.var.deps.services, actor, params.slug, body.isArchived);
        return context.json({ ok: true });
      },
    ),
  )
  .post(
    '/:slug/invitations',
    endpoint(
      {
        tag,
        summary: 'Lädt eine Person in die Kommune ein',
        access: 'signed-in',
        params: slugSchema,
        body: inviteMemberSchema,
        errors: [...kommuneErrors, 'field-unknown', 'already-member', 'invitations-limited'],
        response: { status: 201, description: '`{ invitation }` mit dem Link.' },
      },
      async (context, { actor, params, body }) => context.json({ invitation: await inviteIntoKommune(context.var.deps.services, actor, params.slug, body) }, 201),
    ),
  )
  .put(
    '/:slug/members/:userId',
    endpoint(
      { tag, summary: 'Ändert Rolle und Handlungsfelder eines Mitglieds', access: 'signed-in', params: memberParams, body: changeMemberSchema, errors: [...kommuneErrors, 'membership-not-found', 'field-unknown'], response: { description: 'Die Änderung ist gespeichert.' } },
      async (context, { actor, params, body }) => {
        await changeMemberRole(context.var.deps.services, actor, params.slug, params.userId, body);
        return context.json({ ok: true });
      },
    ),
  )
  .get(
    '/:slug/peers',
    endpoint({ tag, summary: 'Vergleicht die Kommune mit ähnlichen Kommunen', access: 'signed-in', params: slugSchema, errors: [...kommuneErrors, 'catalog-missing'], response: { description: 'Der Vergleich (ohne Namen anderer Kommunen).' } }, async (context, { actor, params }) =>
      context.json(await getPeerComparison(context.var.deps.services, actor, params.slug)),
    ),
  )
  .get(
    '/:slug/comparison',
    endpoint(
      { tag, summary: 'Vergleicht zwei Runden der Kommune', access: 'signed-in', params: slugSchema, query: comparisonQuery, errors: [...kommuneErrors, 'round-not-found'], response: { description: 'Die Einschätzungen beider Runden nebeneinander.' } },
      async (context, { actor, params, query }) => context.json(await compareRounds(context.var.deps.services, actor, params.slug, query.from, query.to)),
    ),
  )
  .get(
    '/:slug/bundle',
    endpoint({ tag, summary: 'Exportiert die Kommune als Paket (JSON-Datei)', access: 'signed-in', params: slugSchema, errors: kommuneErrors, response: { description: 'Das Paket als Download.' } }, async (context, { actor, params: { slug } }) => {
      const bundle = await exportKommune(context.var.deps.services, actor, slug);
      const day = bundle.exportedAt.slice(0, 10);
      context.header('Content-Disposition', `attachment; filename="weltoffen-${slug}-${day}.json"`);
      return context.json(bundle);
    }),
  )
  // A bundle fills this Kommune once, while it is still empty (Programmteam).
  .post(
    '/:slug/bundle',
    endpoint(
      {
        tag,
        summary: 'Spielt ein Paket in diese noch leere Kommune ein (bis 50 MB)',
        access: 'signed-in',
        params: slugSchema,
        upload: rawBundleSchema,
        errors: [...bundleErrors, 'kommune-not-found'],
        response: { status: 201, description: '`{ result }`: was übernommen wurde.' },
      },
      async (context, { actor, params: { slug } }) => {
        // The body may stay unread (refused below), so this connection cannot carry another request.
        context.header('Connection', 'close');
        await authoriseImport(context.var.deps.services, actor, { into: slug });
        return oneUploadAtATime(actor.userId, async () => {
          const bundle = await readBundleBody(context);
          if (bundle instanceof Response) return bundle;
          const result = await importKommune(context.var.deps.services, actor, bundle, { into: slug });
          return context.json({ result }, 201);
        });
      },
    ),
  )
  .delete(
    '/:slug/members/:userId',
    endpoint(
      { tag, summary: 'Entfernt ein Mitglied aus der Kommune', access: 'signed-in', params: memberParams, errors: [...kommuneErrors, 'membership-not-found'], response: { description: 'Das Mitglied ist entfernt.' } },
      async (context, { actor, params }) => {
        await removeMember(context.var.deps.services, actor, params.slug, params.userId);
        return context.json({ ok: true });
      },
    ),
  );
