/**
 * The Außensicht's statement sets and their texts per language (issue 17, decision 022). The set's
 * structure is a file, immutable per version like a catalog; the texts are data: shipped as files,
 * seeded into `survey_text`, edited and reviewed by the Programmteam. A language is offered to
 * residents only when every text is present, passes the checks and is reviewed.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Actor } from '../domain/access.ts';
import { DomainError } from '../domain/errors.ts';
import {
  languageFacts,
  languageFileSchema,
  languageProblems,
  requiredTextKeys,
  sourceKeyOf,
  sourceLanguage,
  statementSetProblems,
  statementSetSchema,
  surveyLanguages,
  surveyTextProblem,
  type LanguageFile,
  type StatementSet,
  type SurveyLanguage,
} from '../domain/resident-survey.ts';
import type { Database } from '../db/client.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import { listSurveyTexts, reviewSurveyTexts, seedShippedTexts, unreviewTranslations, updateSurveyText, type SurveyTextRow } from '../db/repositories/resident-survey-repository.ts';
import type { ServiceContext } from './context.ts';
import { CatalogFileError, compareVersions, getCurrentCatalog } from './manage-catalogs.ts';
import { requireGlobal } from './require-kommune.ts';

const statementSets = new WeakMap<Database, Map<string, StatementSet>>();

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CatalogFileError(file, [{ path: '$', message: `kein gültiges JSON (${(error as Error).message})` }]);
  }
}

/**
 * Loads every statement set of the catalog folder's `aussensicht/` (`aussensicht-<version>.json` with
 * its folder of languages), checks it against the newest Selbstcheck catalog and every language against the
 * source language, and brings the shipped texts into the database. A broken file stops the start
 * with its problems, as a broken catalog does. Runs after `loadCatalogs`.
 */
export async function loadStatementSets(db: Database, catalogFolder: string): Promise<{ versions: string[]; changedTexts: number }> {
  const current = await getCurrentCatalog(db);
  const folder = path.join(catalogFolder, 'aussensicht');
  const names = (await readdir(folder)).filter((name) => /^aussensicht-\d+\.\d+\.json$/.test(name)).sort();
  const loaded = new Map<string, StatementSet>();
  let changedTexts = 0;
  for (const name of names) {
    const file = path.join(folder, name);
    const parsed = statementSetSchema.safeParse(await readJson(file));
    if (!parsed.success) throw new CatalogFileError(file, parsed.error.issues.map((issue) => ({ path: `$.${issue.path.join('.')}`, message: issue.message })));
    const set = parsed.data;
    if (name !== `aussensicht-${set.version}.json`) throw new CatalogFileError(file, [{ path: '$.version', message: `Dateiname muss „aussensicht-${set.version}.json“ lauten` }]);
    if (current && current.catalog.id === set.forCatalog) {
      const problems = statementSetProblems(set, current.catalog.fields.map((field) => field.key));
      if (problems.length > 0) throw new CatalogFileError(file, problems);
    }
    const languageFolder = path.join(folder, `aussensicht-${set.version}`);
    const files = new Map<SurveyLanguage, LanguageFile>();
    for (const languageName of (await readdir(languageFolder)).filter((entry) => entry.endsWith('.json')).sort()) {
      const languagePath = path.join(languageFolder, languageName);
      const languageFile = languageFileSchema.safeParse(await readJson(languagePath));
      if (!languageFile.success) throw new CatalogFileError(languagePath, languageFile.error.issues.map((issue) => ({ path: `$.${issue.path.join('.')}`, message: issue.message })));
      if (languageName !== `${languageFile.data.language}.json`) throw new CatalogFileError(languagePath, [{ path: '$.language', message: `Dateiname muss „${languageFile.data.language}.json“ lauten` }]);
      files.set(languageFile.data.language, languageFile.data);
    }
    const source = files.get(sourceLanguage);
    if (!source) throw new CatalogFileError(languageFolder, [{ path: '$', message: `Die Texte der Ausgangssprache (${sourceLanguage}.json) fehlen` }]);
    for (const [language, languageFile] of files) {
      const problems = languageProblems(set, languageFile, source.texts);
      if (problems.length > 0) throw new CatalogFileError(path.join(languageFolder, `${language}.json`), problems);
    }
    const changed = await seedShippedTexts(
      db,
      [...files.values()].flatMap((languageFile) =>
        Object.entries(languageFile.texts).map(([key, text]) => ({ setVersion: set.version, language: languageFile.language, key, text, reviewed: languageFile.reviewed })),
      ),
    );
    changedTexts += changed.length;
    // A source text the file changed: its translations were checked against the old one.
    await unreviewTranslations(db, set.version, sourceLanguage, translationKeysOf(set, changed.filter((entry) => entry.language === sourceLanguage).map((entry) => entry.key)));
    loaded.set(set.version, set);
  }
  statementSets.set(db, loaded);
  forgetTexts(db);
  return { versions: [...loaded.keys()], changedTexts };
}

/** The keys of all languages that translate these source keys (a plural source key stands for every plural form). */
function translationKeysOf(set: StatementSet, sourceKeys: string[]): string[] {
  if (sourceKeys.length === 0) return [];
  const all = new Set(surveyLanguages.flatMap((language) => requiredTextKeys(set, language)));
  const sources = new Set(sourceKeys.map(sourceKeyOf));
  return [...all].filter((key) => sources.has(sourceKeyOf(key)));
}

/** The loaded statement set of a version, or undefined when this installation has not loaded it (a bundle from elsewhere). */
export function findStatementSet(db: Database, version: string): StatementSet | undefined {
  return statementSets.get(db)?.get(version);
}

/** The loaded statement set of a version; the newest without one. */
export function getStatementSet(db: Database, version?: string): StatementSet {
  const sets = statementSets.get(db);
  if (!sets || sets.size === 0) throw new Error('Keine Aussagensammlung der Außensicht geladen (loadStatementSets)');
  if (version !== undefined) {
    const set = sets.get(version);
    if (!set) throw new Error(`Aussagensammlung ${version} ist nicht geladen`);
    return set;
  }
  return [...sets.values()].sort((a, b) => compareVersions(b.version, a.version))[0]!;
}

export interface LanguageState {
  language: SurveyLanguage;
  name: string;
  direction: 'ltr' | 'rtl';
  required: number;
  missing: number;
  /** Texts that fail a check (a placeholder, empty). */
  faulty: number;
  /** Present texts not yet reviewed. */
  drafts: number;
  /** Complete, without faults, every text reviewed: residents can choose it. */
  offered: boolean;
}

/**
 * The stored texts of a statement set, kept in the process: every page, challenge and response needs
 * them. A change in this process empties the copy at once (`forgetTexts`); a change made by another
 * process (PostgreSQL) reaches this one within `textsKeptMs`.
 */
export const textsKeptMs = 30_000;
interface KeptTexts {
  at: number;
  rows: Promise<SurveyTextRow[]>;
  states?: Promise<LanguageState[]>;
}
const keptTexts = new WeakMap<Database, Map<string, KeptTexts>>();

function keptTextsOf(db: Database, version: string): KeptTexts {
  let sets = keptTexts.get(db);
  if (!sets) keptTexts.set(db, (sets = new Map()));
  const kept = sets.get(version);
  if (kept && Date.now() - kept.at < textsKeptMs) return kept;
  const fresh: KeptTexts = { at: Date.now(), rows: listSurveyTexts(db, version) };
  fresh.rows.catch(() => sets.delete(version));
  sets.set(version, fresh);
  return fresh;
}

/** Empties the kept texts after a change (also the seeding at start). */
function forgetTexts(db: Database): void {
  keptTexts.delete(db);
}

/** The state of every language of a statement set, from the stored texts. */
export async function languageStates(db: Database, set: StatementSet): Promise<LanguageState[]> {
  const kept = keptTextsOf(db, set.version);
  kept.states ??= computeLanguageStates(set, await kept.rows);
  return kept.states;
}

function computeLanguageStates(set: StatementSet, rows: SurveyTextRow[]): Promise<LanguageState[]> {
  const source = Object.fromEntries(rows.filter((row) => row.language === sourceLanguage).map((row) => [row.key, row.text]));
  const states = surveyLanguages.map((language) => {
    const own = new Map(rows.filter((row) => row.language === language).map((row) => [row.key, row]));
    const required = requiredTextKeys(set, language);
    let missing = 0;
    let faulty = 0;
    let drafts = 0;
    for (const key of required) {
      const row = own.get(key);
      if (!row) {
        missing++;
        continue;
      }
      const sourceText = source[sourceKeyOf(key)] ?? source[key];
      if (sourceText === undefined || surveyTextProblem(language, key, row.text, sourceText) !== null) faulty++;
      if (row.reviewedAt === null) drafts++;
    }
    return {
      language,
      name: languageFacts[language].ownName,
      direction: languageFacts[language].direction,
      required: required.length,
      missing,
      faulty,
      drafts,
      offered: missing === 0 && faulty === 0 && drafts === 0,
    };
  });
  return Promise.resolve(states);
}


/** The languages residents can choose now, in the order of `surveyLanguages`. */
export async function offeredLanguages(db: Database, set: StatementSet): Promise<SurveyLanguage[]> {
  return (await languageStates(db, set)).filter((state) => state.offered).map((state) => state.language);
}

/** The texts of one language, key → text (for a page or a report). */
export async function textsOf(db: Database, set: StatementSet, language: SurveyLanguage): Promise<Record<string, string>> {
  return Object.fromEntries((await keptTextsOf(db, set.version).rows).filter((row) => row.language === language).map((row) => [row.key, row.text]));
}

// ---------------------------------------------------------------------------------------------
// The Programmteam's translation screen

/** Every language's state and, for one language, each text beside its German source with its problem. */
export async function getSurveyTranslations(context: ServiceContext, actor: Actor, language: SurveyLanguage) {
  requireGlobal(actor, 'programme.manage');
  const set = getStatementSet(context.db);
  const rows = await listSurveyTexts(context.db, set.version);
  const source = Object.fromEntries(rows.filter((row) => row.language === sourceLanguage).map((row) => [row.key, row.text]));
  const own = new Map(rows.filter((row) => row.language === language).map((row) => [row.key, row]));
  return {
    setVersion: set.version,
    languages: await languageStates(context.db, set),
    language,
    texts: requiredTextKeys(set, language).map((key) => {
      const row = own.get(key);
      const sourceText = source[sourceKeyOf(key)] ?? source[key] ?? '';
      return {
        key,
        source: sourceText,
        text: row?.text ?? null,
        reviewed: row?.reviewedAt != null,
        edited: row?.updatedBy != null,
        problem: row ? surveyTextProblem(language, key, row.text, sourceText) : 'Der Text fehlt',
      };
    }),
  };
}

/**
 * Changes one text; it becomes a draft until reviewed. A changed source text makes its
 * translations drafts again. Refused (422) with the check's message when the text is not fine.
 */
export async function changeSurveyText(context: ServiceContext, actor: Actor, input: { language: SurveyLanguage; key: string; text: string }) {
  requireGlobal(actor, 'programme.manage');
  const set = getStatementSet(context.db);
  if (!requiredTextKeys(set, input.language).includes(input.key)) throw new DomainError('not-found');
  const text = input.text.normalize('NFC').trim();
  const source = await textsOf(context.db, set, sourceLanguage);
  const problem = surveyTextProblem(input.language, input.key, text, input.language === sourceLanguage ? text : (source[sourceKeyOf(input.key)] ?? source[input.key] ?? text));
  if (problem) throw new DomainError('survey-text-invalid', { message: problem });
  const row = await context.db.transaction(async (tx) => {
    const updated = await updateSurveyText(tx, { setVersion: set.version, language: input.language, key: input.key, text, userId: actor.userId });
    if (!updated) throw new DomainError('not-found');
    if (input.language === sourceLanguage) await unreviewTranslations(tx, set.version, sourceLanguage, translationKeysOf(set, [input.key]));
    await recordAudit(tx, { actorUserId: actor.userId, action: 'survey-text.changed', details: { setVersion: set.version, language: input.language, key: input.key } });
    return updated;
  });
  forgetTexts(context.db);
  return { key: row.key, text: row.text, reviewed: false };
}

/** Marks texts of a language reviewed; a text that fails a check cannot be (422). */
export async function reviewSurveyLanguage(context: ServiceContext, actor: Actor, input: { language: SurveyLanguage; keys: string[] }) {
  requireGlobal(actor, 'programme.manage');
  const state = await getSurveyTranslations(context, actor, input.language);
  const byKey = new Map(state.texts.map((entry) => [entry.key, entry]));
  for (const key of input.keys) {
    const entry = byKey.get(key);
    if (!entry) throw new DomainError('not-found');
    if (entry.problem) throw new DomainError('survey-text-invalid', { message: `${key}: ${entry.problem}` });
  }
  const reviewed = await reviewSurveyTexts(context.db, { setVersion: state.setVersion, language: input.language, keys: input.keys, userId: actor.userId });
  forgetTexts(context.db);
  await recordAudit(context.db, { actorUserId: actor.userId, action: 'survey-text.reviewed', details: { setVersion: state.setVersion, language: input.language, texts: reviewed } });
  return { reviewed, languages: await languageStates(context.db, getStatementSet(context.db)) };
}
