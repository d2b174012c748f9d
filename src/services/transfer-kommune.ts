import { randomUUID } from 'node:crypto';
import { can, type Actor } from '../domain/access.ts';
import { bundleFormat, bundleFormatVersion, bundleSchema, checkBundle, type Bundle, type ImportResult } from '../domain/bundle.ts';
import { formatJsonPath, type Catalog } from '../domain/catalog.ts';
import { DomainError } from '../domain/errors.ts';
import { normaliseModules } from '../domain/kommune.ts';
import type { OfferStatus } from '../domain/offer.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import {
  findUsersByEmails,
  hasKommuneContent,
  insertDocuments,
  insertRoundContent,
  insertUsersWithoutPassword,
  readKommuneContent,
} from '../db/repositories/bundle-repository.ts';
import { findKommuneBySlug, insertKommune, type KommuneRow } from '../db/repositories/kommune-repository.ts';
import { insertMembershipIfAbsent } from '../db/repositories/member-repository.ts';
import { insertOffer, listOffers } from '../db/repositories/offer-repository.ts';
import { insertRound } from '../db/repositories/round-repository.ts';
import type { ServiceContext } from './context.ts';
import { getCatalog, getCurrentCatalog } from './manage-catalogs.ts';
import { freeSlug } from './manage-kommunen.ts';
import { storeRoundResult } from './store-round-results.ts';
import { parseStoredDocument, type DocumentKindName } from './manage-documents.ts';
import { requireGlobal, requireKommune } from './require-kommune.ts';

/** The process documents a bundle carries; the Modul-3 statuses travel as `offers`. */
const bundledKinds = ['profile', 'kickoff', 'workshops', 'dialogues', 'outlook', 'report'] as const;

const byKey = (a: string, b: string) => a.localeCompare(b, 'de', { numeric: true });
const iso = (value: Date | null) => (value ? value.toISOString() : null);

/** Everything of one Kommune as a bundle (docs/kommune-bundle.schema.json). */
export async function exportKommune(context: ServiceContext, actor: Actor, slug: string): Promise<Bundle> {
  const kommune = await requireKommune(context.db, actor, slug, 'kommune.export');
  const [content, offers] = await Promise.all([readKommuneContent(context.db, kommune.id), listOffers(context.db)]);
  const emailOf = new Map(content.users.map((row) => [row.id, row.email.toLowerCase()]));
  const email = (userId: string | null) => (userId ? (emailOf.get(userId) ?? null) : null);
  const storedDocument = <K extends DocumentKindName>(kind: K) => parseStoredDocument(kind, content.documents.find((row) => row.kind === kind)?.content);

  const people = content.users
    .map((row) => {
      const member = content.members.find((entry) => entry.userId === row.id);
      return {
        email: row.email.toLowerCase(),
        name: row.name,
        role: (member?.role ?? null) as Bundle['people'][number]['role'],
        fieldKeys: member?.fieldKeys ?? null,
      };
    })
    .sort((a, b) => byKey(a.email, b.email));

  const statuses = storedDocument('offers').statuses;
  const bundledOffers = statuses.flatMap((entry) => {
    const offer = offers.find((row) => row.id === entry.offerId);
    // An offer the Programmteam has deleted since has no title to carry over.
    if (!offer) return [];
    return [{ title: offer.title, format: offer.format, topics: offer.topics, date: offer.date, description: offer.description, status: entry.status }];
  });

  const bundle: Bundle = {
    format: bundleFormat,
    formatVersion: bundleFormatVersion,
    exportedAt: context.now().toISOString(),
    kommune: {
      slug: kommune.slug,
      name: kommune.name,
      kind: kommune.kind as Bundle['kommune']['kind'],
      gemeindeschluessel: kommune.gemeindeschluessel,
      bundesland: kommune.bundesland as Bundle['kommune']['bundesland'],
      modules: normaliseModules(kommune.modules as Bundle['kommune']['modules']),
      archived: kommune.archivedAt !== null,
    },
    people,
    documents: {
      profile: storedDocument('profile'),
      kickoff: storedDocument('kickoff'),
      workshops: storedDocument('workshops'),
      dialogues: storedDocument('dialogues'),
      outlook: storedDocument('outlook'),
      report: storedDocument('report'),
    },
    offers: bundledOffers,
    rounds: content.rounds.map((row) => {
      const [catalogId = '', version = ''] = row.catalogVersionId.split('@');
      return {
        number: row.number,
        catalog: { id: catalogId, version },
        status: row.status as 'open' | 'closed',
        workedFieldKeys: row.workedFieldKeys,
        periodStart: row.periodStart,
        periodEnd: row.periodEnd,
        participants: row.participants,
        createdAt: row.createdAt.toISOString(),
        createdBy: email(row.createdBy),
        closedAt: iso(row.closedAt),
        answers: content.answers
          .filter((entry) => entry.roundId === row.id)
          .map((entry) => ({
            person: email(entry.userId)!,
            question: entry.questionKey,
            value: entry.value as Bundle['rounds'][number]['answers'][number]['value'],
            comment: entry.comment,
            evidence: entry.evidence,
            updatedAt: entry.updatedAt.toISOString(),
          }))
          .sort((a, b) => byKey(a.question, b.question) || byKey(a.person, b.person)),
        ratings: content.ratings
          .filter((entry) => entry.roundId === row.id)
          .map((entry) => ({
            criterion: entry.criterionKey,
            rating: entry.rating as Bundle['rounds'][number]['ratings'][number]['rating'],
            reason: entry.reason,
            updatedBy: email(entry.updatedBy),
            updatedAt: entry.updatedAt.toISOString(),
          }))
          .sort((a, b) => byKey(a.criterion, b.criterion)),
        changes: content.changes
          .filter((entry) => entry.roundId === row.id)
          .map((entry) => ({
            at: entry.at.toISOString(),
            by: email(entry.changedBy),
            kind: entry.kind as 'answer' | 'rating' | 'round',
            subject: entry.subject,
            before: (entry.before ?? null) as Bundle['rounds'][number]['changes'][number]['before'],
            after: (entry.after ?? null) as Bundle['rounds'][number]['changes'][number]['after'],
          })),
      };
    }),
  };
  await recordAudit(context.db, { actorUserId: actor.userId, action: 'kommune.exported', kommuneId: kommune.id, details: { rounds: bundle.rounds.length } });
  return bundle;
}

/** Validates a bundle read from a file or request: its shape, then its references. */
async function readBundle(context: ServiceContext, raw: unknown): Promise<Bundle> {
  const head = (typeof raw === 'object' && raw !== null ? raw : {}) as { format?: unknown; formatVersion?: unknown };
  if (head.format !== bundleFormat) {
    throw new DomainError('bundle-invalid', { field: '$.format', message: `Die Datei ist kein Weltoffen-Paket einer Kommune: $.format fehlt oder ist nicht „${bundleFormat}“. Es wurde nichts übernommen.` });
  }
  if (typeof head.formatVersion === 'number' && head.formatVersion > bundleFormatVersion) {
    throw new DomainError('bundle-invalid', {
      field: '$.formatVersion',
      message: `Das Paket hat in $.formatVersion die Version ${head.formatVersion}; diese Installation liest Version ${bundleFormatVersion}. Bitte aktualisieren Sie Weltoffen. Es wurde nichts übernommen.`,
    });
  }
  const parsed = bundleSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(issue.path, issue.message);
  }
  const bundle = parsed.data;
  const catalogs = new Map<string, Catalog | undefined>();
  for (const round of bundle.rounds) {
    const id = `${round.catalog.id}@${round.catalog.version}`;
    if (!catalogs.has(id)) catalogs.set(id, await getCatalog(context.db, id));
  }
  const currentFieldKeys = (await getCurrentCatalog(context.db))?.catalog.fields.map((field) => field.key) ?? [];
  const problem = checkBundle(bundle, (id, version) => catalogs.get(`${id}@${version}`), currentFieldKeys);
  if (problem) throw invalid(problem.path, problem.message);
  return bundle;
}

function invalid(path: readonly PropertyKey[], message: string): DomainError {
  const at = formatJsonPath(path);
  return new DomainError('bundle-invalid', { field: at, message: `Das Paket ist ungültig an der Stelle ${at}: ${message.replace(/\.$/, '')}. Es wurde nichts übernommen.` });
}

export interface ImportTarget {
  /** Fill this existing, empty Kommune instead of creating a new one. */
  into?: string;
  /** The slug of the new Kommune; by default the bundle's, or a free one derived from the name. */
  slug?: string;
}


async function chooseSlug(context: ServiceContext, bundle: Bundle, wanted: string | undefined): Promise<string> {
  if (wanted !== undefined) {
    if (await findKommuneBySlug(context.db, wanted)) throw new DomainError('slug-taken', { field: 'slug', message: `Die Kennung „${wanted}“ ist schon vergeben. Bitte wählen Sie eine andere.` });
    return wanted;
  }
  if (!(await findKommuneBySlug(context.db, bundle.kommune.slug))) return bundle.kommune.slug;
  return freeSlug(context, bundle.kommune.name);
}

/**
 * Recreates a Kommune from a bundle, in one transaction: a new Kommune (Programmteam), or an existing
 * one that has no rounds and no documents yet (its Koordination or the Programmteam). New ids
 * everywhere; people are matched by e-mail or created without a password; memberships a person already
 * has are kept as they are.
 */
export async function importKommune(context: ServiceContext, actor: Actor, raw: unknown, target: ImportTarget = {}): Promise<ImportResult> {
  let existing: KommuneRow | undefined;
  if (target.into !== undefined) {
    existing = await requireKommune(context.db, actor, target.into, 'kommune.import');
  } else {
    requireGlobal(actor, 'kommune.create');
  }
  const bundle = await readBundle(context, raw);
  const offers = await listOffers(context.db);
  const mayCreateOffers = can(actor, 'programme.manage');

  return context.db.transaction(async (db) => {
    const scoped = { ...context, db };
    // Checked inside the transaction, so that nothing entered meanwhile is mixed with the bundle.
    if (existing && (await hasKommuneContent(db, existing.id))) throw new DomainError('kommune-not-empty');
    const kommune =
      existing ??
      (await insertKommune(db, {
        id: randomUUID(),
        slug: await chooseSlug(scoped, bundle, target.slug),
        name: bundle.kommune.name,
        kind: bundle.kommune.kind,
        gemeindeschluessel: bundle.kommune.gemeindeschluessel,
        bundesland: bundle.kommune.bundesland,
        modules: normaliseModules(bundle.kommune.modules),
        archivedAt: bundle.kommune.archived ? context.now() : null,
      }));

    const found = await findUsersByEmails(db, bundle.people.map((person) => person.email));
    const userIds = new Map(found.map((row) => [row.email.toLowerCase(), row.id]));
    const created = bundle.people.filter((person) => !userIds.has(person.email)).map((person) => ({ id: randomUUID(), email: person.email, name: person.name }));
    await insertUsersWithoutPassword(db, created);
    for (const person of created) userIds.set(person.email, person.id);
    const userId = (email: string | null) => (email === null ? null : userIds.get(email)!);
    for (const person of bundle.people) {
      if (person.role) await insertMembershipIfAbsent(db, { kommuneId: kommune.id, userId: userId(person.email)!, role: person.role, fieldKeys: person.fieldKeys });
    }

    const documents: { kind: string; content: unknown }[] = bundledKinds
      .map((kind) => ({ kind, content: bundle.documents[kind] as unknown }))
      .filter((document) => JSON.stringify(document.content) !== JSON.stringify(parseStoredDocument(document.kind as (typeof bundledKinds)[number], undefined)));
    const statuses: { offerId: string; status: OfferStatus }[] = [];
    const offersSkipped: string[] = [];
    for (const entry of bundle.offers) {
      const { status, ...values } = entry;
      let offer = offers.find((row) => row.title === values.title && row.date === values.date);
      if (!offer && mayCreateOffers) offers.push((offer = await insertOffer(db, randomUUID(), values)));
      if (offer) statuses.push({ offerId: offer.id, status });
      else offersSkipped.push(values.title);
    }
    if (statuses.length) documents.push({ kind: 'offers', content: { statuses } });
    await insertDocuments(db, documents.map((document) => ({ kommuneId: kommune.id, kind: document.kind, content: document.content, updatedBy: null })));

    for (const round of bundle.rounds) {
      const roundId = randomUUID();
      const inserted = await insertRound(db, {
        id: roundId,
        kommuneId: kommune.id,
        number: round.number,
        catalogVersionId: `${round.catalog.id}@${round.catalog.version}`,
        status: round.status,
        workedFieldKeys: round.workedFieldKeys,
        periodStart: round.periodStart,
        periodEnd: round.periodEnd,
        participants: round.participants,
        createdAt: new Date(round.createdAt),
        createdBy: userId(round.createdBy),
        closedAt: round.closedAt ? new Date(round.closedAt) : null,
      });
      await insertRoundContent(db, {
        answers: round.answers.map((entry) => ({
          roundId,
          questionKey: entry.question,
          userId: userId(entry.person)!,
          value: entry.value,
          comment: entry.comment,
          evidence: entry.evidence,
          updatedAt: new Date(entry.updatedAt),
        })),
        ratings: round.ratings.map((entry) => ({
          roundId,
          criterionKey: entry.criterion,
          rating: entry.rating,
          reason: entry.reason,
          updatedBy: userId(entry.updatedBy),
          updatedAt: new Date(entry.updatedAt),
        })),
        changes: round.changes.map((entry) => ({
          roundId,
          at: new Date(entry.at),
          changedBy: userId(entry.by),
          kind: entry.kind,
          subject: entry.subject,
          before: entry.before,
          after: entry.after,
        })),
      });
      const catalog = await getCatalog(db, inserted.catalogVersionId);
      if (catalog) await storeRoundResult(db, inserted, catalog);
    }
    const answers = bundle.rounds.reduce((sum, round) => sum + round.answers.length, 0);
    await recordAudit(db, {
      actorUserId: actor.userId,
      action: 'kommune.imported',
      kommuneId: kommune.id,
      details: { from: bundle.kommune.slug, exportedAt: bundle.exportedAt, rounds: bundle.rounds.length, answers, peopleCreated: created.length },
    });
    return {
      slug: kommune.slug,
      name: kommune.name,
      peopleMatched: bundle.people.length - created.length,
      peopleCreated: created.length,
      rounds: bundle.rounds.length,
      answers,
      offersSkipped,
    };
  });
}
