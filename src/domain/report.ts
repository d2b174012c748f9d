import { z } from 'zod';
import type { Dialogue, Dialogues } from './dialogue.ts';
import {
  approximateNumber,
  areaKindPlural,
  capitalise,
  countOf,
  countWord,
  germanDate,
  germanMonthPeriod,
  germanNumber,
  germanPercent,
  germanPeriod,
  germanSpan,
  joinGerman,
  kommunePhrases,
  tenseOf,
  timeRange,
  type KommunePhrases,
} from './german.ts';
import type { Kickoff, KickoffPerson } from './kickoff.ts';
import type { KommuneKind } from './kommune.ts';
import { parseInline, parseMarkup, type Block as MarkupBlock, type Inline } from './markdown.ts';
import type { OfferStatus } from './offer.ts';
import type { Outlook } from './outlook.ts';
import type { Profile } from './profile.ts';
import { criterionKeyOf } from './evidence-file.ts';
import { isRadarChart } from './scoring.ts';
import { markup } from './text-fields.ts';
import { defaultWorkshopTitle, type Workshop, type WorkshopField, type Workshops } from './workshop.ts';

/**
 * The Abschlussbericht as a tree of blocks, built from a Kommune's data alone (pure): the same model
 * feeds the HTML preview, the PDF (Typst) and the DOCX, so the three say the same. Every sentence
 * that depends on the data is chosen here, with its German grammar.
 */

/** Narrative passages of the report that are written, not generated (document kind `report`). */
export const reportTextsSchema = z.object({
  preamble: markup(10_000).default('').describe('Eigener Text für die Einleitung; ersetzt den erzeugten Satz, was der Bericht zusammenfasst.'),
  withEvidence: z.boolean('true oder false').default(true).describe('Ob der Bericht den Anhang „Belege“ enthält (sobald die Kommune Belege hat).'),
});
export type ReportTexts = z.infer<typeof reportTextsSchema>;

export type ReportRow = { kind: 'group'; text: string } | { kind: 'row'; cells: string[]; isHighlighted?: boolean };

export type ReportBlock =
  | { kind: 'heading'; level: 2 | 3; text: string }
  | { kind: 'paragraph'; inlines: Inline[] }
  | { kind: 'text'; blocks: MarkupBlock[] }
  | { kind: 'list'; style: 'bullets' | 'numbers'; items: { inlines: Inline[]; children: Inline[][] }[] }
  | { kind: 'quote'; inlines: Inline[] }
  | { kind: 'table'; caption: string; columns: { label: string; width: number }[]; rows: ReportRow[] }
  /** `bars`: the same values per field as text, for an HTML bar list where the drawn chart would be too small (phones). */
  | { kind: 'chart'; svg: string; alt: string; caption: string; bars: { label: string; percent: number | null; text: string }[] }
  | { kind: 'legend'; title: string; items: { symbol: string; label: string }[] };

export interface ReportSection {
  id: 'preamble' | 'ausgangslage' | 'umsetzung' | 'fragebogen' | 'workshop' | 'ausblick' | 'belege';
  number: number | null;
  title: string;
  blocks: ReportBlock[];
}

export interface Report {
  /** Document title (PDF metadata, DOCX core properties, HTML title). */
  title: string;
  language: 'de-DE';
  /** ISO date of generation. */
  generatedOn: string;
  titlePage: { programme: string; title: string; kommune: string; subtitle: string; date: string };
  sections: ReportSection[];
}

export interface ReportResults {
  roundNumber: number;
  status: 'open' | 'closed';
  periodStart: string | null;
  periodEnd: string | null;
  /** Whether the period is meant by day or only by month („im März und April 2020“). */
  periodPrecision: 'day' | 'month';
  participants: string;
  /** Persons who answered at least one Leitfrage of the round. */
  respondentCount: number;
  overall: {
    displayPercent: number | null;
    levelText: string | null;
    /** „vorläufig“: the round is open or a worked field has open criteria. */
    isProvisional: boolean;
    hasOpenCriteria: boolean;
    workedFieldCount: number;
    /** Worked fields with a value: the overall value is their mean. */
    scoredFieldCount: number;
  };
  levels: { minScore: number; text: string }[];
  /** The answer scale (with its anchors, where the catalog has them) and „offen“. */
  legend: { key: string; symbol: string; label: string; value: number | null; meaning: string | null }[];
  fields: {
    key: string;
    name: string;
    isWorked: boolean;
    displayPercent: number | null;
    questionCount: number;
    answeredQuestionCount: number;
    respondentCount: number;
    openCriterionCount: number;
    notApplicableCriterionCount: number;
    isProvisional: boolean;
    /** Symbol and label as the results give them: an open criterion carries those of „offen“. */
    criteria: { name: string; symbol: string; ratingLabel: string }[];
  }[];
}

/**
 * The Außensicht of the round, when a resident survey was published for it (issue 17): dates, what it
 * asked, how many answered in which languages, and — only from the minimum of responses — the values
 * beside the Innensicht. Percentages are the shown (rounded) ones of the survey's results.
 */
export interface ReportOutsideView {
  opensOn: string;
  closesOn: string;
  /** Counted responses (without the excluded ones). */
  responses: number;
  minimum: number;
  excluded: { responses: number; reason: string }[];
  /** German names of the languages with at least the minimum of responses, most responses first. */
  languages: string[];
  /** Whether responses came in further languages, each too few to be named. */
  moreLanguages?: boolean;
  statementCount: number;
  fieldKeys: string[];
  /** Per field, only when shown: the Innensicht (null: no value or not worked) and the Außensicht. */
  fields: { key: string; name: string; inside: number | null; insideWorked: boolean; outside: number | null }[] | null;
  /** Per statement, only when shown. */
  statements: { text: string; rated: number; agreement: number | null; dontKnow: number }[] | null;
  releasedOpenAnswers: number;
}

/** The change since the previous round, when there is one (issue 7: the report can include it). */
export interface ReportComparison {
  olderNumber: number;
  summary: { besser: number; gleich: number; schlechter: number };
  fields: { key: string; name: string; before: number | null; after: number | null; change: 'besser' | 'gleich' | 'schlechter' | null }[];
}

/**
 * The Belege of the round for the appendix (issue 18): per worked field in catalog order, the documents
 * linked to its criteria or questions, each with the names of the criteria it backs (a document that
 * backs criteria of two fields stands under both).
 */
export interface ReportEvidence {
  fields: { key: string; name: string; documents: { title: string; date: string | null; criteria: string[] }[] }[];
  /** Documents linked in the round but not released for Lesende: counted, never named. */
  unreleased: number;
}

/**
 * The appendix's content from the round's fields and the Kommune's documents with their links in that
 * round: a question key („1.2.3“) counts for its criterion („1.2“); only released documents are named.
 */
export function reportEvidenceOf(
  fields: readonly { key: string; name: string; criteria: readonly { key: string; name: string }[] }[],
  documents: readonly { title: string; date: string | null; released: boolean; keys: readonly string[] }[],
): ReportEvidence {
  const linked = documents.filter((document) => document.keys.length > 0);
  const named = linked.filter((document) => document.released).sort((a, b) => a.title.localeCompare(b.title, 'de'));
  return {
    fields: fields.map((field) => ({
      key: field.key,
      name: field.name,
      documents: named.flatMap((document) => {
        const keys = new Set(document.keys.map(criterionKeyOf));
        const criteria = field.criteria.filter((criterion) => keys.has(criterion.key)).map((criterion) => criterion.name);
        return criteria.length ? [{ title: document.title, date: document.date, criteria }] : [];
      }),
    })),
    unreleased: linked.length - named.length,
  };
}

export interface ReportInput {
  /** The name is stored without the kind; `designation` („Hansestadt“, „Kreis“) replaces the kind word in the text. */
  kommune: { name: string; kind: KommuneKind; designation?: string | null; modules: number[] };
  programme: { title: string; text: string };
  /** The round the report is about, with its results; null before the first round. */
  results: ReportResults | null;
  /** The radar chart of the field scores as SVG, when there are results. */
  chartSvg: string | null;
  comparison?: ReportComparison | null;
  /** The resident survey of the round, when one was published. */
  outsideView?: ReportOutsideView | null;
  /** The appendix „Belege“, when the Koordination includes it and the round has results. */
  evidence?: ReportEvidence | null;
  profile: Profile;
  kickoff: Kickoff;
  workshops: Workshops;
  dialogues: Dialogues;
  offers: { title: string; date: string | null; status: OfferStatus }[];
  outlook: Outlook;
  texts: ReportTexts;
  /** ISO date the report is generated on. */
  generatedOn: string;
}

/** Names of the modules as the reference report writes them. */
export const moduleNames: Record<number, string> = {
  1: 'Selbstcheck Weltoffene Kommune',
  2: 'Dialogveranstaltungen',
  3: 'Angebote für kommunale Entscheidungsträger:innen',
};

const text = (value: string): Inline[] => [{ kind: 'text', text: value }];
const paragraph = (value: string): ReportBlock => ({ kind: 'paragraph', inlines: text(value) });
const heading = (value: string, level: 2 | 3 = 2): ReportBlock => ({ kind: 'heading', level, text: value });
const bullets = (items: readonly string[]): ReportBlock => ({ kind: 'list', style: 'bullets', items: items.map((item) => ({ inlines: text(item), children: [] })) });
/** User text in the markup; nothing when empty. */
const userText = (value: string): ReportBlock[] => (value.trim() ? [{ kind: 'text', blocks: parseMarkup(value) }] : []);
/** A sentence always ends with one full stop, also after a user's text that ends in one already. */
const sentence = (value: string) => (/[.!?…]$/.test(value) ? value : `${value}.`);

/** "hat die Module 1 (…), 2 (…) und 3 (…) genutzt" / "hat das Modul 1 (…) genutzt". */
export function modulesPhrase(modules: readonly number[], isOngoing = false): string {
  const sorted = [...new Set(modules)].sort((a, b) => a - b);
  const named = sorted.map((number) => `${number} (${moduleNames[number] ?? `Modul ${number}`})`);
  const object = sorted.length === 1 ? `das Modul ${named[0]}` : `die Module ${joinGerman(named)}`;
  return isOngoing ? `nutzt ${object}` : `hat ${object} genutzt`;
}

/** Whether the process is still under way: no round yet, or the report's round is open. The modules are then in the present tense. */
const isOngoing = (input: ReportInput) => input.results === null || input.results.status === 'open';

function personPhrase(person: KickoffPerson): string {
  const details = [person.role, person.organisation].filter(Boolean).join(', ');
  return details ? `${person.name} (${details})` : person.name;
}

function fieldName(input: ReportInput, key: string): string {
  return input.results?.fields.find((field) => field.key === key)?.name ?? input.outsideView?.fields?.find((field) => field.key === key)?.name ?? `Handlungsfeld ${key}`;
}

/**
 * „ist Modellkommune im Projekt „…““ when the programme's title begins with a noun that takes „im“
 * (Projekt, Programm, Vorhaben), else „im Programm „…““: the title is the Programmteam's and is never declined.
 */
export function programmeMembership(title: string): string {
  const plain = title.trim();
  // „Modellkommune im Modellprojekt“ doubles the word: the reference report writes „im Projekt …“.
  const match = /^(?:Modell|Bundes|Landes|Förder)?(projekt|programm|vorhaben)\s+(.+)$/iu.exec(plain);
  if (match) return `ist Modellkommune im ${capitalise(match[1]!.toLowerCase())} „${match[2]!.replace(/^„(.*)“$/u, '$1')}“`;
  return `ist Modellkommune im Programm „${plain}“`;
}

function preamble(input: ReportInput, phrases: KommunePhrases): ReportSection {
  const blocks: ReportBlock[] = [paragraph(`${capitalise(phrases.nominative)} ${programmeMembership(input.programme.title)}.`), ...userText(input.programme.text)];
  blocks.push(paragraph(`${capitalise(phrases.nominative)} ${modulesPhrase(input.kommune.modules, isOngoing(input))}.`));
  if (input.texts.preamble.trim()) blocks.push(...userText(input.texts.preamble));
  else {
    const results = input.results;
    const reason = results && results.status === 'closed' ? provisionalReason(results) : null;
    const round = results ? ` Er beruht auf der Selbstcheck-Runde ${results.roundNumber}${results.status === 'open' ? ', die noch nicht abgeschlossen ist' : ''}.${reason ? ` ${reason}` : ''}` : '';
    blocks.push(paragraph(`Der vorliegende Abschlussbericht fasst die Ergebnisse des Selbstcheck-Prozesses zusammen und zeigt Perspektiven zur Weiterarbeit auf.${round}`));
  }
  return { id: 'preamble', number: null, title: input.programme.title, blocks };
}

/** Both ends of a range with the same decimals: „0,00 % … 18,92 %“, as the reference report writes them. */
function rangePercents(low: number, high: number): [string, string] {
  const decimals = (value: number) => (Number.isInteger(value) ? 0 : Math.min(2, String(value).split('.')[1]!.length));
  const digits = Math.max(decimals(low), decimals(high));
  const format = (value: number) => `${new Intl.NumberFormat('de-DE', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value)}\u00a0%`;
  return [format(low), format(high)];
}

function ausgangslage(input: ReportInput, phrases: KommunePhrases): ReportSection {
  const profile = input.profile;
  const source = (origin: string, date: string) => {
    const parts = [origin, date ? `Stand ${date}` : ''].filter(Boolean);
    return parts.length ? ` (${parts.join(', ')})` : '';
  };
  const items: { inlines: Inline[]; children: Inline[][] }[] = [];
  const item = (label: string, value: string, children: string[] = []) =>
    items.push({ inlines: value ? [{ kind: 'strong', text: `${label}: ` }, { kind: 'text', text: value }] : [{ kind: 'strong', text: `${label}:` }], children: children.map(parseInline) });
  if (profile.population !== null) item('Einwohnerzahl', `${germanNumber(profile.population)}${source(profile.populationSource, profile.populationDate)}`);
  if (profile.foreignShare !== null) {
    const range = profile.districtRange;
    const areas = range ? areaKindPlural(range.areaKind) : null;
    const level = areas ? `Auf Ebene der ${areas}` : `Zwischen den Teilgebieten (${range?.areaKind})`;
    item(
      'Ausländeranteil',
      `${germanPercent(profile.foreignShare)}${source(profile.foreignShareSource, profile.foreignShareDate)}`,
      range ? [`${level} liegen die Anteile zwischen ${rangePercents(range.lowestShare, range.highestShare).join(` (${range.lowestName}) und `)} (${range.highestName}).`] : [],
    );
  }
  for (const fact of profile.facts) {
    const value = fact.value === null ? 'keine Angabe' : `${germanNumber(fact.value)}${fact.unit ? (fact.unit === '%' ? '\u00a0%' : ` ${fact.unit}`) : ''}`;
    const note = fact.note.trim();
    // A qualifying sentence („jedoch 10,5 % in der Altersgruppe …“) follows the value as the reference report writes it.
    item(fact.label, `${value}${source(fact.source, fact.referenceDate)}${note ? `${/^\p{Ll}/u.test(note) ? '; ' : '. '}${sentence(note)}` : ''}`);
  }
  if (profile.administrationHead.name) item('Verwaltungsleitung', [profile.administrationHead.title, profile.administrationHead.name].filter(Boolean).join(' '));
  if (profile.projectLeads.length) {
    item('Projektverantwortliche', profile.projectLeads.length === 1 ? [profile.projectLeads[0]!.unit, profile.projectLeads[0]!.name].filter(Boolean).join(' – ') : '', profile.projectLeads.length === 1 ? [] : profile.projectLeads.map((lead) => [lead.unit, lead.name].filter(Boolean).join(' – ')));
  }
  if (profile.challenges.length) item('Herausforderungen', '', profile.challenges.map((challenge) => challenge.replace(/\s+/g, ' ').trim()));

  const blocks: ReportBlock[] = [];
  if (items.length === 0 && !profile.furtherConditions.trim()) {
    blocks.push(paragraph('Zur Ausgangslage liegen noch keine Angaben vor.'));
  } else {
    blocks.push(paragraph(`Die Ausgangslage ${phrases.locative} wird von der Kommune folgendermaßen dargestellt:`));
    if (items.length) blocks.push({ kind: 'list', style: 'numbers', items });
    if (profile.furtherConditions.trim()) blocks.push(paragraph('Als weitere relevante Ausgangsbedingungen werden genannt:'), ...userText(profile.furtherConditions));
  }
  return { id: 'ausgangslage', number: 1, title: `Ausgangslage ${phrases.locative}`, blocks };
}

/** Workshops that belong to the report's round (or to no round in particular), by date. */
function workshopsOfRound(input: ReportInput): Workshop[] {
  const number = input.results?.roundNumber ?? null;
  return input.workshops.workshops
    .filter((workshop) => workshop.roundNumber === null || workshop.roundNumber === number)
    .sort((a, b) => (a.date ?? '9999').localeCompare(b.date ?? '9999'));
}

const ordinals = ['erste', 'zweite', 'dritte', 'vierte', 'fünfte', 'sechste', 'siebte', 'achte', 'neunte', 'zehnte', 'elfte', 'zwölfte'];
/** „erste“, „zweite“ … „13.“: the ordinal for the nth of several, as an adjective after „der“. */
const ordinal = (index: number) => ordinals[index] ?? `${index + 1}.`;

/** A workshop title the person chose, as opposed to the default one (which is no name and is never quoted). */
const hasOwnTitle = (workshop: Workshop) => workshop.title.trim() !== '' && workshop.title.trim() !== defaultWorkshopTitle;

/** „Der Selbstcheck-Workshop der Stadt X“, „Der zweite Selbstcheck-Workshop“, „Der Workshop „Vielfalt im Rathaus““, and their genitive. */
function workshopName(workshop: Workshop, index: number, count: number, phrases: KommunePhrases): { nominative: string; accusative: string } {
  if (hasOwnTitle(workshop)) return { nominative: `Der Selbstcheck-Workshop „${workshop.title.trim()}“`, accusative: `den Selbstcheck-Workshop „${workshop.title.trim()}“` };
  if (count === 1) return { nominative: `Der Selbstcheck-Workshop ${phrases.genitive}`, accusative: 'den Selbstcheck-Workshop' };
  const number = ordinal(index);
  return { nominative: `Der ${number} Selbstcheck-Workshop`, accusative: `den ${number.endsWith('.') ? number : `${number}n`} Selbstcheck-Workshop` };
}

const sectorLabels: Record<string, string> = { verwaltung: 'aus der Verwaltung', politik: 'aus der Politik', zivilgesellschaft: 'aus der Zivilgesellschaft', wirtschaft: 'aus der Wirtschaft' };

function workshopFacts(workshop: Workshop, names: { nominative: string; accusative: string }, today: string): string {
  const name = names.nominative;
  const isFuture = tenseOf(workshop.date, today) === 'future';
  const time = timeRange(workshop.startTime, workshop.endTime);
  if (!workshop.date) {
    return `Ein Termin für ${names.accusative} steht noch nicht fest.`;
  }
  const when = [`am ${germanDate(workshop.date)}`, time].filter(Boolean).join(' ');
  const total = workshop.participantsTotal;
  const persons = (count: number, isApproximate: boolean) => countOf(count, 'Person', 'Personen', { one: 'einer', isApproximate });
  let result: string;
  if (isFuture) {
    result = `${name} findet ${when} statt.`;
    if (total !== null && total > 0) result += ` Erwartet ${total === 1 && !workshop.participantsTotalApproximate ? 'wird eine Person' : `werden ${countOf(total, 'Person', 'Personen', { isApproximate: workshop.participantsTotalApproximate })}`}.`;
  } else {
    const who = total !== null && total > 0 ? (total === 1 && !workshop.participantsTotalApproximate ? ' unter Beteiligung einer Person' : ` unter Beteiligung von ${persons(total, workshop.participantsTotalApproximate)}`) : '';
    result = `${name} fand ${when}${who} statt.`;
    const sectors = Object.entries(workshop.participantsBySector).filter(([, value]) => value !== null && value > 0) as [string, number][];
    if (sectors.length) {
      const parts = sectors.map(([sector, value]) => `${countOf(value, 'Person', 'Personen', { one: 'eine' })} ${sectorLabels[sector]}`);
      const isSingular = sectors.length === 1 && sectors[0]![1] === 1;
      result += ` ${isSingular ? 'Es nahm' : 'Es nahmen'} ${joinGerman(parts)} teil.`;
    }
  }
  const moderation = workshop.moderation;
  if (moderation.person) {
    const person = [moderation.role, moderation.person].filter(Boolean).join(' ');
    result += ` Moderiert ${isFuture ? 'wird' : 'wurde'} der Workshop von ${person}${moderation.organisation ? ` (${moderation.organisation})` : ''}.`;
  }
  return result;
}

function dialogueFormatPhrase(format: Dialogues['events'][number]['format']): string {
  if (format === 'online') return ' als Online-Veranstaltung';
  if (format === 'praesenz') return ' als Präsenzveranstaltung';
  if (format === 'hybrid') return ' als hybride Veranstaltung';
  return '';
}

const purposeNouns: Record<Dialogue['purposes'][number], string> = { informieren: 'der Information', beraten: 'der gemeinsamen Beratung', mitentscheiden: 'der Mitentscheidung der Teilnehmenden' };


function dialogueBlocks(input: ReportInput, event: Dialogue, isOnly: boolean): ReportBlock[] {
  const isFuture = tenseOf(event.date, input.generatedOn) === 'future';
  const time = timeRange(event.startTime, event.endTime);
  const when = event.date ? [`Am ${germanDate(event.date)}`, time].filter(Boolean).join(' ') : '';
  const name = /^Dialogveranstaltung\b/.test(event.title) ? `die ${event.title}` : `die Dialogveranstaltung „${event.title}“`;
  const count = event.participants;
  const who = count !== null && count > 0 && !isFuture ? ` mit ${count === 1 && !event.participantsApproximate ? 'einer teilnehmenden Person' : `${approximateNumber(count, event.participantsApproximate)} Teilnehmenden`}` : '';
  let line: string;
  if (!event.date) line = `${capitalise(name)} ist geplant; der Termin steht noch nicht fest.`;
  else line = `${when} ${isFuture ? 'findet' : 'fand'} ${name}${dialogueFormatPhrase(event.format)}${who} statt.`;
  const verb = isFuture ? 'steht' : 'stand';
  if (event.focusFieldKey) line += ` Im Fokus ${verb} das Handlungsfeld ${event.focusFieldKey} (${fieldName(input, event.focusFieldKey)}).`;
  // Partners are listed after a colon, as entered: names of networks, offices and projects cannot be declined safely.
  if (event.partners.length) line += ` ${isFuture ? (event.partners.length === 1 ? 'Beteiligt ist' : 'Beteiligt sind') : event.partners.length === 1 ? 'Beteiligt war' : 'Beteiligt waren'}: ${joinGerman(event.partners)}.`;
  if (event.purposes.length) line += ` Die Veranstaltung ${isFuture ? 'dient' : 'diente'} ${joinGerman(event.purposes.map((purpose) => purposeNouns[purpose]))}.`;
  const blocks: ReportBlock[] = [];
  if (!isOnly) blocks.push(heading(event.title, 3));
  blocks.push(paragraph(line), ...userText(event.description));
  if (event.results.trim()) blocks.push(paragraph('Ergebnisse der Veranstaltung:'), ...userText(event.results));
  return blocks;
}

/** „hat an den Modulen 1 (…), 2 (…) und 3 (…) teilgenommen“, as section 2 of the reference report opens. */
function modulesTakenPart(modules: readonly number[], isOngoing: boolean): string {
  const sorted = [...new Set(modules)].sort((a, b) => a - b);
  const named = sorted.map((number) => `${number} (${moduleNames[number] ?? `Modul ${number}`})`);
  const object = sorted.length === 1 ? `am Modul ${named[0]}` : `an den Modulen ${joinGerman(named)}`;
  return isOngoing ? `nimmt ${object} teil` : `hat ${object} teilgenommen`;
}

/** What section 2 says about the questionnaire: when it was answered (tense from the round and its dates), by whom, by how many. */
function questionnaireWork(input: ReportInput, results: ReportResults): ReportBlock[] {
  const byMonth = results.periodPrecision === 'month';
  const period = byMonth ? germanMonthPeriod(results.periodStart, results.periodEnd) : germanPeriod(results.periodStart, results.periodEnd);
  const worked = results.fields.filter((field) => field.isWorked);
  const answered = worked.reduce((sum, field) => sum + field.answeredQuestionCount, 0);
  const questions = worked.reduce((sum, field) => sum + field.questionCount, 0);
  const isOpen = results.status === 'open';
  const hasStarted = results.periodStart !== null && tenseOf(results.periodStart, input.generatedOn) === 'past';
  const hasEnded = results.periodEnd !== null && tenseOf(results.periodEnd, input.generatedOn) === 'past';
  const during = period ? ` ${period}` : '';
  const blocks: ReportBlock[] = [];
  if (answered === 0) {
    blocks.push(
      paragraph(
        isOpen
          ? `Die Bearbeitung des Selbstcheck-Fragebogens ist${during} vorgesehen; Antworten liegen noch nicht vor.`
          : `In der Selbstcheck-Runde ${results.roundNumber} wurde keine Leitfrage des Selbstcheck-Fragebogens beantwortet.`,
      ),
    );
    return blocks;
  }
  if (!isOpen) blocks.push(paragraph(`Der Selbstcheck-Fragebogen wurde${during} bearbeitet.`));
  else if (hasStarted && !hasEnded && results.periodEnd) {
    const since = byMonth ? germanMonthPeriod(results.periodStart, null)!.replace(/^ab /, 'seit ') : `seit dem ${germanDate(results.periodStart!)}`;
    const until = byMonth ? germanMonthPeriod(null, results.periodEnd)! : `bis ${germanDate(results.periodEnd)}`;
    blocks.push(paragraph(`Der Selbstcheck-Fragebogen wird ${since} bearbeitet (vorgesehen ${until}).`));
  } else if (hasEnded) blocks.push(paragraph(`Der Selbstcheck-Fragebogen wurde${during} bearbeitet; die Selbstcheck-Runde ${results.roundNumber} ist noch nicht abgeschlossen.`));
  else blocks.push(paragraph(`Der Selbstcheck-Fragebogen wird${during} bearbeitet; die Bearbeitung ist noch nicht abgeschlossen.`));
  const persons = results.respondentCount === 1 ? 'einer Person' : `${countWord(results.respondentCount)} Personen`;
  const count =
    answered === questions
      ? `Die Leitfragen wurden von ${persons} beantwortet.`
      : isOpen
        ? `Bisher ${answered === 1 ? 'ist eine' : `sind ${countUpToTwelve(answered)}`} der ${countUpToTwelve(questions)} Leitfragen beantwortet, von ${persons}.`
        : `Beantwortet ${answered === 1 ? 'wurde eine' : `wurden ${countUpToTwelve(answered)}`} der ${countUpToTwelve(questions)} Leitfragen, von ${persons}.`;
  blocks.push(...participantsText(results, count, isOpen ? 'Beteiligt sind' : 'Beteiligt waren'));
  return blocks;
}

/** Numbers up to twelve in words, larger ones in digits: „zwölf Leitfragen“, „102 Leitfragen“. */
const countUpToTwelve = (count: number) => (count <= 12 ? countWord(count, 'eine') : germanNumber(count));

/**
 * Who worked on the round, in the Koordination's words: a phrase becomes „Beteiligt waren: …“, whole
 * sentences are printed as written, after the count.
 */
function participantsText(results: ReportResults, count: string, label: string): ReportBlock[] {
  const text = results.participants.trim();
  if (!text) return count ? [paragraph(count)] : [];
  if (/[.!?]$/.test(text)) return [...(count ? [paragraph(count)] : []), ...userText(text)];
  if (!text.includes('\n') && !text.endsWith(':')) return [paragraph(`${label}: ${text}.${count ? ` ${count}` : ''}`)];
  return [paragraph(`${label}:`), ...userText(text), ...(count ? [paragraph(count)] : [])];
}

function umsetzung(input: ReportInput, phrases: KommunePhrases): ReportSection {
  const subject = capitalise(phrases.nominative);
  const blocks: ReportBlock[] = [paragraph(`${subject} ${modulesTakenPart(input.kommune.modules, isOngoing(input))}.`)];

  blocks.push(heading('Auftaktgespräch'));
  const kickoff = input.kickoff;
  if (!kickoff.date && kickoff.participants.length === 0 && !kickoff.keyStatements.trim()) {
    blocks.push(paragraph('Ein Auftaktgespräch ist nicht dokumentiert.'));
  } else {
    const isFuture = tenseOf(kickoff.date, input.generatedOn) === 'future';
    let line = `Zum Auftakt der Projektumsetzung ${isFuture ? 'findet' : 'fand'}${kickoff.date ? ` am ${germanDate(kickoff.date)}` : ''} das Auftaktgespräch ${phrases.locative} statt.`;
    const one = kickoff.participants.length === 1;
    if (kickoff.participants.length) line += ` ${isFuture ? (one ? 'Teilnehmen wird' : 'Teilnehmen werden') : one ? 'Teilgenommen hat' : 'Teilgenommen haben'}: ${joinGerman(kickoff.participants.map(personPhrase))}.`;
    if (kickoff.excused.length) line += ` ${kickoff.excused.length === 1 ? 'Entschuldigt war' : 'Entschuldigt waren'}: ${joinGerman(kickoff.excused.map(personPhrase))}.`;
    blocks.push(paragraph(line), ...userText(kickoff.keyStatements));
  }

  blocks.push(heading('Bearbeitung des Selbstcheck-Fragebogens'));
  const results = input.results;
  if (!results) blocks.push(paragraph('Der Selbstcheck-Fragebogen wurde noch nicht bearbeitet.'));
  else {
    blocks.push(...questionnaireWork(input, results));
    if (results.fields.some((field) => field.answeredQuestionCount > 0)) blocks.push(paragraph('Ein Überblick über die Ergebnisse des Selbstcheck-Fragebogens befindet sich in Abschnitt 3 dieses Abschlussberichts.'));
  }

  const workshops = workshopsOfRound(input);
  blocks.push(heading(workshops.length > 1 ? 'Selbstcheck-Workshops' : 'Selbstcheck-Workshop'));
  if (workshops.length === 0) blocks.push(paragraph('Ein Selbstcheck-Workshop ist noch nicht dokumentiert.'));
  else {
    const held = workshops.filter((workshop) => workshop.date && tenseOf(workshop.date, input.generatedOn) === 'past').length;
    if (workshops.length > 1) {
      blocks.push(
        paragraph(
          held === workshops.length
            ? `${subject} hat ${countWord(workshops.length, 'einen')} Selbstcheck-Workshops durchgeführt.`
            : `${subject} plant ${countWord(workshops.length, 'einen')} Selbstcheck-Workshops; ${held === 0 ? 'noch keiner hat stattgefunden' : held === 1 ? 'einer davon hat bereits stattgefunden' : `${countWord(held)} davon haben bereits stattgefunden`}.`,
        ),
      );
    }
    workshops.forEach((workshop, index) => {
      let facts = workshopFacts(workshop, workshopName(workshop, index, workshops.length, phrases), input.generatedOn);
      if (workshops.length > 1 && workshop.documentationShared) facts += ' Die ausführliche Dokumentation dieses Workshops liegt den Beteiligten vor.';
      blocks.push(paragraph(facts));
    });
    if (held > 0) {
      const shared = workshops.length === 1 && workshops[0]!.documentationShared ? ' Die ausführliche Dokumentation liegt den Beteiligten vor.' : '';
      blocks.push(paragraph(`Die Ergebnisse ${workshops.length > 1 ? 'der Selbstcheck-Workshops' : 'des Selbstcheck-Workshops'} sind in Abschnitt 4 dieses Abschlussberichts zusammengefasst.${shared}`));
    }
  }

  const events = [...input.dialogues.events].sort((a, b) => (a.date ?? '9999').localeCompare(b.date ?? '9999'));
  blocks.push(heading(events.length > 1 ? 'Dialogveranstaltungen' : 'Dialogveranstaltung'));
  if (!input.kommune.modules.includes(2)) {
    blocks.push(paragraph(`${subject} hat Modul 2 (${moduleNames[2]}) nicht genutzt.`));
  } else if (events.length === 0) {
    blocks.push(paragraph('Eine Dialogveranstaltung ist noch nicht dokumentiert.'));
  } else {
    if (events.length > 1) {
      const past = events.filter((event) => event.date && tenseOf(event.date, input.generatedOn) === 'past').length;
      blocks.push(
        paragraph(
          past === events.length
            ? `Im Rahmen von Modul 2 fanden ${countWord(events.length)} Dialogveranstaltungen statt.`
            : `Im Rahmen von Modul 2 sind ${countWord(events.length)} Dialogveranstaltungen vorgesehen; ${past === 0 ? 'noch keine hat stattgefunden' : past === 1 ? 'eine davon hat bereits stattgefunden' : `${countWord(past)} davon haben bereits stattgefunden`}.`,
        ),
      );
    }
    for (const event of events) blocks.push(...dialogueBlocks(input, event, events.length === 1));
  }

  blocks.push(heading('Angebote für kommunale Entscheidungsträger:innen'));
  blocks.push(...offerBlocks(input, phrases));
  return { id: 'umsetzung', number: 2, title: `Umsetzung des Modellprojektes ${phrases.locative}`, blocks };
}

/** „„Impuls-Breakfast-Talk“ am 3. März 2021“: an offer named, its date if it has one. */
const offerName = (offer: ReportInput['offers'][number]) => `„${offer.title}“${offer.date ? ` am ${germanDate(offer.date)}` : ''}`;

/**
 * Modul 3 by status. One offer is a sentence with „dem Angebot“ before the quoted title (so the title
 * is never declined); several of one status are a list.
 */
function offerBlocks(input: ReportInput, phrases: KommunePhrases): ReportBlock[] {
  const subject = capitalise(phrases.nominative);
  if (!input.kommune.modules.includes(3)) return [paragraph(`${subject} hat Modul 3 (${moduleNames[3]}) nicht genutzt.`)];
  if (input.offers.length === 0) return [paragraph('Die Teilnahme an einem Angebot im Rahmen von Modul 3 ist noch offen.')];
  const blocks: ReportBlock[] = [];
  const of = (status: OfferStatus) => input.offers.filter((offer) => offer.status === status);
  const attended = of('teilgenommen');
  if (attended.length === 1) blocks.push(paragraph(`${subject} hat im Rahmen von Modul 3 an dem Angebot ${offerName(attended[0]!)} teilgenommen.`));
  else if (attended.length > 1) blocks.push(paragraph(`${subject} hat im Rahmen von Modul 3 an ${countWord(attended.length)} Angeboten teilgenommen:`), bullets(attended.map(offerName)));
  const registered = of('angemeldet');
  const passed = registered.filter((offer) => offer.date && tenseOf(offer.date, input.generatedOn) === 'past' && offer.date.slice(0, 10) < input.generatedOn.slice(0, 10));
  const coming = registered.filter((offer) => !passed.includes(offer));
  if (coming.length === 1) blocks.push(paragraph(`Für das Angebot ${offerName(coming[0]!)} ist ${phrases.nominative} angemeldet.`));
  else if (coming.length > 1) blocks.push(paragraph(`Für ${countWord(coming.length)} Angebote ist ${phrases.nominative} angemeldet:`), bullets(coming.map(offerName)));
  if (passed.length === 1) blocks.push(paragraph(`Für das Angebot ${offerName(passed[0]!)} war ${phrases.nominative} angemeldet; ob ${phrases.pronoun} teilgenommen hat, ist nicht dokumentiert.`));
  else if (passed.length > 1) blocks.push(paragraph(`Für ${countWord(passed.length)} bereits vergangene Angebote war ${phrases.nominative} angemeldet; ob ${phrases.pronoun} teilgenommen hat, ist nicht dokumentiert:`), bullets(passed.map(offerName)));
  const open = of('offen');
  if (open.length === 1) blocks.push(paragraph(`Die Teilnahme an dem Angebot ${offerName(open[0]!)} ist noch offen.`));
  else if (open.length > 1) blocks.push(paragraph(`Noch offen ist die Teilnahme an ${countWord(open.length)} Angeboten:`), bullets(open.map(offerName)));
  return blocks;
}

/**
 * „Gegenüber der Selbstcheck-Runde 1 sind zwei Kriterien besser, ein Kriterium gleich und kein
 * Kriterium schlechter eingeschätzt.“ Coordinated subjects take the plural verb; one subject alone
 * takes the verb of its own number.
 */
export function comparisonSentence(comparison: ReportComparison, results: ReportResults): string {
  const { olderNumber, summary } = comparison;
  const criteria = (count: number) => (count === 0 ? 'kein Kriterium' : counted(count, 'Kriterium', 'Kriterien'));
  const compared = summary.besser + summary.gleich + summary.schlechter;
  const notCompared = results.fields.reduce((sum, field) => sum + field.criteria.length, 0) - compared;
  const rest =
    notCompared <= 0
      ? ''
      : ` Für ${notCompared === 1 ? 'ein weiteres Kriterium' : `${countWord(notCompared)} weitere Kriterien`} ist kein Vergleich möglich, weil in mindestens einer der beiden Runden keine Einschätzung mit Wert vorliegt.`;
  if (compared === 0) return `Gegenüber der Selbstcheck-Runde ${olderNumber} lässt sich kein Kriterium vergleichen.${rest}`;
  const changes = ['besser', 'gleich', 'schlechter'] as const;
  const given = changes.filter((change) => summary[change] > 0);
  const missing = changes.filter((change) => summary[change] === 0);
  const verb = given.length > 1 || summary[given[0]!] > 1 ? 'sind' : 'ist';
  const none = missing.length ? ` Kein Kriterium ist ${joinGerman(missing, 'oder')} eingeschätzt.` : '';
  return `Gegenüber der Selbstcheck-Runde ${olderNumber} ${verb} ${joinGerman(given.map((change) => `${criteria(summary[change])} ${change}`))} eingeschätzt.${none}${rest}`;
}

/** "0 – 24 %" style ranges of the evaluation scale. */
function levelRanges(levels: ReportResults['levels']): string[] {
  return levels.map((level, index) => {
    const next = levels[index + 1];
    return next ? `${germanNumber(level.minScore)} bis unter ${germanPercent(next.minScore)}` : `${germanNumber(level.minScore)} bis ${germanPercent(100)}`;
  });
}

type ReportField = ReportResults['fields'][number];

/** "ein Kriterium", "zwei Kriterien", "27 Kriterien": small counts as words, never "1 Kriterien". */
function counted(count: number, singular: string, plural: string, one = 'ein'): string {
  return `${countWord(count, one)} ${count === 1 ? singular : plural}`;
}

/** "Handlungsfeld 3 (Arbeit und wirtschaftliche Entwicklung)": the name in brackets, so an „und“ in it never reads as a list. */
const namedField = (field: ReportField) => `Handlungsfeld ${field.key} (${field.name})`;

/** Worked fields without a value although nothing in them is open: every criterion „trifft nicht zu“ or „keine Einschätzung möglich“. */
const hasNoValueToGive = (field: ReportField) => field.isWorked && field.displayPercent === null && field.openCriterionCount === 0 && field.answeredQuestionCount > 0;
const isAllNotApplicable = (field: ReportField) => field.criteria.length > 0 && field.notApplicableCriterionCount === field.criteria.length;

/** What a field's result cell says: the percentage, or why there is none. */
function fieldResultText(field: ReportField): string {
  if (!field.isWorked) return 'nicht bearbeitet';
  if (field.displayPercent !== null) return field.openCriterionCount > 0 ? `${germanPercent(field.displayPercent)}, vorläufig` : germanPercent(field.displayPercent);
  if (hasNoValueToGive(field)) return isAllNotApplicable(field) ? 'kein Wert (trifft nicht zu)' : 'kein Wert';
  return 'noch kein Wert';
}

/** Open criteria of the worked fields: why a closed round's result is still „vorläufig“. */
const openCriterionTotal = (results: ReportResults) => results.fields.reduce((total, field) => total + (field.isWorked ? field.openCriterionCount : 0), 0);

/**
 * Which Handlungsfelder the round planned and how far they were answered, never more than is true:
 * „hat alle sieben Handlungsfelder bearbeitet“ only when every Leitfrage of a closed round is answered.
 */
export function completenessSentences(subject: string, results: ReportResults): string[] {
  const worked = results.fields.filter((field) => field.isWorked);
  const total = results.fields.length;
  const questions = worked.reduce((sum, field) => sum + field.questionCount, 0);
  const answered = worked.reduce((sum, field) => sum + field.answeredQuestionCount, 0);
  const isOpen = results.status === 'open';
  const listed = worked.length === total ? '' : `: ${joinGerman(worked.map(namedField))}`;
  const fieldsPhrase = worked.length === total ? `alle ${countWord(total)} Handlungsfelder` : worked.length === 1 ? `eines der ${countWord(total)} Handlungsfelder` : `${countWord(worked.length)} der ${countWord(total)} Handlungsfelder`;
  const sentences: string[] = [];

  if (!isOpen && questions > 0 && answered === questions) {
    sentences.push(`${capitalise(subject)} hat ${fieldsPhrase} des Selbstcheck-Fragebogens bearbeitet${listed}.`);
  } else {
    const verb = isOpen ? (worked.length === 1 ? 'ist' : 'sind') : worked.length === 1 ? 'war' : 'waren';
    sentences.push(`In Runde ${results.roundNumber} ${verb} ${fieldsPhrase} zur Bearbeitung vorgesehen${listed}.`);
  }

  const persons = results.respondentCount;
  const who = `an der Beantwortung ${persons === 1 ? 'hat sich eine Person' : `haben sich ${countWord(persons)} Personen`} beteiligt`;
  if (answered === 0) {
    sentences.push(isOpen ? `Bisher ist keine der ${germanNumber(questions)} Leitfragen beantwortet.` : `Keine der ${germanNumber(questions)} Leitfragen wurde beantwortet.`);
    return sentences;
  }
  const these = worked.length === total ? '' : worked.length === 1 ? ' dieses Handlungsfeldes' : ' dieser Handlungsfelder';
  sentences.push(
    answered === questions
      ? `Alle ${countUpToTwelve(questions)} Leitfragen${these} sind beantwortet; ${who}.`
      : isOpen
        ? `Beantwortet ${answered === 1 ? 'ist eine' : `sind ${countUpToTwelve(answered)}`} von ${countUpToTwelve(questions)} Leitfragen; ${who}.`
        : `Beantwortet ${answered === 1 ? 'wurde eine' : `wurden ${countUpToTwelve(answered)}`} von ${countUpToTwelve(questions)} Leitfragen; ${who}.`,
  );

  const pending = worked.filter((field) => field.displayPercent === null && !hasNoValueToGive(field));
  if (pending.length) {
    const count = pending.length === worked.length && pending.length > 1 ? `alle ${countWord(pending.length)} Handlungsfelder` : counted(pending.length, 'Handlungsfeld', 'Handlungsfelder');
    sentences.push(`Für ${count} liegt ${isOpen ? 'noch ' : ''}kein Wert vor.`);
  }
  for (const field of worked.filter(hasNoValueToGive)) {
    sentences.push(
      isAllNotApplicable(field)
        ? `Im ${namedField(field)} sind alle Kriterien mit „trifft nicht zu“ eingeschätzt; für dieses Handlungsfeld ergibt sich daher kein Wert.`
        : `Im ${namedField(field)} ist kein Kriterium mit einem Wert eingeschätzt; für dieses Handlungsfeld ergibt sich daher kein Wert.`,
    );
  }
  const notApplicable = worked.filter((field) => field.displayPercent !== null).reduce((sum, field) => sum + field.notApplicableCriterionCount, 0);
  if (notApplicable > 0) {
    // „weitere“ after a field whose criteria were all „trifft nicht zu“ has been named.
    const further = worked.some((field) => hasNoValueToGive(field) && field.notApplicableCriterionCount > 0);
    sentences.push(
      notApplicable === 1
        ? `Ein ${further ? 'weiteres ' : ''}Kriterium ist mit „trifft nicht zu“ eingeschätzt und zählt nicht mit.`
        : `${capitalise(countWord(notApplicable))} ${further ? 'weitere ' : ''}Kriterien sind mit „trifft nicht zu“ eingeschätzt und zählen nicht mit.`,
    );
  }
  return sentences;
}

/** Why the result is „vorläufig“: the round is open, criteria are open, or both. */
export function provisionalReason(results: ReportResults): string | null {
  if (!results.overall.isProvisional) return null;
  const open = openCriterionTotal(results);
  const criteria = counted(open, 'Kriterium', 'Kriterien');
  const without = '(ohne Antwort und ohne festgelegte Einschätzung)';
  if (results.status === 'open') {
    return open > 0
      ? `Das Ergebnis ist vorläufig, weil die Runde noch nicht abgeschlossen ist und noch ${criteria} offen ${open === 1 ? 'ist' : 'sind'} ${without}.`
      : 'Das Ergebnis ist vorläufig, weil die Runde noch nicht abgeschlossen ist.';
  }
  return `Das Ergebnis ist vorläufig, weil ${criteria} offen geblieben ${open === 1 ? 'ist' : 'sind'} ${without}.`;
}

/** On what the overall value rests, when not every worked field has a value. */
function overallBasisSentence(results: ReportResults): string | null {
  const worked = results.fields.filter((field) => field.isWorked);
  const scored = worked.filter((field) => field.displayPercent !== null);
  const total = results.fields.length;
  if (scored.length === 0) return null;
  if (scored.length === worked.length) {
    if (worked.length === total) return null;
    // Not every Handlungsfeld was worked: the overall value must not read as the Kommune's whole rating.
    const rest = total - worked.length;
    const others = `die übrigen ${rest === 1 ? 'ein Handlungsfeld wurde' : `${countWord(rest)} Handlungsfelder wurden`} nicht bearbeitet`.replace('die übrigen ein Handlungsfeld wurde', 'ein weiteres Handlungsfeld wurde');
    return scored.length === 1
      ? `Der Gesamtwert beruht allein auf ${namedField(scored[0]!)}; ${others}.`
      : `Der Gesamtwert beruht auf den ${countWord(scored.length)} bearbeiteten Handlungsfeldern (Handlungsfelder ${joinGerman(scored.map((field) => field.key))}); ${others}.`;
  }
  if (scored.length === 1) return `Der Gesamtwert beruht allein auf ${namedField(scored[0]!)}, dem einzigen Handlungsfeld mit Wert.`;
  return `Der Gesamtwert beruht auf den ${countWord(scored.length)} Handlungsfeldern mit Wert (Handlungsfelder ${joinGerman(scored.map((field) => field.key))}).`;
}

/** How the percentages come about and how they are rounded, from the answer scale of the round. */
export function calculationSentence(results: ReportResults): string {
  const valued = results.legend.filter((entry) => entry.value !== null);
  const unvalued = results.legend.filter((entry) => entry.value === null && entry.key !== 'offen');
  const maximum = Math.max(...valued.map((entry) => entry.value!));
  const values = joinGerman(valued.map((entry) => `${entry.label} = ${germanNumber(entry.value!)}`));
  return (
    `Jedes Kriterium zählt mit dem Wert seiner Einschätzung (${values}); Kriterien mit ${joinGerman(unvalued.map((entry) => `„${entry.label}“`), 'oder')} sowie offene Kriterien zählen nicht mit. ` +
    `Der Wert eines Handlungsfeldes ist der Durchschnitt seiner gewerteten Kriterien, ausgedrückt in Prozent des Höchstwerts ${germanNumber(maximum)}; der Gesamtwert ist der Durchschnitt der Handlungsfelder, für die ein Wert vorliegt. ` +
    `Gerechnet wird mit den ungerundeten Werten; gezeigt werden ganze Prozent, kaufmännisch gerundet (ab der Ziffer 5 nach dem Komma wird aufgerundet: 77,78 % ergibt 78 %, 74,5 % ergibt 75 %). Die Stufe der Auswertungsskala richtet sich nach dem gerundeten Gesamtwert.`.replace(/ %/g, '\u00a0%')
  );
}

/**
 * The legend of the criteria table: every symbol with its label and, for ratings with a value, the
 * catalog's answer anchor; for the ratings without a value what they mean for a criterion.
 */
function legendItems(results: ReportResults): { symbol: string; label: string }[] {
  const withoutValue: Record<string, string> = {
    keine_einschaetzung: 'der Stand ließ sich nicht einschätzen (zählt nicht mit)',
    trifft_nicht_zu: 'die Aufgabe liegt nicht bei der Kommune (zählt nicht mit)',
    offen: 'noch keine Antwort und keine festgelegte Einschätzung (zählt nicht mit)',
  };
  // The rated answers always; a symbol without value only where a criterion of a worked field carries it.
  const used = new Set(results.fields.filter((field) => field.isWorked).flatMap((field) => field.criteria.map((criterion) => criterion.symbol)));
  return results.legend.filter((entry) => entry.value !== null || used.has(entry.symbol)).map((entry) => {
    const explanation = entry.value === null ? withoutValue[entry.key] : entry.meaning;
    return { symbol: entry.symbol, label: explanation ? `${entry.label}: ${explanation}` : entry.label };
  });
}

function fragebogen(input: ReportInput, phrases: KommunePhrases): ReportSection {
  const results = input.results;
  const title = 'Ergebnisse Selbstcheck-Fragebogen';
  if (!results) return { id: 'fragebogen', number: 3, title, blocks: [paragraph('Der Selbstcheck wurde noch nicht begonnen; Ergebnisse liegen daher nicht vor.')] };
  const blocks: ReportBlock[] = [];
  if (results.status === 'open') {
    blocks.push({
      kind: 'paragraph',
      inlines: [
        { kind: 'strong', text: 'Vorläufig: ' },
        { kind: 'text', text: `Die Selbstcheck-Runde ${results.roundNumber} ist noch nicht abgeschlossen. Alle Ergebnisse in diesem Abschnitt sind vorläufig und können sich bis zum Abschluss der Runde ändern.` },
      ],
    });
  }
  blocks.push(paragraph(completenessSentences(phrases.nominative, results).join(' ')));
  // Section 3 says who worked on the round when the Koordination named it in a phrase (whole sentences stay in section 2).
  if (results.fields.some((field) => field.answeredQuestionCount > 0) && results.participants.trim() && !/[.!?:]$/.test(results.participants.trim()) && !results.participants.includes('\n')) {
    blocks.push(paragraph(`${results.status === 'open' ? 'Beteiligt sind' : 'Beteiligt waren'}: ${results.participants.trim()}.`));
  }

  const isProvisional = results.overall.isProvisional;
  const worked = results.fields.filter((field) => field.isWorked).length;
  const marked = (level: string) => `${sentence(level)}${isProvisional ? ' (vorläufig)' : ''}`;
  if (results.overall.levelText) {
    const whose = worked === results.fields.length ? `der ${countWord(worked)} Handlungsfelder` : worked === 1 ? 'des vorgesehenen Handlungsfeldes' : `der ${countWord(worked)} vorgesehenen Handlungsfelder`;
    blocks.push(
      paragraph(`Die Tabelle „Einschätzung je Kriterium“ weiter unten zeigt, inwiefern ${phrases.nominative} nach dieser Selbsteinschätzung die Kriterien ${whose} erfüllt. Das ${isProvisional ? 'vorläufige ' : ''}Gesamtergebnis der Selbsteinschätzung lautet:`),
      { kind: 'quote', inlines: text(`„${sentence(results.overall.levelText)}“${isProvisional ? ' (vorläufig)' : ''}`) },
      paragraph(
        [
          `Das entspricht einem ${isProvisional ? 'vorläufigen ' : ''}Gesamtwert von ${germanPercent(results.overall.displayPercent!)}.`,
          overallBasisSentence(results),
          provisionalReason(results),
          'Zur Einordnung des Gesamtergebnisses dient die folgende Auswertungsskala:',
        ]
          .filter(Boolean)
          .join(' '),
      ),
    );
    const ranges = levelRanges(results.levels);
    const current = results.levels.findIndex((level) => level.text === results.overall.levelText);
    blocks.push({
      kind: 'table',
      caption: 'Auswertungsskala',
      columns: [
        { label: 'Gesamtwert', width: 0.3 },
        { label: 'Stufe', width: 0.7 },
      ],
      rows: results.levels.map((level, index) => ({
        kind: 'row',
        cells: [ranges[index]!, index === current ? `${level.text} (${isProvisional ? 'vorläufiges ' : ''}Ergebnis ${phrases.genitive})` : level.text],
        isHighlighted: index === current,
      })),
    });
    blocks.push(paragraph(calculationSentence(results)));
  } else {
    const open = openCriterionTotal(results) > 0 || results.status === 'open';
    blocks.push(paragraph(open ? 'Ein Gesamtergebnis liegt noch nicht vor, weil noch kein Kriterium mit einem Wert eingeschätzt ist.' : 'Ein Gesamtergebnis liegt nicht vor, weil kein Kriterium mit einem Wert eingeschätzt ist.'));
  }

  blocks.push(heading('Ergebnisse je Handlungsfeld im Überblick'));
  const valued = results.overall.scoredFieldCount;
  if (input.chartSvg && valued > 0) {
    const chartKind = isRadarChart(valued) ? 'Netzdiagramm' : 'Balkendiagramm';
    const alt = `${chartKind} der Ergebnisse je Handlungsfeld: ${results.fields.map((field) => `${field.key}. ${field.name} ${fieldResultText(field)}`).join('; ')}.`;
    const bars = results.fields.map((field) => ({ label: `${field.key}. ${field.name}`, percent: field.isWorked ? field.displayPercent : null, text: fieldResultText(field) }));
    blocks.push({ kind: 'chart', svg: input.chartSvg, alt, caption: `Ergebnisse je Handlungsfeld (${chartKind})`, bars });
  }
  blocks.push({
    kind: 'table',
    caption: 'Bearbeitung und Ergebnis je Handlungsfeld',
    columns: [
      { label: 'Handlungsfeld', width: 0.44 },
      { label: 'Leitfragen beantwortet', width: 0.2 },
      { label: 'Personen', width: 0.13 },
      { label: 'Ergebnis', width: 0.23 },
    ],
    rows: results.fields.map((field) => ({
      kind: 'row',
      cells: [
        `${field.key}. ${field.name}`,
        field.isWorked ? `${germanNumber(field.answeredQuestionCount)} von ${germanNumber(field.questionCount)}` : '–',
        field.isWorked ? germanNumber(field.respondentCount) : '–',
        fieldResultText(field),
      ],
    })),
  });

  if (input.comparison) {
    const { olderNumber } = input.comparison;
    blocks.push(heading(`Veränderung gegenüber Runde ${olderNumber}`), paragraph(comparisonSentence(input.comparison, results)),
      {
        kind: 'table',
        caption: `Ergebnis je Handlungsfeld in Runde ${olderNumber} und Runde ${results.roundNumber}`,
        columns: [
          { label: 'Handlungsfeld', width: 0.5 },
          { label: `Runde ${olderNumber}`, width: 0.16 },
          { label: `Runde ${results.roundNumber}`, width: 0.16 },
          { label: 'Veränderung', width: 0.18 },
        ],
        rows: input.comparison.fields.map((field) => ({
          kind: 'row',
          cells: [`${field.key}. ${field.name}`, field.before === null ? 'kein Wert' : germanPercent(field.before), field.after === null ? 'kein Wert' : germanPercent(field.after), field.change ?? '–'],
        })),
      },
    );
  }

  blocks.push(heading('Selbstcheck-Fragebogen: Ergebnisse je Handlungsfeld'));
  const rows: ReportRow[] = [];
  for (const field of results.fields) {
    rows.push({ kind: 'group', text: `Handlungsfeld ${field.key} – ${field.name}${field.isWorked ? '' : ' (nicht bearbeitet)'}` });
    // An open criterion comes with the symbol and label of „offen“ (compute-results), never as a rating someone gave.
    if (field.isWorked) for (const criterion of field.criteria) rows.push({ kind: 'row', cells: [criterion.name, `${criterion.symbol} ${criterion.ratingLabel}`] });
  }
  blocks.push({
    kind: 'table',
    caption: 'Einschätzung je Kriterium',
    columns: [
      { label: 'Kriterium', width: 0.68 },
      { label: 'Erfüllt?', width: 0.32 },
    ],
    rows,
  });
  if (results.overall.levelText) blocks.push({ kind: 'quote', inlines: text(marked(results.overall.levelText)) });
  blocks.push({ kind: 'legend', title: 'Legende – Wurde das Kriterium erfüllt?', items: legendItems(results) });
  if (input.outsideView) blocks.push(...outsideViewBlocks(input, input.outsideView));
  return { id: 'fragebogen', number: 3, title, blocks };
}

/**
 * The Außensicht beside the Innensicht: what the survey asked and how many answered; values only
 * from the minimum of responses, else said why there are none; a survey still running is called
 * provisional; responses left out are named with their reason.
 */
function outsideViewBlocks(input: ReportInput, view: ReportOutsideView): ReportBlock[] {
  const blocks: ReportBlock[] = [heading('Außensicht: Umfrage unter Einwohner:innen')];
  const isRunning = view.closesOn >= input.generatedOn.slice(0, 10);
  const period = germanPeriod(view.opensOn, view.closesOn)!;
  // „zu den Handlungsfeldern 2 (Fairer Zugang und Teilhabechancen) und 6 (Zusammenhalt und Begegnung)“
  const fields = joinGerman(view.fieldKeys.map((key) => `${key} (${fieldName(input, key)})`));
  const asked = `${countOf(view.statementCount, 'Aussage', 'Aussagen', { one: 'eine' })} ${view.fieldKeys.length === 1 ? 'zum Handlungsfeld' : 'zu den Handlungsfeldern'} ${fields}`;
  // One response per device, not per person: the text counts responses.
  const received = countOf(view.responses, 'Antwort', 'Antworten', { one: 'eine' });
  const languages = view.moreLanguages
    ? view.languages.length === 0
      ? ', in mehreren Sprachen'
      : `, in mehreren Sprachen (${joinGerman([...view.languages, 'weiteren'])})`
    : view.languages.length === 0
      ? ''
      : view.languages.length === 1
        ? `, auf ${view.languages[0]}`
        : `, in ${countWord(view.languages.length, 'einer')} Sprachen (${joinGerman(view.languages)})`;
  const came = view.responses === 1 ? 'ging' : 'gingen';
  blocks.push(
    paragraph(
      isRunning
        ? `Die Einwohner:innen sind ${period} gefragt, wie sie das Zusammenleben erleben: ${asked}. Die Umfrage läuft noch; bisher ${view.responses === 0 ? 'ging keine Antwort ein' : `${came} ${received} ein${languages}`}.`
        : `Die Einwohner:innen waren ${period} gefragt, wie sie das Zusammenleben erleben: ${asked}. ${view.responses === 0 ? 'Es ging keine Antwort ein' : `Es ${came} ${received} ein${languages}`}.`,
    ),
  );
  for (const exclusion of view.excluded)
    blocks.push(
      paragraph(
        `${exclusion.responses === 1 ? 'Eine weitere Antwort wurde' : `Weitere ${countOf(exclusion.responses, 'Antwort', 'Antworten')} wurden`} nicht gezählt: Die Koordination hat sie als auffällige Häufung ausgeschlossen (Begründung: „${exclusion.reason}“).`,
      ),
    );
  if (!view.fields || !view.statements) {
    blocks.push(paragraph(`Ergebnisse werden erst ab ${countWord(view.minimum)} Antworten gezeigt, damit niemand erkennbar wird; ${isRunning ? 'sie folgen, sobald so viele Antworten da sind' : 'daher enthält dieser Bericht keine Werte der Außensicht'}.`));
    return blocks;
  }
  if (isRunning) blocks.push({ kind: 'paragraph', inlines: [{ kind: 'strong', text: 'Vorläufig: ' }, { kind: 'text', text: 'Die Werte können sich ändern, bis die Umfrage endet.' }] });
  blocks.push(
    paragraph(
      'Die Innensicht ist der Wert des Selbstchecks, die Außensicht der Mittelwert der Aussagen eines Handlungsfelds auf derselben Skala von 0 bis 100 % (stimme zu = 100 %, stimme eher zu = 67 %, stimme eher nicht zu = 33 %, stimme nicht zu = 0 %; „weiß nicht“ zählt nicht). Beide messen Verschiedenes: Sie stehen nebeneinander und werden nicht verrechnet.',
    ),
  );
  const percent = (value: number | null, reason: string) => (value === null ? reason : germanPercent(value));
  blocks.push({
    kind: 'table',
    caption: 'Innensicht und Außensicht je Handlungsfeld',
    columns: [
      { label: 'Handlungsfeld', width: 0.52 },
      { label: 'Innensicht (Selbstcheck)', width: 0.24 },
      { label: 'Außensicht (Einwohner:innen)', width: 0.24 },
    ],
    rows: view.fields.map((field) => ({
      kind: 'row' as const,
      cells: [`${field.key}. ${field.name}`, percent(field.inside, field.insideWorked ? 'noch kein Wert' : 'nicht bearbeitet'), percent(field.outside, 'keine Bewertung')],
    })),
  });
  blocks.push({
    kind: 'table',
    caption: 'Zustimmung je Aussage',
    columns: [
      { label: 'Aussage', width: 0.58 },
      { label: 'Bewertet von', width: 0.14 },
      { label: 'Zustimmung', width: 0.14 },
      { label: '„weiß nicht“', width: 0.14 },
    ],
    rows: view.statements.map((statement) => ({
      kind: 'row' as const,
      cells: [statement.text, germanNumber(statement.rated), statement.agreement === null ? '–' : germanPercent(statement.agreement), germanNumber(statement.dontKnow)],
    })),
  });
  blocks.push(paragraph('Zustimmung ist der Anteil von „stimme zu“ und „stimme eher zu“ an allen, die die Aussage bewertet haben.'));
  if (view.releasedOpenAnswers > 0)
    blocks.push(paragraph(`${capitalise(countOf(view.releasedOpenAnswers, 'Anmerkung', 'Anmerkungen', { one: 'eine' }))} der Einwohner:innen ${view.releasedOpenAnswers === 1 ? 'wurde' : 'wurden'} von der Koordination geprüft und freigegeben; sie ${view.releasedOpenAnswers === 1 ? 'steht' : 'stehen'} in der App bei der Umfrage.`));
  return blocks;
}

/** „Handlungsfeld 4 (Interkulturelle Öffnung und Antirassismus, hier: Antidiskriminierung)“ with the workshop's qualifier. */
const workshopFieldName = (input: ReportInput, field: WorkshopField) => `${fieldName(input, field.fieldKey)}${field.qualifier.trim() ? ` (${field.qualifier.trim()})` : ''}`;
/** „„Interkulturelle Öffnung und Antirassismus“ (Antidiskriminierung)“: the field's name quoted, the qualifier outside. */
const quotedWorkshopField = (input: ReportInput, field: WorkshopField) => `„${fieldName(input, field.fieldKey)}“${field.qualifier.trim() ? ` (${field.qualifier.trim()})` : ''}`;

/** „(12 Punkte)“, „(1 Punkt)“: the points a Handlungsbedarf received in the workshop's Punktabfrage. */
const votePoints = (votes: number) => countOf(votes, 'Punkt', 'Punkte', { digits: true });

/**
 * Said once per workshop whose Handlungsbedarfe carry points: how they were prioritised and what the
 * count in brackets means. Needs without points (not prioritised) keep no count; when a workshop has
 * both, the sentence says so. How many points each participant had is not stored, so it is not said.
 */
function prioritisation(workshop: Workshop): string {
  const needs = workshop.fields.flatMap((field) => field.actionNeeds);
  if (!needs.some((need) => need.votes !== null)) return '';
  return needs.some((need) => need.votes === null)
    ? 'Die Teilnehmenden haben Handlungsbedarfe in einer Punktabfrage priorisiert; in Klammern steht, wie viele Punkte ein Handlungsbedarf erhielt. Handlungsbedarfe ohne Angabe in Klammern waren nicht Teil der Punktabfrage.'
    : 'Die Teilnehmenden haben die Handlungsbedarfe in einer Punktabfrage priorisiert; in Klammern steht, wie viele Punkte ein Handlungsbedarf erhielt.';
}

function workshopSection(input: ReportInput): ReportSection {
  const workshops = workshopsOfRound(input).filter((workshop) => workshop.date && tenseOf(workshop.date, input.generatedOn) === 'past');
  const planned = workshopsOfRound(input).length - workshops.length;
  const title = 'Ergebnisse Selbstcheck-Workshop';
  if (workshops.length === 0) {
    return {
      id: 'workshop',
      number: 4,
      title,
      blocks: [paragraph(planned > 0 ? 'Der Selbstcheck-Workshop hat noch nicht stattgefunden; Ergebnisse liegen noch nicht vor.' : 'Ein Selbstcheck-Workshop ist noch nicht dokumentiert.')],
    };
  }
  const blocks: ReportBlock[] = [];
  for (const workshop of workshops) {
    if (workshops.length > 1) blocks.push(heading(`${hasOwnTitle(workshop) ? workshop.title.trim() : 'Selbstcheck-Workshop'} am ${germanDate(workshop.date!)}`));
    const level: 2 | 3 = workshops.length > 1 ? 3 : 2;
    if (workshop.fields.length === 0) {
      blocks.push(paragraph('Zu diesem Workshop sind noch keine Handlungsfelder dokumentiert.'));
      continue;
    }
    blocks.push(
      paragraph(workshop.fields.length === 1 ? 'Die Teilnehmenden des Workshops einigten sich darauf, das folgende Handlungsfeld zu bearbeiten:' : 'Die Teilnehmenden des Workshops einigten sich darauf, die folgenden Handlungsfelder zu bearbeiten:'),
      bullets(workshop.fields.map((field) => `Handlungsfeld ${field.fieldKey}: ${workshopFieldName(input, field)}`)),
    );
    if (workshop.guidingQuestions.length) {
      blocks.push(paragraph(`Die Diskussion ${workshop.fields.length === 1 ? 'zum Handlungsfeld' : 'zu den Handlungsfeldern'} erfolgte entlang folgender Fragestellungen:`), bullets(workshop.guidingQuestions));
    }
    const hasResults = workshop.fields.some((field) => field.worksWell.length || field.notYet.length || field.potentials.trim() || field.actionNeeds.length);
    if (hasResults || workshop.documentationShared) {
      blocks.push(
        paragraph(
          [
            hasResults ? 'Im Folgenden werden die Ergebnisse der Diskussion kurz zusammengefasst, mit einem Fokus auf Entwicklungspotenziale und erforderliche Handlungsbedarfe.' : '',
            prioritisation(workshop),
            workshop.documentationShared ? 'Die ausführliche Dokumentation des Workshops liegt den Beteiligten vor.' : '',
          ]
            .filter(Boolean)
            .join(' '),
        ),
      );
    }
    for (const field of workshop.fields) {
      blocks.push(heading(`Diskussionsergebnisse Handlungsfeld ${field.fieldKey} „${fieldName(input, field.fieldKey)}“${field.qualifier.trim() ? ` (${field.qualifier.trim()})` : ''}`, level));
      if (field.worksWell.length) blocks.push(paragraph('Was schon gut läuft:'), bullets(field.worksWell));
      if (field.notYet.length) blocks.push(paragraph('Was noch nicht so gut läuft:'), bullets(field.notYet));
      if (field.potentials.trim()) blocks.push(paragraph('Folgende Entwicklungspotenziale wurden benannt:'), ...userText(field.potentials));
      if (field.actionNeeds.length) {
        blocks.push(paragraph(field.actionNeeds.length === 1 ? 'Folgender Handlungsbedarf in diesem Handlungsfeld wurde benannt:' : 'Folgende Handlungsbedarfe in diesem Handlungsfeld wurden benannt:'), {
          kind: 'list',
          style: 'bullets',
          items: field.actionNeeds.map((need) => ({ inlines: text(need.votes === null ? need.text : `${need.text} (${votePoints(need.votes)})`), children: need.subpoints.map(text) })),
        });
      }
      if (!field.worksWell.length && !field.notYet.length && !field.potentials.trim() && !field.actionNeeds.length) {
        blocks.push(paragraph('Zu diesem Handlungsfeld sind noch keine Ergebnisse dokumentiert.'));
      }
    }
  }
  if (planned > 0) blocks.push(paragraph(planned === 1 ? 'Ein weiterer Selbstcheck-Workshop hat noch nicht stattgefunden.' : `${capitalise(countWord(planned))} weitere Selbstcheck-Workshops haben noch nicht stattgefunden.`));
  return { id: 'workshop', number: 4, title: workshops.length > 1 ? 'Ergebnisse Selbstcheck-Workshops' : title, blocks };
}

const measureStatusLabels = { geplant: 'geplant', laufend: 'laufend', umgesetzt: 'umgesetzt', verworfen: 'verworfen' } as const;

/**
 * The Handlungsbedarf with the most points, for the recap: only when exactly one held workshop had a
 * Punktabfrage (points of different workshops are not comparable) and one need leads alone with more
 * than zero points; otherwise none, and the recap says nothing about points.
 */
function mostPrioritised(held: readonly Workshop[]): { text: string; votes: number; date: string } | null {
  const voted = held.filter((workshop) => workshop.fields.some((field) => field.actionNeeds.some((need) => need.votes !== null)));
  if (voted.length !== 1) return null;
  const needs = voted[0]!.fields.flatMap((field) => field.actionNeeds).flatMap((need) => (need.votes === null ? [] : [{ text: need.text, votes: need.votes }]));
  const most = Math.max(...needs.map((need) => need.votes));
  const leaders = needs.filter((need) => need.votes === most);
  return most > 0 && leaders.length === 1 ? { ...leaders[0]!, date: voted[0]!.date! } : null;
}

/**
 * The Ausblick's opening, generated from the data so it cannot drift from it: the overall result, the
 * Handlungsfelder the workshops worked on, and what the plan holds. Nothing is said that the data lacks.
 */
export function outlookRecap(input: ReportInput, phrases: KommunePhrases): string[] {
  const sentences: string[] = [];
  const results = input.results;
  if (results?.overall.levelText && results.overall.displayPercent !== null) {
    const provisional = results.overall.isProvisional;
    // The recap is what many read alone: it says on how many Handlungsfelder the value rests when not on all.
    const total = results.fields.length;
    const scored = results.overall.scoredFieldCount;
    const basis = scored < total ? `, ermittelt aus ${scored === 1 ? 'einem' : countWord(scored)} der ${countWord(total)} Handlungsfelder` : '';
    sentences.push(
      `Die ${provisional ? 'vorläufige ' : ''}Einschätzung im Selbstcheck-Fragebogen ${results.status === 'open' ? 'lautet' : 'lautete'} insgesamt: „${results.overall.levelText.replace(/[.!]$/, '')}“ (${provisional ? 'vorläufiger ' : ''}Gesamtwert ${germanPercent(results.overall.displayPercent)}${basis}).`,
    );
  } else if (results) {
    sentences.push('Ein Gesamtergebnis des Selbstcheck-Fragebogens liegt noch nicht vor.');
  }
  const held = workshopsOfRound(input).filter((workshop) => workshop.date && tenseOf(workshop.date, input.generatedOn) === 'past');
  const fields = held.flatMap((workshop) => workshop.fields);
  const unique = fields.filter((field, index) => fields.findIndex((other) => other.fieldKey === field.fieldKey) === index);
  if (unique.length) {
    const names = unique.map((field) => quotedWorkshopField(input, field));
    const where = held.length === 1 ? 'Im Selbstcheck-Workshop' : 'In den Selbstcheck-Workshops';
    sentences.push(
      names.length === 1
        ? `${where} wurde das Handlungsfeld ${names[0]} bearbeitet.`
        : `${where} wurden die Handlungsfelder ${names.slice(0, -1).join(', ')} sowie ${names.at(-1)} bearbeitet.`,
    );
  }
  const needs = fields.reduce((sum, field) => sum + field.actionNeeds.length, 0);
  const measures = input.outlook.goals.flatMap((goal) => goal.measures);
  const fromNeeds = measures.filter((measure) => measure.source !== null).length;
  if (needs > 0) {
    sentences.push(
      `Dabei ${needs === 1 ? 'wurde ein Handlungsbedarf' : `wurden ${countWord(needs)} Handlungsbedarfe`} benannt${fromNeeds > 0 ? `; ${needs === 1 ? 'daraus wurde eine Maßnahme' : fromNeeds === 1 ? 'aus einem davon wurde eine Maßnahme' : `aus ${countWord(fromNeeds)} davon wurden Maßnahmen`} abgeleitet` : ''}.`,
    );
  }
  const top = mostPrioritised(held);
  if (top) {
    // With several workshops the recap says which one's Punktabfrage it was: the recap is often read alone.
    const which = held.length > 1 ? ` des Selbstcheck-Workshops am ${germanDate(top.date)}` : '';
    sentences.push(`Die meisten Punkte in der Punktabfrage${which} erhielt der Handlungsbedarf „${top.text.trim().replace(/[.!]$/, '')}“ (${votePoints(top.votes)}).`);
  }
  if (measures.length) {
    const goals = input.outlook.goals.length;
    const byStatus = (['umgesetzt', 'laufend', 'geplant', 'verworfen'] as const)
      .map((status) => ({ status, count: measures.filter((measure) => measure.status === status).length }))
      .filter((entry) => entry.count > 0)
      .map((entry) => `${countWord(entry.count, 'eine')} ${entry.status}`);
    sentences.push(
      `Der Maßnahmenplan ${phrases.genitive} umfasst ${countOf(goals, 'Ziel', 'Ziele')} mit ${countOf(measures.length, 'Maßnahme', 'Maßnahmen', { one: 'einer' })}${byStatus.length ? ` (davon ${joinGerman(byStatus)})` : ''}.`,
    );
  }
  return sentences;
}

function ausblick(input: ReportInput, phrases: KommunePhrases): ReportSection {
  const outlook = input.outlook;
  const recap = outlookRecap(input, phrases);
  const blocks: ReportBlock[] = [...(recap.length ? [paragraph(recap.join(' '))] : []), ...userText(outlook.narrative)];
  if (outlook.partnerships.length) {
    blocks.push(heading(outlook.partnerships.length === 1 ? 'Partnerschaft' : 'Partnerschaften'));
    blocks.push({
      kind: 'list',
      style: 'bullets',
      items: outlook.partnerships.map((partnership) => {
        // With a title („Kooperationsvereinbarung“) or a date the partners follow below; else the partners are the entry.
        const hasHead = partnership.title.trim() !== '' || partnership.date !== null;
        const title = hasHead ? partnership.title.trim() || 'Vereinbarung' : joinGerman(partnership.partners);
        const children = [
          hasHead ? `Beteiligt: ${joinGerman(partnership.partners)}` : '',
          partnership.aim.trim() ? `Ziel: ${partnership.aim.trim()}` : '',
          partnership.fieldKeys.length ? `${partnership.fieldKeys.length === 1 ? 'Handlungsfeld' : 'Handlungsfelder'}: ${joinGerman(partnership.fieldKeys.map((key) => `${key} (${fieldName(input, key)})`))}` : '',
        ].filter(Boolean);
        return {
          inlines: [{ kind: 'strong', text: `${title}${partnership.date ? ` vom ${germanDate(partnership.date)}` : ''}` }] as Inline[],
          children: children.map(text),
        };
      }),
    });
  }
  if (outlook.goals.length) {
    blocks.push(heading('Ziele und Maßnahmen'));
    for (const goal of outlook.goals) {
      blocks.push(heading(goal.title, 3));
      if (goal.measures.length === 0) {
        blocks.push(paragraph('Zu diesem Ziel sind noch keine Maßnahmen geplant.'));
        continue;
      }
      blocks.push({
        kind: 'table',
        caption: `Maßnahmen zum Ziel „${goal.title}“`,
        columns: [
          { label: 'Maßnahme', width: 0.36 },
          { label: 'Handlungsfeld', width: 0.2 },
          { label: 'Verantwortlich', width: 0.17 },
          { label: 'Zeitraum', width: 0.16 },
          { label: 'Stand', width: 0.11 },
        ],
        rows: goal.measures.map((measure) => ({
          kind: 'row',
          cells: [
            [measure.title, measure.partners ? `Beteiligt: ${measure.partners}` : '', measure.nextReview ? `Nächste Überprüfung: ${germanDate(measure.nextReview)}` : ''].filter(Boolean).join('\n'),
            measure.fieldKey ? `${measure.fieldKey}. ${fieldName(input, measure.fieldKey)}` : '–',
            measure.responsible || '–',
            germanSpan(measure.start, measure.end) ?? '–',
            measureStatusLabels[measure.status],
          ],
        })),
      });
    }
  }
  if (blocks.length === 0) blocks.push(paragraph('Zum Ausblick liegen noch keine Angaben vor.'));
  return { id: 'ausblick', number: 5, title: 'Ausblick und Perspektiven zur strategischen Weiterarbeit', blocks };
}

/**
 * The title page's subtitle: the round, and „vorläufig“ with its reason while the round is open or
 * criteria stayed open, so a printed copy cannot be mistaken for a final result.
 */
export function subtitleOf(results: ReportResults | null): string {
  if (!results) return 'Selbstcheck Weltoffene Kommune';
  const base = `Selbstcheck Weltoffene Kommune · Runde ${results.roundNumber}`;
  if (results.status === 'open') return `${base} · vorläufig – Runde noch nicht abgeschlossen`;
  const open = openCriterionTotal(results);
  if (results.overall.isProvisional && open > 0) return `${base} · vorläufiges Ergebnis, ${open === 1 ? 'ein Kriterium ist' : `${countWord(open)} Kriterien sind`} offen`;
  return base;
}

/** Builds the whole report from a Kommune's data. */
export function buildReport(input: ReportInput): Report {
  const phrases = kommunePhrases(input.kommune.kind, input.kommune.name, input.kommune.designation);
  const kommune = phrases.title;
  return {
    title: `Abschlussbericht ${kommune}`,
    language: 'de-DE',
    generatedOn: input.generatedOn,
    titlePage: {
      programme: input.programme.title,
      title: 'Abschlussbericht',
      kommune,
      subtitle: subtitleOf(input.results),
      date: germanDate(input.generatedOn),
    },
    sections: [
      preamble(input, phrases),
      ausgangslage(input, phrases),
      umsetzung(input, phrases),
      fragebogen(input, phrases),
      workshopSection(input),
      ausblick(input, phrases),
      ...(input.evidence && input.results ? [evidenceAppendix(input.evidence, input.results, phrases)] : []),
    ],
  };
}

/** „Anhang: Belege“: which documents back which criteria, per field; fields without one are named. */
function evidenceAppendix(evidence: ReportEvidence, results: ReportResults, phrases: KommunePhrases): ReportSection {
  const title = 'Anhang: Belege';
  const withDocuments = evidence.fields.filter((field) => field.documents.length > 0);
  const unreleased =
    evidence.unreleased === 0
      ? null
      : evidence.unreleased === 1
        ? 'Ein weiterer Beleg ist nicht freigegeben und wird hier nicht genannt.'
        : `${capitalise(countWord(evidence.unreleased))} weitere Belege sind nicht freigegeben und werden hier nicht genannt.`;
  if (withDocuments.length === 0) {
    return {
      id: 'belege',
      number: null,
      title,
      blocks: [
        paragraph(
          evidence.unreleased === 0
            ? `Zu den Kriterien dieses Selbstchecks hat ${phrases.nominative} keine Belege hinterlegt.`
            : `Zu den Kriterien dieses Selbstchecks hat ${phrases.nominative} ${evidence.unreleased === 1 ? 'einen Beleg' : `${countWord(evidence.unreleased)} Belege`} hinterlegt. ${evidence.unreleased === 1 ? 'Er ist' : 'Sie sind'} nicht freigegeben und ${evidence.unreleased === 1 ? 'wird' : 'werden'} darum hier nicht genannt.`,
        ),
      ],
    };
  }
  const blocks: ReportBlock[] = [
    paragraph(
      `Zu den Kriterien dieses Selbstchecks hat ${phrases.nominative} Dokumente als Belege hinterlegt. Die Tabelle nennt sie je Handlungsfeld mit Titel, Datum und den Kriterien, die sie belegen; die Dokumente selbst sind nicht Teil dieses Berichts.`,
    ),
    {
      kind: 'table',
      caption: 'Belege nach Handlungsfeldern',
      columns: [
        { label: 'Beleg', width: 0.4 },
        { label: 'Datum', width: 0.18 },
        { label: 'Belegte Kriterien', width: 0.42 },
      ],
      rows: withDocuments.flatMap((field): ReportRow[] => [
        { kind: 'group', text: `Handlungsfeld ${field.key} – ${field.name}` },
        ...field.documents.map((document): ReportRow => ({ kind: 'row', cells: [document.title, document.date ? germanDate(document.date) : 'ohne Datum', document.criteria.join('; ')] })),
      ]),
    },
  ];
  if (unreleased) blocks.push(paragraph(unreleased));
  const worked = new Set(results.fields.filter((field) => field.isWorked).map((field) => field.key));
  const without = evidence.fields.filter((field) => field.documents.length === 0 && worked.has(field.key));
  if (without.length > 0) {
    blocks.push(
      paragraph(
        // With unreleased Belege, a field without a named one may still have one that is not released.
        `${without.length === 1 ? `Zum Handlungsfeld ${without[0]!.key} (${without[0]!.name})` : `Zu den Handlungsfeldern ${joinGerman(without.map((field) => `${field.key} (${field.name})`))}`} ${evidence.unreleased === 0 ? 'ist kein Beleg hinterlegt' : 'ist kein freigegebener Beleg hinterlegt'}.`,
      ),
    );
  }
  return { id: 'belege', number: null, title, blocks };
}

/** The report's text in reading order, for tests and plain-text uses. */
export function reportPlainText(report: Report): string {
  const inline = (runs: readonly Inline[]) => runs.map((run) => run.text).join('');
  const lines: string[] = [report.titlePage.title, report.titlePage.kommune];
  for (const section of report.sections) {
    lines.push(section.number === null ? section.title : `${section.number}. ${section.title}`);
    for (const block of section.blocks) {
      if (block.kind === 'heading') lines.push(block.text);
      else if (block.kind === 'paragraph' || block.kind === 'quote') lines.push(inline(block.inlines));
      else if (block.kind === 'text') for (const part of block.blocks) lines.push(...(part.kind === 'heading' ? [part.text] : ('lines' in part ? part.lines : part.items).map(inline)));
      else if (block.kind === 'list') for (const item of block.items) lines.push(inline(item.inlines), ...item.children.map(inline));
      else if (block.kind === 'table') for (const row of block.rows) lines.push(row.kind === 'group' ? row.text : row.cells.join(' | '));
      else if (block.kind === 'legend') lines.push(block.title, ...block.items.map((item) => `${item.symbol} = ${item.label}`));
    }
  }
  return lines.join('\n');
}

/** The programme's title in the preamble, until the Programmteam writes its own: its full name, as the reference report gives it. */
export const defaultProgrammeTitle = 'Modellprojekt Weltoffene Kommune – Vom Dialog zum Zusammenhalt';

/** The programme's text in the preamble, until the Programmteam writes its own: who runs and funds it, and its three modules. */
export const defaultProgrammeText = [
  'Das Modellprojekt „Weltoffene Kommune – Vom Dialog zum Zusammenhalt“ unterstützt Städte, Landkreise und Gemeinden in ganz Deutschland bei der strategischen Weiterentwicklung ihrer kommunalen Diversitäts- und Integrationsarbeit. Es wird von der PHINEO gAG und der Bertelsmann Stiftung umgesetzt und durch die Beauftragte der Bundesregierung für Migration, Flüchtlinge und Integration gefördert. Das Angebot für Modellkommunen umfasst drei Module:',
  '',
  '- **Modul 1: Selbstcheck Weltoffene Kommune.** Im Zentrum steht ein Selbstcheck, der Kommunen bei der Analyse ihres Stands hinsichtlich Weltoffenheit unterstützt. Auf Grundlage der Ergebnisse ihrer Selbsteinschätzung planen Kommunen in einem moderierten Workshop nächste Schritte für die Weiterentwicklung ihrer Integrations- und Diversitätsarbeit.',
  '- **Modul 2: Dialogveranstaltungen.** Unterstützung bei der Umsetzung von Dialogveranstaltungen zwischen Einwohner:innen, Verwaltung, Politik, Wirtschaft und Zivilgesellschaft (optional).',
  '- **Modul 3: Angebote für kommunale Entscheidungsträger:innen** zur interkommunalen Vernetzung und zum Austausch, etwa zu strategischer Kommunikation oder kommunalem Konfliktmanagement (optional).',
].join('\n');
