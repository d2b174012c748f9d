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
import { checkDialoguesModule, checkOffersModule, checkWorkshopRounds, type RuleProblem } from '../domain/kommune-rules.ts';
import type { Database } from '../db/client.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import { findDocument, writeDocumentIfVersion } from '../db/repositories/document-repository.ts';
import { lockKommune } from '../db/repositories/import-job-repository.ts';
import type { KommuneRow } from '../db/repositories/kommune-repository.ts';
import { listOffers } from '../db/repositories/offer-repository.ts';
import { listRounds } from '../db/repositories/round-repository.ts';
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
    kommune: { slug: kommune.slug, name: kommune.name, kind: kommune.kind, designation: kommune.designation },
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
    const fits = await checkAgainstKommune(db, kommune, kind, content);
    if (fits) throw new DomainError('invalid-input', fits);
    const saved = await writeDocumentIfVersion(db, { kommuneId: kommune.id, kind }, content, actor.userId, input.expectedVersion);
    if (!saved) {
      const current = await findDocument(db, kommune.id, kind);
      throw new DomainError('stale-version', { current: current ? { content: current.content, version: current.version } : null });
    }
    await recordAudit(db, { actorUserId: actor.userId, action: `document.${kind}.updated`, kommuneId: kommune.id, details: { version: saved.version } });
    return { version: saved.version };
  });
}

/**
 * The rules between a document and the rest of the Kommune (kommune-rules.ts, which the import
 * applies too): a workshop names one of its rounds; dialogue events need Modul 2, sign-ups to offers
 * Modul 3. For those two the Kommune's row is locked first, so a change of its modules at the same
 * moment (updateKommuneData) either comes before this check or waits for this save and sees it.
 */
async function checkAgainstKommune(db: Database, kommune: KommuneRow, kind: DocumentKindName, content: unknown): Promise<RuleProblem | null> {
  if (kind === 'workshops') {
    const rounds = await listRounds(db, kommune.id);
    return checkWorkshopRounds((content as z.infer<typeof workshopsSchema>).workshops, rounds.map((round) => round.number));
  }
  if (kind !== 'dialogues' && kind !== 'offers') return null;
  const locked = await lockKommune(db, kommune.id);
  if (!locked) throw new DomainError('kommune-not-found');
  return kind === 'dialogues'
    ? checkDialoguesModule((content as z.infer<typeof dialoguesSchema>).events, locked.modules)
    : checkOffersModule((content as z.infer<typeof offerStatusesSchema>).statuses, locked.modules);
}

/**
 * What a Kommune holds that belongs to Modul 2 or 3: the titles of its dialogue events and of the
 * offers it has signed up for or attended (status other than „offen“), for checkModulesKeepContent.
 */
export async function moduleContentOf(db: Database, kommuneId: string): Promise<{ dialogueTitles: string[]; signedUpOfferTitles: string[] }> {
  const dialogues = parseStoredDocument('dialogues', (await findDocument(db, kommuneId, 'dialogues'))?.content);
  const signedUp = parseStoredDocument('offers', (await findDocument(db, kommuneId, 'offers'))?.content).statuses.filter((entry) => entry.status !== 'offen');
  const titles = new Map(signedUp.length ? (await listOffers(db)).map((offer) => [offer.id, offer.title] as const) : []);
  return {
    dialogueTitles: dialogues.events.map((event) => event.title),
    // An offer the Programmteam has deleted since has no title and is not carried over anywhere.
    signedUpOfferTitles: signedUp.flatMap((entry) => titles.get(entry.offerId) ?? []),
  };
}
