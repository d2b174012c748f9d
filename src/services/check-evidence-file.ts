/**
 * Reads just enough of a file to judge it as a Beleg (decision 023): the first bytes, and for a ZIP its
 * central directory through yauzl and the tiny OpenDocument `mimetype` entry. The rules themselves are
 * in `domain/evidence-file.ts`; the upload, the bundle import and the CLI call this one function.
 * `read(offset, length)` lets the caller keep the file in chunks (the database): it is never whole here.
 */
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { unreadableZip, judgeNameAndClaim, judgeSignature, judgeZip, zipLimits, type EvidenceFileCheck, type ZipEntryFacts } from '../domain/evidence-file.ts';

export interface EvidenceFileInput {
  /** The name the person's file had (only its last part is kept). */
  name: string;
  size: number;
  /** The type the browser claimed (`File.type`); must agree when it names a type. */
  claimedType?: string;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export async function checkEvidenceFile(input: EvidenceFileInput): Promise<EvidenceFileCheck> {
  const head = input.size > 0 ? await input.read(0, Math.min(8, input.size)) : new Uint8Array();
  const signature = judgeSignature(input.name, input.size, head);
  if (!signature.ok) return signature;
  if (signature.kind !== 'zip') return judgeNameAndClaim(input.name, input.claimedType, signature.kind);
  const zip = await readZipDirectory(input);
  if (!zip) return unreadableZip(input.name);
  const judged = judgeZip(input.name, zip.entryCount, zip.entries, zip.mimetype);
  if (!judged.ok) return judged;
  return judgeNameAndClaim(input.name, input.claimedType, judged.kind);
}

/** A random-access view of the file for yauzl that reads only the ranges it asks for, in pieces of at most 1 MB. */
class RangeReader extends yauzl.RandomAccessReader {
  private readonly readRange: EvidenceFileInput['read'];
  constructor(readRange: EvidenceFileInput['read']) {
    super();
    this.readRange = readRange;
  }
  override _readStreamForRange(start: number, end: number): Readable {
    const readRange = this.readRange;
    return Readable.from(
      (async function* () {
        for (let offset = start; offset < end; ) {
          const bytes = await readRange(offset, Math.min(1024 * 1024, end - offset));
          if (bytes.length === 0) throw new Error('unexpected end of file');
          offset += bytes.length;
          yield Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        }
      })(),
    );
  }
}

interface ZipDirectory {
  entryCount: number;
  entries: ZipEntryFacts[];
  mimetype?: string;
}

/** The central directory, or undefined when yauzl cannot read it (not a ZIP after all, or broken). */
async function readZipDirectory(input: EvidenceFileInput): Promise<ZipDirectory | undefined> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromRandomAccessReaderPromise(new RangeReader(input.read), input.size, { lazyEntries: true, autoClose: false, strictFileNames: true });
  } catch {
    return undefined;
  }
  try {
    // Too many entries is judged from the count alone: their names are never read.
    if (zip.entryCount > zipLimits.entries) return { entryCount: zip.entryCount, entries: [] };
    const entries: ZipEntryFacts[] = [];
    let mimetypeEntry: yauzl.Entry | undefined;
    for (let entry = await nextEntry(zip); entry; entry = await nextEntry(zip)) {
      entries.push({
        fileName: entry.fileName,
        compressedSize: entry.compressedSize,
        uncompressedSize: entry.uncompressedSize,
        localHeaderOffset: entry.relativeOffsetOfLocalHeader,
        fileNameLength: entry.fileNameLength,
        encrypted: entry.isEncrypted(),
      });
      if (entry.fileName === 'mimetype' && entry.uncompressedSize <= zipLimits.mimetypeBytes && !entry.isEncrypted()) mimetypeEntry = entry;
    }
    return { entryCount: zip.entryCount, entries, mimetype: mimetypeEntry ? await readSmallEntry(zip, mimetypeEntry) : undefined };
  } catch {
    return undefined;
  } finally {
    zip.close();
  }
}

/** The next entry of a ZIP read with lazyEntries, or null at its end; its listeners are removed again each time. */
export function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (entry: yauzl.Entry) => {
      cleanup();
      resolve(entry);
    };
    const onEnd = () => {
      cleanup();
      resolve(null);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

/** The text of a tiny entry, or undefined when it cannot be read within the limit. */
async function readSmallEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string | undefined> {
  try {
    const stream = await zip.openReadStreamPromise(entry);
    const parts: Buffer[] = [];
    let length = 0;
    for await (const part of stream as AsyncIterable<Buffer>) {
      length += part.length;
      if (length > zipLimits.mimetypeBytes) {
        stream.destroy();
        return undefined;
      }
      parts.push(part);
    }
    return Buffer.concat(parts).toString('utf8').trim();
  } catch {
    return undefined;
  }
}
