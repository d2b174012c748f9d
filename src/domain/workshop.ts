import { z } from 'zod';
import { line, markup } from './text-fields.ts';

/** The three questions the reference report's workshop discussed each Handlungsfeld along. */
export const defaultGuidingQuestions = [
  'Was läuft bei der Bearbeitung bzw. Umsetzung dieses Handlungsfeldes schon gut?',
  'Was läuft noch nicht so gut?',
  'Welche Handlungsbedarfe der Zukunft liegen aus Sicht der Teilnehmenden in diesem Handlungsfeld vor?',
];

// The default questions as stored before the glossary's „Teilnehmende“: still the defaults in older data.
const earlierDefaultGuidingQuestions = [...defaultGuidingQuestions.slice(0, 2), 'Welche Handlungsbedarfe der Zukunft liegen aus Sicht der Teilnehmer:innen in diesem Handlungsfeld vor?'];

/** The title a workshop has until it is given its own; the report does not quote it as a name. */
export const defaultWorkshopTitle = 'Selbstcheck-Workshop';

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
    votes: z
      .number('eine ganze Zahl')
      .int('eine ganze Zahl')
      .min(0, 'mindestens 0')
      .max(100_000, 'höchstens 100.000')
      .nullable()
      .default(null)
      .describe('Punkte aus der Priorisierung (Punktabfrage) im Workshop; null, wenn nicht priorisiert wurde.'),
  })
  .describe('Ein Handlungsbedarf mit Unterpunkten.');

export const workshopFieldSchema = z
  .object({
    fieldKey: z.string().regex(/^[0-9]{1,2}$/, 'ungültiges Handlungsfeld').describe('Schlüssel des Handlungsfelds im Katalog, z. B. „4“.'),
    qualifier: line(120)
      .default('')
      .describe('Zusatz, der im Bericht in Klammern nach dem Namen des Handlungsfelds steht, z. B. „Antidiskriminierung“; leer, wenn keiner.'),
    worksWell: items(40).describe('Was schon gut läuft.'),
    notYet: items(40).describe('Was noch nicht so gut läuft.'),
    // Older data had a third list, „Genannte Bedarfe“; the reference report knows only
    // Entwicklungspotenziale and Handlungsbedarfe, so it is read as Handlungsbedarfe and never written.
    needs: items(40)
      .optional()
      .describe('Nur in älteren Daten: „Genannte Bedarfe“. Sie werden beim Lesen als Handlungsbedarfe (ohne Unterpunkte) hinten angefügt und nicht mehr gespeichert.'),
    potentials: markup(20_000).default('').describe('Entwicklungspotenziale (Textauszeichnung mit Absätzen und Zitaten).'),
    actionNeeds: z.array(actionNeedSchema).max(40, 'höchstens 40 Handlungsbedarfe').default([]).describe('Handlungsbedarfe in ihrer Reihenfolge.'),
  })
  .transform(({ needs = [], ...field }) => ({ ...field, actionNeeds: [...field.actionNeeds, ...needs.map((text) => ({ text, subpoints: [], votes: null }))] }))
  .describe('Die Ergebnisse des Workshops zu einem Handlungsfeld.');

export const workshopSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{8,40}$/, 'ungültige Kennung').describe('Kennung des Workshops innerhalb der Kommune; Maßnahmen verweisen darauf.'),
    roundNumber: z.number().int().min(1).nullable().default(null).describe('Nummer der Selbstcheck-Runde, zu der der Workshop gehört.'),
    title: line(200).default(defaultWorkshopTitle).describe('Titel.'),
    date: z.iso.date('Datum im Format JJJJ-MM-TT').nullable().default(null).describe('Datum (JJJJ-MM-TT); null, solange der Termin offen ist.'),
    // Older data has no dateOpen: a workshop without a date was one whose date was not yet known.
    dateOpen: z
      .boolean('true oder false')
      .optional()
      .describe('„Termin offen“: true, solange der Workshop kein Datum hat. Ein Workshop braucht ein Datum oder „Termin offen“. Fehlt die Angabe (ältere Daten), gilt sie als true, wenn kein Datum angegeben ist.'),
    startTime: time.describe('Beginn (HH:MM) oder leer.'),
    endTime: time.describe('Ende (HH:MM) oder leer.'),
    participantsTotal: count.describe('Zahl der Teilnehmenden insgesamt.'),
    participantsTotalApproximate: z.boolean('true oder false').default(false).describe('Ob die Gesamtzahl ungefähr ist (im Bericht „ca.“).'),
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
      .object({
        person: line(120).default('').describe('Name.'),
        organisation: line(200).default('').describe('Organisation.'),
        role: line(120).default('').describe('Rolle der moderierenden Person, z. B. „Prozessbegleiterin“; leer, wenn keine genannt wird.'),
      })
      .default({ person: '', organisation: '', role: '' })
      .describe('Die Moderation.'),
    guidingQuestions: z
      .array(line(300).min(1, 'bitte ausfüllen').describe('Eine Fragestellung.'))
      .max(10)
      .default(defaultGuidingQuestions)
      .describe('Die Fragestellungen, entlang derer jedes Handlungsfeld besprochen wurde.'),
    fields: z.array(workshopFieldSchema).max(20).default([]).describe('Die gewählten Handlungsfelder mit ihren Ergebnissen.'),
    documentationShared: z
      .boolean('true oder false')
      .default(false)
      .describe('Ob eine ausführliche Dokumentation des Workshops den Beteiligten vorliegt (der Bericht sagt es dann).'),
  })
  .transform(({ id, roundNumber, title, date, dateOpen, ...rest }) => ({ id, roundNumber, title, date, dateOpen: dateOpen ?? date === null, ...rest }))
  .describe('Ein Selbstcheck-Workshop.');

/** All workshops of a Kommune, several per round possible. */
export const workshopsSchema = z.object({
  workshops: z.array(workshopSchema).max(30, 'höchstens 30 Workshops').default([]).describe('Alle Workshops der Kommune.'),
});

export type Workshop = z.infer<typeof workshopSchema>;
export type WorkshopField = z.infer<typeof workshopFieldSchema>;
export type ActionNeed = z.infer<typeof actionNeedSchema>;
export type Workshops = z.infer<typeof workshopsSchema>;

/**
 * Whether nothing at all was entered for a workshop: no own title, date, times, counts, moderation,
 * changed Fragestellungen, Handlungsfelder or documentation. „Termin offen“ alone does not count:
 * older data reads it as true for every workshop without a date.
 */
export function isEmptyWorkshop(workshop: Workshop): boolean {
  const title = workshop.title.trim();
  return (
    (title === '' || title === defaultWorkshopTitle) &&
    workshop.date === null &&
    !workshop.startTime &&
    !workshop.endTime &&
    workshop.participantsTotal === null &&
    sectors.every((sector) => workshop.participantsBySector[sector] === null) &&
    !workshop.moderation.person &&
    !workshop.moderation.organisation &&
    !workshop.moderation.role &&
    workshop.fields.length === 0 &&
    !workshop.documentationShared &&
    workshop.guidingQuestions.length === defaultGuidingQuestions.length &&
    workshop.guidingQuestions.every((question, index) => question === defaultGuidingQuestions[index] || question === earlierDefaultGuidingQuestions[index])
  );
}

/**
 * Rules across fields of a workshop: something entered, a date or „Termin offen“ (not both), times in
 * order, sectors not above the total, known Handlungsfelder, none twice, unique ids.
 */
export function checkWorkshops(document: Workshops, knownFieldKeys: readonly string[]): { field: string; message: string } | null {
  for (const [index, workshop] of document.workshops.entries()) {
    const at = `content.workshops.${index}`;
    if (isEmptyWorkshop(workshop)) {
      return { field: at, message: `Für den ${index + 1}. Workshop ist noch nichts eingetragen. Bitte tragen Sie zum Beispiel das Datum, einen Titel, die Moderation oder die gewählten Handlungsfelder ein, oder löschen Sie den Workshop.` };
    }
    if (workshop.date === null && !workshop.dateOpen) {
      return { field: `${at}.date`, message: 'Bitte geben Sie ein Datum an oder wählen Sie „Termin offen“.' };
    }
    if (workshop.date !== null && workshop.dateOpen) {
      return { field: `${at}.dateOpen`, message: 'Der Workshop hat ein Datum und zugleich „Termin offen“. Bitte entfernen Sie das Datum oder das Häkchen bei „Termin offen“.' };
    }
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
    for (const [fieldIndex, field] of workshop.fields.entries()) {
      // Older „Genannte Bedarfe“ appended to the Handlungsbedarfe can pass the limit of the list.
      if (field.actionNeeds.length > 40) return { field: `${at}.fields.${fieldIndex}.actionNeeds`, message: 'Höchstens 40 Handlungsbedarfe je Handlungsfeld; bitte fassen Sie Einträge zusammen.' };
    }
  }
  const ids = document.workshops.map((workshop) => workshop.id);
  if (new Set(ids).size !== ids.length) return { field: 'content.workshops', message: 'Zwei Workshops haben dieselbe Kennung.' };
  return null;
}
