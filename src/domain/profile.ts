import { z } from 'zod';
import { line, markup } from './text-fields.ts';

/**
 * The Ausgangslage of a Kommune (report section 1), as structured data: facts with value, source and
 * reference date, the range between districts, Verwaltungsleitung, project leads, challenges and
 * further starting conditions (text markup, see markdown.ts).
 */

const share = z.number('eine Zahl von 0 bis 100').min(0, 'mindestens 0').max(100, 'höchstens 100');

export const factSchema = z.object({
  label: line(200).min(1, 'bitte benennen'),
  value: z.number('eine Zahl').finite().nullable(),
  unit: line(40).default(''),
  source: line(200).default(''),
  referenceDate: line(40).default(''),
});

export const profileSchema = z.object({
  population: z.number('eine ganze Zahl').int('eine ganze Zahl').min(0).max(100_000_000).nullable().default(null),
  populationSource: line(200).default(''),
  populationDate: line(40).default(''),
  foreignShare: share.nullable().default(null),
  foreignShareSource: line(200).default(''),
  foreignShareDate: line(40).default(''),
  facts: z.array(factSchema).max(30, 'höchstens 30 Angaben').default([]),
  districtRange: z
    .object({
      areaKind: line(60).default('Ortsteil'),
      lowestShare: share,
      lowestName: line(120).min(1, 'bitte benennen'),
      highestShare: share,
      highestName: line(120).min(1, 'bitte benennen'),
    })
    .nullable()
    .default(null),
  administrationHead: z.object({ title: line(120).default(''), name: line(120).default('') }).default({ title: '', name: '' }),
  projectLeads: z
    .array(z.object({ name: line(120).min(1, 'bitte den Namen angeben'), unit: line(200).default('') }))
    .max(20, 'höchstens 20 Personen')
    .default([]),
  challenges: z.array(markup(2000).refine((value) => value.trim().length > 0, 'bitte ausfüllen')).max(30, 'höchstens 30 Herausforderungen').default([]),
  furtherConditions: markup(20_000).default(''),
});

export type Profile = z.infer<typeof profileSchema>;
export type Fact = z.infer<typeof factSchema>;

/** The Ausgangslage before anything was entered. */
export function emptyProfile(): Profile {
  return profileSchema.parse({});
}

/** Whether the lowest share of the district range is not above the highest. */
export function checkDistrictRange(profile: Profile): string | null {
  const range = profile.districtRange;
  if (range && range.lowestShare > range.highestShare) return 'Der niedrigste Anteil ist größer als der höchste.';
  return null;
}
