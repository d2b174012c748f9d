import { z } from 'zod';
import { line, markup } from './text-fields.ts';

const person = z.object({
  name: line(120).min(1, 'bitte den Namen angeben'),
  role: line(160).default(''),
  organisation: line(200).default(''),
});

/** The Auftaktgespräch (report section 2): date, who took part, who was excused, key statements. */
export const kickoffSchema = z.object({
  date: z.iso.date('Datum im Format JJJJ-MM-TT').nullable().default(null),
  participants: z.array(person).max(60, 'höchstens 60 Personen').default([]),
  excused: z.array(person).max(60, 'höchstens 60 Personen').default([]),
  keyStatements: markup(20_000).default(''),
});

export type Kickoff = z.infer<typeof kickoffSchema>;
export type KickoffPerson = z.infer<typeof person>;
