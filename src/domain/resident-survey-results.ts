import { z } from 'zod';
import { agreementKeys, agreementValues, hasControlCharacters, surveyLanguages, withoutControlCharacters, type AgreementKey, type StatementSet, type SurveyLanguage } from './resident-survey.ts';
import { meanOf } from './scoring.ts';

/**
 * A resident survey's settings, a resident's response and the results the Kommune sees (issue 17).
 * Pure: the services load and store, these rules decide. Privacy is part of the rules, not of the
 * screens: nothing is shown below `minimumResponses`, a group only when it and the rest each reach it.
 */

/** Results, and each group's results, are shown only from this many responses (PRODUCT: DSGVO, issue 17). */
export const minimumResponses = 10;
export const maxOpenQuestions = 3;
export const maxOpenAnswerLength = 1000;
export const retentionMonthRange = { min: 1, max: 36 } as const;
/** The longest a survey may stay open. */
export const maxSurveyDays = 366;
/** A survey is a draft until published; only a published one takes responses. */
export const surveyStatuses = ['entwurf', 'veroeffentlicht'] as const;
/** Where an Anmerkung stands: not yet reviewed, released (shown to the Kommune), discarded. */
export const openAnswerReviews = ['offen', 'freigegeben', 'verworfen'] as const;

const germanText = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, `Bitte mindestens ${min} Zeichen`)
    .max(max, `Höchstens ${max} Zeichen`)
    .refine((text) => !hasControlCharacters(text), 'Steuerzeichen sind nicht erlaubt');
const day = z.iso.date('Bitte ein Datum im Format JJJJ-MM-TT');

export const openQuestionSchema = z.object({
  /** The question in German, as the Koordination writes it. */
  text: germanText(10, 300).describe('Die Frage auf Deutsch (10 bis 300 Zeichen).'),
  /** Its wording in other languages, where the Kommune has one; else residents read the German (marked `lang="de"`). */
  translations: z
    .partialRecord(z.enum(surveyLanguages), germanText(3, 300))
    .default({})
    .describe('Die Frage in weiteren Sprachen (Schlüssel wie „en“, „ar“); wo eine fehlt, lesen Einwohner:innen die deutsche Frage.'),
});

export const surveySettingsSchema = z
  .object({
    /** The Handlungsfelder whose statements the survey asks. */
    fields: z.array(z.string().min(1).max(10)).min(1, 'Bitte mindestens ein Handlungsfeld wählen').max(20).describe('Die Handlungsfelder, deren Aussagen die Umfrage stellt.'),
    openQuestions: z
      .array(openQuestionSchema)
      .max(maxOpenQuestions, `Höchstens ${maxOpenQuestions} offene Fragen`)
      .default([])
      .describe(`Bis zu ${maxOpenQuestions} offene Fragen.`),
    opensOn: day.describe('Erster Tag der Umfrage (JJJJ-MM-TT).'),
    closesOn: day.describe(`Letzter Tag der Umfrage (JJJJ-MM-TT), höchstens ${maxSurveyDays} Tage nach dem ersten.`),
    retentionMonths: z
      .number()
      .int()
      .min(retentionMonthRange.min)
      .max(retentionMonthRange.max)
      .describe(`Wie viele Monate nach dem letzten Tag die Antworten gelöscht werden (${retentionMonthRange.min} bis ${retentionMonthRange.max}).`),
    /** Who is responsible in the sense of the DSGVO, with a contact, shown in the Datenschutzhinweis. */
    controller: germanText(5, 300).describe('Wer im Sinne der DSGVO verantwortlich ist, mit Kontakt; steht im Datenschutzhinweis.'),
  })
  .superRefine((settings, context) => {
    if (new Set(settings.fields).size !== settings.fields.length) context.addIssue({ code: 'custom', path: ['fields'], message: 'Ein Handlungsfeld ist doppelt gewählt' });
    if (settings.closesOn < settings.opensOn) context.addIssue({ code: 'custom', path: ['closesOn'], message: 'Das Ende liegt vor dem Beginn' });
    else if (daysBetween(settings.opensOn, settings.closesOn) > maxSurveyDays)
      context.addIssue({ code: 'custom', path: ['closesOn'], message: `Eine Umfrage läuft höchstens ${maxSurveyDays} Tage` });
  });
export type SurveySettings = z.output<typeof surveySettingsSchema>;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The settings' fields must be Handlungsfelder the statement set has statements for. */
export function unknownFields(settings: Pick<SurveySettings, 'fields'>, set: StatementSet): string[] {
  const known = new Set(set.statements.map((statement) => statement.field));
  return settings.fields.filter((field) => !known.has(field));
}

/** The statements a survey asks, in the statement set's order. */
export function surveyStatements(set: StatementSet, fields: readonly string[]): StatementSet['statements'] {
  return set.statements.filter((statement) => fields.includes(statement.field));
}

/**
 * Where a survey stands on a day (the Kommune's calendar day, `YYYY-MM-DD`): before its first day,
 * open through its last day, closed after it.
 */
export function surveyPhase(settings: Pick<SurveySettings, 'opensOn' | 'closesOn'>, today: string): 'not-yet' | 'open' | 'closed' {
  if (today < settings.opensOn) return 'not-yet';
  if (today > settings.closesOn) return 'closed';
  return 'open';
}

/** The chosen Handlungsfelder in the statement set's (the catalog's) order, however they were chosen. */
export function orderedFields(set: StatementSet, fields: readonly string[]): string[] {
  return [...new Set(set.statements.map((statement) => statement.field))].filter((field) => fields.includes(field));
}

/**
 * How many of the counted responses (in order of arrival) the results use: all below the minimum
 * (then only the number is told), else whole steps of the minimum. So the results change only when
 * ten more have come, and no single newcomer's answers show as the difference to the last view.
 */
export function respondentsInResults(counted: number): number {
  return counted < minimumResponses ? counted : Math.floor(counted / minimumResponses) * minimumResponses;
}

/** Why the Koordination left a burst out; the audit log keeps it (the form, the API and the bundle). */
export const exclusionReasonSchema = z
  .string()
  .trim()
  .min(10, 'Bitte begründen Sie den Ausschluss (mindestens 10 Zeichen)')
  .max(500, 'Höchstens 500 Zeichen')
  .refine((text) => !hasControlCharacters(text), 'Steuerzeichen sind nicht erlaubt');

/** The minute a response arrived: all the survey keeps of its time (to find a burst, never to tell one resident). */
export function arrivalMinute(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000);
}

/** An exclusion must leave out none or at least the minimum, or the results before and after would show the few it left out. */
export function exclusionTooSmall(responsesInWindow: number): boolean {
  return responsesInWindow > 0 && responsesInWindow < minimumResponses;
}


/** A response as the resident's browser sends it. */
export const responseBodySchema = z.object({
  language: z.enum(surveyLanguages),
  answers: z.record(z.string().max(10), z.enum(agreementKeys)),
  open: z.array(z.string().max(maxOpenAnswerLength * 2)).max(maxOpenQuestions).default([]),
  groups: z.record(z.string().max(20), z.string().max(20)).default({}),
});
export type ResponseBody = z.input<typeof responseBodySchema>;

/**
 * The proof of work before a response (altcha-lib): SHA-256 repeated `cost` times per try until the
 * key starts with `keyPrefix` (about 16³ tries, a second or two on a phone), valid for `validMinutes`.
 */
export const challengeSettings = { algorithm: 'SHA-256', cost: 8, keyPrefix: '000', keyLength: 32, validMinutes: 30 } as const;

const hex = (max: number) => z.string().regex(/^[0-9a-f]+$/).max(max);

/**
 * A response with its solved challenge. The challenge's parameters must be the ones the server
 * issues (a changed cost would also fail the signature, but only after the work it asks for).
 */
export const responseSubmissionSchema = responseBodySchema.extend({
  challenge: z.object({
    parameters: z.object({
      algorithm: z.literal(challengeSettings.algorithm),
      cost: z.literal(challengeSettings.cost),
      keyPrefix: z.literal(challengeSettings.keyPrefix),
      keyLength: z.literal(challengeSettings.keyLength),
      nonce: hex(128),
      salt: hex(128),
      expiresAt: z.number().int().positive(),
      data: z.object({ survey: z.string().max(64), device: hex(64) }),
    }),
    signature: hex(200),
  }),
  solution: z.object({ counter: z.number().int().min(0).max(2 ** 32 - 1), derivedKey: hex(200), time: z.number().optional() }),
});

/** What is wrong with a response, as a key of the survey's texts (shown in the resident's language). */
export type ResponseRefusal = 'error.invalid' | 'error.empty' | 'error.tooLong';

export interface AcceptedResponse {
  language: SurveyLanguage;
  answers: Record<string, AgreementKey>;
  /** One entry per open question, `null` where nothing was written. */
  open: (string | null)[];
  groups: Record<string, string>;
}

/**
 * Checks a parsed response against the survey: answers only to its statements, at least one; open
 * answers only to its questions, trimmed, at most `maxOpenAnswerLength` characters; groups only with
 * the set's options. A response for a language the survey does not offer is invalid.
 */
export function checkResponse(
  body: z.output<typeof responseBodySchema>,
  survey: { statementKeys: readonly string[]; openQuestionCount: number; languages: readonly SurveyLanguage[] },
  set: Pick<StatementSet, 'groups'>,
): { ok: true; response: AcceptedResponse } | { ok: false; refusal: ResponseRefusal } {
  if (!survey.languages.includes(body.language)) return { ok: false, refusal: 'error.invalid' };
  const answerKeys = Object.keys(body.answers);
  if (answerKeys.some((statementKey) => !survey.statementKeys.includes(statementKey))) return { ok: false, refusal: 'error.invalid' };
  if (body.open.length > survey.openQuestionCount) return { ok: false, refusal: 'error.invalid' };
  for (const [group, option] of Object.entries(body.groups)) {
    if (!set.groups.some((candidate) => candidate.key === group && candidate.options.includes(option))) return { ok: false, refusal: 'error.invalid' };
  }
  const open = Array.from({ length: survey.openQuestionCount }, (_, index) => {
    const text = withoutControlCharacters(body.open[index] ?? '').normalize('NFC').trim();
    return text === '' ? null : text;
  });
  if (open.some((text) => text !== null && text.length > maxOpenAnswerLength)) return { ok: false, refusal: 'error.tooLong' };
  if (answerKeys.length === 0) return { ok: false, refusal: 'error.empty' };
  return { ok: true, response: { language: body.language, answers: { ...body.answers }, open, groups: { ...body.groups } } };
}

/** A stored response as the results read it. */
export interface CountedResponse {
  language: SurveyLanguage;
  answers: Record<string, AgreementKey>;
  groups: Record<string, string>;
}

export interface StatementResult {
  key: string;
  field: string;
  /** How often each option was chosen. */
  counts: Record<AgreementKey, number>;
  /** Responses that rated it (without „weiß nicht“). */
  rated: number;
  /** Share of „stimme zu“ and „stimme eher zu“ among those that rated it, 0–100 unrounded; null without a rating. */
  agreement: number | null;
  /** Mean value 0–3 as a share of 3, 0–100 unrounded (the Selbstcheck's scale); null without a rating. */
  score: number | null;
}

export interface FieldOutsideView {
  field: string;
  /** Mean of its statements' scores (each statement weighs the same), 0–100 unrounded; null when none was rated. */
  score: number | null;
  statements: number;
}

export interface GroupResult {
  group: string;
  option: string;
  responses: number;
  /** Field scores of this group; absent while the group or the others have fewer than `minimumResponses`. */
  fields: FieldOutsideView[] | null;
}

export type SurveyResults =
  | { shown: false; responses: number; minimum: number }
  | {
      shown: true;
      responses: number;
      minimum: number;
      /** Languages with at least `minimumResponses` responses; the others only as `hasOtherLanguages`. */
      languages: { language: SurveyLanguage; responses: number }[];
      hasOtherLanguages: boolean;
      statements: StatementResult[];
      fields: FieldOutsideView[];
      groups: GroupResult[];
    };

function statementResult(statement: { key: string; field: string }, responses: readonly CountedResponse[]): StatementResult {
  const counts = Object.fromEntries(agreementKeys.map((option) => [option, 0])) as Record<AgreementKey, number>;
  const values: number[] = [];
  for (const response of responses) {
    const answer = response.answers[statement.key];
    if (answer === undefined) continue;
    counts[answer]++;
    const value = agreementValues[answer];
    if (value !== null) values.push(value);
  }
  const mean = meanOf(values);
  return {
    key: statement.key,
    field: statement.field,
    counts,
    rated: values.length,
    agreement: values.length === 0 ? null : ((counts.zu + counts['eher-zu']) / values.length) * 100,
    score: mean === null ? null : (mean / 3) * 100,
  };
}

function fieldViews(statements: readonly StatementResult[], fields: readonly string[]): FieldOutsideView[] {
  return fields.map((field) => {
    const own = statements.filter((statement) => statement.field === field);
    const scores = own.flatMap((statement) => (statement.score === null ? [] : [statement.score]));
    return { field, score: meanOf(scores), statements: own.length };
  });
}

/**
 * The results of a survey from its counted responses (excluded ones left out by the caller). Below
 * `minimumResponses` only the number is told. A group's results need `minimumResponses` in the
 * group and in the rest, so that the difference between all and the rest never shows a small group.
 */
export function surveyResults(set: StatementSet, chosenFields: readonly string[], responses: readonly CountedResponse[]): SurveyResults {
  if (responses.length < minimumResponses) return { shown: false, responses: responses.length, minimum: minimumResponses };
  const fields = orderedFields(set, chosenFields);
  const asked = surveyStatements(set, fields);
  const statements = asked.map((statement) => statementResult(statement, responses));
  const used = surveyLanguages
    .map((language) => ({ language, responses: responses.filter((response) => response.language === language).length }))
    .filter((entry) => entry.responses > 0);
  // A language few answered in would point to a person or a family: named only from the minimum.
  const languages = used.filter((entry) => entry.responses >= minimumResponses);
  const groups = set.groups.flatMap((group) =>
    group.options.map((option): GroupResult => {
      const members = responses.filter((response) => response.groups[group.key] === option);
      const visible = members.length >= minimumResponses && responses.length - members.length >= minimumResponses;
      return {
        group: group.key,
        option,
        responses: members.length,
        fields: visible ? fieldViews(asked.map((statement) => statementResult(statement, members)), fields) : null,
      };
    }),
  );
  return { shown: true, responses: responses.length, minimum: minimumResponses, languages, hasOtherLanguages: languages.length < used.length, statements, fields: fieldViews(statements, fields), groups };
}

/** A statement with less agreement than this (in %) is offered to the Ausblick as a goal. */
export const lowAgreement = 50;

/** The Ausblick's goal made from a statement with low agreement: its wording says what it aims at and where it comes from. */
export function goalTitleOfStatement(text: string): string {
  return `Mehr Zustimmung in der Außensicht zu „${text.replace(/[.!?]$/, '')}“`;
}

/** The statements of shown results with low agreement, least agreement first (at least one rating each). */
export function lowAgreementStatements<S extends { rated: number; agreement: number | null }>(statements: readonly S[]): S[] {
  return statements.filter((statement) => statement.rated > 0 && statement.agreement !== null && statement.agreement < lowAgreement).sort((a, b) => a.agreement! - b.agreement!);
}
