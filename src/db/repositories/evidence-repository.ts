import { and, asc, desc, eq, getTableColumns, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { evidenceChunk, evidenceDocument, evidenceLink, evidenceVersion, round, user } from '../schema.ts';

/**
 * Bytes per stored piece of a file. Piece i holds the bytes from i × evidenceChunkBytes on, so a
 * range is found by arithmetic, and a file is read and written one piece at a time.
 */
export const evidenceChunkBytes = 256 * 1024;

export type EvidenceDocumentRow = typeof evidenceDocument.$inferSelect;
export type EvidenceVersionRow = typeof evidenceVersion.$inferSelect;

/** Bytes the Kommune's Belege take: every version, old, current and still arriving. */
export async function usedEvidenceBytes(db: Database, kommuneId: string): Promise<number> {
  const [row] = await db
    .select({ used: sql<string | number | null>`sum(${evidenceVersion.size})` })
    .from(evidenceVersion)
    .where(eq(evidenceVersion.kommuneId, kommuneId));
  return Number(row?.used ?? 0);
}

export async function insertEvidenceDocument(db: Database, values: typeof evidenceDocument.$inferInsert): Promise<EvidenceDocumentRow> {
  const [row] = await db.insert(evidenceDocument).values(values).returning();
  return row!;
}

export async function insertStagedVersion(db: Database, values: typeof evidenceVersion.$inferInsert): Promise<EvidenceVersionRow> {
  const [row] = await db.insert(evidenceVersion).values({ ...values, state: 'staged', received: 0 }).returning();
  return row!;
}

/** A document of the Kommune that is not deleted (visible or with its first upload still staged). */
export async function findEvidenceDocument(db: Database, kommuneId: string, documentId: string): Promise<EvidenceDocumentRow | undefined> {
  const [row] = await db
    .select()
    .from(evidenceDocument)
    .where(and(eq(evidenceDocument.id, documentId), eq(evidenceDocument.kommuneId, kommuneId), isNull(evidenceDocument.deletedAt)));
  return row;
}

/** A staged upload of the Kommune. */
export async function findStagedVersion(db: Database, kommuneId: string, versionId: string): Promise<EvidenceVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(evidenceVersion)
    .where(and(eq(evidenceVersion.id, versionId), eq(evidenceVersion.kommuneId, kommuneId), eq(evidenceVersion.state, 'staged')));
  return row;
}

/**
 * Stores bytes at `offset` if that is where the upload stands, in one transaction with the new
 * offset: the version row is updated first (its lock orders two writers of one upload), so the
 * stored offset always equals the bytes stored. `bytes` must not cross a piece boundary.
 * Returns the new offset, or undefined when the upload is gone, finished or stands elsewhere.
 */
export async function appendEvidenceBytes(db: Database, versionId: string, offset: number, bytes: Uint8Array): Promise<number | undefined> {
  return db.transaction(async (tx) => {
    const [moved] = await tx
      .update(evidenceVersion)
      .set({ received: sql`${evidenceVersion.received} + ${bytes.byteLength}` })
      .where(and(eq(evidenceVersion.id, versionId), eq(evidenceVersion.state, 'staged'), eq(evidenceVersion.received, offset), sql`${evidenceVersion.received} + ${bytes.byteLength} <= ${evidenceVersion.size}`))
      .returning({ received: evidenceVersion.received });
    if (!moved) return undefined;
    const index = Math.floor(offset / evidenceChunkBytes);
    if (offset % evidenceChunkBytes === 0) {
      await tx.insert(evidenceChunk).values({ versionId, index, data: bytes });
    } else {
      await tx
        .update(evidenceChunk)
        .set({ data: sql`${evidenceChunk.data} || ${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)}::bytea` })
        .where(and(eq(evidenceChunk.versionId, versionId), eq(evidenceChunk.index, index)));
    }
    return Number(moved.received);
  });
}

/** The current offset of an upload; undefined when it is gone. */
export async function uploadOffset(db: Database, versionId: string): Promise<number | undefined> {
  const [row] = await db.select({ received: evidenceVersion.received }).from(evidenceVersion).where(eq(evidenceVersion.id, versionId));
  return row ? Number(row.received) : undefined;
}

/** One stored piece of a version (undefined past the end). */
export async function readEvidenceChunk(db: Database, versionId: string, index: number): Promise<Uint8Array | undefined> {
  const [row] = await db
    .select({ data: evidenceChunk.data })
    .from(evidenceChunk)
    .where(and(eq(evidenceChunk.versionId, versionId), eq(evidenceChunk.index, index)));
  return row?.data;
}

/** The bytes of [offset, offset + length) of a version, from the pieces that hold them. */
export async function readEvidenceRange(db: Database, versionId: string, offset: number, length: number): Promise<Uint8Array> {
  if (length <= 0) return new Uint8Array(0);
  const first = Math.floor(offset / evidenceChunkBytes);
  const last = Math.floor((offset + length - 1) / evidenceChunkBytes);
  const rows = await db
    .select({ index: evidenceChunk.index, data: evidenceChunk.data })
    .from(evidenceChunk)
    .where(and(eq(evidenceChunk.versionId, versionId), sql`${evidenceChunk.index} between ${first} and ${last}`))
    .orderBy(asc(evidenceChunk.index));
  const result = new Uint8Array(length);
  let filled = 0;
  for (const row of rows) {
    const start = row.index * evidenceChunkBytes;
    const from = Math.max(offset, start) - start;
    const to = Math.min(offset + length, start + row.data.byteLength) - start;
    if (to <= from) continue;
    result.set(row.data.subarray(from, to), start + from - offset);
    filled = Math.max(filled, start + to - offset);
  }
  return result.subarray(0, filled);
}

/**
 * Turns a staged version into the document's newest ready one: the next number, the checked name
 * and type, the hash; the document shows it. Call inside the finishing transaction.
 */
export async function markVersionReady(db: Database, input: { versionId: string; documentId: string; fileName: string; mediaType: string; sha256: string; now: Date }): Promise<number> {
  const [next] = await db
    .select({ number: sql<number>`coalesce(max(${evidenceVersion.number}), 0) + 1` })
    .from(evidenceVersion)
    .where(eq(evidenceVersion.documentId, input.documentId));
  const number = Number(next!.number);
  await db
    .update(evidenceVersion)
    .set({ state: 'ready', number, fileName: input.fileName, mediaType: input.mediaType, sha256: input.sha256, uploadedAt: input.now })
    .where(eq(evidenceVersion.id, input.versionId));
  await db.update(evidenceDocument).set({ currentVersion: number, updatedAt: input.now }).where(eq(evidenceDocument.id, input.documentId));
  return number;
}

/** Locks the document row (finishing an upload, deleting), so the two do not cross. */
export async function lockEvidenceDocument(db: Database, documentId: string): Promise<EvidenceDocumentRow | undefined> {
  const [row] = await db.select().from(evidenceDocument).where(eq(evidenceDocument.id, documentId)).for('update');
  return row;
}

/** Removes a staged upload with its bytes; a document that never became visible goes with it. */
export async function deleteStagedVersion(db: Database, versionId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [gone] = await tx.delete(evidenceVersion).where(and(eq(evidenceVersion.id, versionId), eq(evidenceVersion.state, 'staged'))).returning({ documentId: evidenceVersion.documentId });
    if (gone) await deleteEmptyInvisibleDocuments(tx, [gone.documentId]);
  });
}

async function deleteEmptyInvisibleDocuments(db: Database, documentIds: string[]): Promise<void> {
  if (documentIds.length === 0) return;
  await db
    .delete(evidenceDocument)
    .where(
      and(
        inArray(evidenceDocument.id, documentIds),
        isNull(evidenceDocument.currentVersion),
        sql`not exists (select 1 from ${evidenceVersion} where ${evidenceVersion.documentId} = ${evidenceDocument.id})`,
      ),
    );
}

/** Staged uploads begun before `before` (a closed tab, a killed process): removed with their bytes. */
export async function deleteStaleStagedVersions(db: Database, before: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const gone = await tx
      .delete(evidenceVersion)
      .where(and(eq(evidenceVersion.state, 'staged'), lt(evidenceVersion.uploadedAt, before)))
      .returning({ documentId: evidenceVersion.documentId });
    await deleteEmptyInvisibleDocuments(tx, [...new Set(gone.map((entry) => entry.documentId))]);
    return gone.length;
  });
}

/** The visible documents of a Kommune (released ones only, if asked), newest first. */
export async function listEvidenceDocuments(db: Database, kommuneId: string, options: { releasedOnly: boolean }) {
  return db
    .select()
    .from(evidenceDocument)
    .where(
      and(
        eq(evidenceDocument.kommuneId, kommuneId),
        isNull(evidenceDocument.deletedAt),
        sql`${evidenceDocument.currentVersion} is not null`,
        options.releasedOnly ? eq(evidenceDocument.releasedForReaders, true) : undefined,
      ),
    )
    .orderBy(desc(evidenceDocument.updatedAt), asc(evidenceDocument.id));
}

/** The ready versions of documents, newest first, without their bytes, with the uploader's name. */
export async function listReadyVersions(db: Database, documentIds: string[]): Promise<(EvidenceVersionRow & { uploadedByName: string | null })[]> {
  if (documentIds.length === 0) return [];
  return db
    .select({ ...getTableColumns(evidenceVersion), uploadedByName: user.name })
    .from(evidenceVersion)
    .leftJoin(user, eq(user.id, evidenceVersion.uploadedBy))
    .where(and(inArray(evidenceVersion.documentId, documentIds), eq(evidenceVersion.state, 'ready')))
    .orderBy(asc(evidenceVersion.documentId), desc(evidenceVersion.number));
}

export async function findReadyVersion(db: Database, documentId: string, number: number): Promise<EvidenceVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(evidenceVersion)
    .where(and(eq(evidenceVersion.documentId, documentId), eq(evidenceVersion.number, number), eq(evidenceVersion.state, 'ready')));
  return row;
}

/** The links of documents, with the round's number. */
export async function listEvidenceLinks(db: Database, documentIds: string[]) {
  if (documentIds.length === 0) return [];
  return db
    .select({ documentId: evidenceLink.documentId, roundNumber: round.number, kind: evidenceLink.kind, key: evidenceLink.key })
    .from(evidenceLink)
    .innerJoin(round, eq(round.id, evidenceLink.roundId))
    .where(inArray(evidenceLink.documentId, documentIds))
    .orderBy(asc(round.number), asc(evidenceLink.kind), asc(evidenceLink.key));
}

/** Links a document; true when the link is new. */
export async function insertEvidenceLink(db: Database, values: { documentId: string; roundId: string; kind: string; key: string; createdBy: string }): Promise<boolean> {
  const rows = await db.insert(evidenceLink).values(values).onConflictDoNothing().returning({ key: evidenceLink.key });
  return rows.length > 0;
}

/** Removes a link; true when there was one. */
export async function deleteEvidenceLink(db: Database, values: { documentId: string; roundId: string; kind: string; key: string }): Promise<boolean> {
  const rows = await db
    .delete(evidenceLink)
    .where(and(eq(evidenceLink.documentId, values.documentId), eq(evidenceLink.roundId, values.roundId), eq(evidenceLink.kind, values.kind), eq(evidenceLink.key, values.key)))
    .returning({ key: evidenceLink.key });
  return rows.length > 0;
}

export async function updateEvidenceDocument(
  db: Database,
  documentId: string,
  values: Partial<Pick<EvidenceDocumentRow, 'title' | 'documentDate' | 'releasedForReaders'>> & { updatedAt: Date },
): Promise<EvidenceDocumentRow | undefined> {
  const [row] = await db
    .update(evidenceDocument)
    .set(values)
    .where(and(eq(evidenceDocument.id, documentId), isNull(evidenceDocument.deletedAt)))
    .returning();
  return row;
}

/**
 * Deletes a document: the row stays (title, who and when, for the log), its versions with their
 * bytes and its links go, so the space is free again. Returns what was removed.
 */
export async function deleteEvidenceDocument(db: Database, documentId: string, input: { userId: string; now: Date }) {
  return db.transaction(async (tx) => {
    const [document] = await tx
      .update(evidenceDocument)
      .set({ deletedAt: input.now, deletedBy: input.userId, updatedAt: input.now, currentVersion: null, releasedForReaders: false })
      .where(and(eq(evidenceDocument.id, documentId), isNull(evidenceDocument.deletedAt)))
      .returning();
    if (!document) return undefined;
    const links = await tx.delete(evidenceLink).where(eq(evidenceLink.documentId, documentId)).returning({ key: evidenceLink.key });
    const versions = await tx
      .delete(evidenceVersion)
      .where(eq(evidenceVersion.documentId, documentId))
      .returning({ number: evidenceVersion.number, size: evidenceVersion.size, sha256: evidenceVersion.sha256, fileName: evidenceVersion.fileName });
    return { document, links: links.length, versions: versions.filter((entry) => entry.number !== null) };
  });
}

/** Everything of a Kommune's Belege for its bundle: visible documents, their ready versions (without bytes) and links. */
export async function readEvidenceForBundle(db: Database, kommuneId: string) {
  const documents = await db
    .select()
    .from(evidenceDocument)
    .where(and(eq(evidenceDocument.kommuneId, kommuneId), isNull(evidenceDocument.deletedAt), sql`${evidenceDocument.currentVersion} is not null`))
    .orderBy(asc(evidenceDocument.createdAt), asc(evidenceDocument.id));
  const ids = documents.map((document) => document.id);
  const versions = ids.length
    ? await db
        .select()
        .from(evidenceVersion)
        .where(and(inArray(evidenceVersion.documentId, ids), eq(evidenceVersion.state, 'ready')))
        .orderBy(asc(evidenceVersion.documentId), asc(evidenceVersion.number))
    : [];
  return { documents, versions, links: await listEvidenceLinks(db, ids) };
}

/** Links written by an import, all at once. */
export async function insertEvidenceLinks(db: Database, rows: { documentId: string; roundId: string; kind: string; key: string; createdBy: string | null; createdAt: Date }[]): Promise<void> {
  if (rows.length) await db.insert(evidenceLink).values(rows).onConflictDoNothing();
}

/** An imported version becomes ready with the number, name, type and hash the bundle gives (checked against its bytes). */
export async function markImportedVersionReady(db: Database, input: { versionId: string; number: number; fileName: string; mediaType: string; sha256: string; uploadedAt: Date }): Promise<boolean> {
  const rows = await db
    .update(evidenceVersion)
    .set({ state: 'ready', number: input.number, fileName: input.fileName, mediaType: input.mediaType, sha256: input.sha256, uploadedAt: input.uploadedAt })
    .where(and(eq(evidenceVersion.id, input.versionId), eq(evidenceVersion.state, 'staged')))
    .returning({ id: evidenceVersion.id });
  return rows.length === 1;
}

/** The document shows this version from now on. */
export async function setCurrentEvidenceVersion(db: Database, documentId: string, number: number): Promise<void> {
  await db.update(evidenceDocument).set({ currentVersion: number }).where(eq(evidenceDocument.id, documentId));
}

/** A ready version of the Kommune with these bytes (the bundle carries a file once, by its hash). */
export async function findReadyVersionByHash(db: Database, kommuneId: string, sha256: string): Promise<EvidenceVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(evidenceVersion)
    .where(and(eq(evidenceVersion.kommuneId, kommuneId), eq(evidenceVersion.sha256, sha256), eq(evidenceVersion.state, 'ready')))
    .limit(1);
  return row;
}
