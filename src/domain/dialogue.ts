import { z } from 'zod';
import { line, markup } from './text-fields.ts';

export const dialogueFormats = ['online', 'praesenz', 'hybrid'] as const;
export const dialoguePurposes = ['informieren', 'beraten', 'mitentscheiden'] as const;

const time = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d)?$/, 'Uhrzeit im Format HH:MM').default('');

/** A dialogue event of Modul 2 (report section 2, "Dialogveranstaltung"). */
export const dialogueSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{8,40}$/, 'ungültige Kennung').describe('Kennung der Veranstaltung innerhalb der Kommune.'),
    title: line(200).min(1, 'bitte einen Titel angeben').describe('Titel.'),
    date: z.iso.date('Datum im Format JJJJ-MM-TT').nullable().default(null).describe('Datum (JJJJ-MM-TT).'),
    startTime: time.describe('Beginn (HH:MM) oder leer.'),
    endTime: time.describe('Ende (HH:MM) oder leer.'),
    format: z.enum(dialogueFormats, 'online, in Präsenz oder hybrid').nullable().default(null).describe('Format der Veranstaltung.'),
    participants: z
      .number('eine ganze Zahl')
      .int('eine ganze Zahl')
      .min(0)
      .max(100_000)
      .nullable()
      .default(null)
      .describe('Zahl der Teilnehmenden.'),
    participantsApproximate: z.boolean('true oder false').default(false).describe('Ob die Zahl der Teilnehmenden ungefähr ist (im Bericht „ca.“).'),
    focusFieldKey: z.string().regex(/^[0-9]{1,2}$/, 'ungültiges Handlungsfeld').nullable().default(null).describe('Handlungsfeld im Mittelpunkt, falls eines.'),
    partners: z.array(line(200).min(1, 'bitte ausfüllen').describe('Ein Partner.')).max(30).default([]).describe('Beteiligte Partner.'),
    purposes: z
      .array(z.enum(dialoguePurposes, 'informieren, beraten oder mitentscheiden'))
      .max(3)
      .default([])
      .describe('Wozu die Veranstaltung diente: informieren, beraten, mitentscheiden.'),
    description: markup(20_000).default('').describe('Beschreibung (Textauszeichnung).'),
    results: markup(20_000).default('').describe('Ergebnisse (Textauszeichnung).'),
  })
  .describe('Eine Dialogveranstaltung (Modul 2).');

export const dialoguesSchema = z.object({
  events: z.array(dialogueSchema).max(50, 'höchstens 50 Veranstaltungen').default([]).describe('Alle Dialogveranstaltungen der Kommune.'),
});

export type Dialogue = z.infer<typeof dialogueSchema>;
export type Dialogues = z.infer<typeof dialoguesSchema>;

/** Rules across fields: times in order, a known focus field, no purpose twice, unique ids. */
export function checkDialogues(document: Dialogues, knownFieldKeys: readonly string[]): { field: string; message: string } | null {
  for (const [index, event] of document.events.entries()) {
    const at = `content.events.${index}`;
    if (event.startTime && event.endTime && event.endTime <= event.startTime) return { field: `${at}.endTime`, message: 'Das Ende liegt nicht nach dem Beginn.' };
    if (event.focusFieldKey && !knownFieldKeys.includes(event.focusFieldKey)) {
      return { field: `${at}.focusFieldKey`, message: `Das Handlungsfeld ${event.focusFieldKey} gibt es im Katalog nicht.` };
    }
    if (new Set(event.purposes).size !== event.purposes.length) return { field: `${at}.purposes`, message: 'Ein Zweck ist doppelt gewählt.' };
  }
  const ids = document.events.map((event) => event.id);
  if (new Set(ids).size !== ids.length) return { field: 'content.events', message: 'Zwei Veranstaltungen haben dieselbe Kennung.' };
  return null;
}
