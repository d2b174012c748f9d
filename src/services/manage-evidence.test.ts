import { createHash } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { strToU8 } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../domain/access.ts';
import { DomainError } from '../domain/errors.ts';
import { auditEvent, evidenceChunk, evidenceDocument, evidenceLink, evidenceVersion } from '../db/schema.ts';
import { createTestRuntime, testDatabaseKind, type TestRuntime } from '../../tests/support/database.ts';
import { minimalDocx, minimalPdf } from '../../tests/support/belege.ts';
import { makeKommune, makePerson } from '../../tests/support/factories.ts';
import {
  changeEvidence,
  deleteEvidence,
  evidenceUploadOffset,
  finishEvidenceUpload,
  getEvidence,
  linkEvidence,
  listEvidence,
  openEvidenceVersion,
  putEvidenceBytes,
  startEvidenceUpload,
  sweepStagedEvidence,
  unlinkEvidence,
} from './manage-evidence.ts';
import { startRound } from './manage-rounds.ts';
import { getReport } from './generate-report.ts';
import { getDocument, saveDocument } from './manage-documents.ts';
import { reportPlainText } from '../domain/report.ts';

let runtime: TestRuntime;
let kommune: { id: string; slug: string };
let koordination: Actor;
let mitwirkende: Actor;
let lesende: Actor;
let prozessbegleitung: Actor;
let roundNumber: number;

const member = (userId: string, role: 'koordination' | 'mitwirkende' | 'lesende', fieldKeys: string[] | null = null): Actor => ({
  userId,
  programmeRole: null,
  assignedKommuneIds: [],
  memberships: [{ kommuneId: kommune.id, role, fieldKeys }],
});

beforeAll(async () => {
  runtime = await createTestRuntime();
  kommune = await makeKommune(runtime);
  koordination = member((await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } })).userId, 'koordination');
  mitwirkende = member((await makePerson(runtime, { kommune: { id: kommune.id, role: 'mitwirkende', fieldKeys: ['2'] } })).userId, 'mitwirkende', ['2']);
  lesende = member((await makePerson(runtime, { kommune: { id: kommune.id, role: 'lesende' } })).userId, 'lesende');
  const begleitung = await makePerson(runtime, { programme: 'prozessbegleitung', assigned: [kommune.id] });
  prozessbegleitung = { userId: begleitung.userId, programmeRole: 'prozessbegleitung', assignedKommuneIds: [kommune.id], memberships: [] };
  roundNumber = (await startRound(runtime.services, koordination, kommune.slug, { workedFieldKeys: ['1', '2'], periodStart: null, periodEnd: null, participants: '' })).number;
});
afterAll(() => runtime?.close());
afterEach(() => {
  delete runtime.services.evidenceLimits;
});

const pdf = minimalPdf;
const docx = () => minimalDocx();

/** The bytes in uneven pieces, as a network delivers them. */
async function* pieces(bytes: Uint8Array, size = 70_001): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function upload(actor: Actor, bytes: Uint8Array, options: { title?: string; fileName?: string; mediaType?: string; partBytes?: number; documentId?: string } = {}) {
  const started = await startEvidenceUpload(runtime.services, actor, kommune.slug, {
    ...(options.documentId ? { documentId: options.documentId } : { title: options.title ?? 'Ratsbeschluss Integrationskonzept', documentDate: '2026-03-12' }),
    fileName: options.fileName ?? 'Ratsbeschluss.pdf',
    size: bytes.length,
    mediaType: options.mediaType ?? 'application/pdf',
  });
  const part = options.partBytes ?? 1024 * 1024;
  for (let offset = 0; offset < bytes.length; offset += part) {
    const result = await putEvidenceBytes(runtime.services, actor, kommune.slug, started.uploadId, offset, pieces(bytes.subarray(offset, offset + part)));
    expect(result.offset).toBe(Math.min(offset + part, bytes.length));
  }
  return { started, document: await finishEvidenceUpload(runtime.services, actor, kommune.slug, started.uploadId) };
}

async function downloaded(actor: Actor, documentId: string, number: number): Promise<Buffer> {
  const file = await openEvidenceVersion(runtime.services, actor, kommune.slug, documentId, number);
  const parts: Uint8Array[] = [];
  for await (const chunk of file.chunks()) parts.push(chunk);
  return Buffer.concat(parts);
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe(`Belege: storage and upload (${testDatabaseKind})`, () => {
  it('an upload in several PUTs of uneven pieces is stored in 256 KiB pieces and downloads byte for byte, with its hash', async () => {
    const bytes = pdf(700_000);
    const { document } = await upload(mitwirkende, bytes, { partBytes: 300_000 });
    expect(document.current).toMatchObject({ number: 1, fileName: 'Ratsbeschluss.pdf', mediaType: 'application/pdf', size: 700_000, sha256: sha256(bytes) });
    expect(document.documentDate).toBe('2026-03-12');
    const chunks = await runtime.services.db
      .select({ index: evidenceChunk.index, data: evidenceChunk.data })
      .from(evidenceChunk)
      .innerJoin(evidenceVersion, eq(evidenceVersion.id, evidenceChunk.versionId))
      .where(eq(evidenceVersion.documentId, document.id));
    expect(chunks.map((chunk) => chunk.data.byteLength).sort((a, b) => b - a)).toEqual([262_144, 262_144, 175_712]);
    expect((await downloaded(koordination, document.id, 1)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('a PUT at a wrong offset gets 409 with the stored offset; the upload resumes from there', async () => {
    const bytes = pdf(400_000);
    const started = await startEvidenceUpload(runtime.services, koordination, kommune.slug, { title: 'Monitoringbericht', fileName: 'monitoring.pdf', size: bytes.length });
    await putEvidenceBytes(runtime.services, koordination, kommune.slug, started.uploadId, 0, pieces(bytes.subarray(0, 100_000)));
    // The answer to that PUT was lost; the browser sends the same part again.
    const again = await refusal(putEvidenceBytes(runtime.services, koordination, kommune.slug, started.uploadId, 0, pieces(bytes.subarray(0, 100_000))));
    expect(again.code).toBe('evidence-offset');
    expect(again.detail?.current).toEqual({ offset: 100_000, size: 400_000 });
    expect(await evidenceUploadOffset(runtime.services, koordination, kommune.slug, started.uploadId)).toEqual({ offset: 100_000, size: 400_000 });
    // Finishing too early is refused, and nothing is lost.
    expect((await refusal(finishEvidenceUpload(runtime.services, koordination, kommune.slug, started.uploadId))).code).toBe('evidence-upload-incomplete');
    await putEvidenceBytes(runtime.services, koordination, kommune.slug, started.uploadId, 100_000, pieces(bytes.subarray(100_000), 33_333));
    // More bytes than announced are refused.
    expect((await refusal(putEvidenceBytes(runtime.services, koordination, kommune.slug, started.uploadId, 400_000, pieces(new Uint8Array(10)))) ).code).toBe('evidence-upload-overflow');
    const document = await finishEvidenceUpload(runtime.services, koordination, kommune.slug, started.uploadId);
    expect(document.current!.sha256).toBe(sha256(bytes));
    expect((await downloaded(koordination, document.id, 1)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('two PUTs of the same part at once: one stores it, the other gets 409 with the offset, and no byte is stored twice', async () => {
    const bytes = pdf(600_000);
    const started = await startEvidenceUpload(runtime.services, koordination, kommune.slug, { title: 'Doppelt gesendet', fileName: 'doppelt.pdf', size: bytes.length });
    const results = await Promise.allSettled([0, 1].map(() => putEvidenceBytes(runtime.services, koordination, kommune.slug, started.uploadId, 0, pieces(bytes.subarray(0, 500_000)))));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as DomainError).code).toBe('evidence-offset');
    expect(await evidenceUploadOffset(runtime.services, koordination, kommune.slug, started.uploadId)).toEqual({ offset: 500_000, size: 600_000 });
    await putEvidenceBytes(runtime.services, koordination, kommune.slug, started.uploadId, 500_000, pieces(bytes.subarray(500_000)));
    const document = await finishEvidenceUpload(runtime.services, koordination, kommune.slug, started.uploadId);
    expect((await downloaded(koordination, document.id, 1)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('a DOCX is recognised by its content; HTML named .pdf is refused and its staged upload removed', async () => {
    const word = docx();
    const { document } = await upload(koordination, word, { title: 'Integrationskonzept', fileName: 'Konzept.docx', mediaType: '' });
    expect(document.current!.mediaType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect((await downloaded(koordination, document.id, 1)).equals(Buffer.from(word))).toBe(true);

    const html = strToU8('<html><script>alert(1)</script></html>');
    const started = await startEvidenceUpload(runtime.services, koordination, kommune.slug, { title: 'Getarnt', fileName: 'beschluss.pdf', size: html.length, mediaType: 'application/pdf' });
    await putEvidenceBytes(runtime.services, koordination, kommune.slug, started.uploadId, 0, pieces(html));
    const refused = await refusal(finishEvidenceUpload(runtime.services, koordination, kommune.slug, started.uploadId));
    expect(refused.code).toBe('evidence-type-refused');
    expect(refused.message).toMatch(/beschluss\.pdf/);
    expect(await runtime.services.db.select().from(evidenceVersion).where(eq(evidenceVersion.id, started.uploadId))).toEqual([]);
    expect(await runtime.services.db.select().from(evidenceDocument).where(eq(evidenceDocument.id, started.documentId))).toEqual([]);
  });

  it('a new version keeps the old one in the history', async () => {
    const { document } = await upload(koordination, pdf(1000), { title: 'Haushaltsbeschluss' });
    const second = pdf(2000);
    const { document: updated } = await upload(mitwirkende, second, { documentId: document.id, fileName: 'Haushalt 2026 (neu).pdf' });
    expect(updated.current).toMatchObject({ number: 2, fileName: 'Haushalt 2026 (neu).pdf', size: 2000 });
    expect(updated.versions.map((version) => version.number)).toEqual([2, 1]);
    expect(updated.totalBytes).toBe(3000);
    expect((await downloaded(koordination, document.id, 2)).equals(Buffer.from(second))).toBe(true);
    expect((await downloaded(koordination, document.id, 1)).length).toBe(1000);
  });

  it('too big and over the quota are refused before a byte is sent, with German messages', async () => {
    runtime.services.evidenceLimits = { maxBytes: 5000, quotaBytes: 10 * 1024 * 1024 };
    const big = await refusal(startEvidenceUpload(runtime.services, koordination, kommune.slug, { title: 'Groß', fileName: 'gross.pdf', size: 5001 }));
    expect(big.code).toBe('evidence-too-large');
    expect(big.message).toMatch(/^Die Datei „gross\.pdf“ ist zu groß/);

    const used = (await listEvidence(runtime.services, koordination, kommune.slug)).usedBytes;
    runtime.services.evidenceLimits = { maxBytes: 1024 * 1024, quotaBytes: used + 1500 };
    await upload(koordination, pdf(1000), { title: 'Passt noch' });
    const full = await refusal(startEvidenceUpload(runtime.services, koordination, kommune.slug, { title: 'Passt nicht', fileName: 'voll.pdf', size: 1000 }));
    expect(full.code).toBe('evidence-quota');
    expect(full.message).toMatch(/^Der Speicher für Belege dieser Kommune ist voll/);
  });

  it('the quota is checked again when finishing (a staged upload counts; a lowered quota refuses and removes it)', async () => {
    const started = await startEvidenceUpload(runtime.services, koordination, kommune.slug, { title: 'Spät', fileName: 'spaet.pdf', size: 1000 });
    await putEvidenceBytes(runtime.services, koordination, kommune.slug, started.uploadId, 0, pieces(pdf(1000)));
    const used = (await listEvidence(runtime.services, koordination, kommune.slug)).usedBytes;
    runtime.services.evidenceLimits = { maxBytes: 1024 * 1024, quotaBytes: used - 1 };
    expect((await refusal(finishEvidenceUpload(runtime.services, koordination, kommune.slug, started.uploadId))).code).toBe('evidence-quota');
    expect(await runtime.services.db.select().from(evidenceVersion).where(eq(evidenceVersion.id, started.uploadId))).toEqual([]);
  });

  it('the sweep removes uploads staged for more than 24 hours, with their bytes; younger ones stay', async () => {
    const old = await startEvidenceUpload(runtime.services, koordination, kommune.slug, { title: 'Abgebrochen', fileName: 'alt.pdf', size: 300_000 });
    await putEvidenceBytes(runtime.services, koordination, kommune.slug, old.uploadId, 0, pieces(pdf(300_000).subarray(0, 270_000)));
    await runtime.services.db.update(evidenceVersion).set({ uploadedAt: new Date(Date.now() - 25 * 3600_000) }).where(eq(evidenceVersion.id, old.uploadId));
    const young = await startEvidenceUpload(runtime.services, koordination, kommune.slug, { title: 'Läuft noch', fileName: 'neu.pdf', size: 1000 });
    expect(await sweepStagedEvidence(runtime.services)).toEqual({ deleted: 1 });
    expect(await runtime.services.db.select().from(evidenceChunk).where(eq(evidenceChunk.versionId, old.uploadId))).toEqual([]);
    expect(await runtime.services.db.select().from(evidenceDocument).where(eq(evidenceDocument.id, old.documentId))).toEqual([]);
    expect((await refusal(evidenceUploadOffset(runtime.services, koordination, kommune.slug, old.uploadId))).code).toBe('evidence-upload-not-found');
    expect(await evidenceUploadOffset(runtime.services, koordination, kommune.slug, young.uploadId)).toEqual({ offset: 0, size: 1000 });
    // A staged upload is in no list.
    const titles = (await listEvidence(runtime.services, koordination, kommune.slug)).documents.map((document) => document.title);
    expect(titles).not.toContain('Läuft noch');
  });
});

describe(`Belege: links, release, deletion (${testDatabaseKind})`, () => {
  it('one document backs several answers and a criterion; Mitwirkende link only in their fields; unknown keys are refused', async () => {
    const { document } = await upload(koordination, pdf(800), { title: 'Integrationskonzept 2025' });
    for (const key of ['2.1.1', '2.1.2', '1.1.1']) await linkEvidence(runtime.services, koordination, kommune.slug, document.id, { round: roundNumber, kind: 'question', key });
    const linked = await linkEvidence(runtime.services, mitwirkende, kommune.slug, document.id, { round: roundNumber, kind: 'criterion', key: '2.1' });
    expect(linked.links).toEqual([
      { round: roundNumber, kind: 'criterion', key: '2.1' },
      { round: roundNumber, kind: 'question', key: '1.1.1' },
      { round: roundNumber, kind: 'question', key: '2.1.1' },
      { round: roundNumber, kind: 'question', key: '2.1.2' },
    ]);
    // Linking again changes nothing.
    expect((await linkEvidence(runtime.services, koordination, kommune.slug, document.id, { round: roundNumber, kind: 'question', key: '2.1.1' })).links).toHaveLength(4);
    expect((await refusal(linkEvidence(runtime.services, mitwirkende, kommune.slug, document.id, { round: roundNumber, kind: 'question', key: '1.1.2' }))).code).toBe('field-not-assigned');
    expect((await refusal(linkEvidence(runtime.services, koordination, kommune.slug, document.id, { round: roundNumber, kind: 'question', key: '9.9.9' }))).code).toBe('question-unknown');
    expect((await refusal(linkEvidence(runtime.services, koordination, kommune.slug, document.id, { round: roundNumber, kind: 'criterion', key: '9.9' }))).code).toBe('criterion-unknown');
    expect((await refusal(linkEvidence(runtime.services, koordination, kommune.slug, document.id, { round: roundNumber, kind: 'question', key: '3.1.1' }))).code).toBe('field-not-worked');
    expect((await refusal(linkEvidence(runtime.services, lesende, kommune.slug, document.id, { round: roundNumber, kind: 'question', key: '2.1.1' }))).code).toBe('forbidden');
    expect((await refusal(linkEvidence(runtime.services, koordination, kommune.slug, document.id, { round: roundNumber + 5, kind: 'question', key: '2.1.1' }))).code).toBe('round-not-found');
    const unlinked = await unlinkEvidence(runtime.services, koordination, kommune.slug, document.id, { round: roundNumber, kind: 'question', key: '1.1.1' });
    expect(unlinked.links).toHaveLength(3);
    expect((await refusal(unlinkEvidence(runtime.services, koordination, kommune.slug, document.id, { round: roundNumber, kind: 'question', key: '1.1.1' }))).code).toBe('not-found');
  });

  it('Lesende see a document only once the Koordination released it; Mitwirkende may not release', async () => {
    const { document } = await upload(koordination, pdf(900), { title: 'Nur intern' });
    const ids = async (actor: Actor) => (await listEvidence(runtime.services, actor, kommune.slug)).documents.map((entry) => entry.id);
    expect(await ids(lesende)).not.toContain(document.id);
    expect(await ids(prozessbegleitung)).toContain(document.id);
    expect(await ids(mitwirkende)).toContain(document.id);
    expect((await refusal(getEvidence(runtime.services, lesende, kommune.slug, document.id))).code).toBe('evidence-not-found');
    expect((await refusal(openEvidenceVersion(runtime.services, lesende, kommune.slug, document.id, 1))).code).toBe('evidence-not-found');
    expect((await refusal(changeEvidence(runtime.services, mitwirkende, kommune.slug, document.id, { releasedForReaders: true }))).code).toBe('forbidden');
    const renamed = await changeEvidence(runtime.services, mitwirkende, kommune.slug, document.id, { title: 'Ratsbeschluss vom 12. März', documentDate: null });
    expect(renamed).toMatchObject({ title: 'Ratsbeschluss vom 12. März', documentDate: null, releasedForReaders: false });
    await changeEvidence(runtime.services, koordination, kommune.slug, document.id, { releasedForReaders: true });
    expect(await ids(lesende)).toContain(document.id);
    expect((await downloaded(lesende, document.id, 1)).length).toBe(900);
  });

  it('deleting removes the document from every answer, frees its space and leaves a log entry', async () => {
    const { document } = await upload(koordination, pdf(1200), { title: 'Veraltet' });
    await linkEvidence(runtime.services, koordination, kommune.slug, document.id, { round: roundNumber, kind: 'question', key: '2.2.1' });
    await linkEvidence(runtime.services, koordination, kommune.slug, document.id, { round: roundNumber, kind: 'criterion', key: '2.2' });
    const before = (await listEvidence(runtime.services, koordination, kommune.slug)).usedBytes;
    expect((await refusal(deleteEvidence(runtime.services, mitwirkende, kommune.slug, document.id))).code).toBe('forbidden');
    expect(await deleteEvidence(runtime.services, koordination, kommune.slug, document.id)).toEqual({ deleted: true, links: 2 });
    expect(await runtime.services.db.select().from(evidenceLink).where(eq(evidenceLink.documentId, document.id))).toEqual([]);
    expect((await listEvidence(runtime.services, koordination, kommune.slug)).usedBytes).toBe(before - 1200);
    expect((await refusal(getEvidence(runtime.services, koordination, kommune.slug, document.id))).code).toBe('evidence-not-found');
    expect((await refusal(openEvidenceVersion(runtime.services, koordination, kommune.slug, document.id, 1))).code).toBe('evidence-not-found');
    const [row] = await runtime.services.db.select().from(evidenceDocument).where(eq(evidenceDocument.id, document.id));
    expect(row).toMatchObject({ title: 'Veraltet', deletedBy: koordination.userId });
    const [logged] = await runtime.services.db.select({ value: count() }).from(auditEvent).where(and(eq(auditEvent.action, 'evidence.deleted'), eq(auditEvent.kommuneId, kommune.id)));
    expect(logged!.value).toBe(1);
  });

  it("another Kommune's document is not found under this Kommune's name", async () => {
    const other = await makeKommune(runtime);
    const otherKoordination: Actor = { userId: koordination.userId, programmeRole: 'programmteam', assignedKommuneIds: [], memberships: [] };
    const foreign = await startEvidenceUpload(runtime.services, otherKoordination, other.slug, { title: 'Fremd', fileName: 'fremd.pdf', size: 600 });
    await putEvidenceBytes(runtime.services, otherKoordination, other.slug, foreign.uploadId, 0, pieces(pdf(600)));
    const document = await finishEvidenceUpload(runtime.services, otherKoordination, other.slug, foreign.uploadId);
    expect((await refusal(getEvidence(runtime.services, koordination, kommune.slug, document.id))).code).toBe('evidence-not-found');
    expect((await refusal(openEvidenceVersion(runtime.services, koordination, kommune.slug, document.id, 1))).code).toBe('evidence-not-found');
    expect((await refusal(deleteEvidence(runtime.services, koordination, kommune.slug, document.id))).code).toBe('evidence-not-found');
    const staged = await startEvidenceUpload(runtime.services, otherKoordination, other.slug, { title: 'Fremd 2', fileName: 'fremd2.pdf', size: 600 });
    expect((await refusal(putEvidenceBytes(runtime.services, koordination, kommune.slug, staged.uploadId, 0, pieces(pdf(600))))).code).toBe('evidence-upload-not-found');
  });

  it('the report appendix names released Belege under the fields they back, counts the others, and is left out when switched off', async () => {
    const { document: released } = await upload(koordination, pdf(900), { title: 'Ratsbeschluss für den Bericht' });
    await linkEvidence(runtime.services, koordination, kommune.slug, released.id, { round: roundNumber, kind: 'question', key: '1.1.1' });
    await linkEvidence(runtime.services, koordination, kommune.slug, released.id, { round: roundNumber, kind: 'criterion', key: '2.1' });
    await changeEvidence(runtime.services, koordination, kommune.slug, released.id, { releasedForReaders: true });
    const { document: internal } = await upload(koordination, pdf(700), { title: 'Interner Vermerk' });
    await linkEvidence(runtime.services, koordination, kommune.slug, internal.id, { round: roundNumber, kind: 'question', key: '1.2.1' });

    const text = reportPlainText((await getReport(runtime.services, lesende, kommune.slug, roundNumber)).report);
    const appendix = text.slice(text.indexOf('Anhang: Belege'));
    expect(text).toContain('Anhang: Belege');
    expect(appendix).toContain('Ratsbeschluss für den Bericht');
    // Under each field's group line, before the next one.
    expect(appendix).toMatch(/Handlungsfeld 1 – .*\n(?:(?!Handlungsfeld).*\n)*?Ratsbeschluss für den Bericht \| 12\. März 2026 \| /);
    expect(appendix).toMatch(/Handlungsfeld 2 – .*\n(?:(?!Handlungsfeld).*\n)*?Ratsbeschluss für den Bericht \| 12\. März 2026 \| /);
    expect(appendix).not.toContain('Interner Vermerk');
    // Earlier tests of this file left unreleased Belege in the round too: each is counted, none named.
    const unreleased = (await listEvidence(runtime.services, koordination, kommune.slug)).documents.filter(
      (document) => !document.releasedForReaders && document.links.some((link) => link.round === roundNumber),
    ).length;
    expect(unreleased).toBeGreaterThanOrEqual(1);
    expect(appendix).toContain(unreleased === 1 ? 'Ein weiterer Beleg ist nicht freigegeben' : `weitere Belege sind nicht freigegeben`);

    const stored = await getDocument(runtime.services, koordination, kommune.slug, 'report');
    await saveDocument(runtime.services, koordination, kommune.slug, 'report', { content: { preamble: '', withEvidence: false }, expectedVersion: stored.version });
    expect(reportPlainText((await getReport(runtime.services, koordination, kommune.slug, roundNumber)).report)).not.toContain('Anhang: Belege');
  });
});
