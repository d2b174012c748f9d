import type { Catalog } from './catalog.ts';
import { germanDate, germanMonthPeriod, germanPeriod } from './german.ts';

/**
 * The questionnaire of a round on paper (PDF) or in Word: for departments that work offline and
 * hand back a filled-in form, which the Koordination then enters. Pure: both renderers read this model.
 */
export interface PaperQuestionnaire {
  /** Document title, e.g. „Fragebogen Selbstcheck Weltoffene Kommune – Stadt Musterstadt, Runde 2“. */
  title: string;
  catalogTitle: string;
  catalogVersion: string;
  kommune: string;
  roundNumber: number;
  /** „vom 1. März bis 30. April 2026“ or null when the round has no period. */
  period: string | null;
  /** „Handlungsfeld 3: …“ when the form holds one field, else null (the whole questionnaire). */
  scope: string | null;
  /** Whom the filled-in form goes back to, and by when: the last line of the instructions. */
  returnNote: string;
  generatedOn: string;
  /** The answer options with their anchors, printed once at the start and as boxes at each question. */
  options: { label: string; symbol: string; meaning: string | null }[];
  fields: PaperField[];
  questionCount: number;
}

export interface PaperField {
  key: string;
  name: string;
  description: string;
  criteria: {
    key: string;
    name: string;
    description: string;
    questions: { key: string; text: string; yesMeans: string | null; evidence: string[] }[];
  }[];
}

export interface PaperQuestionnaireInput {
  /** The catalog as the Kommune's kind sees it (`catalogForKind`). */
  catalog: Catalog;
  kommuneTitle: string;
  round: { number: number; periodStart: string | null; periodEnd: string | null; periodPrecision: string; workedFieldKeys: readonly string[]; deadline: string | null };
  /** The Kommune's Koordination, to whom the form is returned (none yet: the note names the role only). */
  koordination: readonly { name: string; email: string }[];
  /** One Handlungsfeld, or undefined for every field the round works on. */
  fieldKey?: string;
  /** ISO date of the download. */
  today: string;
}

/** The paper questionnaire of a round: the worked fields (or one of them) in catalog order. */
export function buildPaperQuestionnaire(input: PaperQuestionnaireInput): PaperQuestionnaire {
  const { catalog, round } = input;
  const fields = catalog.fields.filter((field) => round.workedFieldKeys.includes(field.key) && (input.fieldKey === undefined || field.key === input.fieldKey));
  const period = round.periodPrecision === 'month' ? germanMonthPeriod(round.periodStart, round.periodEnd) : germanPeriod(round.periodStart, round.periodEnd);
  const only = input.fieldKey === undefined ? undefined : fields[0];
  const scope = only ? `Handlungsfeld ${only.key}: ${only.name}` : null;
  const paperFields: PaperField[] = fields.map((field) => ({
    key: field.key,
    name: field.name,
    description: field.description,
    criteria: field.criteria.map((criterion) => ({
      key: criterion.key,
      name: criterion.name,
      description: criterion.description,
      questions: criterion.questions.map((question) => ({ key: question.key, text: question.text, yesMeans: question.yesMeans ?? null, evidence: question.evidence ?? [] })),
    })),
  }));
  return {
    title: `Fragebogen ${catalog.title} – ${input.kommuneTitle}, Runde ${round.number}${only ? `, Handlungsfeld ${only.key}` : ''}`,
    catalogTitle: catalog.title,
    catalogVersion: catalog.version,
    kommune: input.kommuneTitle,
    roundNumber: round.number,
    period,
    scope,
    returnNote: paperReturnNote(round.deadline, input.koordination, input.today),
    generatedOn: germanDate(input.today),
    options: catalog.answerScale.map((option) => ({ label: option.label, symbol: option.symbol, meaning: option.meaning ?? null })),
    fields: paperFields,
    questionCount: paperFields.reduce((sum, field) => sum + field.criteria.reduce((inner, criterion) => inner + criterion.questions.length, 0), 0),
  };
}

/** The file name of a downloaded questionnaire, e.g. „fragebogen-musterstadt-runde-2-handlungsfeld-3.pdf“. */
export function paperQuestionnaireFileName(slug: string, roundNumber: number, fieldKey: string | undefined, format: 'pdf' | 'docx'): string {
  return `fragebogen-${slug}-runde-${roundNumber}${fieldKey === undefined ? '' : `-handlungsfeld-${fieldKey}`}.${format}`;
}

/**
 * „Geben Sie den ausgefüllten Fragebogen bis zum 1. Dezember 2026 an die Koordination zurück
 * (Ayşe Yılmaz, integrationsbuero@…). Sie trägt …“ A deadline already past is not printed: a form
 * downloaded late still goes back, and an old date would only confuse.
 */
export function paperReturnNote(deadline: string | null, koordination: readonly { name: string; email: string }[], today: string): string {
  const by = deadline !== null && deadline >= today ? ` bis zum ${germanDate(deadline)}` : '';
  const whom = koordination.length === 0 ? '' : ` (${koordination.map((person) => `${person.name}, ${person.email}`).join('; ')})`;
  return `Geben Sie den ausgefüllten Fragebogen${by} an die Koordination zurück${whom}. Sie trägt Ihre Antworten für Sie in die Anwendung ein.`;
}
