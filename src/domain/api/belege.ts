/** The request schemas of the Belege routes (src/server/routes/belege, issue 18): pure, so the web app can type its bodies. */
import { z } from 'zod';
import { noteKinds, subjectKeyPatterns } from '../discussion.ts';
import { slugSchema } from './common.ts';

/** Each PUT of an upload carries at most this many bytes (the API's body limit of 1 MB). */
export const evidenceUploadPartBytes = 1024 * 1024;

/** A Beleg's title: the same rule in the form, the API and the bundle. */
export const evidenceTitle = z
  .string('ein Titel')
  .trim()
  .min(1, 'Bitte geben Sie einen Titel an.')
  .max(200, 'Höchstens 200 Zeichen')
  // eslint-disable-next-line no-control-regex
  .refine((value) => !/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(value), 'Steuerzeichen sind im Titel nicht erlaubt.');
/** A Beleg's date, when the document has one. */
export const evidenceDocumentDate = z.iso.date('ein Datum (JJJJ-MM-TT)').nullable();
const kind = z.enum(noteKinds, 'question (Leitfrage) oder criterion (Kriterium)');
const key = z.string().regex(/^[0-9]{1,2}\.[0-9]{1,2}(\.[0-9]{1,2})?$/, 'ungültige Leitfrage oder ungültiges Kriterium');

export const belegeParams = slugSchema;
export const belegParams = slugSchema.extend({ documentId: z.uuid('ungültiger Beleg') });
export const belegVersionParams = belegParams.extend({ number: z.coerce.number('eine Versionsnummer').int().min(1).max(100_000) });
export const uploadParams = slugSchema.extend({ uploadId: z.uuid('ungültiges Hochladen') });
export const linkParams = belegParams
  .extend({ round: z.coerce.number('eine Rundennummer').int().min(1).max(10_000), kind, key })
  .refine((value) => subjectKeyPatterns[value.kind].test(value.key), {
    message: 'Der Schlüssel passt nicht zur Art: Leitfragen haben drei Stellen („1.2.3“), Kriterien zwei („1.2“).',
    path: ['key'],
  });

/** Starts an upload: a new document (title, date) or, with documentId, a new version of one. */
export const startUploadSchema = z.object({
  title: evidenceTitle.optional(),
  documentDate: evidenceDocumentDate.optional(),
  documentId: z.uuid('ungültiger Beleg').optional(),
  fileName: z.string('ein Dateiname').min(1, 'Bitte geben Sie den Dateinamen an.').max(255, 'Höchstens 255 Zeichen'),
  size: z.number('eine Größe in Bytes').int('eine ganze Zahl').min(1, 'Die Datei ist leer.').max(Number.MAX_SAFE_INTEGER),
  mediaType: z.string().max(200, 'Höchstens 200 Zeichen').optional(),
}).refine((value) => value.documentId !== undefined || value.title !== undefined, { message: 'Bitte geben Sie einen Titel an.', path: ['title'] });

export const putUploadQuery = z.object({ offset: z.coerce.number('eine Byte-Position').int().min(0).max(Number.MAX_SAFE_INTEGER) });

export const changeBelegSchema = z
  .object({ title: evidenceTitle.optional(), documentDate: evidenceDocumentDate.optional(), releasedForReaders: z.boolean('true oder false').optional() })
  .refine((value) => Object.values(value).some((entry) => entry !== undefined), { message: 'Bitte ändern Sie mindestens eine Angabe.', path: ['title'] });

export type StartUploadInput = z.input<typeof startUploadSchema>;
export type ChangeBelegInput = z.input<typeof changeBelegSchema>;
