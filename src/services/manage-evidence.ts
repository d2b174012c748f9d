/**
 * Belege (issue 18, decision 023): files that back answers and criteria, kept in the database in
 * pieces of 256 KiB. An upload is resumable: it starts (size and quota checked), takes its bytes in
 * parts at the offset the server has, and is finished by a check of the whole file by its content;
 * until then it is a staged version nobody sees, removed after 24 hours. Files are read back one
 * piece at a time, never whole.
 */
import { createHash, randomUUID } from 'node:crypto';
import { can, canLinkEvidence, type Actor } from '../domain/access.ts';
import { subjectFieldKey } from '../domain/discussion.ts';
import { DomainError } from '../domain/errors.ts';
import { checkEvidenceFile } from './check-evidence-file.ts';
import { noteKinds, type NoteKind } from '../domain/discussion.ts';
import { oneOf } from '../domain/one-of.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import * as evidence from '../db/repositories/evidence-repository.ts';
import { evidenceChunkBytes, type EvidenceDocumentRow, type EvidenceVersionRow } from '../db/repositories/evidence-repository.ts';
import { lockKeyForTransaction } from '../db/repositories/lock-repository.ts';
import type { KommuneRow } from '../db/repositories/kommune-repository.ts';
import type { ServiceContext } from './context.ts';
import { requireRound } from './manage-rounds.ts';
import { startPeriodic } from './periodic.ts';
import { sweepBundleTempFolders } from './bundle-archive.ts';
import { requireKommune } from './require-kommune.ts';

/** Without configuration: 20 MB per file, 500 MB per Kommune. */
export const defaultEvidenceLimits = { maxBytes: 20 * 1024 * 1024, quotaBytes: 500 * 1024 * 1024 } as const;

/** A staged upload older than this is abandoned (a closed tab, a killed process). */
export const stagedUploadLifetimeMs = 24 * 60 * 60_000;

const limitsOf = (context: ServiceContext) => context.evidenceLimits ?? defaultEvidenceLimits;

/** „20 MB“, „1,5 MB“: sizes in messages, in MB of 1,048,576 bytes as the limits are set. */
export function megabytes(bytes: number): string {
  const value = bytes / (1024 * 1024);
  return `${value.toLocaleString('de-DE', { maximumFractionDigits: value < 10 ? 1 : 0 })} MB`;
}

const quotaKey = (kommuneId: string) => `evidence-quota:${kommuneId}`;

/** The quota's German refusal, with what is used, what is free and what the file needs. */
function quotaRefusal(used: number, quota: number, size: number): DomainError {
  return new DomainError('evidence-quota', {
    message: `Der Speicher für Belege dieser Kommune ist voll: ${megabytes(used)} von ${megabytes(quota)} sind belegt, die Datei braucht ${megabytes(size)}. Bitte löschen Sie Belege, die nicht mehr gebraucht werden, oder wenden Sie sich an das Programmteam.`,
  });
}

/** Lesende see only documents the Koordination released; everyone else who may read sees all. */
function isVisibleTo(actor: Actor, kommuneId: string, document: EvidenceDocumentRow): boolean {
  if (document.deletedAt || document.currentVersion === null) return false;
  return document.releasedForReaders || can(actor, 'evidence.upload', kommuneId) || can(actor, 'round.review', kommuneId);
}

const seesUnreleased = (actor: Actor, kommuneId: string) => can(actor, 'evidence.upload', kommuneId) || can(actor, 'round.review', kommuneId);

async function requireVisibleDocument(context: ServiceContext, actor: Actor, kommune: KommuneRow, documentId: string): Promise<EvidenceDocumentRow> {
  const document = await evidence.findEvidenceDocument(context.db, kommune.id, documentId);
  // Another Kommune's id, a deleted document, one still arriving, one not released to Lesende: 404.
  if (!document || !isVisibleTo(actor, kommune.id, document)) throw new DomainError('evidence-not-found');
  return document;
}

function presentVersion(version: EvidenceVersionRow & { uploadedByName?: string | null }) {
  return {
    number: version.number!,
    fileName: version.fileName,
    mediaType: version.mediaType,
    size: version.size,
    sha256: version.sha256!,
    uploadedAt: version.uploadedAt.toISOString(),
    uploadedBy: version.uploadedByName ?? null,
  };
}

/** Documents with their versions (newest first), links and the bytes they take. */
async function presentDocuments(context: ServiceContext, documents: EvidenceDocumentRow[]) {
  const ids = documents.map((document) => document.id);
  const versions = await evidence.listReadyVersions(context.db, ids);
  const links = await evidence.listEvidenceLinks(context.db, ids);
  return documents.map((document) => {
    const own = versions.filter((version) => version.documentId === document.id);
    const current = own.find((version) => version.number === document.currentVersion);
    return {
      id: document.id,
      title: document.title,
      documentDate: document.documentDate,
      releasedForReaders: document.releasedForReaders,
      createdAt: document.createdAt.toISOString(),
      updatedAt: document.updatedAt.toISOString(),
      current: current ? presentVersion(current) : null,
      versions: own.map(presentVersion),
      totalBytes: own.reduce((sum, version) => sum + version.size, 0),
      links: links
        .filter((link) => link.documentId === document.id)
        .map((link) => ({ round: link.roundNumber, kind: oneOf(noteKinds, link.kind, 'Art einer Verknüpfung'), key: link.key })),
    };
  });
}

export type EvidenceDocumentView = Awaited<ReturnType<typeof presentDocuments>>[number];

/**
 * Every visible Beleg of a Kommune (Lesende: the released ones), with the space used and the
 * limits, and what the person may do.
 */
export async function listEvidence(context: ServiceContext, actor: Actor, slug: string) {
  const kommune = await requireKommune(context.db, actor, slug, 'evidence.read');
  const rows = await evidence.listEvidenceDocuments(context.db, kommune.id, { releasedOnly: !seesUnreleased(actor, kommune.id) });
  const limits = limitsOf(context);
  return {
    documents: await presentDocuments(context, rows),
    usedBytes: await evidence.usedEvidenceBytes(context.db, kommune.id),
    quotaBytes: limits.quotaBytes,
    maxBytes: limits.maxBytes,
    canUpload: can(actor, 'evidence.upload', kommune.id),
    canManage: can(actor, 'evidence.manage', kommune.id),
  };
}

/** One Beleg with all its versions and links. */
export async function getEvidence(context: ServiceContext, actor: Actor, slug: string, documentId: string) {
  const kommune = await requireKommune(context.db, actor, slug, 'evidence.read');
  const document = await requireVisibleDocument(context, actor, kommune, documentId);
  const [view] = await presentDocuments(context, [document]);
  return view!;
}

export interface StartUpload {
  title?: string;
  documentDate?: string | null;
  /** A new version of this document instead of a new document. */
  documentId?: string;
  fileName: string;
  size: number;
  mediaType?: string;
}

/**
 * Begins an upload: size and quota are checked before a byte is sent (under a lock per Kommune, so
 * parallel starts cannot pass the quota together). A new document stays invisible until its first
 * version is finished.
 */
export async function startEvidenceUpload(context: ServiceContext, actor: Actor, slug: string, input: StartUpload) {
  const kommune = await requireKommune(context.db, actor, slug, 'evidence.upload');
  const limits = limitsOf(context);
  const shownName = input.fileName.split(/[/\\]/).pop()!.slice(0, 120);
  if (input.size > limits.maxBytes) {
    throw new DomainError('evidence-too-large', {
      field: 'size',
      message: `Die Datei „${shownName}“ ist zu groß: ${megabytes(input.size)}; erlaubt sind höchstens ${megabytes(limits.maxBytes)}. Bitte verkleinern Sie sie (etwa als PDF mit geringerer Bildqualität) oder teilen Sie sie auf.`,
    });
  }
  const now = context.now();
  const started = await context.db.transaction(async (tx) => {
    await lockKeyForTransaction(tx, quotaKey(kommune.id));
    let documentId = input.documentId;
    if (documentId !== undefined) {
      const document = await evidence.findEvidenceDocument(tx, kommune.id, documentId);
      if (!document || document.currentVersion === null) throw new DomainError('evidence-not-found');
    }
    const used = await evidence.usedEvidenceBytes(tx, kommune.id);
    if (used + input.size > limits.quotaBytes) throw quotaRefusal(used, limits.quotaBytes, input.size);
    if (documentId === undefined) {
      documentId = randomUUID();
      await evidence.insertEvidenceDocument(tx, {
        id: documentId,
        kommuneId: kommune.id,
        title: input.title!,
        documentDate: input.documentDate ?? null,
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      });
    }
    return evidence.insertStagedVersion(tx, {
      id: randomUUID(),
      documentId,
      kommuneId: kommune.id,
      fileName: input.fileName,
      mediaType: input.mediaType ?? '',
      size: input.size,
      uploadedBy: actor.userId,
      uploadedAt: now,
    });
  });
  return { uploadId: started.id, documentId: started.documentId, offset: 0, size: started.size, chunkBytes: evidenceChunkBytes };
}

async function requireUpload(context: ServiceContext, actor: Actor, slug: string, uploadId: string) {
  const kommune = await requireKommune(context.db, actor, slug, 'evidence.upload');
  const upload = await evidence.findStagedVersion(context.db, kommune.id, uploadId);
  if (!upload) throw new DomainError('evidence-upload-not-found');
  return { kommune, upload };
}

/** Where an upload stands (after a failure the browser asks, then sends the rest). */
export async function evidenceUploadOffset(context: ServiceContext, actor: Actor, slug: string, uploadId: string) {
  const { upload } = await requireUpload(context, actor, slug, uploadId);
  return { offset: upload.received, size: upload.size };
}

function offsetConflict(current: number, size: number): DomainError {
  return new DomainError('evidence-offset', { current: { offset: current, size } });
}

/**
 * Stores the bytes of one part of an upload, read from `body` as they arrive and written piece by
 * piece (at most 256 KiB held at a time). `offset` must be where the upload stands, else 409 with
 * the stored offset, before any byte is read. Each piece is committed with the new offset, so a
 * broken connection or a killed process leaves a consistent upload that goes on from there.
 */
export async function putEvidenceBytes(context: ServiceContext, actor: Actor, slug: string, uploadId: string, offset: number, body: AsyncIterable<Uint8Array>) {
  const { upload } = await requireUpload(context, actor, slug, uploadId);
  if (offset !== upload.received) throw offsetConflict(upload.received, upload.size);
  let position = offset;
  let pending = new Uint8Array(evidenceChunkBytes);
  let pendingLength = 0;
  const flush = async () => {
    if (pendingLength === 0) return;
    const written = await evidence.appendEvidenceBytes(context.db, upload.id, position, pending.subarray(0, pendingLength));
    if (written === undefined) {
      // Another request moved the upload on (or finished it) meanwhile.
      const current = await evidence.uploadOffset(context.db, upload.id);
      if (current === undefined) throw new DomainError('evidence-upload-not-found');
      throw offsetConflict(current, upload.size);
    }
    position = written;
    pending = new Uint8Array(evidenceChunkBytes);
    pendingLength = 0;
  };
  for await (const piece of alignedPieces(body, offset)) {
    if (position + pendingLength + piece.byteLength > upload.size) {
      await flush();
      throw new DomainError('evidence-upload-overflow', {
        message: `Beim Hochladen von „${upload.fileName.slice(0, 120)}“ kam mehr an, als die Datei groß ist. Bitte wählen Sie die Datei noch einmal und laden Sie sie erneut hoch.`,
      });
    }
    pending.set(piece, pendingLength);
    pendingLength += piece.byteLength;
    if ((position + pendingLength) % evidenceChunkBytes === 0) await flush();
  }
  await flush();
  return { offset: position, size: upload.size };
}

/**
 * The bytes of `body`, cut so that no part crosses a 256 KiB boundary of the file (counted from
 * `offset`): piece i of a stored file starts at i × 256 KiB. The upload and the bundle import store
 * with it.
 */
export async function* alignedPieces(body: AsyncIterable<Uint8Array>, offset: number): AsyncGenerator<Uint8Array> {
  let position = offset;
  for await (const part of body) {
    let rest = part;
    while (rest.byteLength > 0) {
      const room = evidenceChunkBytes - (position % evidenceChunkBytes);
      const taken = rest.subarray(0, Math.min(room, rest.byteLength));
      position += taken.byteLength;
      rest = rest.subarray(taken.byteLength);
      yield taken;
    }
  }
}

/** Checks a stored version by its content (the one rule, services/check-evidence-file.ts), reading only what the check needs. */
export function checkStoredEvidence(db: ServiceContext['db'], version: { id: string; fileName: string; size: number; mediaType: string }) {
  return checkEvidenceFile({
    name: version.fileName,
    size: version.size,
    ...(version.mediaType ? { claimedType: version.mediaType } : {}),
    read: (offset, length) => evidence.readEvidenceRange(db, version.id, offset, Math.max(0, Math.min(length, version.size - offset))),
  });
}

/** The hex SHA-256 of a stored version, read one piece at a time. */
async function hashOf(context: ServiceContext, versionId: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  for (let index = 0; index * evidenceChunkBytes < size; index++) {
    const chunk = await evidence.readEvidenceChunk(context.db, versionId, index);
    if (!chunk) break;
    hash.update(chunk);
  }
  return hash.digest('hex');
}

/**
 * Finishes an upload once every byte is there: the content decides the type (domain/evidence-file.ts);
 * a refused file is removed at once. Then, in one transaction under the Kommune's quota lock, the
 * quota is checked again and the version becomes the document's newest, visible one.
 */
export async function finishEvidenceUpload(context: ServiceContext, actor: Actor, slug: string, uploadId: string) {
  const { kommune, upload } = await requireUpload(context, actor, slug, uploadId);
  if (upload.received !== upload.size) {
    throw new DomainError('evidence-upload-incomplete', {
      message: `Die Datei „${upload.fileName.slice(0, 120)}“ ist erst zu ${Math.floor((upload.received / upload.size) * 100)} % hochgeladen. Bitte wählen Sie „Erneut versuchen“.`,
      current: { offset: upload.received, size: upload.size },
    });
  }
  const check = await checkStoredEvidence(context.db, upload);
  if (!check.ok) {
    await evidence.deleteStagedVersion(context.db, upload.id);
    throw new DomainError(check.status === 415 ? 'evidence-type-refused' : 'evidence-file-invalid', { message: check.message });
  }
  const sha256 = await hashOf(context, upload.id, upload.size);
  const limits = limitsOf(context);
  const now = context.now();
  const finished = await context.db.transaction(async (tx) => {
    await lockKeyForTransaction(tx, quotaKey(kommune.id));
    const document = await evidence.lockEvidenceDocument(tx, upload.documentId);
    const still = await evidence.findStagedVersion(tx, kommune.id, upload.id);
    if (!document || document.deletedAt || !still) return { refusal: new DomainError('evidence-upload-not-found') };
    // Every version counts, this one included (it was counted from its start).
    const used = await evidence.usedEvidenceBytes(tx, kommune.id);
    if (used > limits.quotaBytes) return { refusal: quotaRefusal(used - upload.size, limits.quotaBytes, upload.size) };
    const number = await evidence.markVersionReady(tx, { versionId: upload.id, documentId: document.id, fileName: check.fileName, mediaType: check.mediaType, sha256, now });
    await recordAudit(tx, {
      actorUserId: actor.userId,
      kommuneId: kommune.id,
      action: 'evidence.uploaded',
      details: { document: document.id, title: document.title, version: number, fileName: check.fileName, mediaType: check.mediaType, size: upload.size, sha256 },
    });
    return { refusal: null };
  });
  if (finished.refusal) {
    await evidence.deleteStagedVersion(context.db, upload.id);
    throw finished.refusal;
  }
  return getEvidence(context, actor, slug, upload.documentId);
}

/**
 * A version's bytes to send: its metadata and the pieces one after another, each read from the
 * database when the response wants it (never the whole file in memory).
 */
export async function openEvidenceVersion(context: ServiceContext, actor: Actor, slug: string, documentId: string, number: number) {
  const kommune = await requireKommune(context.db, actor, slug, 'evidence.read');
  const document = await requireVisibleDocument(context, actor, kommune, documentId);
  const version = await evidence.findReadyVersion(context.db, document.id, number);
  if (!version) throw new DomainError('evidence-not-found');
  const db = context.db;
  return { fileName: version.fileName, mediaType: version.mediaType, size: version.size, sha256: version.sha256!, chunks: () => storedEvidenceBytes(db, version) };
}

/** A stored version's bytes, one piece at a time, each read when it is wanted (download, bundle export). */
export async function* storedEvidenceBytes(db: ServiceContext['db'], version: { id: string; size: number }): AsyncGenerator<Uint8Array> {
  for (let index = 0; index * evidenceChunkBytes < version.size; index++) {
    const chunk = await evidence.readEvidenceChunk(db, version.id, index);
    if (!chunk) return;
    yield chunk;
  }
}

export interface EvidenceChanges {
  title?: string;
  documentDate?: string | null;
  releasedForReaders?: boolean;
}

/** Title and date: who uploads; the release for Lesende: who manages the round. */
export async function changeEvidence(context: ServiceContext, actor: Actor, slug: string, documentId: string, changes: EvidenceChanges) {
  const kommune = await requireKommune(context.db, actor, slug, 'evidence.upload');
  if (changes.releasedForReaders !== undefined && !can(actor, 'evidence.manage', kommune.id)) throw new DomainError('forbidden');
  const document = await requireVisibleDocument(context, actor, kommune, documentId);
  const values = {
    ...(changes.title !== undefined ? { title: changes.title } : {}),
    ...(changes.documentDate !== undefined ? { documentDate: changes.documentDate } : {}),
    ...(changes.releasedForReaders !== undefined ? { releasedForReaders: changes.releasedForReaders } : {}),
  };
  const updated = await evidence.updateEvidenceDocument(context.db, document.id, { ...values, updatedAt: context.now() });
  if (!updated) throw new DomainError('evidence-not-found');
  await recordAudit(context.db, {
    actorUserId: actor.userId,
    kommuneId: kommune.id,
    action: 'evidence.changed',
    details: { document: document.id, before: { title: document.title, documentDate: document.documentDate, releasedForReaders: document.releasedForReaders }, after: values },
  });
  return getEvidence(context, actor, slug, document.id);
}

/**
 * Deletes a Beleg: gone from every answer and criterion, its files removed (the space is free
 * again); the audit log keeps title, versions with name, size and hash, and who deleted it.
 */
export async function deleteEvidence(context: ServiceContext, actor: Actor, slug: string, documentId: string) {
  const kommune = await requireKommune(context.db, actor, slug, 'evidence.manage');
  const document = await requireVisibleDocument(context, actor, kommune, documentId);
  const removed = await evidence.deleteEvidenceDocument(context.db, document.id, { userId: actor.userId, now: context.now() });
  if (!removed) throw new DomainError('evidence-not-found');
  await recordAudit(context.db, {
    actorUserId: actor.userId,
    kommuneId: kommune.id,
    action: 'evidence.deleted',
    details: { document: document.id, title: document.title, links: removed.links, versions: removed.versions },
  });
  return { deleted: true as const, links: removed.links };
}

export interface EvidenceSubject {
  round: number;
  kind: NoteKind;
  key: string;
}

/**
 * The round, and the Handlungsfeld of the question or criterion: it must be in the round's catalog
 * version (422/400 otherwise), the round open and the field worked, like an answer; Mitwirkende only
 * on their fields.
 */
async function requireSubject(context: ServiceContext, actor: Actor, slug: string, subject: EvidenceSubject) {
  const loaded = await requireRound(context, actor, slug, subject.round, 'evidence.upload');
  const fieldKey = subjectFieldKey(loaded.catalog, subject.kind, subject.key);
  if (fieldKey === undefined) throw new DomainError(subject.kind === 'question' ? 'question-unknown' : 'criterion-unknown', { field: 'key' });
  if (!canLinkEvidence(actor, loaded.kommune.id, fieldKey)) throw new DomainError('field-not-assigned');
  if (loaded.round.status !== 'open') throw new DomainError('round-closed');
  if (!loaded.round.workedFieldKeys.includes(fieldKey)) throw new DomainError('field-not-worked');
  return loaded;
}

/** Links a Beleg to a question's answers or a criterion of a round (once; again is no change). */
export async function linkEvidence(context: ServiceContext, actor: Actor, slug: string, documentId: string, subject: EvidenceSubject) {
  const { kommune, round } = await requireSubject(context, actor, slug, subject);
  const document = await requireVisibleDocument(context, actor, kommune, documentId);
  const isNew = await evidence.insertEvidenceLink(context.db, { documentId: document.id, roundId: round.id, kind: subject.kind, key: subject.key, createdBy: actor.userId });
  if (isNew) {
    await recordAudit(context.db, { actorUserId: actor.userId, kommuneId: kommune.id, action: 'evidence.linked', details: { document: document.id, round: round.number, kind: subject.kind, key: subject.key } });
  }
  return getEvidence(context, actor, slug, document.id);
}

/** Removes a Beleg from a question or criterion of a round. */
export async function unlinkEvidence(context: ServiceContext, actor: Actor, slug: string, documentId: string, subject: EvidenceSubject) {
  const { kommune, round } = await requireSubject(context, actor, slug, subject);
  const document = await requireVisibleDocument(context, actor, kommune, documentId);
  const existed = await evidence.deleteEvidenceLink(context.db, { documentId: document.id, roundId: round.id, kind: subject.kind, key: subject.key });
  if (!existed) throw new DomainError('not-found');
  await recordAudit(context.db, { actorUserId: actor.userId, kommuneId: kommune.id, action: 'evidence.unlinked', details: { document: document.id, round: round.number, kind: subject.kind, key: subject.key } });
  return getEvidence(context, actor, slug, document.id);
}

/** Removes uploads staged for more than 24 hours, with their bytes (and documents that never became visible). */
export async function sweepStagedEvidence(context: ServiceContext): Promise<{ deleted: number }> {
  const deleted = await evidence.deleteStaleStagedVersions(context.db, new Date(context.now().getTime() - stagedUploadLifetimeMs));
  if (deleted > 0) context.log(`Belege: ${deleted} abgebrochene Uploads nach 24 Stunden entfernt`);
  return { deleted };
}

/** The hourly sweep of abandoned uploads (the server's timer). */
export function startEvidenceSweep(context: ServiceContext, intervalMs = 60 * 60_000): { stop(): void } {
  // Also the folders of uploaded bundle archives that a killed process left in the temporary directory.
  return startPeriodic(context, 'Aufräumen abgebrochener Belege-Uploads fehlgeschlagen', () => Promise.all([sweepStagedEvidence(context), sweepBundleTempFolders()]), intervalMs);
}
