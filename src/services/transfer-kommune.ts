import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { respondentKey } from '../domain/on-behalf.ts';
import { can, type Actor } from '../domain/access.ts';
import { bundleFormat, bundleFormatVersion, bundleSliceSize, checkBundle, validateBundle, type Bundle, type ImportResult } from '../domain/bundle.ts';
import { catalogForKind, formatJsonPath, type Catalog } from '../domain/catalog.ts';
import { DomainError } from '../domain/errors.ts';
import { normaliseModules } from '../domain/kommune.ts';
import { checkDialoguesModule, checkOffersModule } from '../domain/kommune-rules.ts';
import type { OfferStatus } from '../domain/offer.ts';
import type { PeriodPrecision } from '../domain/round.ts';
import type { NoteKind } from '../domain/discussion.ts';
import { withoutNoteText } from '../domain/round-change.ts';
import type { Database } from '../db/client.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import { addCreatedUsers, finishImportJob, insertImportJob, lockKommune, recordProgress, setKommuneImportJob } from '../db/repositories/import-job-repository.ts';
import {
  findUsersByEmails,
  hasKommuneContent,
  insertDocuments,
  insertMembershipsIfAbsent,
  insertRoundContent,
  insertUsersWithoutPassword,
  readKommuneContent,
} from '../db/repositories/bundle-repository.ts';
import { findKommuneBySlug, insertKommune, type KommuneRow } from '../db/repositories/kommune-repository.ts';
import { insertOffer, listOffers } from '../db/repositories/offer-repository.ts';
import { insertRound, type RoundRow } from '../db/repositories/round-repository.ts';
import { insertNotes, insertSettledThreads } from '../db/repositories/discussion-repository.ts';
import { appendEvidenceBytes, insertEvidenceDocument, insertEvidenceLinks, insertStagedVersion, findReadyVersionByHash, markImportedVersionReady, readEvidenceForBundle, setCurrentEvidenceVersion } from '../db/repositories/evidence-repository.ts';
import { evidenceTypes } from '../domain/evidence-file.ts';
import { writeBundleArchive, type BundleFiles } from './bundle-archive.ts';
import type { Readable } from 'node:stream';
import { alignedPieces, checkStoredEvidence, defaultEvidenceLimits, megabytes, storedEvidenceBytes } from './manage-evidence.ts';
import { findSurveyByToken, insertResponsesForBundle, insertSurveyWithExclusions, readSurveysForBundle } from '../db/repositories/resident-survey-repository.ts';
import { surveyLanguages } from '../domain/resident-survey.ts';
import { arrivalMinute, openAnswerReviews, surveyStatuses } from '../domain/resident-survey-results.ts';
import { oneOf } from '../domain/one-of.ts';
import { settingsOf } from './survey-basics.ts';
import { findStatementSet } from './manage-survey-texts.ts';
import type { ServiceContext } from './context.ts';
import { getCatalog, getCurrentCatalog } from './manage-catalogs.ts';
import { claimGemeindeschluessel, freeSlug } from './manage-kommunen.ts';
import { writeScoredRoundResult } from './store-round-results.ts';
import { scoreRound, type ScoredAnswer } from '../domain/scoring.ts';
import { parseStoredDocument, type DocumentKindName } from './manage-documents.ts';
import { requireGlobal, requireKommune } from './require-kommune.ts';
import { abandonImport, cleanUpDeadImports } from './manage-import-jobs.ts';
import { UploadedBundle, yieldToEventLoop } from './read-bundle-upload.ts';

/** The process documents a bundle carries; the Modul-3 statuses travel as `offers`. */
const bundledKinds = ['profile', 'kickoff', 'workshops', 'dialogues', 'outlook', 'report'] as const;

const byKey = (a: string, b: string) => a.localeCompare(b, 'de', { numeric: true });
const iso = (value: Date | null) => (value ? value.toISOString() : null);

/** Everything of one Kommune as a bundle (docs/kommune-bundle.schema.json). */
export async function exportKommune(context: ServiceContext, actor: Actor, slug: string): Promise<Bundle> {
  return bundleOf(context, actor, await requireKommune(context.db, actor, slug, 'kommune.export'));
}

/** The bundle of a Kommune whose export the actor was allowed; the export is audited. */
async function bundleOf(context: ServiceContext, actor: Actor, kommune: Awaited<ReturnType<typeof requireKommune>>): Promise<Bundle> {
  const belege = await readEvidenceForBundle(context.db, kommune.id);
  const [content, offers, surveyContent] = await Promise.all([
    readKommuneContent(context.db, kommune.id, [...belege.documents.map((row) => row.createdBy), ...belege.versions.map((row) => row.uploadedBy)]),
    listOffers(context.db),
    readSurveysForBundle(context.db, kommune.id),
  ]);
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
      designation: kommune.designation,
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
        periodPrecision: row.periodPrecision as PeriodPrecision,
        participants: row.participants,
        deadline: row.deadline,
        reminderDaysBefore: row.reminderDaysBefore,
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
            ...(entry.onBehalfOf ? { onBehalfOf: entry.onBehalfOf } : {}),
            updatedAt: entry.updatedAt.toISOString(),
          }))
          .sort((a, b) => byKey(a.question, b.question) || byKey(a.person, b.person) || byKey(a.onBehalfOf ?? '', b.onBehalfOf ?? '')),
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
        // A note's change never carries its text, not even from an entry logged before that rule.
        changes: content.changes
          .filter((entry) => entry.roundId === row.id)
          .map((entry) =>
            withoutNoteText({
              at: entry.at.toISOString(),
              by: email(entry.changedBy),
              kind: entry.kind as Bundle['rounds'][number]['changes'][number]['kind'],
              subject: entry.subject,
              before: (entry.before ?? null) as Bundle['rounds'][number]['changes'][number]['before'],
              after: (entry.after ?? null) as Bundle['rounds'][number]['changes'][number]['after'],
            }),
          ),
        notes: content.notes
          .filter((entry) => entry.roundId === row.id)
          .map((entry) => ({
            kind: entry.kind as NoteKind,
            key: entry.subjectKey,
            author: email(entry.authorId),
            authorName: entry.authorName,
            body: entry.body,
            createdAt: entry.createdAt.toISOString(),
            editedAt: iso(entry.editedAt),
            deletedAt: iso(entry.deletedAt),
          })),
        settledThreads: content.settledThreads
          .filter((entry) => entry.roundId === row.id)
          .map((entry) => ({
            kind: entry.kind as NoteKind,
            key: entry.subjectKey,
            settledAt: entry.settledAt.toISOString(),
            settledBy: email(entry.settledById),
            settledByName: entry.settledByName,
          }))
          .sort((a, b) => byKey(a.kind, b.kind) || byKey(a.key, b.key)),
        residentSurvey: bundledSurvey(surveyContent, row.id, email),
      };
    }),
    belege: belege.documents.map((row) => ({
      title: row.title,
      documentDate: row.documentDate,
      releasedForReaders: row.releasedForReaders,
      createdAt: row.createdAt.toISOString(),
      createdBy: email(row.createdBy),
      versions: belege.versions
        .filter((version) => version.documentId === row.id)
        .map((version) => ({
          number: version.number!,
          fileName: version.fileName,
          mediaType: version.mediaType as Bundle['belege'][number]['versions'][number]['mediaType'],
          size: version.size,
          sha256: version.sha256!,
          uploadedAt: version.uploadedAt.toISOString(),
          uploadedBy: email(version.uploadedBy),
        })),
      links: belege.links.filter((link) => link.documentId === row.id).map((link) => ({ round: link.roundNumber, kind: link.kind as NoteKind, key: link.key })),
    })),
  };
  await recordAudit(context.db, { actorUserId: actor.userId, action: 'kommune.exported', kommuneId: kommune.id, details: { rounds: bundle.rounds.length, belege: bundle.belege.length } });
  return bundle;
}

/**
 * The export as its file: the ZIP container of format version 2 (bundle.json and the Belege's bytes,
 * services/bundle-archive.ts), streamed; each file is read from the database only when the stream
 * gets to it. `fileName` is what a download offers.
 */
export async function exportKommuneArchive(context: ServiceContext, actor: Actor, slug: string): Promise<{ bundle: Bundle; fileName: string; stream: Readable }> {
  const kommune = await requireKommune(context.db, actor, slug, 'kommune.export');
  const bundle = await bundleOf(context, actor, kommune);
  const db = context.db;
  const stream = writeBundleArchive(bundle, async function* (sha256) {
    const version = await findReadyVersionByHash(db, kommune.id, sha256);
    // Deleted between reading the bundle and streaming its bytes: the archive breaks off rather than lie.
    if (!version) throw new Error('Ein Beleg wurde während des Exports gelöscht; bitte exportieren Sie erneut.');
    yield* storedEvidenceBytes(db, version);
  });
  return { bundle, fileName: `weltoffen-${slug}-${bundle.exportedAt.slice(0, 10)}.zip`, stream };
}

type BundleSurvey = NonNullable<Bundle['rounds'][number]['residentSurvey']>;

/** The round's resident survey as the bundle carries it: responses with their device hash, exclusions by their place in the list. */
function bundledSurvey(content: Awaited<ReturnType<typeof readSurveysForBundle>>, roundId: string, email: (userId: string | null) => string | null): BundleSurvey | null {
  const row = content.surveys.find((entry) => entry.roundId === roundId);
  if (!row) return null;
  const exclusions = content.exclusions.filter((entry) => entry.surveyId === row.id);
  const exclusionIndex = new Map(exclusions.map((entry, index) => [entry.id, index]));
  const openAnswers = new Map<string, typeof content.openAnswers>();
  for (const entry of content.openAnswers) if (entry.surveyId === row.id) openAnswers.set(entry.responseId, [...(openAnswers.get(entry.responseId) ?? []), entry]);
  return {
    token: row.token,
    statementSet: row.setVersion,
    status: oneOf(surveyStatuses, row.status, 'Status der Umfrage'),
    settings: settingsOf(row),
    createdBy: email(row.createdBy),
    createdAt: row.createdAt.toISOString(),
    publishedAt: iso(row.publishedAt),
    exclusions: exclusions.map((entry) => ({ fromAt: entry.fromAt.toISOString(), toAt: entry.toAt.toISOString(), reason: entry.reason, createdBy: email(entry.createdBy), createdAt: entry.createdAt.toISOString() })),
    responses: content.responses
      .filter((entry) => entry.surveyId === row.id)
      .map((entry) => ({
        language: oneOf(surveyLanguages, entry.language, 'Sprache einer Antwort'),
        answers: entry.answers as BundleSurvey['responses'][number]['answers'],
        groups: entry.groups,
        device: entry.deviceHash,
        receivedAt: entry.receivedAt.toISOString(),
        excludedBy: entry.excludedBy === null ? null : (exclusionIndex.get(entry.excludedBy) ?? null),
        openAnswers: (openAnswers.get(entry.id) ?? []).map((answer) => ({
          question: answer.questionIndex,
          text: answer.text,
          review: oneOf(openAnswerReviews, answer.review, 'Prüfung einer Anmerkung'),
          reviewedBy: email(answer.reviewedBy),
          reviewedAt: iso(answer.reviewedAt),
        })),
      })),
  };
}

/** A round's answers as scoring takes them, made in slices. */
async function scoredAnswers(answers: Bundle['rounds'][number]['answers']): Promise<ScoredAnswer[]> {
  const scored: ScoredAnswer[] = [];
  for (let start = 0; start < answers.length; start += bundleSliceSize) {
    for (const entry of answers.slice(start, start + bundleSliceSize)) if (entry.value !== null) scored.push({ questionKey: entry.question, personId: respondentKey({ userId: entry.person, onBehalfOf: entry.onBehalfOf }), value: entry.value });
    await yieldToEventLoop();
  }
  return scored;
}

/** People created or made members per statement. */
const peopleSlice = 100;

/** Validates a bundle read from a file or request: its shape (done already for an upload, in a worker), then its references. */
async function readBundle(context: ServiceContext, raw: unknown): Promise<Bundle> {
  const parsed = raw instanceof UploadedBundle ? raw.parsed : await validateBundle(raw, yieldToEventLoop);
  if (!parsed.success) {
    if (parsed.isNotBundle) throw new DomainError('bundle-invalid', { field: formatJsonPath(parsed.path), message: parsed.message });
    throw invalid(parsed.path, parsed.message);
  }
  const bundle = parsed.data;
  const catalogs = new Map<string, Catalog | undefined>();
  for (const round of bundle.rounds) {
    const id = `${round.catalog.id}@${round.catalog.version}`;
    if (!catalogs.has(id)) catalogs.set(id, await getCatalog(context.db, id));
  }
  const currentFieldKeys = (await getCurrentCatalog(context.db))?.catalog.fields.map((field) => field.key) ?? [];
  await yieldToEventLoop();
  const problem = await checkBundle(bundle, (id, version) => catalogs.get(`${id}@${version}`), currentFieldKeys, (version) => findStatementSet(context.db, version), yieldToEventLoop);
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

export interface ImportOptions {
  /** Called after each chunk written: rows done of rows in all (answers, ratings, change log). */
  onProgress?: (progress: { done: number; total: number }) => void | Promise<void>;
  /** A fixed number of rows per chunk; by default it adapts so that a chunk takes about 25 ms. */
  chunkRows?: number;
  /** The files next to bundle.json in the bundle's ZIP container; a bundle read from plain JSON has none. */
  files?: BundleFiles;
}

async function chooseSlug(context: ServiceContext, bundle: Bundle, wanted: string | undefined): Promise<string> {
  if (wanted !== undefined) {
    if (await findKommuneBySlug(context.db, wanted)) throw slugTaken(wanted);
    return wanted;
  }
  if (!(await findKommuneBySlug(context.db, bundle.kommune.slug))) return bundle.kommune.slug;
  return freeSlug(context, bundle.kommune.name);
}

const slugTaken = (slug: string) => new DomainError('slug-taken', { field: 'slug', message: `Die Kennung „${slug}“ ist schon vergeben. Bitte wählen Sie eine andere.` });

const alreadyImported = () =>
  new DomainError('kommune-already-imported', {
    message: 'In diese Kommune wurde schon ein Paket eingespielt. Ein Paket lässt sich nur einmal und nur in eine leere Kommune übernehmen. Es wurde nichts übernommen.',
  });
const importRunning = () =>
  new DomainError('kommune-importing', {
    message: 'In diese Kommune wird gerade ein anderes Paket eingespielt. Ein Paket lässt sich nur einmal übernehmen. Es wurde nichts übernommen.',
  });

function isUniqueViolation(error: unknown): boolean {
  for (let at: unknown = error; at; at = (at as { cause?: unknown }).cause) if ((at as { code?: unknown }).code === '23505') return true;
  return false;
}

/**
 * Checks that the actor may import as asked, before anything of the bundle is read: into an existing
 * Kommune (`kommune.import`, Programmteam) that has taken no import yet, or as a new one (`kommune.create`).
 */
export async function authoriseImport(context: ServiceContext, actor: Actor, target: ImportTarget): Promise<KommuneRow | undefined> {
  if (target.into === undefined) {
    requireGlobal(actor, 'kommune.create');
    return undefined;
  }
  const existing = await requireKommune(context.db, actor, target.into, 'kommune.import');
  if (existing.importedAt) throw alreadyImported();
  return existing;
}

/**
 * Recreates a Kommune from a bundle: a new Kommune (Programmteam), or an existing one that has no
 * rounds and no documents and has taken no import yet (Programmteam). New ids everywhere; people are
 * matched by e-mail or created without a password; memberships a person already has are kept.
 *
 * Written in chunks, so that the server stays responsive on a large bundle: the Kommune is hidden and
 * unusable (kommune.import_job_id) until the last transaction makes everything visible at once; the
 * job row in the database holds the progress and what to remove if the import fails or its process
 * dies (manage-import-jobs.ts). A bad bundle is refused before anything is written.
 */
export async function importKommune(context: ServiceContext, actor: Actor, raw: unknown, target: ImportTarget = {}, options: ImportOptions = {}): Promise<ImportResult> {
  const existing = await authoriseImport(context, actor, target);
  const bundle = await readBundle(context, raw);
  checkBundleFiles(bundle, options.files, context.evidenceLimits ?? defaultEvidenceLimits);
  await cleanUpDeadImports(context.db, context.now(), { all: false });
  const mayCreateOffers = can(actor, 'programme.manage');
  const jobId = randomUUID();
  const surveyRows = (round: Bundle['rounds'][number]) => (round.residentSurvey ? 1 + round.residentSurvey.exclusions.length + round.residentSurvey.responses.length : 0);
  const belegRows = bundle.belege.reduce((sum, beleg) => sum + beleg.versions.length + beleg.links.length, 0);
  const total = bundle.rounds.reduce((sum, round) => sum + round.answers.length + round.ratings.length + round.changes.length + round.notes.length + round.settledThreads.length + surveyRows(round), belegRows);
  let surveysWithNewLink = 0;

  // 1. The Kommune (hidden) and the job, in one transaction.
  let kommune: KommuneRow;
  try {
    kommune = await context.db.transaction(async (db) => {
      let row: KommuneRow;
      if (existing) {
        // Locked, so that of two imports into one Kommune at the same moment exactly one gets past here.
        const locked = await lockKommune(db, existing.id);
        if (!locked) throw new DomainError('kommune-not-found');
        if (locked.importJobId) throw importRunning();
        if (locked.importedAt) throw alreadyImported();
        if (await hasKommuneContent(db, locked.id)) throw new DomainError('kommune-not-empty');
        // The questions asked depend on the kind (catalog 1.1): the bundle was checked for its own kind.
        if (locked.kind !== bundle.kommune.kind && bundle.rounds.length) {
          throw new DomainError('bundle-invalid', {
            field: '$.kommune.kind',
            message: `Die Kommune ist als „${locked.kind}“ angelegt, das Paket beschreibt eine Kommune der Art „${bundle.kommune.kind}“. Bitte gleichen Sie die Art der Kommune zuerst an.`,
          });
        }
        // The Kommune keeps its own master data, so the bundle's documents must fit its modules.
        const modules = checkDialoguesModule(bundle.documents.dialogues.events, locked.modules) ?? checkOffersModule(bundle.offers, locked.modules);
        if (modules) {
          const path = modules.field === 'content.events' ? '$.documents.dialogues.events' : '$.offers';
          throw new DomainError('bundle-invalid', {
            field: path,
            message: `Das Paket passt nicht zu dieser Kommune (${path}): ${modules.message} Es wurde nichts übernommen.`,
          });
        }
        await setKommuneImportJob(db, locked.id, jobId);
        row = locked;
      } else {
        // A second Kommune with the same Gemeindeschlüssel is refused, as in the form (409 with a link).
        await claimGemeindeschluessel(db, bundle.kommune.gemeindeschluessel);
        row = await insertKommune(db, {
          id: randomUUID(),
          slug: await chooseSlug({ ...context, db }, bundle, target.slug),
          name: bundle.kommune.name,
          kind: bundle.kommune.kind,
          designation: bundle.kommune.designation,
          gemeindeschluessel: bundle.kommune.gemeindeschluessel,
          bundesland: bundle.kommune.bundesland,
          modules: normaliseModules(bundle.kommune.modules),
          archivedAt: bundle.kommune.archived ? context.now() : null,
          importJobId: jobId,
        });
      }
      await insertImportJob(db, { id: jobId, kommuneId: row.id, startedBy: actor.userId, createdKommune: !existing, status: 'running', total, createdUserIds: [], startedAt: context.now(), heartbeatAt: context.now() });
      return row;
    });
  } catch (error) {
    // A second import into the same Kommune, or a new Kommune's slug taken, at the very same moment.
    if (isUniqueViolation(error)) throw existing ? importRunning() : slugTaken(target.slug ?? bundle.kommune.slug);
    throw error;
  }

  // Everything from here on is removed again if the import fails or its process dies.
  const createdUserIds: string[] = [];
  const userIds = new Map<string, string>();
  const userId = (email: string | null) => (email === null ? null : userIds.get(email)!);
  /** The name of the account each e-mail was matched with or created as. */
  const userNames = new Map<string, string>();
  /**
   * The name a note or a settled thread is shown with: that of the account the bundle credits it to
   * (an existing account keeps its own name, a new one has the name from „people“), never a name
   * the bundle writes next to it; only a note whose account was deleted keeps the bundle's name.
   */
  const creditedName = (email: string | null, written: string) => (email === null ? written : userNames.get(email)!);
  /** One short transaction of the import; it stops when the job is no longer running (cleaned up as dead). */
  const step = <T>(rows: number, work: (db: Database) => Promise<T>) =>
    context.db.transaction(async (db) => {
      // The job row first: it stays locked to this step, so a cleanup either comes before (and this stops) or after.
      if (!(await recordProgress(db, jobId, rows, context.now()))) throw new DomainError('kommune-importing', { message: 'Das Einspielen wurde abgebrochen. Es wurde nichts übernommen.' });
      return work(db);
    });
  try {
    await yieldToEventLoop();
    // 2. The people: matched by e-mail, or created (a few at a time; the job records whom it created).
    const matchAccounts = (rows: { id: string; email: string; name: string }[]) => {
      for (const row of rows) {
        userIds.set(row.email.toLowerCase(), row.id);
        userNames.set(row.email.toLowerCase(), row.name);
      }
    };
    matchAccounts(await findUsersByEmails(context.db, bundle.people.map((person) => person.email)));
    const toCreate = bundle.people.filter((person) => !userIds.has(person.email)).map((person) => ({ id: randomUUID(), email: person.email, name: person.name }));
    for (let start = 0; start < toCreate.length; start += peopleSlice) {
      await yieldToEventLoop();
      const slice = toCreate.slice(start, start + peopleSlice);
      const created = await step(0, async (db) => {
        const ids = await insertUsersWithoutPassword(db, slice);
        await addCreatedUsers(db, jobId, ids);
        return ids;
      });
      createdUserIds.push(...created);
      const createdSet = new Set(created);
      for (const person of slice) if (createdSet.has(person.id)) matchAccounts([person]);
      if (created.length < slice.length) {
        // Someone registered one of these addresses meanwhile: match that account instead.
        matchAccounts(await findUsersByEmails(context.db, slice.map((person) => person.email)));
      }
    }
    await yieldToEventLoop();
    const rounds = await step(0, async (db) => {
      const inserted: RoundRow[] = [];
      for (const round of bundle.rounds) {
        inserted.push(
          await insertRound(db, {
            id: randomUUID(),
            kommuneId: kommune.id,
            number: round.number,
            catalogVersionId: `${round.catalog.id}@${round.catalog.version}`,
            status: round.status,
            workedFieldKeys: round.workedFieldKeys,
            periodStart: round.periodStart,
            periodEnd: round.periodEnd,
            periodPrecision: round.periodPrecision,
            participants: round.participants,
            // An automatic reminder needs a deadline (as in the form).
            deadline: round.deadline,
            reminderDaysBefore: round.deadline ? round.reminderDaysBefore : null,
            createdAt: new Date(round.createdAt),
            createdBy: userId(round.createdBy),
            closedAt: round.closedAt ? new Date(round.closedAt) : null,
          }),
        );
      }
      return inserted;
    });

    // 3. Answers, ratings and the change log in chunks, each its own short transaction.
    let done = 0;
    let chunkRows = options.chunkRows ?? 100;
    // Each chunk's rows are made from the bundle's entries just before they are written, not all at once.
    const write = async <E, T>(entries: readonly E[], toRow: (entry: E) => T, insert: (db: Database, batch: T[]) => Promise<unknown>) => {
      for (let start = 0; start < entries.length; ) {
        const batch = entries.slice(start, start + chunkRows).map(toRow);
        const began = performance.now();
        await step(batch.length, (db) => insert(db, batch));
        start += batch.length;
        done += batch.length;
        await options.onProgress?.({ done, total });
        if (options.chunkRows === undefined) {
          const took = performance.now() - began;
          if (took > 50) chunkRows = Math.max(100, Math.floor(chunkRows / 2));
          else if (took < 12) chunkRows = Math.min(2_000, chunkRows * 2);
        }
        await yieldToEventLoop();
      }
    };
    for (const [index, round] of bundle.rounds.entries()) {
      const roundId = rounds[index]!.id;
      await write(
        round.answers,
        (entry) => ({ roundId, questionKey: entry.question, userId: userId(entry.person)!, onBehalfOf: entry.onBehalfOf ?? '', value: entry.value, comment: entry.comment, evidence: entry.evidence, updatedAt: new Date(entry.updatedAt) }),
        (db, batch) => insertRoundContent(db, { answers: batch, ratings: [], changes: [] }),
      );
      await write(
        round.ratings,
        (entry) => ({ roundId, criterionKey: entry.criterion, rating: entry.rating, reason: entry.reason, updatedBy: userId(entry.updatedBy), updatedAt: new Date(entry.updatedAt) }),
        (db, batch) => insertRoundContent(db, { answers: [], ratings: batch, changes: [] }),
      );
      await write(
        round.changes,
        (entry) => ({ roundId, at: new Date(entry.at), changedBy: userId(entry.by), kind: entry.kind, subject: entry.subject, before: entry.before, after: entry.after }),
        (db, batch) => insertRoundContent(db, { answers: [], ratings: [], changes: batch }),
      );
      await write(
        round.notes,
        (entry) => ({
          id: randomUUID(),
          roundId,
          kommuneId: kommune.id,
          kind: entry.kind,
          subjectKey: entry.key,
          authorId: userId(entry.author),
          authorName: creditedName(entry.author, entry.authorName),
          body: entry.body,
          createdAt: new Date(entry.createdAt),
          editedAt: entry.editedAt ? new Date(entry.editedAt) : null,
          deletedAt: entry.deletedAt ? new Date(entry.deletedAt) : null,
        }),
        insertNotes,
      );
      await write(
        round.settledThreads,
        (entry) => ({ roundId, kind: entry.kind, subjectKey: entry.key, settledAt: new Date(entry.settledAt), settledById: userId(entry.settledBy), settledByName: creditedName(entry.settledBy, entry.settledByName) }),
        insertSettledThreads,
      );
      const survey = round.residentSurvey;
      if (survey) {
        const surveyId = randomUUID();
        const exclusionIds = survey.exclusions.map(() => randomUUID());
        const keptLink = await step(1 + survey.exclusions.length, async (db) => {
          // The link stays when it is free here (a restore, a move); next to the original it gets a new one.
          const taken = await findSurveyByToken(db, survey.token);
          await insertSurveyWithExclusions(
            db,
            {
              id: surveyId,
              kommuneId: kommune.id,
              roundId,
              token: taken ? randomBytes(16).toString('base64url') : survey.token,
              setVersion: survey.statementSet,
              settings: survey.settings,
              status: survey.status,
              createdBy: userId(survey.createdBy),
              createdAt: new Date(survey.createdAt),
              publishedAt: survey.publishedAt ? new Date(survey.publishedAt) : null,
            },
            survey.exclusions.map((entry, index) => ({
              id: exclusionIds[index]!,
              surveyId,
              fromAt: new Date(entry.fromAt),
              toAt: new Date(entry.toAt),
              reason: entry.reason,
              createdBy: userId(entry.createdBy),
              createdAt: new Date(entry.createdAt),
            })),
          );
          return !taken;
        });
        if (!keptLink) surveysWithNewLink += 1;
        done += 1 + survey.exclusions.length;
        await options.onProgress?.({ done, total });
        await write(
          survey.responses,
          (entry) => {
            const responseId = randomUUID();
            return {
              response: {
                id: responseId,
                surveyId,
                language: entry.language,
                answers: entry.answers,
                groups: entry.groups,
                deviceHash: entry.device,
                receivedAt: arrivalMinute(new Date(entry.receivedAt)),
                excludedBy: entry.excludedBy === null ? null : exclusionIds[entry.excludedBy]!,
              },
              openAnswers: entry.openAnswers.map((answer) => ({
                id: randomUUID(),
                responseId,
                surveyId,
                questionIndex: answer.question,
                text: answer.text,
                review: answer.review,
                reviewedBy: userId(answer.reviewedBy),
                reviewedAt: answer.reviewedAt ? new Date(answer.reviewedAt) : null,
              })),
            };
          },
          insertResponsesForBundle,
        );
      }
    }

    // The Belege: each file streamed from the archive into pieces, hashed on the way and checked by its content.
    for (const [index, beleg] of bundle.belege.entries()) {
      const documentId = randomUUID();
      await step(0, (db) =>
        insertEvidenceDocument(db, {
          id: documentId,
          kommuneId: kommune.id,
          title: beleg.title,
          documentDate: beleg.documentDate,
          releasedForReaders: beleg.releasedForReaders,
          createdBy: userId(beleg.createdBy),
          createdAt: new Date(beleg.createdAt),
          updatedAt: new Date(Math.max(new Date(beleg.createdAt).getTime(), ...beleg.versions.map((version) => new Date(version.uploadedAt).getTime()))),
        }),
      );
      for (const [versionIndex, version] of beleg.versions.entries()) {
        await importEvidenceVersion(context, step, options.files!, { kommuneId: kommune.id, documentId, title: beleg.title, version, uploadedBy: userId(version.uploadedBy), path: ['belege', index, 'versions', versionIndex] });
        done += 1;
        await options.onProgress?.({ done, total });
      }
      await step(0, (db) => setCurrentEvidenceVersion(db, documentId, Math.max(...beleg.versions.map((version) => version.number))));
      const links = beleg.links.map((link) => ({ documentId, roundId: rounds[bundle.rounds.findIndex((round) => round.number === link.round)]!.id, kind: link.kind, key: link.key, createdBy: null, createdAt: new Date(beleg.createdAt) }));
      await step(links.length, (db) => insertEvidenceLinks(db, links));
      done += links.length;
      await options.onProgress?.({ done, total });
    }

    // 4. Memberships, documents, Modul 3, stored results; then the Kommune goes live, all at once.
    // Closed rounds are scored from the bundle in memory: re-reading 100,000 answers from PGlite would hold this thread for seconds.
    const scored = new Map<number, { catalog: Catalog; result: ReturnType<typeof scoreRound> }>();
    for (const [index, round] of bundle.rounds.entries()) {
      const stored = round.status === 'closed' ? await getCatalog(context.db, rounds[index]!.catalogVersionId) : undefined;
      if (!stored) continue;
      const catalog = catalogForKind(stored, bundle.kommune.kind);
      await yieldToEventLoop();
      scored.set(index, {
        catalog,
        result: scoreRound(catalog, {
          workedFieldKeys: round.workedFieldKeys,
          answers: await scoredAnswers(round.answers),
          consolidations: round.ratings.filter((entry) => entry.rating !== null).map((entry) => ({ criterionKey: entry.criterion, rating: entry.rating!, reason: entry.reason })),
        }),
      });
    }
    const offers = await listOffers(context.db);
    return await context.db.transaction(async (db) => {
      // The job row before the Kommune, in the order of every step and of a cleanup (manage-import-jobs.ts).
      const isRunning = await recordProgress(db, jobId, 0, context.now());
      const locked = await lockKommune(db, kommune.id);
      if (!isRunning || !locked || locked.importJobId !== jobId) throw new DomainError('kommune-importing', { message: 'Das Einspielen wurde abgebrochen. Es wurde nichts übernommen.' });
      const members = bundle.people.flatMap((person) => (person.role ? [{ kommuneId: kommune.id, userId: userId(person.email)!, role: person.role, fieldKeys: person.fieldKeys }] : []));
      for (let start = 0; start < members.length; start += peopleSlice) {
        await insertMembershipsIfAbsent(db, members.slice(start, start + peopleSlice));
        await yieldToEventLoop();
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
      for (const [index, { catalog, result }] of scored) await writeScoredRoundResult(db, rounds[index]!, catalog, result);
      const answers = bundle.rounds.reduce((sum, round) => sum + round.answers.length, 0);
      const result: ImportResult = {
        slug: locked.slug,
        name: locked.name,
        peopleMatched: bundle.people.length - createdUserIds.length,
        peopleCreated: createdUserIds.length,
        rounds: bundle.rounds.length,
        answers,
        offersSkipped,
        residentSurveys: bundle.rounds.filter((round) => round.residentSurvey).length,
        residentResponses: bundle.rounds.reduce((sum, round) => sum + (round.residentSurvey?.responses.length ?? 0), 0),
        surveysWithNewLink,
        belege: bundle.belege.length,
        belegeBytes: bundle.belege.reduce((sum, beleg) => sum + beleg.versions.reduce((bytes, version) => bytes + version.size, 0), 0),
      };
      await setKommuneImportJob(db, kommune.id, null, context.now());
      await finishImportJob(db, jobId, { status: 'done', result, now: context.now() });
      await recordProgress(db, jobId, 0, context.now());
      await recordAudit(db, {
        actorUserId: actor.userId,
        action: 'kommune.imported',
        kommuneId: kommune.id,
        details: { from: bundle.kommune.slug, exportedAt: bundle.exportedAt, rounds: bundle.rounds.length, answers, peopleCreated: createdUserIds.length, belege: bundle.belege.length },
      });
      return result;
    });
  } catch (error) {
    const message = error instanceof DomainError ? error.message : 'Beim Einspielen ist ein Fehler aufgetreten. Es wurde nichts übernommen.';
    try {
      await abandonImport(context.db, { id: jobId }, message, context.now());
    } catch (cleanup) {
      // The next start or import removes it (the job stays running until then); the first error is the one to report.
      context.log(`Ein abgebrochenes Einspielen ließ sich nicht sofort aufräumen: ${(cleanup as Error).message}`);
    }
    throw error;
  }
}

/**
 * What the files must be before anything is written: every version's file in the archive with the
 * size the bundle gives, nothing else in it, and each file and all together within this installation's
 * limits for Belege (BELEGE_MAX_MB, BELEGE_QUOTA_MB), the rules an upload meets.
 */
function checkBundleFiles(bundle: Bundle, files: BundleFiles | undefined, limits: { maxBytes: number; quotaBytes: number }): void {
  const refuse = (message: string, path: (string | number)[] = ['belege']) => new DomainError('bundle-invalid', { field: formatJsonPath(path), message: `${message} Es wurde nichts übernommen.` });
  if (bundle.belege.length && !files) {
    throw refuse(`Das Paket nennt ${bundle.belege.length === 1 ? 'einen Beleg' : `${bundle.belege.length} Belege`}, enthält aber keine Dateien: Es ist nur die Datei „bundle.json“. Bitte spielen Sie die ZIP-Datei ein, die Weltoffen beim Export erstellt hat.`);
  }
  if (!files) return;
  if (files.strayNames.length) throw refuse(`Die ZIP-Datei enthält „${files.strayNames[0]}“, das nicht zum Paket gehört. Ein Paket enthält nur „bundle.json“ und die Belege unter „belege/“.`, []);
  const named = new Set<string>();
  let total = 0;
  for (const [index, beleg] of bundle.belege.entries()) {
    for (const [versionIndex, version] of beleg.versions.entries()) {
      const path = ['belege', index, 'versions', versionIndex];
      const which = `Fassung ${version.number} des Belegs „${beleg.title}“`;
      named.add(version.sha256);
      const size = files.sizeOf(version.sha256);
      if (size === undefined) throw refuse(`Die Datei der ${which} fehlt in der ZIP-Datei (erwartet unter „belege/${version.sha256}“).`, [...path, 'sha256']);
      if (size !== version.size) throw refuse(`Die Datei der ${which} ist in der ZIP-Datei ${size.toLocaleString('de-DE')} Bytes groß, das Paket nennt ${version.size.toLocaleString('de-DE')} Bytes.`, [...path, 'size']);
      if (version.size > limits.maxBytes) {
        throw refuse(`Die ${which} ist ${megabytes(version.size)} groß; in dieser Installation sind höchstens ${megabytes(limits.maxBytes)} je Datei erlaubt (BELEGE_MAX_MB).`, [...path, 'size']);
      }
      total += version.size;
    }
  }
  if (total > limits.quotaBytes) {
    throw refuse(`Die Belege des Pakets sind zusammen ${megabytes(total)} groß; in dieser Installation hat eine Kommune höchstens ${megabytes(limits.quotaBytes)} für Belege (BELEGE_QUOTA_MB).`);
  }
  const unnamed = files.hashes.find((hash) => !named.has(hash));
  if (unnamed) throw refuse(`Die ZIP-Datei enthält die Datei „belege/${unnamed}“, die kein Beleg des Pakets nennt.`, []);
}

/**
 * One version of a Beleg from the archive: stored piece by piece (each piece one step of the import),
 * hashed on the way; then its SHA-256 must be the bundle's and its content must pass the check every
 * upload passes, as the format the bundle names. Only then is it ready.
 */
async function importEvidenceVersion(
  context: ServiceContext,
  step: <T>(rows: number, work: (db: Database) => Promise<T>) => Promise<T>,
  files: BundleFiles,
  input: { kommuneId: string; documentId: string; title: string; version: Bundle['belege'][number]['versions'][number]; uploadedBy: string | null; path: (string | number)[] },
): Promise<void> {
  const { version } = input;
  const which = `Die Datei der Fassung ${version.number} des Belegs „${input.title}“`;
  const versionId = randomUUID();
  // Staged as of now, not of the bundle's time: the hourly sweep removes staged uploads older than a day.
  await step(0, (db) =>
    insertStagedVersion(db, { id: versionId, documentId: input.documentId, kommuneId: input.kommuneId, fileName: version.fileName, mediaType: version.mediaType, size: version.size, uploadedBy: input.uploadedBy, uploadedAt: context.now() }),
  );
  const gone = () => new DomainError('kommune-importing', { message: `Die Fassung ${version.number} des Belegs „${input.title}“ wurde während des Einspielens entfernt. Es wurde nichts übernommen; bitte spielen Sie das Paket erneut ein.` });
  const hash = createHash('sha256');
  let position = 0;
  for await (const piece of alignedPieces(files.open(version.sha256), 0)) {
    if (position + piece.byteLength > version.size) throw invalid(input.path, `${which} ist größer, als das Paket angibt`);
    hash.update(piece);
    const written = await step(0, (db) => appendEvidenceBytes(db, versionId, position, piece));
    if (written === undefined) throw gone();
    position = written;
    await yieldToEventLoop();
  }
  if (position !== version.size || hash.digest('hex') !== version.sha256) throw invalid([...input.path, 'sha256'], `${which} ist beschädigt: Ihr Prüfwert (SHA-256) passt nicht zum Paket`);
  const check = await checkStoredEvidence(context.db, { id: versionId, fileName: version.fileName, size: version.size, mediaType: version.mediaType });
  if (!check.ok || check.mediaType !== version.mediaType) {
    throw new DomainError('bundle-invalid', {
      field: formatJsonPath(input.path),
      message: `${which} wird abgelehnt, wie sie beim Hochladen abgelehnt würde: ${check.ok ? `Sie ist dem Inhalt nach ${evidenceTypeLabel(check.mediaType)}, das Paket nennt ein anderes Format.` : check.message} Es wurde nichts übernommen.`,
    });
  }
  const ready = await step(1, (db) => markImportedVersionReady(db, { versionId, number: version.number, fileName: check.fileName, mediaType: check.mediaType, sha256: version.sha256, uploadedAt: new Date(version.uploadedAt) }));
  if (!ready) throw gone();
}

const evidenceTypeLabel = (mediaType: string) => Object.values(evidenceTypes).find((type) => type.mediaType === mediaType)?.label ?? 'ein anderes Format';
