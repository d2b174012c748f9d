import { z } from 'zod';
import { line, markup } from './text-fields.ts';

const person = z
  .object({
    name: line(120).min(1, 'bitte den Namen angeben').describe('Name.'),
    role: line(160).default('').describe('Funktion.'),
    organisation: line(200).default('').describe('Organisation.'),
  })
  .describe('Eine Person.');

/** The Auftaktgespräch (report section 2): date, who took part, who was excused, key statements. */
export const kickoffSchema = z.object({
  date: z.iso.date('Datum im Format JJJJ-MM-TT').nullable().default(null).describe('Datum des Gesprächs (JJJJ-MM-TT).'),
  participants: z.array(person).max(60, 'höchstens 60 Personen').default([]).describe('Teilnehmende mit Funktion und Organisation.'),
  excused: z.array(person).max(60, 'höchstens 60 Personen').default([]).describe('Entschuldigte Personen.'),
  keyStatements: markup(20_000).default('').describe('Zentrale Aussagen des Gesprächs (Textauszeichnung).'),
});

export type Kickoff = z.infer<typeof kickoffSchema>;
export type KickoffPerson = z.infer<typeof person>;
