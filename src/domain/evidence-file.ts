/**
 * What a Beleg file may be, decided by its bytes, never by its name (issue 18, decision 023).
 *
 * The rules, without any reading: the signature of the first bytes, the judgement of a ZIP's central
 * directory, the name and the claimed type. `services/check-evidence-file.ts` reads the file (the
 * first bytes, the directory through yauzl) and applies them; the upload, the bundle import and any
 * CLI call that one function, so one rule refuses everywhere.
 *
 * `checkEvidenceFile({ name, size, claimedType, read })` is in `src/services/check-evidence-file.ts`
 * (domain does no reading; yauzl and streams live in services).
 */

export interface EvidenceType {
  readonly mediaType: string;
  /** The extension the stored name gets, without the dot. */
  readonly extension: string;
  /** Other spellings of the extension that a person's file may have. */
  readonly alsoNamed?: readonly string[];
  /** How a refusal names it: „ein PDF“, „ein Word-Dokument“ … */
  readonly label: string;
}

export const evidenceTypes = {
  pdf: { mediaType: 'application/pdf', extension: 'pdf', label: 'ein PDF' },
  png: { mediaType: 'image/png', extension: 'png', label: 'ein PNG-Bild' },
  jpeg: { mediaType: 'image/jpeg', extension: 'jpg', alsoNamed: ['jpeg'], label: 'ein JPEG-Bild' },
  docx: { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx', label: 'ein Word-Dokument (DOCX)' },
  xlsx: { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx', label: 'eine Excel-Tabelle (XLSX)' },
  odt: { mediaType: 'application/vnd.oasis.opendocument.text', extension: 'odt', label: 'ein OpenDocument-Text (ODT)' },
  ods: { mediaType: 'application/vnd.oasis.opendocument.spreadsheet', extension: 'ods', label: 'eine OpenDocument-Tabelle (ODS)' },
} as const satisfies Record<string, EvidenceType>;

export type EvidenceKind = keyof typeof evidenceTypes;

/** For the upload form's `accept` and the messages: what may be attached. */
export const acceptedEvidence = 'PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT, ODS) oder Bild (PNG, JPEG)';
export const evidenceAccept = Object.values(evidenceTypes)
  .flatMap((type) => [`.${type.extension}`, ...('alsoNamed' in type ? type.alsoNamed.map((name) => `.${name}`) : [])])
  .join(',');

/** Limits of a ZIP-based document (DOCX, XLSX, ODT, ODS) read from its central directory. */
export const zipLimits = {
  entries: 10_000,
  uncompressedBytes: 200 * 1024 * 1024,
  /** An entry that unpacks to more than 100 times its packed size is the shape of a zip bomb … */
  ratio: 100,
  /** … once it is big enough to matter; a few KB of repeated XML may pack better than that. */
  ratioFromBytes: 1024 * 1024,
  /** The OpenDocument `mimetype` entry is a single line. */
  mimetypeBytes: 200,
} as const;

export type EvidenceRefusal = { ok: false; status: 415 | 422; message: string };
export type EvidenceFileCheck = { ok: true; kind: EvidenceKind; mediaType: string; extension: string; fileName: string } | EvidenceRefusal;

/** A ZIP file's first bytes (a local file header): the container of DOCX, XLSX, ODF and the Kommune bundle. */
const zipSignature = [0x50, 0x4b, 0x03, 0x04] as const;

/** Whether bytes begin like a ZIP file: an office document or a bundle archive, not a JSON bundle. */
export const looksLikeZip = (head: Uint8Array): boolean => startsWith(head, zipSignature);

const signatures: readonly { kind: 'pdf' | 'png' | 'jpeg' | 'zip'; bytes: readonly number[] }[] = [
  { kind: 'pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF- at byte 0, not „somewhere in the first KB“ as some readers allow
  { kind: 'png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { kind: 'jpeg', bytes: [0xff, 0xd8, 0xff] },
  { kind: 'zip', bytes: zipSignature },
];

/** Characters that may not stay in a stored file name: controls, direction overrides, reserved on Windows. */
// eslint-disable-next-line no-control-regex
const unsafeInName = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069<>:"/\\|?*]/g;

/**
 * The name as stored and offered on download: only the last path part, NFC, no control or direction
 * characters, nothing Windows reserves, at most 120 characters, and the extension of the detected type.
 */
export function sanitiseFileName(name: string, type: EvidenceType): string {
  const last = name.split(/[/\\]/).pop() ?? '';
  let base = last.normalize('NFC').replace(unsafeInName, '_').replace(/\s+/g, ' ').trim();
  const known = extensionOf(base);
  if (known && [type.extension, ...(type.alsoNamed ?? [])].includes(known)) base = base.slice(0, -(known.length + 1));
  base = base.replace(/^[.\s_]+|[.\s]+$/g, '');
  if (!base) base = 'Beleg';
  return `${[...base].slice(0, 120).join('').trimEnd()}.${type.extension}`;
}

export function extensionOf(name: string): string | undefined {
  // Only with a letter: „Beschluss vom 12.03.2025“ has no extension „2025“.
  const match = /\.([A-Za-z0-9]{1,8})$/.exec(name);
  return match && /[A-Za-z]/.test(match[1]!) ? match[1]!.toLowerCase() : undefined;
}

function startsWith(head: Uint8Array, bytes: readonly number[]): boolean {
  return head.length >= bytes.length && bytes.every((byte, index) => head[index] === byte);
}

const refuse = (status: 415 | 422, message: string): EvidenceRefusal => ({ ok: false, status, message });


/** The name in a message: the last part, without controls, shortened. */
export function displayName(name: string): string {
  const last = (name.split(/[/\\]/).pop() ?? '').replace(unsafeInName, '').trim();
  const chars = [...last];
  return chars.length > 80 ? `${chars.slice(0, 77).join('')}…` : last || 'ohne Namen';
}

/** What the first bytes say: a PDF, PNG or JPEG, a ZIP (to be looked into), or a refusal. */
export function judgeSignature(name: string, size: number, head: Uint8Array): { ok: true; kind: 'pdf' | 'png' | 'jpeg' | 'zip' } | EvidenceRefusal {
  const shown = displayName(name);
  if (size <= 0) return refuse(422, `Die Datei „${shown}“ ist leer. Bitte wählen Sie eine andere Datei.`);
  const signature = signatures.find((candidate) => startsWith(head, candidate.bytes));
  if (!signature) return refuse(415, `Die Datei „${shown}“ hat kein erlaubtes Format. Erlaubt sind ${acceptedEvidence}; entscheidend ist der Inhalt, nicht die Endung. Bitte speichern Sie das Dokument zum Beispiel als PDF und laden Sie es erneut hoch.`);
  return { ok: true, kind: signature.kind };
}

/** One entry of a ZIP's central directory, as the reader found it. */
export interface ZipEntryFacts {
  readonly fileName: string;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** Where its local header starts, and how long its name is: for the overlap check. */
  readonly localHeaderOffset: number;
  readonly fileNameLength: number;
  readonly encrypted: boolean;
}

/**
 * The central directory of a ZIP judged without unpacking it: limits against bombs, no path out of
 * the archive, no macros, no encryption; then which office format it is. `mimetype` is the text of the
 * OpenDocument entry of that name when the reader could read it (it is tiny).
 */
export function judgeZip(name: string, entryCount: number, entries: readonly ZipEntryFacts[], mimetype?: string): { ok: true; kind: 'docx' | 'xlsx' | 'odt' | 'ods' } | EvidenceRefusal {
  const shown = displayName(name);
  const broken = (detail: string) => unreadableZip(name, detail);
  if (entryCount > zipLimits.entries) {
    return refuse(422, `Die Datei „${shown}“ ist ungewöhnlich aufgebaut (${entryCount.toLocaleString('de-DE')} Teile, angenommen werden höchstens ${zipLimits.entries.toLocaleString('de-DE')}) und wird aus Sicherheitsgründen nicht angenommen. Bitte speichern Sie das Dokument als PDF und laden Sie dieses hoch.`);
  }
  const names = new Set<string>();
  let total = 0;
  for (const entry of entries) {
    const entryName = entry.fileName;
    if (entryName.split('/').includes('..') || entryName.startsWith('/')) return broken(`der Eintrag „${entryName}“ zeigt aus dem Archiv hinaus`);
    if (entry.encrypted) return refuse(422, `Die Datei „${shown}“ ist mit einem Kennwort geschützt. Bitte speichern Sie sie ohne Kennwort und laden Sie sie erneut hoch.`);
    if (/(^|\/)vbaProject\.bin$/i.test(entryName)) {
      return refuse(422, `Die Datei „${shown}“ enthält Makros. Bitte speichern Sie sie ohne Makros (als DOCX oder XLSX) und laden Sie sie erneut hoch.`);
    }
    total += entry.uncompressedSize;
    if (total > zipLimits.uncompressedBytes) {
      return refuse(422, `Die Datei „${shown}“ ist ungewöhnlich aufgebaut (ausgepackt mehr als ${zipLimits.uncompressedBytes / 1024 / 1024} MB) und wird aus Sicherheitsgründen nicht angenommen. Bitte speichern Sie das Dokument als PDF und laden Sie dieses hoch.`);
    }
    if (entry.uncompressedSize > zipLimits.ratioFromBytes && entry.uncompressedSize > zipLimits.ratio * Math.max(entry.compressedSize, 1)) {
      return refuse(422, `Die Datei „${shown}“ ist ungewöhnlich aufgebaut (ein Teil wird ausgepackt mehr als ${zipLimits.ratio}-mal so groß) und wird aus Sicherheitsgründen nicht angenommen. Bitte speichern Sie das Dokument als PDF und laden Sie dieses hoch.`);
    }
    if (names.has(entryName)) return broken(`der Eintrag „${entryName}“ kommt zweimal vor`);
    names.add(entryName);
  }
  // Entries whose data overlap are how bombs without nesting are built; a real document never has them.
  const spans = entries
    .map((entry) => ({ start: entry.localHeaderOffset, end: entry.localHeaderOffset + 30 + entry.fileNameLength + entry.compressedSize }))
    .sort((a, b) => a.start - b.start);
  for (let index = 1; index < spans.length; index += 1) {
    if (spans[index]!.start < spans[index - 1]!.end) return broken('Teile des Archivs überlappen sich');
  }
  if (names.has('[Content_Types].xml')) {
    if (names.has('word/document.xml')) return { ok: true, kind: 'docx' };
    if (names.has('xl/workbook.xml')) return { ok: true, kind: 'xlsx' };
  }
  if (names.has('content.xml') && mimetype === evidenceTypes.odt.mediaType) return { ok: true, kind: 'odt' };
  if (names.has('content.xml') && mimetype === evidenceTypes.ods.mediaType) return { ok: true, kind: 'ods' };
  return refuse(415, `Die Datei „${shown}“ ist ein ZIP-Archiv, aber kein Word-, Excel- oder OpenDocument-Dokument. Erlaubt sind ${acceptedEvidence}. Bitte laden Sie die Dokumente einzeln hoch.`);
}

/** A file that starts like a ZIP but whose directory cannot be read (or is not sound). */
export function unreadableZip(name: string, detail = 'das Inhaltsverzeichnis des Archivs fehlt oder ist beschädigt'): EvidenceRefusal {
  return refuse(422, `Die Datei „${displayName(name)}“ ist beschädigt oder kein lesbares Word-, Excel- oder OpenDocument-Dokument (${detail}). Bitte öffnen Sie sie, speichern Sie sie neu (oder als PDF) und laden Sie sie erneut hoch.`);
}

/** The name's extension and the browser's claimed type must agree with what the content is. */
export function judgeNameAndClaim(name: string, claimedType: string | undefined, kind: EvidenceKind): EvidenceFileCheck {
  const shown = displayName(name);
  const type: EvidenceType = evidenceTypes[kind];
  const named = extensionOf(name.split(/[/\\]/).pop() ?? '');
  const all: readonly EvidenceType[] = Object.values(evidenceTypes);
  const namedType = named ? all.find((candidate) => [candidate.extension, ...(candidate.alsoNamed ?? [])].includes(named)) : undefined;
  if (named && !namedType) return refuse(415, `Die Datei „${shown}“ hat die Endung „.${named}“. Erlaubt sind ${acceptedEvidence}. Bitte wählen Sie ein Dokument in einem dieser Formate.`);
  if (namedType && namedType !== type) {
    return refuse(422, `Die Datei „${shown}“ endet auf „.${named}“, ist dem Inhalt nach aber ${type.label}. Bitte prüfen Sie, ob es die richtige Datei ist; wenn ja, ändern Sie die Endung in „.${type.extension}“ und laden Sie sie erneut hoch.`);
  }
  const claimed = claimedType?.split(';')[0]?.trim().toLowerCase();
  if (claimed && claimed !== 'application/octet-stream' && claimed !== type.mediaType && !(kind === 'jpeg' && claimed === 'image/jpg')) {
    return refuse(422, `Die Datei „${shown}“ ist dem Inhalt nach ${type.label}, Ihr Browser meldet aber ein anderes Format. Bitte speichern Sie die Datei neu und laden Sie sie erneut hoch.`);
  }
  return { ok: true, kind, mediaType: type.mediaType, extension: type.extension, fileName: sanitiseFileName(name, type) };
}

/** The criterion a link counts for: a question („1.2.3“) for its criterion („1.2“), a criterion for itself. */
export function criterionKeyOf(key: string): string {
  return key.split('.').slice(0, 2).join('.');
}

/**
 * Whether a criterion is backed in the round: a document is linked to it or to one of its questions.
 * The same rule for the report's appendix, the consolidation page and the filters „ohne Beleg“.
 */
export function backsCriterion(links: readonly { round: number; key: string }[], round: number, criterionKey: string): boolean {
  return links.some((link) => link.round === round && criterionKeyOf(link.key) === criterionKey);
}

/**
 * The catalog's typical Belege (catalog 1.1 names them per question), each once, in German order: the
 * titles the upload form suggests. Texts with a placeholder of the Kommune's kind are left out.
 */
export function typicalBelegeOf(catalog: { fields: readonly { criteria: readonly { questions: readonly { evidence?: readonly string[] }[] }[] }[] }): string[] {
  const all = catalog.fields.flatMap((field) => field.criteria.flatMap((criterion) => criterion.questions.flatMap((question) => question.evidence ?? [])));
  return [...new Set(all.filter((entry) => !entry.includes('{')))].sort((a, b) => a.localeCompare(b, 'de'));
}
