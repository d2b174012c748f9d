import { z } from 'zod';
import { formatJsonPath, type CatalogProblem } from './catalog.ts';

/**
 * The Außensicht: a short public survey of a Kommune's Einwohner:innen, rated statements per
 * Handlungsfeld of the Selbstcheck, answered without an account in several languages (issue 17).
 * This file holds the statement set (`catalog/aussensicht/aussensicht-<version>.json`) and its texts per
 * language (`catalog/aussensicht/aussensicht-<version>/<language>.json`): their format and the rules that make a
 * language complete. Translations are data; a language is offered to residents only when every text
 * of it is complete and reviewed (decision 022).
 */

/** The languages a survey can be answered in, in the order the language choice lists them. */
export const surveyLanguages = ['de', 'de-x-ls', 'en', 'tr', 'ar', 'uk', 'ru', 'fa'] as const;
export type SurveyLanguage = (typeof surveyLanguages)[number];
/** The language every other is translated from. */
export const sourceLanguage: SurveyLanguage = 'de';

/**
 * What the browser and assistive technology are told: Leichte Sprache is German (`lang="de"`), its
 * own code is a private-use tag only the app knows. `ownName` is the language's name in itself, as the
 * language choice shows it; the language files repeat name and direction, and the start checks both.
 */
export const languageFacts: Record<SurveyLanguage, { htmlLang: string; direction: 'ltr' | 'rtl'; ownName: string }> = {
  de: { htmlLang: 'de', direction: 'ltr', ownName: 'Deutsch' },
  'de-x-ls': { htmlLang: 'de', direction: 'ltr', ownName: 'Leichte Sprache' },
  en: { htmlLang: 'en', direction: 'ltr', ownName: 'English' },
  tr: { htmlLang: 'tr', direction: 'ltr', ownName: 'Türkçe' },
  ar: { htmlLang: 'ar', direction: 'rtl', ownName: 'العربية' },
  uk: { htmlLang: 'uk', direction: 'ltr', ownName: 'Українська' },
  ru: { htmlLang: 'ru', direction: 'ltr', ownName: 'Русский' },
  fa: { htmlLang: 'fa', direction: 'rtl', ownName: 'فارسی' },
};

/** Each language's German name, as the report and the Kommune's screens name it. */
export const germanLanguageNames: Record<SurveyLanguage, string> = {
  de: 'Deutsch',
  'de-x-ls': 'Leichte Sprache',
  en: 'Englisch',
  tr: 'Türkisch',
  ar: 'Arabisch',
  uk: 'Ukrainisch',
  ru: 'Russisch',
  fa: 'Persisch',
};

/** The answer scale, in the order shown; „weiß nicht“ has no value and enters no mean. */
export const agreementKeys = ['zu', 'eher-zu', 'eher-nicht-zu', 'nicht-zu', 'weiss-nicht'] as const;
export type AgreementKey = (typeof agreementKeys)[number];
export const agreementValues: Record<AgreementKey, number | null> = {
  zu: 3,
  'eher-zu': 2,
  'eher-nicht-zu': 1,
  'nicht-zu': 0,
  'weiss-nicht': null,
};

/** The texts every language has besides the statements, scale and groups. */
export const fixedTextKeys = [
  'page.title',
  'page.intro',
  'page.here',
  'page.language',
  'page.languageSubmit',
  'page.statements',
  'page.open',
  'page.openHint',
  'page.groups',
  'page.groupsHint',
  'page.submit',
  'page.checking',
  'page.needsScript',
  'page.thanks',
  'page.thanksText',
  'privacy.heading',
  'privacy.text',
  'privacy.controller',
  'status.notYet',
  'status.closed',
  'status.until',
  'error.duplicate',
  'error.invalid',
  'error.empty',
  'error.tooLong',
  'error.challenge',
  'error.tooMany',
  'error.closed',
  'error.notFound',
  'group.none',
  'poster.scan',
  'poster.qrAlt',
] as const;
/** Texts with a count: one key per plural category of the language (`_one`, `_few`, …), as i18next reads them. */
export const pluralTextKeys = ['page.statementsHint', 'privacy.retention'] as const;

const key = z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'Nur Kleinbuchstaben, Ziffern, Punkt und Bindestrich');

export const statementSetSchema = z
  .object({
    $comment: z.string().optional(),
    id: z.literal('aussensicht'),
    version: z.string().regex(/^\d+\.\d+$/, 'Version als „Haupt.Neben“, zum Beispiel „1.0“'),
    forCatalog: key,
    publishedOn: z.iso.date(),
    sourceLanguage: z.literal(sourceLanguage),
    scale: z
      .array(z.object({ key: z.enum(agreementKeys), value: z.number().int().min(0).max(3).nullable() }))
      .refine(
        (scale) => scale.length === agreementKeys.length && scale.every((option, index) => option.key === agreementKeys[index] && option.value === agreementValues[option.key]),
        'Die Skala ist festgelegt: zu (3), eher-zu (2), eher-nicht-zu (1), nicht-zu (0), weiss-nicht (ohne Wert)',
      ),
    statements: z.array(z.object({ key, field: key })).min(1).max(40),
    groups: z.array(z.object({ key, options: z.array(key).min(2).max(6) })).max(4),
  })
  .superRefine((set, context) => {
    const seen = new Set<string>();
    set.statements.forEach((statement, index) => {
      if (seen.has(statement.key)) context.addIssue({ code: 'custom', path: ['statements', index, 'key'], message: `Die Aussage ${statement.key} steht doppelt` });
      seen.add(statement.key);
    });
    const groups = new Set<string>();
    set.groups.forEach((group, index) => {
      if (groups.has(group.key)) context.addIssue({ code: 'custom', path: ['groups', index, 'key'], message: `Die Gruppe ${group.key} steht doppelt` });
      groups.add(group.key);
      if (new Set(group.options).size !== group.options.length) context.addIssue({ code: 'custom', path: ['groups', index, 'options'], message: 'Eine Antwort steht doppelt' });
    });
  });
export type StatementSet = z.infer<typeof statementSetSchema>;

/** The statement set must fit the Selbstcheck's catalog: each statement belongs to one of its Handlungsfelder, every field has 1–3. */
export function statementSetProblems(set: StatementSet, fieldKeys: readonly string[]): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  set.statements.forEach((statement, index) => {
    if (!fieldKeys.includes(statement.field))
      problems.push({ path: `$.statements[${index}].field`, message: `Handlungsfeld ${statement.field} gibt es im Katalog ${set.forCatalog} nicht` });
  });
  for (const field of fieldKeys) {
    const count = set.statements.filter((statement) => statement.field === field).length;
    if (count < 1 || count > 3) problems.push({ path: '$.statements', message: `Handlungsfeld ${field} hat ${count} Aussagen; erlaubt sind 1 bis 3` });
  }
  return problems;
}

/** The plural categories of a language as `Intl.PluralRules` (and so i18next) knows them. */
export function pluralCategories(language: SurveyLanguage): Intl.LDMLPluralRule[] {
  return new Intl.PluralRules(languageFacts[language].htmlLang === 'de' ? 'de' : language).resolvedOptions().pluralCategories;
}

/**
 * Whether a plural form stands for more than one number (then it must show `{{count}}`): the German
 * „one“ is only 1 („Eine Aussage“), the Russian „one“ is also 21, 31 …
 */
export function pluralFormNeedsCount(language: SurveyLanguage, category: Intl.LDMLPluralRule): boolean {
  const key = `${language}:${category}`;
  let needs = needsCount.get(key);
  if (needs === undefined) {
    const rules = new Intl.PluralRules(languageFacts[language].htmlLang === 'de' ? 'de' : language);
    let numbers = 0;
    for (let n = 0; n <= 200 && numbers < 2; n++) if (rules.select(n) === category) numbers++;
    needs = numbers > 1;
    needsCount.set(key, needs);
  }
  return needs;
}
const needsCount = new Map<string, boolean>();

/** Every text key a language must have for a statement set. */
export function requiredTextKeys(set: StatementSet, language: SurveyLanguage): string[] {
  return [
    ...set.statements.map((statement) => `statement.${statement.key}`),
    ...set.scale.map((option) => `scale.${option.key}`),
    ...set.groups.flatMap((group) => [`group.${group.key}`, ...group.options.map((option) => `group.${group.key}.${option}`)]),
    ...fixedTextKeys,
    ...pluralTextKeys.flatMap((base) => pluralCategories(language).map((category) => `${base}_${category}`)),
  ];
}

/** The placeholders of a text, `{{name}}` or `{{date, datetime}}`, normalised. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].map((match) => match[1]!.replace(/\s*,\s*/g, ', ')).sort();
}

export const languageFileSchema = z.object({
  language: z.enum(surveyLanguages),
  name: z.string().trim().min(2).max(40),
  direction: z.enum(['ltr', 'rtl']),
  /** A shipped draft is not reviewed; German, the source, is reviewed like every other text of the app. */
  reviewed: z.boolean().default(false),
  texts: z.record(z.string(), z.string()),
});
export type LanguageFile = z.infer<typeof languageFileSchema>;

/**
 * Control characters other than tab and line breaks: invisible, and NUL cannot even be stored by
 * PostgreSQL. The one pattern every survey text and Anmerkung is checked with.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controlCharacterPattern = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

export function hasControlCharacters(text: string): boolean {
  return text.search(controlCharacterPattern) !== -1;
}

/** Control characters (but tab and line breaks) in a text a person typed: removed. */
export function withoutControlCharacters(text: string): string {
  return text.replace(controlCharacterPattern, '');
}

/** The most characters a survey text may have (a statement is one sentence, the privacy text a paragraph). */
export const maxSurveyTextLength = 900;

/**
 * What is wrong with one text of a language, measured against the source language's text of the
 * same key (or of its `_other` form): empty, too long, or other placeholders. `null` when it is fine.
 */
export function surveyTextProblem(language: SurveyLanguage, key: string, text: string, sourceText: string): string | null {
  if (text.trim() === '') return 'Der Text ist leer';
  if (text.length > maxSurveyTextLength) return `Der Text ist länger als ${maxSurveyTextLength} Zeichen`;
  if (/[<>]/.test(text)) return 'Der Text enthält „<“ oder „>“; Markup ist nicht erlaubt';
  if (hasControlCharacters(text)) return 'Der Text enthält Steuerzeichen';
  const plural = /_(zero|one|two|few|many|other)$/.exec(key)?.[1] as Intl.LDMLPluralRule | undefined;
  const expected = placeholdersOf(sourceText).filter((placeholder) => plural === undefined || placeholder !== 'count');
  if (plural !== undefined && pluralFormNeedsCount(language, plural)) expected.push('count');
  const actual = placeholdersOf(text);
  const missing = expected.filter((placeholder) => !actual.includes(placeholder));
  const extra = actual.filter((placeholder) => !expected.includes(placeholder) && !(plural !== undefined && placeholder === 'count'));
  if (missing.length > 0) return `Es fehlt der Platzhalter ${missing.map((placeholder) => `{{${placeholder}}}`).join(', ')}`;
  if (extra.length > 0) return `Der Platzhalter ${extra.map((placeholder) => `{{${placeholder}}}`).join(', ')} gehört nicht in diesen Text`;
  return null;
}

/** The source text a translated key is measured against: the same key, or for a plural form the German `_other`. */
export function sourceKeyOf(key: string): string {
  const match = /^(.*)_(zero|one|two|few|many|other)$/.exec(key);
  return match ? `${match[1]}_other` : key;
}

/**
 * Checks a language's texts against the statement set and the source language's texts: every key
 * present, none extra, each text fine. The source language is checked against itself (placeholders
 * are then only counted for plural forms).
 */
export function languageProblems(set: StatementSet, file: LanguageFile, source: Record<string, string>): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const required = requiredTextKeys(set, file.language);
  if (languageFacts[file.language].direction !== file.direction)
    problems.push({ path: '$.direction', message: `Die Schreibrichtung von ${file.language} ist ${languageFacts[file.language].direction}` });
  if (languageFacts[file.language].ownName !== file.name)
    problems.push({ path: '$.name', message: `Der Name von ${file.language} in dieser Sprache ist „${languageFacts[file.language].ownName}“` });
  for (const textKey of required) {
    const text = file.texts[textKey];
    if (text === undefined) {
      problems.push({ path: formatJsonPath(['texts', textKey]), message: 'Der Text fehlt' });
      continue;
    }
    const sourceText = source[sourceKeyOf(textKey)] ?? source[textKey];
    if (sourceText === undefined) continue;
    const problem = surveyTextProblem(file.language, textKey, text, sourceText);
    if (problem) problems.push({ path: formatJsonPath(['texts', textKey]), message: problem });
  }
  for (const textKey of Object.keys(file.texts))
    if (!required.includes(textKey)) problems.push({ path: formatJsonPath(['texts', textKey]), message: 'Diesen Text gibt es in der Aussagensammlung nicht' });
  return problems;
}
