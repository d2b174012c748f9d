import { z } from 'zod';
import { line, markup } from './text-fields.ts';

export const measureStatuses = ['geplant', 'laufend', 'umgesetzt', 'verworfen'] as const;
export type MeasureStatus = (typeof measureStatuses)[number];

const date = z.iso.date('Datum im Format JJJJ-MM-TT').nullable().default(null);

/** Where a measure came from: a Handlungsbedarf of a workshop. */
export const measureSourceSchema = z
  .object({
    workshopId: z.string().regex(/^[a-z0-9-]{8,40}$/, 'ungültige Kennung').describe('Kennung des Workshops.'),
    fieldKey: z.string().regex(/^[0-9]{1,2}$/, 'ungültiges Handlungsfeld').describe('Handlungsfeld im Workshop.'),
    actionNeed: line(500).describe('Wortlaut des Handlungsbedarfs.'),
  })
  .describe('Herkunft: der Handlungsbedarf eines Workshops, aus dem die Maßnahme wurde.');

export const measureSchema = z
  .object({
    title: line(500).min(1, 'bitte benennen').describe('Die Maßnahme.'),
    fieldKey: z.string().regex(/^[0-9]{1,2}$/, 'ungültiges Handlungsfeld').nullable().default(null).describe('Handlungsfeld, falls zugeordnet.'),
    responsible: line(200).default('').describe('Verantwortliche Stelle.'),
    partners: line(500).default('').describe('Beteiligte Partner.'),
    start: date.describe('Beginn (JJJJ-MM-TT).'),
    end: date.describe('Ende (JJJJ-MM-TT).'),
    status: z.enum(measureStatuses, 'geplant, laufend, umgesetzt oder verworfen').default('geplant').describe('Stand der Umsetzung.'),
    nextReview: date.describe('Nächste Überprüfung (JJJJ-MM-TT).'),
    source: measureSourceSchema.nullable().default(null).describe('Herkunft aus einem Workshop; null bei frei angelegten Maßnahmen.'),
  })
  .describe('Eine Maßnahme.');

export const goalSchema = z
  .object({
    title: line(300).min(1, 'bitte benennen').describe('Das Ziel.'),
    measures: z.array(measureSchema).max(50, 'höchstens 50 Maßnahmen je Ziel').default([]).describe('Maßnahmen zu diesem Ziel.'),
  })
  .describe('Ein Ziel mit seinen Maßnahmen.');

/** Report section 5: outlook, partnerships and the plan of goals and measures. */
export const outlookSchema = z.object({
  narrative: markup(30_000).default('').describe('Ausblick als Text (Textauszeichnung).'),
  partnerships: z
    .array(
      z
        .object({
          partner: line(200).min(1, 'bitte benennen').describe('Partnerorganisation.'),
          agreement: line(300).default('').describe('Vereinbarung, z. B. „Kooperationsvertrag“.'),
          aim: line(500).default('').describe('Ziel der Partnerschaft.'),
        })
        .describe('Eine Partnerschaft.'),
    )
    .max(50)
    .default([])
    .describe('Partnerschaften.'),
  goals: z.array(goalSchema).max(30, 'höchstens 30 Ziele').default([]).describe('Plan der Ziele und Maßnahmen.'),
});

export type Outlook = z.infer<typeof outlookSchema>;
export type Goal = z.infer<typeof goalSchema>;
export type Measure = z.infer<typeof measureSchema>;

/** A measure seeded from a workshop's Handlungsbedarf, keeping the link to it. */
export function measureFromActionNeed(source: { workshopId: string; fieldKey: string; actionNeed: string }): Measure {
  return measureSchema.parse({ title: source.actionNeed, fieldKey: source.fieldKey, source });
}

/** Rules across fields: a measure ends after it starts; known Handlungsfelder. */
export function checkOutlook(document: Outlook, knownFieldKeys: readonly string[]): { field: string; message: string } | null {
  for (const [goalIndex, goal] of document.goals.entries()) {
    for (const [measureIndex, measure] of goal.measures.entries()) {
      const at = `content.goals.${goalIndex}.measures.${measureIndex}`;
      if (measure.start && measure.end && measure.end < measure.start) return { field: `${at}.end`, message: 'Das Ende liegt vor dem Beginn.' };
      if (measure.fieldKey && !knownFieldKeys.includes(measure.fieldKey)) {
        return { field: `${at}.fieldKey`, message: `Das Handlungsfeld ${measure.fieldKey} gibt es im Katalog nicht.` };
      }
    }
  }
  return null;
}
