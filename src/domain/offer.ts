import { z } from 'zod';
import { line, markup } from './text-fields.ts';

/** An offer of Modul 3 for decision makers, kept by the Programmteam for all Kommunen. */
export const offerSchema = z.object({
  title: line(200).min(1, 'bitte einen Titel angeben').describe('Titel des Angebots; beim Import wird danach ein vorhandenes Angebot gesucht.'),
  format: line(120).default('').describe('Format, z. B. „Breakfast-Talk“.'),
  topics: z.array(line(120).min(1, 'bitte ausfüllen').describe('Ein Thema.')).max(20).default([]).describe('Themen.'),
  date: z.iso.date('Datum im Format JJJJ-MM-TT').nullable().default(null).describe('Termin (JJJJ-MM-TT), falls festgelegt.'),
  description: markup(5_000).default('').describe('Beschreibung (Textauszeichnung).'),
});
export type OfferInput = z.infer<typeof offerSchema>;

export const offerStatuses = ['offen', 'angemeldet', 'teilgenommen'] as const;
export type OfferStatus = (typeof offerStatuses)[number];

/**
 * A Kommune's status per offer. Modul 3 is confidential: only the status is kept, never minutes of
 * what was said.
 */
export const offerStatusesSchema = z.object({
  statuses: z
    .array(z.object({ offerId: z.uuid('ungültige Kennung'), status: z.enum(offerStatuses, 'offen, angemeldet oder teilgenommen') }))
    .max(200)
    .default([]),
});
export type OfferStatuses = z.infer<typeof offerStatusesSchema>;

/** Each offer at most once. */
export function checkOfferStatuses(document: OfferStatuses): { field: string; message: string } | null {
  const ids = document.statuses.map((entry) => entry.offerId);
  return new Set(ids).size === ids.length ? null : { field: 'content.statuses', message: 'Ein Angebot ist doppelt aufgeführt.' };
}
