import { z } from 'zod';
import { line, markup } from './text-fields.ts';

export const measureStatuses = ['geplant', 'laufend', 'umgesetzt', 'verworfen'] as const;
export type MeasureStatus = (typeof measureStatuses)[number];

const date = z.iso.date('Datum im Format JJJJ-MM-TT').nullable().default(null);

/** Where a measure came from: a Handlungsbedarf of a workshop. */
export const measureSourceSchema = z.object({
  workshopId: z.string().regex(/^[a-z0-9-]{8,40}$/, 'ungültige Kennung'),
  fieldKey: z.string().regex(/^[0-9]{1,2}$/, 'ungültiges Handlungsfeld'),
  actionNeed: line(500),
});

export const measureSchema = z.object({
  title: line(500).min(1, 'bitte benennen'),
  fieldKey: z.string().regex(/^[0-9]{1,2}$/, 'ungültiges Handlungsfeld').nullable().default(null),
  responsible: line(200).default(''),
  partners: line(500).default(''),
  start: date,
  end: date,
  status: z.enum(measureStatuses, 'geplant, laufend, umgesetzt oder verworfen').default('geplant'),
  nextReview: date,
  source: measureSourceSchema.nullable().default(null),
});

export const goalSchema = z.object({
  title: line(300).min(1, 'bitte benennen'),
  measures: z.array(measureSchema).max(50, 'höchstens 50 Maßnahmen je Ziel').default([]),
});

/** Report section 5: outlook, partnerships and the plan of goals and measures. */
export const outlookSchema = z.object({
  narrative: markup(30_000).default(''),
  partnerships: z
    .array(z.object({ partner: line(200).min(1, 'bitte benennen'), agreement: line(300).default(''), aim: line(500).default('') }))
    .max(50)
    .default([]),
  goals: z.array(goalSchema).max(30, 'höchstens 30 Ziele').default([]),
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
