import { z } from 'zod';
import { line, markup } from './text-fields.ts';

/** The three questions the reference report's workshop discussed each Handlungsfeld along. */
export const defaultGuidingQuestions = [
  'Was läuft bei der Bearbeitung bzw. Umsetzung dieses Handlungsfeldes schon gut?',
  'Was läuft noch nicht so gut?',
  'Welche Handlungsbedarfe der Zukunft liegen aus Sicht der Teilnehmer:innen in diesem Handlungsfeld vor?',
];

export const sectors = ['verwaltung', 'politik', 'zivilgesellschaft', 'wirtschaft'] as const;
export type Sector = (typeof sectors)[number];

const count = z.number('eine ganze Zahl').int('eine ganze Zahl').min(0).max(100_000).nullable().default(null);
const time = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d)?$/, 'Uhrzeit im Format HH:MM').default('');
const items = (max: number) =>
  z
    .array(line(500).min(1, 'bitte ausfüllen').describe('Ein Punkt.'))
    .max(max, `höchstens ${max} Einträge`)
    .default([]);

/** A Handlungsbedarf with its sub-points (two levels, as in the reference report). */
export const actionNeedSchema = z
  .object({
    text: line(500).min(1, 'bitte ausfüllen').describe('Der Handlungsbedarf.'),
    subpoints: items(20).describe('Unterpunkte (zweite Ebene).'),
  })
  .describe('Ein Handlungsbedarf mit Unterpunkten.');

export const workshopFieldSchema = z
  .object({
    fieldKey: z.string().regex(/^[0-9]{1,2}$/, 'ungültiges Handlungsfeld').describe('Schlüssel des Handlungsfelds im Katalog, z. B. „4“.'),
    worksWell: items(40).describe('Was schon gut läuft.'),
    notYet: items(40).describe('Was noch nicht so gut läuft.'),
    needs: items(40).describe('Bedarfe aus Sicht der Teilnehmenden.'),
    potentials: markup(20_000).default('').describe('Entwicklungspotenziale (Textauszeichnung mit Absätzen und Zitaten).'),
    actionNeeds: z.array(actionNeedSchema).max(40, 'höchstens 40 Handlungsbedarfe').default([]).describe('Handlungsbedarfe in ihrer Reihenfolge.'),
  })
  .describe('Die Ergebnisse des Workshops zu einem Handlungsfeld.');

export const workshopSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{8,40}$/, 'ungültige Kennung').describe('Kennung des Workshops innerhalb der Kommune; Maßnahmen verweisen darauf.'),
    roundNumber: z.number().int().min(1).nullable().default(null).describe('Nummer der Selbstcheck-Runde, zu der der Workshop gehört.'),
    title: line(200).default('Selbstcheck-Workshop').describe('Titel.'),
    date: z.iso.date('Datum im Format JJJJ-MM-TT').nullable().default(null).describe('Datum (JJJJ-MM-TT).'),
    startTime: time.describe('Beginn (HH:MM) oder leer.'),
    endTime: time.describe('Ende (HH:MM) oder leer.'),
    participantsTotal: count.describe('Zahl der Teilnehmenden insgesamt.'),
    participantsBySector: z
      .object({
        verwaltung: count.describe('Aus der Verwaltung.'),
        politik: count.describe('Aus der Politik.'),
        zivilgesellschaft: count.describe('Aus der Zivilgesellschaft.'),
        wirtschaft: count.describe('Aus der Wirtschaft.'),
      })
      .default({ verwaltung: null, politik: null, zivilgesellschaft: null, wirtschaft: null })
      .describe('Teilnehmende nach Bereichen; null, wo nicht erfasst.'),
    moderation: z
      .object({ person: line(120).default('').describe('Name.'), organisation: line(200).default('').describe('Organisation.') })
      .default({ person: '', organisation: '' })
      .describe('Die Moderation.'),
    guidingQuestions: z
      .array(line(300).min(1, 'bitte ausfüllen').describe('Eine Leitfrage.'))
      .max(10)
      .default(defaultGuidingQuestions)
      .describe('Die Leitfragen, entlang derer jedes Handlungsfeld besprochen wurde.'),
    fields: z.array(workshopFieldSchema).max(20).default([]).describe('Die gewählten Handlungsfelder mit ihren Ergebnissen.'),
  })
  .describe('Ein Selbstcheck-Workshop.');

/** All workshops of a Kommune, several per round possible. */
export const workshopsSchema = z.object({
  workshops: z.array(workshopSchema).max(30, 'höchstens 30 Workshops').default([]).describe('Alle Workshops der Kommune.'),
});

export type Workshop = z.infer<typeof workshopSchema>;
export type WorkshopField = z.infer<typeof workshopFieldSchema>;
export type ActionNeed = z.infer<typeof actionNeedSchema>;
export type Workshops = z.infer<typeof workshopsSchema>;

/** Rules across fields of a workshop: times in order, sectors not above the total, no field twice. */
export function checkWorkshops(document: Workshops, knownFieldKeys: readonly string[]): { field: string; message: string } | null {
  for (const [index, workshop] of document.workshops.entries()) {
    const at = `content.workshops.${index}`;
    if (workshop.startTime && workshop.endTime && workshop.endTime <= workshop.startTime) {
      return { field: `${at}.endTime`, message: 'Das Ende liegt nicht nach dem Beginn.' };
    }
    const bySector = sectors.reduce((sum, sector) => sum + (workshop.participantsBySector[sector] ?? 0), 0);
    if (workshop.participantsTotal !== null && bySector > workshop.participantsTotal) {
      return { field: `${at}.participantsBySector`, message: 'Die Teilnehmenden nach Bereichen sind mehr als die Gesamtzahl.' };
    }
    const keys = workshop.fields.map((field) => field.fieldKey);
    const unknown = keys.find((key) => !knownFieldKeys.includes(key));
    if (unknown) return { field: `${at}.fields`, message: `Das Handlungsfeld ${unknown} gibt es im Katalog nicht.` };
    if (new Set(keys).size !== keys.length) return { field: `${at}.fields`, message: 'Ein Handlungsfeld ist doppelt gewählt.' };
  }
  const ids = document.workshops.map((workshop) => workshop.id);
  if (new Set(ids).size !== ids.length) return { field: 'content.workshops', message: 'Zwei Workshops haben dieselbe Kennung.' };
  return null;
}
