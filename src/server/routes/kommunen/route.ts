import { Hono, type Context } from 'hono';

import { inviteIntoKommune } from '../../../services/manage-invitations.ts';
import { createKommune, setKommuneArchived, updateKommuneData } from '../../../services/manage-kommunen.ts';
import { changeMemberRole, removeMember } from '../../../services/manage-members.ts';
import { DomainError } from '../../../domain/errors.ts';
import { getOwnImportStatus } from '../../../services/manage-import-jobs.ts';
import { makeBundleTempFolder } from '../../../services/bundle-archive.ts';
import { readBundleFile, type ReadBundleFile, type UploadedBundle } from '../../../services/read-bundle-upload.ts';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Actor } from '../../../domain/access.ts';
import { authoriseImport, exportKommuneArchive, importKommune, type ImportTarget } from '../../../services/transfer-kommune.ts';
import { getKommuneOverview, listVisibleKommunen } from '../../../services/view-kommunen.ts';
import { compareRounds, getPeerComparison } from '../../../services/view-programme.ts';
import type { AppEnv } from '../../app-env.ts';
import { isZipUpload, maxBundleBytes, maxBundleUploadBytes, megabytesOfCap } from '../../app.ts';
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
 * Reads a bundle body, at most its cap (a body without Content-Length is only counted here): JSON
 * (format version 1, or 2 without Belege) in memory, up to 50 MB, parsed and shape-checked off this
 * thread (readBundleUpload); a ZIP container (version 2 with Belege) into a temporary file that is
 * removed as soon as its directory is open, so only the directory and bundle.json are held, and each
 * Beleg is read from it during the import. 413 beyond the cap, 400 for anything but a bundle.
 */
async function readBundleBody(context: Context<AppEnv>): Promise<ReadBundleFile | Response> {
  const contentType = context.req.header('content-type') ?? '';
  const isZip = isZipUpload(contentType);
  if (!isZip && !contentType.toLowerCase().startsWith('application/json')) {
    throw new InputError(undefined, 'Die Anfrage muss ein Paket enthalten: die ZIP-Datei des Exports (Content-Type: application/zip) oder JSON (Content-Type: application/json).');
  }
  const cap = maxBundleUploadBytes(contentType, context.var.deps.services.evidenceLimits);
  const reader = context.req.raw.body?.getReader();
  const chunks = async function* () {
    let size = 0;
    for (;;) {
      const next = reader ? await reader.read() : { done: true as const, value: undefined };
      if (next.done) return;
      size += next.value.byteLength;
      if (size > cap) {
        await reader!.cancel();
        throw tooLarge;
      }
      yield next.value;
    }
  };
  const tooLarge = new Error('too large');
  const refuseTooLarge = () => context.json(errorBody('too-large', `Das Paket ist zu groß (höchstens ${megabytesOfCap(cap)}).`), 413);
  if (isZip) {
    const folder = await makeBundleTempFolder();
    try {
      const file = path.join(folder, 'paket.zip');
      try {
        await pipeline(Readable.from(chunks()), createWriteStream(file, { mode: 0o600 }));
      } catch (error) {
        if (error === tooLarge) return refuseTooLarge();
        // A full disk for temporary files is the server's trouble, said in German, not a bare 500.
        if ((error as NodeJS.ErrnoException).code === 'ENOSPC') return context.json(errorBody('no-space', 'Auf dem Server ist gerade nicht genug Speicherplatz für das Paket frei. Bitte wenden Sie sich an den Betrieb. Es wurde nichts übernommen.'), 507);
        throw error;
      }
      return await readBundleFile({ path: file }, { maxJsonBytes: maxBundleBytes });
    } finally {
      // The archive stays open by its file descriptor; its name is gone at once.
      await rm(folder, { recursive: true, force: true });
    }
  }
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const part of chunks()) {
      parts.push(part);
      size += part.byteLength;
    }
  } catch (error) {
    if (error === tooLarge) return refuseTooLarge();
    throw error;
  }
  // A buffer of its own and of exactly this size: the parsing worker takes it over without another copy.
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  parts.length = 0;
  return readBundleFile({ bytes }, { maxJsonBytes: maxBundleBytes });
}

/** The outcome of a read bundle as the import takes it; a body that is no bundle at all is a 400 here. */
function uploadedBundleOf(read: ReadBundleFile): UploadedBundle {
  const { outcome } = read;
  if (outcome.kind === 'not-json') throw new InputError(undefined, 'Der Inhalt der Anfrage ist kein gültiges JSON.');
  // The same answer as for any other body that is no JSON object.
  if (outcome.kind === 'not-object') readParams(null, rawBundleSchema);
  if (outcome.kind !== 'read') throw new InputError(undefined, 'Das Paket muss ein JSON-Objekt sein.');
  return outcome.bundle;
}

/** Reads the body and imports it; the archive is closed whatever happens. */
async function importBody(context: Context<AppEnv>, actor: Actor, target: ImportTarget): Promise<Response> {
  const read = await readBundleBody(context);
  if (read instanceof Response) return read;
  try {
    const result = await importKommune(context.var.deps.services, actor, uploadedBundleOf(read), target, { files: read.files });
    return context.json({ result }, 201);
  } finally {
    read.close();
  }
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
        summary: 'Spielt ein Paket einer Kommune als neue Kommune ein (ZIP-Datei des Exports, oder JSON bis 50 MB)',
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
        return oneUploadAtATime(actor.userId, () => importBody(context, actor, { slug }));
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
    endpoint({ tag, summary: 'Exportiert die Kommune als Paket (ZIP-Datei mit bundle.json und den Belegen)', access: 'signed-in', params: slugSchema, errors: kommuneErrors, response: { description: 'Das Paket als Download (Formatversion 2).', contentTypes: ['application/zip'] } }, async (context, { actor, params: { slug } }) => {
      const archive = await exportKommuneArchive(context.var.deps.services, actor, slug);
      context.header('Content-Type', 'application/zip');
      context.header('Content-Disposition', `attachment; filename="${archive.fileName}"`);
      return context.body(Readable.toWeb(archive.stream) as ReadableStream<Uint8Array>);
    }),
  )
  // A bundle fills this Kommune once, while it is still empty (Programmteam).
  .post(
    '/:slug/bundle',
    endpoint(
      {
        tag,
        summary: 'Spielt ein Paket in diese noch leere Kommune ein (ZIP-Datei des Exports, oder JSON bis 50 MB)',
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
        return oneUploadAtATime(actor.userId, () => importBody(context, actor, { into: slug }));
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
