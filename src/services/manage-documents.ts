import type { z } from 'zod';
import { can, type Action, type Actor } from '../domain/access.ts';
import { DomainError } from '../domain/errors.ts';
import { checkDialogues, dialoguesSchema } from '../domain/dialogue.ts';
import { kickoffSchema } from '../domain/kickoff.ts';
import { checkOfferStatuses, offerStatusesSchema } from '../domain/offer.ts';
import { checkOutlook, outlookSchema } from '../domain/outlook.ts';
import { checkDistrictRange, profileSchema } from '../domain/profile.ts';
import { reportTextsSchema } from '../domain/report.ts';
import { checkWorkshops, workshopsSchema } from '../domain/workshop.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import { findDocument, writeDocumentIfVersion } from '../db/repositories/document-repository.ts';
import type { ServiceContext } from './context.ts';
import { getCurrentCatalog } from './manage-catalogs.ts';
import { requireKommune } from './require-kommune.ts';

interface DocumentKind<S extends z.ZodType> {
  schema: S;
  /** Who may change it; everyone who may read the Kommune may read it. */
  editAction: Action;
  /** A rule across fields, with the field it concerns; gets the Handlungsfelder of the current catalog. */
  check?: (content: z.infer<S>, fieldKeys: readonly string[]) => { field: string; message: string } | null;
}

/** The process documents of a Kommune and their rules. */
export const documentKinds = {
  profile: {
    schema: profileSchema,
    editAction: 'process.edit',
    check: (content) => {
      const message = checkDistrictRange(content);
      return message ? { field: 'content.districtRange', message } : null;
    },
  } satisfies DocumentKind<typeof profileSchema>,
  kickoff: { schema: kickoffSchema, editAction: 'process.edit' } satisfies DocumentKind<typeof kickoffSchema>,
  // The Prozessbegleitung documents workshops too.
  workshops: {
    schema: workshopsSchema,
    editAction: 'process.document',
    check: (content, fieldKeys) => checkWorkshops(content, fieldKeys),
  } satisfies DocumentKind<typeof workshopsSchema>,
  // Dialogue events of Modul 2, documented by the Prozessbegleitung as well.
  dialogues: {
    schema: dialoguesSchema,
    editAction: 'process.document',
    check: (content, fieldKeys) => checkDialogues(content, fieldKeys),
  } satisfies DocumentKind<typeof dialoguesSchema>,
  // Modul 3: which offers the Kommune has signed up for or taken part in.
  offers: {
    schema: offerStatusesSchema,
    editAction: 'process.edit',
    check: (content) => checkOfferStatuses(content),
  } satisfies DocumentKind<typeof offerStatusesSchema>,
  // Written passages of the Abschlussbericht (PRODUCT.md: the Prozessbegleitung edits the narrative too).
  report: { schema: reportTextsSchema, editAction: 'process.document' } satisfies DocumentKind<typeof reportTextsSchema>,
  // Ausblick, partnerships and the plan of goals and measures.
  outlook: {
    schema: outlookSchema,
    editAction: 'process.edit',
    check: (content, fieldKeys) => checkOutlook(content, fieldKeys),
  } satisfies DocumentKind<typeof outlookSchema>,
};

export type DocumentKindName = keyof typeof documentKinds;
export const documentKindNames = Object.keys(documentKinds) as [DocumentKindName, ...DocumentKindName[]];

/**
 * The content of a stored document as its kind's schema reads it: stored documents were valid when
 * written; parsing again fills defaults added since, and gives the empty document before any was saved.
 */
export function parseStoredDocument<K extends DocumentKindName>(kind: K, content: unknown): ReturnType<(typeof documentKinds)[K]['schema']['parse']> {
  return documentKinds[kind].schema.parse(content ?? {}) as ReturnType<(typeof documentKinds)[K]['schema']['parse']>;
}

/** A process document of a Kommune (empty defaults before anything was saved). */
export async function getDocument(context: ServiceContext, actor: Actor, slug: string, kind: DocumentKindName) {
  const kommune = await requireKommune(context.db, actor, slug, 'kommune.read');
  const definition = documentKinds[kind];
  const stored = await findDocument(context.db, kommune.id, kind);
  const content = parseStoredDocument(kind, stored?.content);
  return {
    kommune: { slug: kommune.slug, name: kommune.name, kind: kommune.kind },
    content,
    version: stored?.version ?? 0,
    updatedAt: stored?.updatedAt ?? null,
    updatedByName: stored?.updatedByName ?? null,
    canEdit: can(actor, definition.editAction, kommune.id),
  };
}

/**
 * Saves a whole document. The route has validated the content with the kind's schema (so that bad
 * input gets field-level messages); here the rules across fields and the version are checked.
 */
export async function saveDocument(
  context: ServiceContext,
  actor: Actor,
  slug: string,
  kind: DocumentKindName,
  input: { content: unknown; expectedVersion: number },
) {
  const definition = documentKinds[kind];
  const kommune = await requireKommune(context.db, actor, slug, definition.editAction);
  const content = definition.schema.parse(input.content);
  const fieldKeys = (await getCurrentCatalog(context.db))?.catalog.fields.map((field) => field.key) ?? [];
  const problem = 'check' in definition ? definition.check(content as never, fieldKeys) : null;
  if (problem) throw new DomainError('invalid-input', problem);
  return context.db.transaction(async (db) => {
    const saved = await writeDocumentIfVersion(db, { kommuneId: kommune.id, kind }, content, actor.userId, input.expectedVersion);
    if (!saved) {
      const current = await findDocument(db, kommune.id, kind);
      throw new DomainError('stale-version', { current: current ? { content: current.content, version: current.version } : null });
    }
    await recordAudit(db, { actorUserId: actor.userId, action: `document.${kind}.updated`, kommuneId: kommune.id, details: { version: saved.version } });
    return { version: saved.version };
  });
}
