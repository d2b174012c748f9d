import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { count, eq } from 'drizzle-orm';
import { strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import type { Actor } from '../domain/access.ts';
import type { Bundle } from '../domain/bundle.ts';
import { DomainError } from '../domain/errors.ts';
import { evidenceChunk, evidenceDocument, evidenceVersion, kommune as kommuneTable } from '../db/schema.ts';
import { startRound } from './manage-rounds.ts';
import { createTestRuntime, type TestRuntime } from '../../tests/support/database.ts';
import { minimalDocx, minimalPdf } from '../../tests/support/belege.ts';
import { makeKommune, makePerson } from '../../tests/support/factories.ts';
import { belegEntryName, bundleJsonName, writeBundleArchive } from './bundle-archive.ts';
import { loadDemo } from './load-demo.ts';
import { changeEvidence, deleteEvidence, finishEvidenceUpload, linkEvidence, listEvidence, openEvidenceVersion, putEvidenceBytes, startEvidenceUpload, sweepStagedEvidence } from './manage-evidence.ts';
import { readBundleFile } from './read-bundle-upload.ts';
import { exportKommune, exportKommuneArchive, importKommune } from './transfer-kommune.ts';

let source: TestRuntime;
let target: TestRuntime;
let team: Actor;
let targetTeam: Actor;
/** The Kommune's export: its ZIP bytes, and the bundle in it. */
let archive: Buffer;
let bundle: Bundle;
const files = new Map<string, Uint8Array>();

const teamActor = (userId: string): Actor => ({ userId, programmeRole: 'programmteam', assignedKommuneIds: [], memberships: [] });
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const bigPdf = minimalPdf(700_000);
const smallPdf = minimalPdf(900);
const docx = minimalDocx('Integrationskonzept 2026');

async function upload(runtime: TestRuntime, actor: Actor, slug: string, bytes: Uint8Array, options: { title?: string; fileName: string; mediaType: string; documentId?: string }) {
  const started = await startEvidenceUpload(runtime.services, actor, slug, { ...(options.documentId ? { documentId: options.documentId } : { title: options.title!, documentDate: '2026-03-12' }), fileName: options.fileName, size: bytes.length, mediaType: options.mediaType });
  await putEvidenceBytes(runtime.services, actor, slug, started.uploadId, 0, Readable.from([Buffer.from(bytes)]));
  return finishEvidenceUpload(runtime.services, actor, slug, started.uploadId);
}

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** An archive like the export's, with the given bundle and files (by hash), and any extra entries. */
async function archiveOf(value: Bundle, bytesOf: (hash: string) => Uint8Array | undefined = (hash) => files.get(hash)): Promise<Buffer> {
  return collect(
    writeBundleArchive(value, async function* (hash) {
      const bytes = bytesOf(hash);
      if (bytes) yield bytes;
    }),
  );
}

/** Imports an archive (as bytes, as the CLI reads it) into the target installation. */
async function importArchive(bytes: Uint8Array, slug?: string) {
  const read = await readBundleFile({ bytes }, { maxJsonBytes: 50 * 1024 * 1024 });
  try {
    if (read.outcome.kind !== 'read') throw new Error(`not read: ${read.outcome.kind}`);
    return await importKommune(target.services, targetTeam, read.outcome.bundle, slug ? { slug } : {}, { files: read.files });
  } finally {
    read.close();
  }
}

async function evidenceRows(runtime: TestRuntime) {
  const [documents, versions, chunks] = await Promise.all([
    runtime.services.db.select({ value: count() }).from(evidenceDocument),
    runtime.services.db.select({ value: count() }).from(evidenceVersion),
    runtime.services.db.select({ value: count() }).from(evidenceChunk),
  ]);
  return { documents: documents[0]!.value, versions: versions[0]!.value, chunks: chunks[0]!.value };
}

async function refusal(work: Promise<unknown>): Promise<DomainError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

beforeAll(async () => {
  [source, target] = await Promise.all([createTestRuntime(), createTestRuntime()]);
  await loadDemo(source.services);
  team = teamActor((await makePerson(source, { programme: 'programmteam' })).userId);
  targetTeam = teamActor((await makePerson(target, { programme: 'programmteam' })).userId);
  // The demo's rounds are closed; links are made in an open one.
  const openRound = await startRound(source.services, team, 'musterstadt', { workedFieldKeys: ['1', '2'], periodStart: null, periodEnd: null, participants: '' });
  // A council decision in two versions (the first spans three 256 KiB pieces), linked to three answers and a criterion, released.
  const decision = await upload(source, team, 'musterstadt', bigPdf, { title: 'Ratsbeschluss Integrationskonzept', fileName: 'Ratsbeschluss.pdf', mediaType: 'application/pdf' });
  await upload(source, team, 'musterstadt', smallPdf, { documentId: decision.id, fileName: 'Ratsbeschluss-neu.pdf', mediaType: 'application/pdf' });
  for (const key of ['1.1.1', '1.1.2', '1.2.1']) await linkEvidence(source.services, team, 'musterstadt', decision.id, { round: openRound.number, kind: 'question', key });
  await linkEvidence(source.services, team, 'musterstadt', decision.id, { round: openRound.number, kind: 'criterion', key: '1.3' });
  await changeEvidence(source.services, team, 'musterstadt', decision.id, { releasedForReaders: true });
  // A second Beleg whose file is the same bytes as the decision's first version: the archive carries it once.
  await upload(source, team, 'musterstadt', bigPdf, { title: 'Anlage zum Ratsbeschluss', fileName: 'Anlage.pdf', mediaType: 'application/pdf' });
  await upload(source, team, 'musterstadt', docx, { title: 'Integrationskonzept', fileName: 'Konzept.docx', mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
  for (const bytes of [bigPdf, smallPdf, docx]) files.set(sha256(bytes), bytes);
  const exported = await exportKommuneArchive(source.services, team, 'musterstadt');
  archive = await collect(exported.stream);
  bundle = exported.bundle;
});
afterAll(async () => {
  await source?.close();
  await target?.close();
});

describe('a bundle with Belege (format version 2, a ZIP container)', () => {
  it('carries bundle.json and each file once, under its SHA-256, uncompressed', async () => {
    expect(bundle.formatVersion).toBe(2);
    expect(bundle.belege.map((beleg) => [beleg.title, beleg.versions.length, beleg.releasedForReaders, beleg.links.length])).toEqual([
      ['Ratsbeschluss Integrationskonzept', 2, true, 4],
      ['Anlage zum Ratsbeschluss', 1, false, 0],
      ['Integrationskonzept', 1, false, 0],
    ]);
    const read = await readBundleFile({ bytes: archive }, { maxJsonBytes: 50 * 1024 * 1024 });
    try {
      expect(read.files?.hashes.toSorted()).toEqual([...files.keys()].toSorted());
      expect(read.files?.strayNames).toEqual([]);
      for (const [hash, bytes] of files) expect(read.files!.sizeOf(hash)).toBe(bytes.length);
    } finally {
      read.close();
    }
    // Stored, not deflated: the PDF's bytes stand in the archive as they are.
    expect(archive.includes(Buffer.from(bigPdf.subarray(1000, 1100)))).toBe(true);
    // The JSON in the archive is what exportKommune gives (apart from the moment of export).
    const again = await exportKommune(source.services, team, 'musterstadt');
    expect({ ...again, exportedAt: '' }).toEqual({ ...bundle, exportedAt: '' });
  });

  it('round trip: the imported Kommune has every Beleg, version, release and link, and each file byte for byte', async () => {
    const result = await importArchive(archive, 'musterstadt-mit-belegen');
    expect(result).toMatchObject({ belege: 3, belegeBytes: 2 * bigPdf.length + smallPdf.length + docx.length });
    const copied = await listEvidence(target.services, targetTeam, 'musterstadt-mit-belegen');
    const original = await listEvidence(source.services, team, 'musterstadt');
    const shape = (list: typeof copied) =>
      list.documents
        .map((document) => ({ title: document.title, date: document.documentDate, released: document.releasedForReaders, links: document.links, versions: document.versions.map((version) => [version.number, version.fileName, version.mediaType, version.size, version.sha256, version.uploadedAt]) }))
        .sort((a, b) => a.title.localeCompare(b.title));
    expect(shape(copied)).toEqual(shape(original));
    expect(copied.usedBytes).toBe(original.usedBytes);
    for (const document of copied.documents) {
      for (const version of document.versions) {
        const opened = await openEvidenceVersion(target.services, targetTeam, 'musterstadt-mit-belegen', document.id, version.number);
        const bytes = await collect(opened.chunks());
        expect(sha256(bytes)).toBe(version.sha256);
        expect(Buffer.compare(bytes, Buffer.from(files.get(version.sha256)!))).toBe(0);
      }
    }
    // Exported again from the copy: the same bundle.
    const back = await exportKommune(target.services, targetTeam, 'musterstadt-mit-belegen');
    expect(back.belege).toEqual(bundle.belege);
  });

  it('a bundle of format version 1 (plain JSON, no Belege) is still imported', async () => {
    const { belege: _belege, ...rest } = structuredClone(bundle);
    const version1 = { ...rest, formatVersion: 1, kommune: { ...rest.kommune, gemeindeschluessel: null } };
    const read = await readBundleFile({ bytes: strToU8(JSON.stringify(version1)) }, { maxJsonBytes: 50 * 1024 * 1024 });
    expect(read.files).toBeUndefined();
    if (read.outcome.kind !== 'read') throw new Error('not read');
    const result = await importKommune(target.services, targetTeam, read.outcome.bundle, { slug: 'musterstadt-version-1' });
    expect(result).toMatchObject({ belege: 0, rounds: bundle.rounds.length });
    expect((await listEvidence(target.services, targetTeam, 'musterstadt-version-1')).documents).toEqual([]);
  });
});

describe('a bad bundle with Belege is refused whole, before or while the files are written', () => {
  const withoutAgs = (value: Bundle): Bundle => ({ ...structuredClone(value), kommune: { ...value.kommune, gemeindeschluessel: null } });

  async function expectNothingWritten(work: () => Promise<unknown>, message: RegExp) {
    // The import starts only after the rows are counted: a promise that rejected while this function still
    // counted would have no handler yet, and Node would report it as an unhandled rejection.
    const before = await evidenceRows(target);
    const kommunen = (await target.services.db.select({ value: count() }).from(kommuneTable))[0]!.value;
    const error = await refusal(work());
    expect(error.code).toBe('bundle-invalid');
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/Es wurde nichts übernommen\.$/);
    expect(await evidenceRows(target)).toEqual(before);
    expect((await target.services.db.select({ value: count() }).from(kommuneTable))[0]!.value).toBe(kommunen);
  }

  it('the JSON alone, when it names Belege', async () => {
    const read = await readBundleFile({ bytes: strToU8(JSON.stringify(withoutAgs(bundle))) }, { maxJsonBytes: 50 * 1024 * 1024 });
    const outcome = read.outcome;
    if (outcome.kind !== 'read') throw new Error('not read');
    await expectNothingWritten(() => importKommune(target.services, targetTeam, outcome.bundle), /nennt 3 Belege, enthält aber keine Dateien.*ZIP-Datei/);
  });

  it('a file missing from the archive, or of another size than the bundle says', async () => {
    const missing = sha256(docx);
    await expectNothingWritten(async () => importArchive(await archiveOf(withoutAgs(bundle)).then(dropEntry(belegEntryName(missing)))), /Integrationskonzept“ fehlt in der ZIP-Datei/);
    const wrongSize = withoutAgs(bundle);
    wrongSize.belege[2]!.versions[0]!.size += 1;
    await expectNothingWritten(async () => importArchive(await archiveOf(withoutAgs(bundle)).then(replaceJson(wrongSize))), /Bytes groß, das Paket nennt/);
  });

  it('a file whose bytes were changed (the SHA-256 does not match), after its pieces were written', async () => {
    const changed = Uint8Array.from(docx);
    changed[changed.length - 30]! ^= 0xff;
    const target_ = sha256(docx);
    await expectNothingWritten(async () => importArchive(await archiveOf(withoutAgs(bundle), (hash) => (hash === target_ ? changed : files.get(hash)))), /Integrationskonzept“ ist beschädigt: Ihr Prüfwert \(SHA-256\) passt nicht/);
  });

  it('HTML disguised as a PDF, with a matching hash: the content check of every upload refuses it', async () => {
    const html = strToU8('<!doctype html><script>alert(1)</script>'.padEnd(900, ' '));
    const hostile = withoutAgs(bundle);
    hostile.belege = [{ ...hostile.belege[1]!, title: 'Getarnt', versions: [{ ...hostile.belege[1]!.versions[0]!, size: html.length, sha256: sha256(html) }] }];
    await expectNothingWritten(async () => importArchive(await archiveOf(hostile, () => html)), /Getarnt“ wird abgelehnt, wie sie beim Hochladen abgelehnt würde: .*keine? .*PDF|Getarnt“ wird abgelehnt/);
  });

  it('a DOCX declared as a PDF: the file is checked as the format the bundle names', async () => {
    const lying = withoutAgs(bundle);
    lying.belege[2]!.versions[0]!.mediaType = 'application/pdf';
    lying.belege[2]!.versions[0]!.fileName = 'Konzept.pdf';
    await expectNothingWritten(async () => importArchive(await archiveOf(lying)), /Integrationskonzept“ wird abgelehnt/);
  });

  it('an entry the bundle does not name, a stray file, and a link to a round that is not there', async () => {
    // A name that leaves the archive: yazl writes none, so the bytes of a harmless name are changed afterwards.
    const climbing = await archiveOf(withoutAgs(bundle)).then(addEntry('belege/XX/XX/etc/passwd', strToU8('x')));
    const stray = Buffer.from(climbing.toString('latin1').replaceAll('belege/XX/XX/', 'belege/../../'), 'latin1');
    await expectNothingWritten(() => importArchive(stray), /unzulässigen Dateinamen/);
    const extraHash = sha256(strToU8('unbekannt'));
    await expectNothingWritten(async () => importArchive(await archiveOf(withoutAgs(bundle)).then(addEntry(belegEntryName(extraHash), strToU8('unbekannt')))), /die kein Beleg des Pakets nennt/);
    await expectNothingWritten(async () => importArchive(await archiveOf(withoutAgs(bundle)).then(addEntry('notizen.txt', strToU8('x')))), /„notizen\.txt“, das nicht zum Paket gehört/);
    const badLink = withoutAgs(bundle);
    badLink.belege[0]!.links.push({ round: 99, kind: 'question', key: '1.1.1' });
    await expectNothingWritten(async () => importArchive(await archiveOf(badLink)), /Die Runde 99 gibt es im Paket nicht/);
  });

  it('more than this installation allows per file or per Kommune (BELEGE_MAX_MB, BELEGE_QUOTA_MB)', async () => {
    target.services.evidenceLimits = { maxBytes: 500_000, quotaBytes: 100 * 1024 * 1024 };
    try {
      await expectNothingWritten(async () => importArchive(await archiveOf(withoutAgs(bundle))), /höchstens 0,5 MB je Datei erlaubt \(BELEGE_MAX_MB\)/);
      target.services.evidenceLimits = { maxBytes: 1024 * 1024, quotaBytes: 1024 * 1024 };
      await expectNothingWritten(async () => importArchive(await archiveOf(withoutAgs(bundle))), /zusammen 1,3 MB groß; .*höchstens 1 MB für Belege \(BELEGE_QUOTA_MB\)/);
    } finally {
      delete target.services.evidenceLimits;
    }
  });

  it('a broken archive, and one without bundle.json', async () => {
    await expect(readBundleFile({ bytes: archive.subarray(0, archive.length - 100) }, { maxJsonBytes: 1e8 })).rejects.toThrow(/beschädigt oder unvollständig/);
    await expect(readBundleFile({ bytes: await archiveOf(withoutAgs(bundle)).then(dropEntry(bundleJsonName)) }, { maxJsonBytes: 1e8 })).rejects.toThrow(/keine Datei „bundle\.json“/);
  });
});

describe('while it runs', () => {
  it('an export whose Beleg is deleted before its bytes are sent ends its stream with an error, and the server goes on', async () => {
    const extra = await upload(source, team, 'musterstadt', minimalPdf(5_000), { title: 'Wird gleich gelöscht', fileName: 'weg.pdf', mediaType: 'application/pdf' });
    const exported = await exportKommuneArchive(source.services, team, 'musterstadt');
    await deleteEvidence(source.services, team, 'musterstadt', extra.id);
    await expect(collect(exported.stream)).rejects.toThrow(/während des Exports gelöscht/);
    // Still serving: the next export is whole.
    const again = await exportKommuneArchive(source.services, team, 'musterstadt');
    expect((await collect(again.stream)).length).toBeGreaterThan(bigPdf.length);
  });

  it('the hourly sweep of abandoned uploads, running during an import of old Belege, leaves them alone', async () => {
    const old = structuredClone(bundle);
    old.kommune.gemeindeschluessel = null;
    for (const beleg of old.belege) for (const version of beleg.versions) version.uploadedAt = '2026-01-05T09:00:00.000Z';
    const read = await readBundleFile({ bytes: await archiveOf(old) }, { maxJsonBytes: 1e8 });
    if (read.outcome.kind !== 'read') throw new Error('not read');
    const files = read.files!;
    // The sweep runs each time a file's bytes begin to arrive, while its version is still staged.
    const sweeping = { ...files, sizeOf: files.sizeOf, async *open(hash: string) { await sweepStagedEvidence(target.services); yield* files.open(hash); } };
    const result = await importKommune(target.services, targetTeam, read.outcome.bundle, { slug: 'alte-belege' }, { files: sweeping });
    read.close();
    expect(result.belege).toBe(3);
    const copied = await listEvidence(target.services, targetTeam, 'alte-belege');
    expect(copied.documents.flatMap((document) => document.versions.map((version) => version.uploadedAt))).toEqual(Array(4).fill('2026-01-05T09:00:00.000Z'));
  });

  it('a Beleg packed (deflated) in the archive is refused: the export stores them as they are', async () => {
    const packed = await archiveOf(bundle).then((bytes) => rebuild(bytes, (entries) => entries, { compressBelege: true }));
    await expect(readBundleFile({ bytes: packed }, { maxJsonBytes: 1e8 })).rejects.toThrow(/ist gepackt; Weltoffen speichert Belege im Paket ungepackt/);
  });
});

describe('an import into an existing, empty Kommune', () => {
  it('is refused when the Kommune has a Beleg, and removes the Belege it wrote when it fails', async () => {
    const withBeleg = await makeKommune(target);
    await upload(target, targetTeam, withBeleg.slug, smallPdf, { title: 'Schon da', fileName: 'da.pdf', mediaType: 'application/pdf' });
    const read = await readBundleFile({ bytes: archive }, { maxJsonBytes: 1e8 });
    if (read.outcome.kind !== 'read') throw new Error('not read');
    const error = await refusal(importKommune(target.services, targetTeam, read.outcome.bundle, { into: withBeleg.slug }, { files: read.files }));
    read.close();
    expect(error.code).toBe('kommune-not-empty');

    const empty = await makeKommune(target);
    const before = await evidenceRows(target);
    const changed = Uint8Array.from(docx);
    changed[10]! ^= 0xff;
    const broken = await archiveOf(bundle, (hash) => (hash === sha256(docx) ? changed : files.get(hash)));
    const read2 = await readBundleFile({ bytes: broken }, { maxJsonBytes: 1e8 });
    if (read2.outcome.kind !== 'read') throw new Error('not read');
    const failed = await refusal(importKommune(target.services, targetTeam, read2.outcome.bundle, { into: empty.slug }, { files: read2.files }));
    read2.close();
    expect(failed.code).toBe('bundle-invalid');
    // The two PDFs were written before the DOCX failed; the cleanup removed them and their pieces.
    expect(await evidenceRows(target)).toEqual(before);
    expect(await target.services.db.select().from(evidenceDocument).where(eq(evidenceDocument.kommuneId, empty.id))).toEqual([]);
  });
});

/** The archive without one entry (rebuilt with yazl from the others). */
function dropEntry(name: string) {
  return (bytes: Buffer) => rebuild(bytes, (entries) => entries.filter((entry) => entry.name !== name));
}
function replaceJson(value: Bundle) {
  return (bytes: Buffer) => rebuild(bytes, (entries) => entries.map((entry) => (entry.name === bundleJsonName ? { name: entry.name, content: Buffer.from(JSON.stringify(value)) } : entry)));
}
function addEntry(name: string, content: Uint8Array) {
  return (bytes: Buffer) => rebuild(bytes, (entries) => [...entries, { name, content: Buffer.from(content) }]);
}
async function rebuild(bytes: Buffer, change: (entries: { name: string; content: Buffer }[]) => { name: string; content: Buffer }[], options: { compressBelege?: boolean } = {}): Promise<Buffer> {
  const yauzl = (await import('yauzl')).default;
  const entries: { name: string; content: Buffer }[] = [];
  await new Promise<void>((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      zip.on('entry', (entry: import('yauzl').Entry) =>
        zip.openReadStream(entry, async (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          entries.push({ name: entry.fileName, content: await collect(stream) });
          zip.readEntry();
        }),
      );
      zip.on('end', () => resolve());
      zip.readEntry();
    }),
  );
  const zip = new yazl.ZipFile();
  for (const entry of change(entries)) zip.addBuffer(entry.content, entry.name, { compress: !!options.compressBelege && entry.name.startsWith('belege/') });
  zip.end();
  return collect(zip.outputStream);
}
