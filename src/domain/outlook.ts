import { z } from 'zod';
import { line, markup } from './text-fields.ts';
import type { Workshop } from './workshop.ts';

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

const fieldKey = z.string().regex(/^[0-9]{1,2}$/, 'ungültiges Handlungsfeld');

/**
 * A partnership or cooperation agreement with one or more partners (the reference report's
 * agreement has four). Older data held one partner per entry, `{ partner, agreement, aim }`; it is
 * read as `{ title: agreement, partners: [partner], date: null, fieldKeys: [], aim }` and never written.
 */
export const partnershipSchema = z
  .object({
    title: line(200).default('').describe('Art der Vereinbarung, z. B. „Kooperationsvereinbarung“; leer, wenn keine genannt wird.'),
    partners: z
      .array(line(200).min(1, 'bitte benennen').describe('Eine Partnerorganisation.'), 'eine Liste der Partner')
      .min(1, 'bitte mindestens einen Partner nennen')
      .max(20, 'höchstens 20 Partner')
      .optional()
      .describe('Die Partner der Vereinbarung (1 bis 20), ohne die eigene Kommune.'),
    date: date.describe('Datum der Vereinbarung (JJJJ-MM-TT); null, wenn nicht angegeben.'),
    fieldKeys: z.array(fieldKey.describe('Schlüssel eines Handlungsfelds.')).max(20).default([]).describe('Handlungsfelder, auf die die Vereinbarung zielt.'),
    aim: line(500).default('').describe('Ziel der Vereinbarung.'),
    partner: line(200).min(1, 'bitte benennen').optional().describe('Nur in älteren Daten: der eine Partner; wird als „partners“ mit einem Eintrag gelesen.'),
    agreement: line(300).optional().describe('Nur in älteren Daten: die Vereinbarung; wird als „title“ gelesen.'),
  })
  .transform(({ partner, agreement, ...entry }, context) => {
    const partners = entry.partners ?? (partner === undefined ? undefined : [partner]);
    if (!partners) {
      context.issues.push({ code: 'custom', path: ['partners'], message: 'bitte mindestens einen Partner nennen', input: entry });
      return z.NEVER;
    }
    return { title: entry.title || (agreement ?? ''), partners, date: entry.date, fieldKeys: entry.fieldKeys, aim: entry.aim };
  })
  // The JSON Schema says what the transform requires: the partners, or in older data the one partner.
  .meta({
    description: 'Eine Partnerschaft oder Kooperationsvereinbarung mit einem oder mehreren Partnern.',
    anyOf: [{ required: ['partners'] }, { required: ['partner'] }],
  });

/** Report section 5: outlook, partnerships and the plan of goals and measures. */
export const outlookSchema = z.object({
  narrative: markup(30_000).default('').describe('Ausblick als Text (Textauszeichnung).'),
  partnerships: z.array(partnershipSchema).max(50, 'höchstens 50 Partnerschaften').default([]).describe('Partnerschaften und Kooperationsvereinbarungen.'),
  goals: z.array(goalSchema).max(30, 'höchstens 30 Ziele').default([]).describe('Plan der Ziele und Maßnahmen.'),
});

export type Outlook = z.infer<typeof outlookSchema>;
export type Goal = z.infer<typeof goalSchema>;
export type Measure = z.infer<typeof measureSchema>;
export type Partnership = z.infer<typeof partnershipSchema>;

/** A measure seeded from a workshop's Handlungsbedarf, keeping the link to it. */
export function measureFromActionNeed(source: { workshopId: string; fieldKey: string; actionNeed: string }): Measure {
  return measureSchema.parse({ title: source.actionNeed, fieldKey: source.fieldKey, source });
}

type MeasureSource = z.infer<typeof measureSourceSchema>;

/** A Handlungsbedarf as the Ausblick offers it: where it comes from and the points it received (null: not prioritised). */
export interface OfferedActionNeed extends MeasureSource {
  votes: number | null;
}

/** The key by which a Handlungsbedarf counts as taken: the same workshop, Handlungsfeld and wording. */
export const actionNeedKey = (source: MeasureSource) => `${source.workshopId}|${source.fieldKey}|${source.actionNeed}`;

/** The Handlungsbedarfe that already became measures (of any goal), by `actionNeedKey`. */
export function takenActionNeeds(outlook: Outlook): Set<string> {
  return new Set(outlook.goals.flatMap((goal) => goal.measures.flatMap((measure) => (measure.source ? [actionNeedKey(measure.source)] : []))));
}

/**
 * A workshop's Handlungsbedarfe as the Ausblick offers them: by points, most first, across its
 * Handlungsfelder (one Punktabfrage per workshop); needs without points after them. Equal points and
 * the needs without points keep their documented order.
 */
export function offeredActionNeeds(workshop: Workshop): OfferedActionNeed[] {
  const needs = workshop.fields.flatMap((field) => field.actionNeeds.map((need) => ({ workshopId: workshop.id, fieldKey: field.fieldKey, actionNeed: need.text, votes: need.votes })));
  return needs.toSorted((a, b) => (b.votes ?? -1) - (a.votes ?? -1));
}

/**
 * The most prioritised Handlungsbedarfe of a workshop that are not yet measures: at most `limit`
 * (3), only needs with at least one point, each once (the same wording twice in one Handlungsfeld is
 * one need, as the „übernommen“ rule sees it).
 */
export function topActionNeeds(workshop: Workshop, outlook: Outlook, limit = 3): OfferedActionNeed[] {
  const taken = takenActionNeeds(outlook);
  const chosen: OfferedActionNeed[] = [];
  for (const need of offeredActionNeeds(workshop)) {
    if (chosen.length >= limit || need.votes === null || need.votes === 0) break;
    const key = actionNeedKey(need);
    if (taken.has(key)) continue;
    taken.add(key);
    chosen.push(need);
  }
  return chosen;
}

/**
 * Takes a workshop's most prioritised Handlungsbedarfe over in one step, as the single „Als Maßnahme
 * übernehmen“ does: measures of the last goal, or of a new goal `newGoalTitle` when there is none.
 * Nothing changes when none is left to take.
 */
export function withTopActionNeeds(outlook: Outlook, workshop: Workshop, newGoalTitle: string, limit = 3): { outlook: Outlook; taken: OfferedActionNeed[]; goalTitle: string | null } {
  const taken = topActionNeeds(workshop, outlook, limit);
  if (taken.length === 0) return { outlook, taken, goalTitle: null };
  const goals: Goal[] = outlook.goals.length ? [...outlook.goals] : [{ title: newGoalTitle, measures: [] }];
  const last = goals.length - 1;
  goals[last] = { ...goals[last]!, measures: [...goals[last]!.measures, ...taken.map(({ votes: _votes, ...source }) => measureFromActionNeed(source))] };
  return { outlook: { ...outlook, goals }, taken, goalTitle: goals[last]!.title };
}

/** Rules across fields: a measure ends after it starts; known Handlungsfelder, no field or partner twice in a partnership. */
export function checkOutlook(document: Outlook, knownFieldKeys: readonly string[]): { field: string; message: string } | null {
  for (const [index, partnership] of document.partnerships.entries()) {
    const at = `content.partnerships.${index}`;
    const unknown = partnership.fieldKeys.find((key) => !knownFieldKeys.includes(key));
    if (unknown) return { field: `${at}.fieldKeys`, message: `Das Handlungsfeld ${unknown} gibt es im Katalog nicht.` };
    if (new Set(partnership.fieldKeys).size !== partnership.fieldKeys.length) return { field: `${at}.fieldKeys`, message: 'Ein Handlungsfeld ist doppelt gewählt.' };
    const partners = partnership.partners.map((partner) => partner.toLocaleLowerCase('de'));
    const twice = partners.findIndex((partner, position) => partners.indexOf(partner) !== position);
    if (twice >= 0) return { field: `${at}.partners.${twice}`, message: `„${partnership.partners[twice]}“ ist zweimal genannt.` };
  }
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

/**
 * Whether a measure is due for review on `today` (YYYY-MM-DD): planned or running, with a review
 * date that has come. The Ausblick shows „Überprüfung fällig seit …“ and the Koordination gets one
 * mail per measure and review date, however long ago that date is.
 */
export function isMeasureReviewDue(measure: { status: MeasureStatus; nextReview: string | null }, today: string): boolean {
  return measure.nextReview !== null && measure.nextReview <= today && (measure.status === 'geplant' || measure.status === 'laufend');
}
