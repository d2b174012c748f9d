import { z } from 'zod';
import type { Dialogues } from './dialogue.ts';
import {
  capitalise,
  countWord,
  germanDate,
  germanNumber,
  germanPercent,
  germanPeriod,
  joinGerman,
  kommunePhrases,
  timeRange,
} from './german.ts';
import type { Kickoff, KickoffPerson } from './kickoff.ts';
import type { KommuneKind } from './kommune.ts';
import { parseInline, parseMarkup, type Block as MarkupBlock, type Inline } from './markdown.ts';
import type { OfferStatus } from './offer.ts';
import type { Outlook } from './outlook.ts';
import type { Profile } from './profile.ts';
import { isRadarChart } from './scoring.ts';
import { markup } from './text-fields.ts';
import type { Workshop, Workshops } from './workshop.ts';

/**
 * The Abschlussbericht as a tree of blocks, built from a Kommune's data alone (pure): the same model
 * feeds the HTML preview, the PDF (Typst) and the DOCX, so the three say the same. Every sentence
 * that depends on the data is chosen here, with its German grammar.
 */

/** Narrative passages of the report that are written, not generated (document kind `report`). */
export const reportTextsSchema = z.object({
  preamble: markup(10_000).default('').describe('Eigener Text für die Einleitung; ersetzt den erzeugten Satz, was der Bericht zusammenfasst.'),
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
  | { kind: 'chart'; svg: string; alt: string; caption: string }
  | { kind: 'legend'; title: string; items: { symbol: string; label: string }[] };

export interface ReportSection {
  id: 'preamble' | 'ausgangslage' | 'umsetzung' | 'fragebogen' | 'workshop' | 'ausblick';
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

/** The change since the previous round, when there is one (issue 7: the report can include it). */
export interface ReportComparison {
  olderNumber: number;
  summary: { besser: number; gleich: number; schlechter: number };
  fields: { key: string; name: string; before: number | null; after: number | null; change: 'besser' | 'gleich' | 'schlechter' | null }[];
}

export interface ReportInput {
  kommune: { name: string; kind: KommuneKind; modules: number[] };
  programme: { title: string; text: string };
  /** The round the report is about, with its results; null before the first round. */
  results: ReportResults | null;
  /** The radar chart of the field scores as SVG, when there are results. */
  chartSvg: string | null;
  comparison?: ReportComparison | null;
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
export function modulesPhrase(modules: readonly number[]): string {
  const sorted = [...new Set(modules)].sort((a, b) => a - b);
  const named = sorted.map((number) => `${number} (${moduleNames[number] ?? `Modul ${number}`})`);
  return sorted.length === 1 ? `hat das Modul ${named[0]} genutzt` : `hat die Module ${joinGerman(named)} genutzt`;
}

function personPhrase(person: KickoffPerson): string {
  const details = [person.role, person.organisation].filter(Boolean).join(', ');
  return details ? `${person.name} (${details})` : person.name;
}

function fieldName(input: ReportInput, key: string): string {
  return input.results?.fields.find((field) => field.key === key)?.name ?? `Handlungsfeld ${key}`;
}

function preamble(input: ReportInput, phrases: ReturnType<typeof kommunePhrases>): ReportSection {
  const blocks: ReportBlock[] = [paragraph(`${capitalise(phrases.nominative)} ist Modellkommune im ${input.programme.title}.`), ...userText(input.programme.text)];
  blocks.push(paragraph(`${capitalise(phrases.nominative)} ${modulesPhrase(input.kommune.modules)}.`));
  if (input.texts.preamble.trim()) blocks.push(...userText(input.texts.preamble));
  else {
    const round = input.results ? ` Er beruht auf der Selbstcheck-Runde ${input.results.roundNumber}${input.results.status === 'open' ? ', die noch nicht abgeschlossen ist' : ''}.` : '';
    blocks.push(paragraph(`Der vorliegende Abschlussbericht fasst die Ergebnisse des Selbstcheck-Prozesses zusammen und zeigt Perspektiven zur Weiterarbeit auf.${round}`));
  }
  return { id: 'preamble', number: null, title: input.programme.title, blocks };
}

function ausgangslage(input: ReportInput, phrases: ReturnType<typeof kommunePhrases>): ReportSection {
  const profile = input.profile;
  const source = (origin: string, date: string) => {
    const parts = [origin, date ? `Stand ${date}` : ''].filter(Boolean);
    return parts.length ? ` (${parts.join(', ')})` : '';
  };
  const items: { inlines: Inline[]; children: Inline[][] }[] = [];
  const item = (label: string, value: string, children: string[] = []) =>
    items.push({ inlines: [{ kind: 'strong', text: `${label}: ` }, { kind: 'text', text: value }], children: children.map(parseInline) });
  if (profile.population !== null) item('Einwohnerzahl', `${germanNumber(profile.population)}${source(profile.populationSource, profile.populationDate)}`);
  if (profile.foreignShare !== null) {
    const range = profile.districtRange;
    item(
      'Ausländeranteil',
      `${germanPercent(profile.foreignShare)}${source(profile.foreignShareSource, profile.foreignShareDate)}`,
      range
        ? [`Auf Ebene der ${range.areaKind === 'Ortsteil' ? 'Ortsteile' : `Teilgebiete (${range.areaKind})`} liegen die Anteile zwischen ${germanPercent(range.lowestShare)} (${range.lowestName}) und ${germanPercent(range.highestShare)} (${range.highestName}).`]
        : [],
    );
  }
  for (const fact of profile.facts) {
    const value = fact.value === null ? 'keine Angabe' : `${germanNumber(fact.value)}${fact.unit ? (fact.unit === '%' ? ' %' : ` ${fact.unit}`) : ''}`;
    item(fact.label, `${value}${source(fact.source, fact.referenceDate)}`);
  }
  if (profile.administrationHead.name) item('Verwaltungsleitung', [profile.administrationHead.title, profile.administrationHead.name].filter(Boolean).join(' '));
  if (profile.projectLeads.length) {
    item('Projektverantwortliche', profile.projectLeads.length === 1 ? [profile.projectLeads[0]!.unit, profile.projectLeads[0]!.name].filter(Boolean).join(' – ') : '', profile.projectLeads.length === 1 ? [] : profile.projectLeads.map((lead) => [lead.unit, lead.name].filter(Boolean).join(' – ')));
  }
  if (profile.challenges.length) item('Herausforderungen', 'Als Herausforderungen werden genannt:', profile.challenges.map((challenge) => challenge.replace(/\s+/g, ' ').trim()));

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

function workshopFacts(workshop: Workshop, phrases: ReturnType<typeof kommunePhrases>, isOnly: boolean): string {
  const when = [workshop.date ? `am ${germanDate(workshop.date)}` : '', timeRange(workshop.startTime, workshop.endTime) ? `von ${timeRange(workshop.startTime, workshop.endTime)}` : '']
    .filter(Boolean)
    .join(' ');
  const who = workshop.participantsTotal !== null ? ` unter Beteiligung von ca. ${germanNumber(workshop.participantsTotal)} ${workshop.participantsTotal === 1 ? 'Person' : 'Personen'}` : '';
  const name = isOnly ? `Der Selbstcheck-Workshop ${phrases.genitive}` : `Der Workshop „${workshop.title}“`;
  let result = `${name} fand${when ? ` ${when}` : ''}${who} statt.`;
  const sectors = Object.entries(workshop.participantsBySector).filter(([, value]) => value !== null && value > 0) as [string, number][];
  if (sectors.length) {
    const labels: Record<string, string> = { verwaltung: 'aus der Verwaltung', politik: 'aus der Politik', zivilgesellschaft: 'aus der Zivilgesellschaft', wirtschaft: 'aus der Wirtschaft' };
    result += ` Es nahmen ${joinGerman(sectors.map(([sector, value]) => `${germanNumber(value)} ${value === 1 ? 'Person' : 'Personen'} ${labels[sector]}`))} teil.`;
  }
  if (workshop.moderation.person) {
    result += ` Moderiert wurde der Workshop durch ${workshop.moderation.person}${workshop.moderation.organisation ? ` (${workshop.moderation.organisation})` : ''}.`;
  }
  return result;
}

function dialogueFormatPhrase(format: Dialogues['events'][number]['format']): string {
  if (format === 'online') return ' als Online-Veranstaltung';
  if (format === 'praesenz') return ' in Präsenz';
  if (format === 'hybrid') return ' als hybride Veranstaltung';
  return '';
}

function umsetzung(input: ReportInput, phrases: ReturnType<typeof kommunePhrases>): ReportSection {
  const subject = capitalise(phrases.nominative);
  const blocks: ReportBlock[] = [paragraph(`${subject} ${modulesPhrase(input.kommune.modules)}.`)];

  blocks.push(heading('Auftaktgespräch'));
  const kickoff = input.kickoff;
  if (!kickoff.date && kickoff.participants.length === 0 && !kickoff.keyStatements.trim()) {
    blocks.push(paragraph('Ein Auftaktgespräch ist nicht dokumentiert.'));
  } else {
    let line = `Zum Auftakt der Projektumsetzung fand${kickoff.date ? ` am ${germanDate(kickoff.date)}` : ''} das Auftaktgespräch ${phrases.locative} statt.`;
    if (kickoff.participants.length) line += ` Teilnehmende waren: ${joinGerman(kickoff.participants.map(personPhrase))}.`;
    if (kickoff.excused.length) line += ` Entschuldigt: ${joinGerman(kickoff.excused.map(personPhrase))}.`;
    blocks.push(paragraph(line), ...userText(kickoff.keyStatements));
  }

  blocks.push(heading('Bearbeitung des Selbstcheck-Fragebogens'));
  const results = input.results;
  if (!results) blocks.push(paragraph('Der Selbstcheck-Fragebogen wurde noch nicht bearbeitet.'));
  else {
    const period = germanPeriod(results.periodStart, results.periodEnd);
    const answered = results.fields.reduce((sum, field) => sum + field.answeredQuestionCount, 0);
    if (answered === 0) {
      blocks.push(
        paragraph(
          results.status === 'open'
            ? `Die Bearbeitung des Selbstcheck-Fragebogens ist${period ? ` ${period}` : ''} vorgesehen; Antworten liegen noch nicht vor.`
            : `In der Selbstcheck-Runde ${results.roundNumber} wurde keine Leitfrage des Selbstcheck-Fragebogens beantwortet.`,
        ),
      );
    } else {
      blocks.push(paragraph(`Der Selbstcheck-Fragebogen wurde${period ? ` ${period}` : ''} bearbeitet${results.status === 'open' ? '; die Bearbeitung ist noch nicht abgeschlossen' : ''}.`));
    }
    blocks.push(...userText(results.participants));
    blocks.push(paragraph('Ein Überblick über die Ergebnisse des Selbstcheck-Fragebogens befindet sich in Abschnitt 3 dieses Abschlussberichts.'));
  }

  const workshops = workshopsOfRound(input);
  blocks.push(heading(workshops.length > 1 ? 'Selbstcheck-Workshops' : 'Selbstcheck-Workshop'));
  if (workshops.length === 0) blocks.push(paragraph('Ein Selbstcheck-Workshop ist noch nicht dokumentiert.'));
  else {
    if (workshops.length > 1) blocks.push(paragraph(`${subject} hat ${countWord(workshops.length)} Selbstcheck-Workshops durchgeführt.`));
    for (const workshop of workshops) blocks.push(paragraph(workshopFacts(workshop, phrases, workshops.length === 1)));
    blocks.push(paragraph(`Die Ergebnisse ${workshops.length > 1 ? 'der Selbstcheck-Workshops' : 'des Selbstcheck-Workshops'} sind in Abschnitt 4 dieses Abschlussberichts zusammengefasst.`));
  }

  const events = [...input.dialogues.events].sort((a, b) => (a.date ?? '9999').localeCompare(b.date ?? '9999'));
  blocks.push(heading(events.length > 1 ? 'Dialogveranstaltungen' : 'Dialogveranstaltung'));
  if (!input.kommune.modules.includes(2)) {
    blocks.push(paragraph(`${subject} hat Modul 2 (${moduleNames[2]}) nicht genutzt.`));
  } else if (events.length === 0) {
    blocks.push(paragraph('Eine Dialogveranstaltung ist noch nicht dokumentiert.'));
  } else {
    if (events.length > 1) blocks.push(paragraph(`Im Rahmen von Modul 2 fanden ${countWord(events.length)} Dialogveranstaltungen statt.`));
    for (const event of events) {
      if (events.length > 1) blocks.push(heading(event.title, 3));
      const when = [event.date ? `Am ${germanDate(event.date)}` : '', timeRange(event.startTime, event.endTime) ? `von ${timeRange(event.startTime, event.endTime)}` : ''].filter(Boolean).join(' ');
      const who = event.participants !== null ? ` mit ca. ${germanNumber(event.participants)} Teilnehmenden` : '';
      const name = /^Dialogveranstaltung\b/.test(event.title) ? `die ${event.title}` : `die Dialogveranstaltung „${event.title}“`;
      let line = `${when ? `${when} fand` : 'Es fand'} ${name}${dialogueFormatPhrase(event.format)}${who} statt.`;
      if (event.focusFieldKey) line += ` Im Fokus stand das Handlungsfeld ${fieldName(input, event.focusFieldKey)}.`;
      if (event.partners.length) line += ` Die Veranstaltung wurde in Zusammenarbeit mit ${joinGerman(event.partners)} durchgeführt.`;
      blocks.push(paragraph(line), ...userText(event.description));
      if (event.results.trim()) blocks.push(paragraph('Ergebnisse:'), ...userText(event.results));
    }
  }

  blocks.push(heading('Angebote für kommunale Entscheider:innen'));
  if (!input.kommune.modules.includes(3)) {
    blocks.push(paragraph(`${subject} hat Modul 3 (${moduleNames[3]}) nicht genutzt.`));
  } else if (input.offers.length === 0) {
    blocks.push(paragraph('Die Teilnahme an einer Veranstaltung im Rahmen des Moduls 3 ist noch offen.'));
  } else {
    for (const offer of input.offers) {
      const name = `„${offer.title}“${offer.date ? ` am ${germanDate(offer.date)}` : ''}`;
      if (offer.status === 'teilgenommen') blocks.push(paragraph(`${subject} hat im Rahmen des Moduls 3 an ${name} teilgenommen.`));
      else if (offer.status === 'angemeldet') blocks.push(paragraph(`${subject} ist im Rahmen des Moduls 3 für ${name} angemeldet.`));
      else blocks.push(paragraph(`Die Teilnahme an ${name} im Rahmen des Moduls 3 ist noch offen.`));
    }
  }
  return { id: 'umsetzung', number: 2, title: `Umsetzung des Modellprojektes ${phrases.locative}`, blocks };
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
  const these = worked.length < total ? ' dieser Handlungsfelder' : '';
  sentences.push(
    answered === questions
      ? `Alle ${germanNumber(questions)} Leitfragen${these} sind beantwortet; ${who}.`
      : `Beantwortet ${answered === 1 ? 'ist eine' : `sind ${germanNumber(answered)}`} von ${germanNumber(questions)} Leitfragen; ${who}.`,
  );

  const pending = worked.filter((field) => field.displayPercent === null && !hasNoValueToGive(field));
  if (pending.length) {
    const count = pending.length === worked.length && pending.length > 1 ? `alle ${countWord(pending.length)} Handlungsfelder` : counted(pending.length, 'Handlungsfeld', 'Handlungsfelder');
    sentences.push(`Für ${count} liegt ${isOpen ? 'noch ' : ''}kein Wert vor.`);
  }
  for (const field of worked.filter(hasNoValueToGive)) {
    sentences.push(
      isAllNotApplicable(field)
        ? `Im ${namedField(field)} sind alle Kriterien mit „trifft nicht zu“ eingeschätzt; es hat daher keinen Wert.`
        : `Im ${namedField(field)} ist kein Kriterium mit einem Wert eingeschätzt; es hat daher keinen Wert.`,
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
  if (scored.length === 0 || scored.length === worked.length) return null;
  if (scored.length === 1) return `Der Gesamtwert beruht allein auf ${namedField(scored[0]!)}, dem einzigen Handlungsfeld mit Wert.`;
  return `Der Gesamtwert beruht auf den ${countWord(scored.length)} Handlungsfeldern mit Wert (Handlungsfelder ${joinGerman(scored.map((field) => field.key))}).`;
}

/** How the percentages come about and how they are rounded, from the answer scale of the round. */
export function calculationSentence(results: ReportResults): string {
  const valued = results.legend.filter((entry) => entry.value !== null);
  const unvalued = results.legend.filter((entry) => entry.value === null && entry.key !== 'offen');
  const maximum = Math.max(...valued.map((entry) => entry.value!));
  const values = joinGerman(valued.map((entry) => `${entry.label} = ${germanNumber(entry.value!)}`));
  const without = [...unvalued.map((entry) => `„${entry.label}“`), 'offene Kriterien'];
  return (
    `Jedes Kriterium zählt mit dem Wert seiner Einschätzung (${values}); ${joinGerman(without)} zählen nicht mit. ` +
    `Der Wert eines Handlungsfeldes ist der Mittelwert seiner Kriterien mit Wert in Prozent des Höchstwerts ${germanNumber(maximum)}; der Gesamtwert ist der Mittelwert der Handlungsfelder mit Wert. ` +
    `Gerechnet wird mit den ungerundeten Werten; gezeigt werden ganze Prozent, kaufmännisch gerundet (ab ,5 aufwärts: 77,78 % wird zu 78 %, 74,5 % zu 75 %). Die Stufe der Auswertungsskala richtet sich nach dem gerundeten Gesamtwert.`.replace(/ %/g, '\u00a0%')
  );
}

/**
 * The legend of the criteria table: every symbol with its label and, for ratings with a value, the
 * catalog's answer anchor; for the ratings without a value what they mean for a criterion.
 */
function legendItems(results: ReportResults): { symbol: string; label: string }[] {
  const withoutValue: Record<string, string> = {
    keine_einschaetzung: 'der Stand ließ sich nicht einschätzen; zählt nicht mit',
    trifft_nicht_zu: 'die Aufgabe liegt nicht bei der Kommune; zählt nicht mit',
    offen: 'noch keine Antwort und keine festgelegte Einschätzung; zählt nicht mit',
  };
  return results.legend.map((entry) => {
    const explanation = entry.value === null ? withoutValue[entry.key] : entry.meaning;
    return { symbol: entry.symbol, label: explanation ? `${entry.label}: ${explanation}` : entry.label };
  });
}

function fragebogen(input: ReportInput, phrases: ReturnType<typeof kommunePhrases>): ReportSection {
  const results = input.results;
  const title = 'Ergebnisse Selbstcheck-Fragebogen';
  if (!results) return { id: 'fragebogen', number: 3, title, blocks: [paragraph('Es gibt noch keine Selbstcheck-Runde; Ergebnisse liegen noch nicht vor.')] };
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

  const isProvisional = results.overall.isProvisional;
  const worked = results.fields.filter((field) => field.isWorked).length;
  const marked = (level: string) => `${sentence(level)}${isProvisional ? ' (vorläufig)' : ''}`;
  if (results.overall.levelText) {
    const whose = worked === results.fields.length ? `der ${countWord(worked)} Handlungsfelder` : worked === 1 ? 'des vorgesehenen Handlungsfeldes' : `der ${countWord(worked)} vorgesehenen Handlungsfelder`;
    blocks.push(
      paragraph(`Der nachfolgenden Tabelle ist zu entnehmen, inwiefern ${phrases.nominative} nach dieser Selbsteinschätzung die Kriterien ${whose} erfüllt. Das ${isProvisional ? 'vorläufige ' : ''}Gesamtergebnis der Selbsteinschätzung lautet:`),
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
    blocks.push({ kind: 'chart', svg: input.chartSvg, alt, caption: `Ergebnisse je Handlungsfeld (${chartKind})` });
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
    const { olderNumber, summary } = input.comparison;
    const criteria = (count: number) => (count === 0 ? 'kein Kriterium' : count === 1 ? 'ein Kriterium' : `${countWord(count)} Kriterien`);
    const compared = summary.besser + summary.gleich + summary.schlechter;
    const notCompared = results.fields.reduce((sum, field) => sum + field.criteria.length, 0) - compared;
    const rest =
      notCompared <= 0
        ? ''
        : ` Für ${notCompared === 1 ? 'ein weiteres Kriterium' : `${countWord(notCompared)} weitere Kriterien`} ist kein Vergleich möglich, weil in mindestens einer der beiden Runden keine Einschätzung mit Wert vorliegt.`;
    blocks.push(
      heading(`Veränderung gegenüber Runde ${olderNumber}`),
      paragraph(
        `Gegenüber der Selbstcheck-Runde ${olderNumber} ${summary.besser === 1 ? 'wird' : 'werden'} ${criteria(summary.besser)} besser, ${criteria(summary.gleich)} gleich und ${criteria(summary.schlechter)} schlechter eingeschätzt.${rest}`,
      ),
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
  return { id: 'fragebogen', number: 3, title, blocks };
}

function workshopSection(input: ReportInput): ReportSection {
  const workshops = workshopsOfRound(input);
  const title = 'Ergebnisse Selbstcheck-Workshop';
  if (workshops.length === 0) return { id: 'workshop', number: 4, title, blocks: [paragraph('Ein Selbstcheck-Workshop ist noch nicht dokumentiert.')] };
  const blocks: ReportBlock[] = [];
  for (const workshop of workshops) {
    if (workshops.length > 1) blocks.push(heading(`${workshop.title}${workshop.date ? ` am ${germanDate(workshop.date)}` : ''}`));
    const level: 2 | 3 = workshops.length > 1 ? 3 : 2;
    if (workshop.fields.length === 0) {
      blocks.push(paragraph('Zu diesem Workshop sind noch keine Handlungsfelder dokumentiert.'));
      continue;
    }
    blocks.push(
      paragraph(workshop.fields.length === 1 ? 'Die Teilnehmenden des Workshops einigten sich darauf, das folgende Handlungsfeld zu bearbeiten:' : 'Die Teilnehmenden des Workshops einigten sich darauf, die folgenden Handlungsfelder zu bearbeiten:'),
      bullets(workshop.fields.map((field) => `Handlungsfeld ${field.fieldKey}: ${fieldName(input, field.fieldKey)}`)),
    );
    if (workshop.guidingQuestions.length) {
      blocks.push(paragraph(`Die Diskussion ${workshop.fields.length === 1 ? 'zum Handlungsfeld' : 'zu den Handlungsfeldern'} erfolgte entlang folgender Fragestellungen:`), bullets(workshop.guidingQuestions));
    }
    blocks.push(paragraph('Im Folgenden werden die Ergebnisse der Diskussion kurz zusammengefasst, mit einem Fokus auf Entwicklungspotenziale und erforderliche Handlungsbedarfe.'));
    for (const field of workshop.fields) {
      blocks.push(heading(`Diskussionsergebnisse Handlungsfeld ${field.fieldKey} „${fieldName(input, field.fieldKey)}“`, level));
      if (field.worksWell.length) blocks.push(paragraph('Was bereits gut läuft:'), bullets(field.worksWell));
      if (field.notYet.length) blocks.push(paragraph('Was noch nicht so gut läuft:'), bullets(field.notYet));
      if (field.needs.length) blocks.push(paragraph('Genannte Bedarfe:'), bullets(field.needs));
      if (field.potentials.trim()) blocks.push(paragraph('Folgende Entwicklungspotenziale wurden benannt:'), ...userText(field.potentials));
      if (field.actionNeeds.length) {
        blocks.push(paragraph('Folgende Handlungsbedarfe in diesem Handlungsfeld wurden benannt:'), {
          kind: 'list',
          style: 'bullets',
          items: field.actionNeeds.map((need) => ({ inlines: text(need.text), children: need.subpoints.map(text) })),
        });
      }
      if (!field.worksWell.length && !field.notYet.length && !field.needs.length && !field.potentials.trim() && !field.actionNeeds.length) {
        blocks.push(paragraph('Zu diesem Handlungsfeld sind noch keine Ergebnisse dokumentiert.'));
      }
    }
  }
  return { id: 'workshop', number: 4, title: workshops.length > 1 ? 'Ergebnisse der Selbstcheck-Workshops' : title, blocks };
}

const measureStatusLabels = { geplant: 'geplant', laufend: 'laufend', umgesetzt: 'umgesetzt', verworfen: 'verworfen' } as const;

function ausblick(input: ReportInput): ReportSection {
  const outlook = input.outlook;
  const blocks: ReportBlock[] = [...userText(outlook.narrative)];
  if (outlook.partnerships.length) {
    blocks.push(heading('Partnerschaften'));
    blocks.push({
      kind: 'list',
      style: 'bullets',
      items: outlook.partnerships.map((partnership) => ({
        inlines: [
          { kind: 'strong', text: partnership.partner },
          { kind: 'text', text: [partnership.agreement ? ` – ${partnership.agreement}` : '', partnership.aim ? `: ${partnership.aim}` : ''].join('') },
        ],
        children: [],
      })),
    });
  }
  if (outlook.goals.length) {
    blocks.push(heading('Ziele und Maßnahmen'));
    for (const goal of outlook.goals) {
      blocks.push(heading(`Ziel: ${goal.title}`, 3));
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
            [measure.title, measure.partners ? `Partner: ${measure.partners}` : '', measure.nextReview ? `Nächste Überprüfung: ${germanDate(measure.nextReview)}` : ''].filter(Boolean).join('\n'),
            measure.fieldKey ? `${measure.fieldKey}. ${fieldName(input, measure.fieldKey)}` : '–',
            measure.responsible || '–',
            measure.start || measure.end ? [measure.start ? germanDate(measure.start) : '…', measure.end ? germanDate(measure.end) : '…'].join(' – ') : '–',
            measureStatusLabels[measure.status],
          ],
        })),
      });
    }
  }
  if (blocks.length === 0) blocks.push(paragraph('Der Ausblick ist noch nicht beschrieben.'));
  return { id: 'ausblick', number: 5, title: 'Ausblick und Perspektiven zur strategischen Weiterarbeit', blocks };
}

/**
 * The title page's subtitle: the round, and „vorläufig“ with its reason while the round is open or
 * criteria stayed open, so a printed copy cannot be mistaken for a final result.
 */
export function subtitleOf(results: ReportResults | null): string {
  if (!results) return 'Selbstcheck Weltoffene Kommune';
  const base = `Selbstcheck Weltoffene Kommune · Runde ${results.roundNumber}`;
  if (results.status === 'open') return `${base} · vorläufig, die Runde ist noch nicht abgeschlossen`;
  const open = openCriterionTotal(results);
  if (results.overall.isProvisional && open > 0) return `${base} · vorläufiges Ergebnis, ${open === 1 ? 'ein Kriterium ist' : `${countWord(open)} Kriterien sind`} offen`;
  return base;
}

/** Builds the whole report from a Kommune's data. */
export function buildReport(input: ReportInput): Report {
  const phrases = kommunePhrases(input.kommune.kind, input.kommune.name);
  const kommune = `${input.kommune.kind} ${input.kommune.name}`;
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
      ausblick(input),
    ],
  };
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
      else if (block.kind === 'text') for (const part of block.blocks) lines.push(...('lines' in part ? part.lines : part.items).map(inline));
      else if (block.kind === 'list') for (const item of block.items) lines.push(inline(item.inlines), ...item.children.map(inline));
      else if (block.kind === 'table') for (const row of block.rows) lines.push(row.kind === 'group' ? row.text : row.cells.join(' | '));
      else if (block.kind === 'legend') lines.push(block.title, ...block.items.map((item) => `${item.symbol} = ${item.label}`));
    }
  }
  return lines.join('\n');
}

/** The programme's title in the preamble, until the Programmteam writes its own. */
export const defaultProgrammeTitle = 'Modellprojekt Weltoffene Kommune';

/** The programme's text in the preamble, until the Programmteam writes its own. */
export const defaultProgrammeText = [
  'Das Modellprojekt Weltoffene Kommune unterstützt Städte, Landkreise und Gemeinden dabei, ihre kommunale Diversitäts- und Integrationsarbeit strategisch weiterzuentwickeln. Das Angebot für Modellkommunen umfasst drei Module:',
  '',
  '- **Modul 1: Selbstcheck Weltoffene Kommune.** Mit einem Fragebogen über sieben Handlungsfelder bestimmt die Kommune ihren Stand; in einem moderierten Workshop plant sie auf dieser Grundlage nächste Schritte.',
  '- **Modul 2: Dialogveranstaltungen** zwischen Einwohner:innen, Verwaltung, Politik, Wirtschaft und Zivilgesellschaft (optional).',
  '- **Modul 3: Angebote für kommunale Entscheidungsträger:innen** zur Vernetzung und zum Austausch, etwa zu strategischer Kommunikation oder kommunalem Konfliktmanagement (optional).',
].join('\n');
