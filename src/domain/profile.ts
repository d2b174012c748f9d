import { z } from 'zod';
import { line, markup } from './text-fields.ts';

/**
 * The Ausgangslage of a Kommune (report section 1), as structured data: facts with value, source and
 * reference date, the range between districts, Verwaltungsleitung, project leads, challenges and
 * further starting conditions (text markup, see markdown.ts).
 */

const share = z.number('eine Zahl von 0 bis 100').min(0, 'mindestens 0').max(100, 'höchstens 100');

export const factSchema = z.object({
  label: line(200).min(1, 'bitte benennen').describe('Was die Angabe beschreibt, z. B. „Arbeitslosenquote“.'),
  value: z.number('eine Zahl').finite().nullable().describe('Der Wert als Zahl; null, wenn er fehlt.'),
  unit: line(40).default('').describe('Einheit des Werts, z. B. „%“ oder „Personen“.'),
  source: line(200).default('').describe('Quelle der Angabe.'),
  referenceDate: line(40).default('').describe('Stichtag oder Zeitraum der Angabe, frei formuliert.'),
  note: line(500)
    .default('')
    .describe('Einordnung: ein Satz, der nach dem Wert steht, z. B. „jedoch 10,5 % in der Altersgruppe der unter Sechsjährigen“; leer, wenn keine.'),
});

export const profileSchema = z.object({
  population: z
    .number('eine ganze Zahl')
    .int('eine ganze Zahl')
    .min(0)
    .max(100_000_000)
    .nullable()
    .default(null)
    .describe('Einwohnerzahl.'),
  populationSource: line(200).default('').describe('Quelle der Einwohnerzahl.'),
  populationDate: line(40).default('').describe('Stichtag der Einwohnerzahl, frei formuliert.'),
  foreignShare: share.nullable().default(null).describe('Anteil der Einwohner:innen ohne deutsche Staatsangehörigkeit in Prozent.'),
  foreignShareSource: line(200).default('').describe('Quelle des Anteils.'),
  foreignShareDate: line(40).default('').describe('Stichtag des Anteils, frei formuliert.'),
  facts: z.array(factSchema.describe('Eine weitere Kennzahl.')).max(30, 'höchstens 30 Angaben').default([]).describe('Weitere Kennzahlen mit Wert, Einheit, Quelle und Stichtag.'),
  districtRange: z
    .object({
      areaKind: line(60).default('Ortsteil').describe('Art der Teilgebiete, z. B. „Stadtteil“ oder „Gemeinde“.'),
      lowestShare: share.describe('Niedrigster Anteil in Prozent.'),
      lowestName: line(120).min(1, 'bitte benennen').describe('Teilgebiet mit dem niedrigsten Anteil.'),
      highestShare: share.describe('Höchster Anteil in Prozent.'),
      highestName: line(120).min(1, 'bitte benennen').describe('Teilgebiet mit dem höchsten Anteil.'),
    })
    .nullable()
    .default(null)
    .describe('Spanne des Anteils zwischen den Teilgebieten; null, wenn nicht erfasst.'),
  administrationHead: z
    .object({
      title: line(120).default('').describe('Amtsbezeichnung, z. B. „Oberbürgermeister“.'),
      name: line(120).default('').describe('Name.'),
    })
    .default({ title: '', name: '' })
    .describe('Die Verwaltungsleitung.'),
  projectLeads: z
    .array(
      z
        .object({
          name: line(120).min(1, 'bitte den Namen angeben').describe('Name.'),
          unit: line(200).default('').describe('Organisationseinheit.'),
        })
        .describe('Eine Person der Projektleitung.'),
    )
    .max(20, 'höchstens 20 Personen')
    .default([])
    .describe('Die Projektleitung vor Ort.'),
  challenges: z
    .array(markup(2000).regex(/\S/u, 'bitte ausfüllen').describe('Eine Herausforderung (Textauszeichnung).'))
    .max(30, 'höchstens 30 Herausforderungen')
    .default([])
    .describe('Herausforderungen in der Reihenfolge ihrer Bedeutung.'),
  furtherConditions: markup(20_000).default('').describe('Weitere Ausgangsbedingungen als Text mit Absätzen, Listen und Zitaten.'),
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
