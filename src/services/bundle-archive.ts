/**
 * The container of a Kommune bundle of format version 2 (decision 023): a ZIP file with `bundle.json`
 * (the bundle as docs/kommune-bundle.schema.json describes it) and each Beleg's bytes as
 * `belege/<sha256>`, stored uncompressed (PDFs, images and office files are compressed already). A
 * file that several versions share is in it once. Written and read as streams: no Beleg is held whole.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import yazl from 'yazl';
import type { Bundle } from '../domain/bundle.ts';
import { DomainError } from '../domain/errors.ts';
import { nextEntry } from './check-evidence-file.ts';

export const bundleJsonName = 'bundle.json';
const belegPath = /^belege\/([0-9a-f]{64})$/;
export const belegEntryName = (sha256: string) => `belege/${sha256}`;

/** Uploaded archives wait in folders of this name in the system's temporary directory until they are open. */
const tempFolderPrefix = 'weltoffen-paket-';

/** A new folder (mode 700) for one uploaded archive; the caller removes it once the archive is open. */
export const makeBundleTempFolder = () => mkdtemp(path.join(tmpdir(), tempFolderPrefix));

/**
 * Removes upload folders older than `olderThanMs`: the ones a killed process left behind (a running
 * upload removes its own within seconds; other processes on this machine may be uploading right now,
 * hence the age). Returns how many were removed.
 */
export async function sweepBundleTempFolders(now = Date.now(), olderThanMs = 24 * 60 * 60_000, directory = tmpdir()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(directory)) {
    if (!name.startsWith(tempFolderPrefix)) continue;
    const folder = path.join(directory, name);
    const info = await stat(folder).catch(() => undefined);
    if (!info?.isDirectory() || now - info.mtimeMs < olderThanMs) continue;
    await rm(folder, { recursive: true, force: true });
    removed++;
  }
  return removed;
}

/**
 * The bundle as a ZIP stream: bundle.json first, then each file once, read from `openFile` only when the
 * stream wants its bytes. The entries carry the export's time, so the same export gives the same bytes.
 */
export function writeBundleArchive(bundle: Bundle, openFile: (sha256: string) => AsyncIterable<Uint8Array>): Readable {
  const zip = new yazl.ZipFile();
  const output = zip.outputStream as Readable;
  // A file that breaks off, has another size than the bundle says, or fails to read (a Beleg deleted
  // meanwhile, the database gone) ends the stream with that error, never the process: yazl listens to
  // neither a read stream's errors nor leaves its own unhandled.
  zip.on('error', (error: Error) => output.destroy(error));
  const mtime = new Date(bundle.exportedAt);
  zip.addBuffer(Buffer.from(`${JSON.stringify(bundle, null, 2)}\n`, 'utf8'), bundleJsonName, { mtime, mode: 0o100644 });
  const sizes = new Map<string, number>();
  for (const beleg of bundle.belege) for (const version of beleg.versions) sizes.set(version.sha256, version.size);
  for (const [sha256, size] of sizes) {
    zip.addReadStreamLazy(belegEntryName(sha256), { mtime, mode: 0o100644, compress: false, size }, (callback) => {
      const file = Readable.from(openFile(sha256));
      file.on('error', (error: Error) => output.destroy(error));
      callback(null, file);
    });
  }
  zip.end();
  return output;
}

/** What an archive holds besides bundle.json: the Belege's files by SHA-256. */
export interface BundleFiles {
  /** The unpacked size of belege/<sha256>, or undefined when the archive has no such file. */
  sizeOf(sha256: string): number | undefined;
  /** Every file of the archive that is not bundle.json and not a Beleg named by its hash. */
  readonly strayNames: readonly string[];
  /** The SHA-256 of every Beleg file in the archive. */
  readonly hashes: readonly string[];
  /** The file's bytes, unpacked as they are read; the unpacked size is checked against the directory. */
  open(sha256: string): AsyncIterable<Uint8Array>;
}

/** A ZIP archive read for import: bundle.json's bytes and the files next to it. */
export interface OpenedBundleArchive {
  json: Uint8Array;
  files: BundleFiles;
  close(): void;
}

/** Why an archive cannot be read as a bundle, in German, for the person who uploaded it (400). */
const refuse = (message: string) => new DomainError('bundle-invalid', { message });

/** An entry's name as a refusal shows it: no control or direction characters, at most 100 characters. */
// eslint-disable-next-line no-control-regex
const shownName = (name: string) => name.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '?').slice(0, 100);

const openZip = (source: string | Buffer) =>
  new Promise<yauzl.ZipFile>((resolve, reject) => {
    const options = { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: true };
    const done = (error: Error | null, zip?: yauzl.ZipFile) => (error || !zip ? reject(error ?? new Error('no zip')) : resolve(zip));
    if (typeof source === 'string') yauzl.open(source, options, done);
    else yauzl.fromBuffer(source, options, done);
  });

/**
 * Reads the archive's directory (a file path, or the bytes a CLI read) and bundle.json, at most
 * `maxJsonBytes` of it. Refuses, before any Beleg is read: a broken archive, one without bundle.json,
 * two entries of one name, encrypted entries, more entries than `maxEntries`.
 */
export async function openBundleArchive(source: string | Buffer, limits: { maxJsonBytes: number; maxEntries: number }): Promise<OpenedBundleArchive> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(source);
  } catch {
    throw refuse('Die ZIP-Datei ist beschädigt oder unvollständig; ihr Inhaltsverzeichnis lässt sich nicht lesen. Bitte exportieren Sie das Paket erneut. Es wurde nichts übernommen.');
  }
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw refuse(`Die ZIP-Datei enthält ${zip.entryCount.toLocaleString('de-DE')} Dateien; ein Paket hat höchstens ${limits.maxEntries.toLocaleString('de-DE')}. Es wurde nichts übernommen.`);
    }
    const entries = new Map<string, yauzl.Entry>();
    const stray: string[] = [];
    for (;;) {
      let entry: yauzl.Entry | null;
      try {
        entry = await nextEntry(zip);
      } catch {
        // yauzl refuses names that leave the archive („../“, absolute paths, backslashes) and broken directory entries.
        throw refuse('Die ZIP-Datei ist beschädigt oder enthält einen unzulässigen Dateinamen (etwa einen, der aus dem Archiv hinausführt). Bitte exportieren Sie das Paket erneut. Es wurde nichts übernommen.');
      }
      if (!entry) break;
      const name = entry.fileName;
      const shown = shownName(name);
      if (entries.has(name)) throw refuse(`Die ZIP-Datei enthält „${shown}“ zweimal. Es wurde nichts übernommen.`);
      if (entry.isEncrypted()) throw refuse(`Die Datei „${shown}“ in der ZIP-Datei ist verschlüsselt. Es wurde nichts übernommen.`);
      // The export stores every Beleg as it is: a packed one would only make a small archive unpack into a large one.
      if (belegPath.test(name) && entry.compressionMethod !== 0) throw refuse(`Die Datei „${shown}“ in der ZIP-Datei ist gepackt; Weltoffen speichert Belege im Paket ungepackt. Bitte exportieren Sie das Paket erneut. Es wurde nichts übernommen.`);
      entries.set(name, entry);
      if (name !== bundleJsonName && !belegPath.test(name)) stray.push(shown);
    }
    const jsonEntry = entries.get(bundleJsonName);
    if (!jsonEntry) throw refuse(`Die ZIP-Datei enthält keine Datei „${bundleJsonName}“ und ist daher kein Weltoffen-Paket. Es wurde nichts übernommen.`);
    if (jsonEntry.uncompressedSize > limits.maxJsonBytes) {
      throw refuse(`Die Datei „${bundleJsonName}“ im Paket ist zu groß (höchstens ${Math.round(limits.maxJsonBytes / 1024 / 1024)} MB). Es wurde nichts übernommen.`);
    }
    const json = Buffer.alloc(jsonEntry.uncompressedSize);
    let filled = 0;
    for await (const part of await openEntry(zip, jsonEntry)) {
      (part as Buffer).copy(json, filled);
      filled += (part as Buffer).length;
    }
    const hashes = [...entries.keys()].flatMap((name) => belegPath.exec(name)?.[1] ?? []);
    const files: BundleFiles = {
      sizeOf: (sha256) => entries.get(belegEntryName(sha256))?.uncompressedSize,
      strayNames: stray,
      hashes,
      async *open(sha256) {
        const entry = entries.get(belegEntryName(sha256));
        if (!entry) throw refuse(`Die ZIP-Datei enthält die Datei „${belegEntryName(sha256)}“ nicht. Es wurde nichts übernommen.`);
        for await (const part of await openEntry(zip, entry)) yield part as Buffer;
      },
    };
    // Later errors come with each entry's read stream; one of closing the file must not go unhandled.
    zip.on('error', () => {});
    return { json, files, close: () => zip.close() };
  } catch (error) {
    zip.close();
    throw error;
  }
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) reject(refuse(`Die Datei „${shownName(entry.fileName)}“ in der ZIP-Datei lässt sich nicht entpacken. Es wurde nichts übernommen.`));
      else {
        // A size that differs from the directory, or a broken deflate stream, surfaces as a German refusal.
        resolve(
          Readable.from(
            (async function* () {
              try {
                for await (const part of stream) yield part as Buffer;
              } catch {
                throw refuse(`Die Datei „${shownName(entry.fileName)}“ in der ZIP-Datei ist beschädigt (ihr Inhalt passt nicht zum Inhaltsverzeichnis). Es wurde nichts übernommen.`);
              }
            })(),
          ),
        );
      }
    }),
  );
}
