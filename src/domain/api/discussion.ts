/** The request schemas of the discussion routes (src/server/routes/discussion): pure, so the web app can type its bodies. */
import { z } from 'zod';
import { noteBody, noteKinds, subjectKeyPatterns } from '../discussion.ts';
import { roundParams } from './rounds.ts';

const kind = z.enum(noteKinds, 'question (Leitfrage) oder criterion (Kriterium)');
const key = z.string().regex(/^[0-9]{1,2}\.[0-9]{1,2}(\.[0-9]{1,2})?$/, 'ungültige Leitfrage oder ungültiges Kriterium');

/** A question's key with kind question, a criterion's with kind criterion. */
const matchingKey = <T extends { kind?: (typeof noteKinds)[number]; key?: string }>(value: T) =>
  value.kind === undefined || value.key === undefined || subjectKeyPatterns[value.kind].test(value.key);
const keyMessage = { message: 'Der Schlüssel passt nicht zur Art: Leitfragen haben drei Stellen („1.2.3“), Kriterien zwei („1.2“).', path: ['key'] };

export const listQuery = z
  .object({
    kind: kind.optional(),
    key: key.optional(),
    field: z.string().regex(/^[0-9]{1,2}$/, 'ungültiges Handlungsfeld').optional(),
  })
  .refine((value) => (value.kind === undefined) === (value.key === undefined), { message: 'Art und Schlüssel nur zusammen angeben', path: ['key'] })
  .refine(matchingKey, keyMessage);

export const noteSchema = z.object({ kind, key, body: noteBody() }).refine(matchingKey, keyMessage);
export const editSchema = z.object({ body: noteBody() });
export const settleSchema = z.object({ settled: z.boolean('true (erledigt) oder false (wieder offen)') });

export const noteParams = roundParams.extend({ noteId: z.uuid('ungültige Notiz') });
export const threadParams = roundParams.extend({ kind, key }).refine(matchingKey, keyMessage);

/** What a client sends (before defaults). */
export type NoteInput = z.input<typeof noteSchema>;
export type NoteEdit = z.input<typeof editSchema>;
export type SettleInput = z.input<typeof settleSchema>;
