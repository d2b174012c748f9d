/** The request schemas of the round routes (src/server/routes/rounds): pure, so the web app can type its bodies with z.input. */
import { z } from 'zod';
import { answerKeys } from '../catalog.ts';
import { onBehalfName } from '../on-behalf.ts';
import { periodPrecisions } from '../round.ts';
import { markup } from '../text-fields.ts';

const date = z.iso.date('Datum im Format JJJJ-MM-TT').nullable().default(null);
/** Free text without control characters other than line breaks and tabs. */
const text = (max: number) =>
  z
    .string()
    .max(max, `höchstens ${max.toLocaleString('de-DE')} Zeichen`)
    .refine((value) => !/\p{Cc}/u.test(value.replace(/[\n\r\t]/g, '')), 'keine Steuerzeichen')
    .default('');
const version = z.number('eine Versionsnummer').int().min(0).max(2_147_483_647);

export const roundParams = z.object({
  slug: z.string().regex(/^[a-z0-9-]{1,80}$/, 'ungültige Kennung'),
  number: z.coerce.number('eine Rundennummer').int().min(1).max(10_000),
});

export const settingsSchema = z.object({
  periodStart: date,
  periodEnd: date,
  // Optional: a new round without it gives exact dates, a change without it keeps the round's.
  periodPrecision: z.enum(periodPrecisions, 'genaue Daten (day) oder Monate (month)').optional(),
  workedFieldKeys: z.array(z.string().regex(/^[0-9]{1,2}$/, 'ungültiges Handlungsfeld')).min(1, 'mindestens ein Handlungsfeld').max(20),
  participants: text(5000),
});

/** A change that takes out fields with answers names how many answers and ratings it deletes (updateRoundSettings). */
export const updateSettingsSchema = settingsSchema.extend({
  expectedVersion: version,
  confirmedRemovedAnswers: z.number('eine ganze Zahl').int('eine ganze Zahl').min(0).max(1_000_000).default(0),
});

/** Starting a round may name the catalog version; without it the newest is used. */
export const startSchema = settingsSchema.extend({ catalogVersionId: z.string().regex(/^[a-z0-9-]{1,80}@\d{1,4}\.\d{1,4}$/, 'ungültige Katalogversion').optional() });

export const answerSchema = z.object({
  value: z.enum(answerKeys, 'eine der Antworten der Antwortskala').nullable(),
  comment: text(5000),
  evidence: text(2000),
  expectedVersion: version,
  /** A returned paper questionnaire entered for this department (Koordination, Programmteam). */
  onBehalfOf: onBehalfName().optional(),
});

/** `?onBehalfOf=Sozialamt`: the answers entered for that department instead of one's own. */
export const onBehalfQuery = z.object({ onBehalfOf: onBehalfName().optional() });

export const questionParams = roundParams.extend({ questionKey: z.string().regex(/^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2}$/, 'ungültige Leitfrage') });
export const criterionParams = roundParams.extend({ criterionKey: z.string().regex(/^[0-9]{1,2}\.[0-9]{1,2}$/, 'ungültiges Kriterium') });
export const fieldParams = roundParams.extend({ fieldKey: z.string().regex(/^[0-9]{1,2}$/, 'ungültiges Handlungsfeld') });

export const ratingSchema = z.object({
  rating: z.enum(answerKeys, 'eine der Einschätzungen der Antwortskala').nullable(),
  reason: text(2000),
  expectedVersion: version,
});

/**
 * Closing names the number of open questions the person saw and confirmed (0 when none were open);
 * if it no longer matches, nothing is closed and the current list comes back.
 */
export const closeSchema = z.object({ expectedVersion: version, confirmedOpenQuestions: z.number().int().min(0).max(100000).default(0) });
export const reopenSchema = z.object({ reason: markup(2000).trim().min(3, 'bitte einen Grund angeben') });

/** What a client sends to these routes (before defaults): the web app types its requests with them. */
export type RoundSettingsChange = z.input<typeof updateSettingsSchema>;
export type AnswerInput = z.input<typeof answerSchema>;
export type RatingInput = z.input<typeof ratingSchema>;
export type CloseInput = z.input<typeof closeSchema>;
export type StartRoundInput = z.input<typeof startSchema>;
