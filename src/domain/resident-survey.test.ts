import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCatalog } from './catalog.ts';
import {
  languageFacts,
  languageFileSchema,
  languageProblems,
  placeholdersOf,
  pluralCategories,
  pluralFormNeedsCount,
  requiredTextKeys,
  statementSetProblems,
  statementSetSchema,
  surveyLanguages,
  surveyTextProblem,
  type LanguageFile,
} from './resident-survey.ts';

const catalogDir = path.resolve(import.meta.dirname, '../../catalog');
const readJson = (file: string) => JSON.parse(readFileSync(path.join(catalogDir, 'aussensicht', file), 'utf8')) as unknown;
const set = statementSetSchema.parse(readJson('aussensicht-1.0.json'));
const languageFiles = readdirSync(path.join(catalogDir, 'aussensicht', 'aussensicht-1.0')).filter((name) => name.endsWith('.json'));
const files = new Map(languageFiles.map((name) => [name.replace(/\.json$/, ''), languageFileSchema.parse(readJson(`aussensicht-1.0/${name}`))]));
const german = files.get('de')!;

describe('the statement set of the Außensicht', () => {
  it('fits the newest Selbstcheck catalog: every statement in one of its Handlungsfelder, every field 1 to 3 statements', () => {
    const catalog = parseCatalog(JSON.parse(readFileSync(path.join(catalogDir, 'weltoffene-kommune-1.1.json'), 'utf8')));
    if (!catalog.ok) throw new Error('catalog');
    expect(set.forCatalog).toBe(catalog.catalog.id);
    expect(statementSetProblems(set, catalog.catalog.fields.map((field) => field.key))).toEqual([]);
  });

  it('refuses a statement of an unknown field, a field without statements, and a changed scale', () => {
    expect(statementSetProblems({ ...set, statements: [...set.statements, { key: '9.1', field: '9' }] }, ['1', '2', '3', '4', '5', '6', '7']).map((problem) => problem.message)).toContain(
      'Handlungsfeld 9 gibt es im Katalog weltoffene-kommune nicht',
    );
    expect(statementSetProblems(set, ['1', '2', '3', '4', '5', '6', '7', '8']).map((problem) => problem.message)).toContain('Handlungsfeld 8 hat 0 Aussagen; erlaubt sind 1 bis 3');
    const raw = readJson('aussensicht-1.0.json') as { scale: { key: string; value: number | null }[] };
    const swapped = { ...raw, scale: raw.scale.map((option) => (option.key === 'zu' ? { ...option, value: 2 } : option)) };
    expect(statementSetSchema.safeParse(swapped).success).toBe(false);
    const doubled = { ...raw, statements: [...set.statements, set.statements[0]] };
    expect(statementSetSchema.safeParse(doubled).success).toBe(false);
  });
});

describe('the languages of the Außensicht', () => {
  it('has a file for every language the survey offers, and no other', () => {
    expect([...files.keys()].sort()).toEqual([...surveyLanguages].sort());
    for (const [name, file] of files) expect(file.language, name).toBe(name);
  });

  it.each([...surveyLanguages])('%s is complete for the statement set: every text, right placeholders and plural forms, its direction', (language) => {
    const file = files.get(language);
    expect(file, `catalog/aussensicht-1.0/${language}.json fehlt`).toBeDefined();
    expect(languageProblems(set, file!, german.texts)).toEqual([]);
    expect(file!.direction).toBe(languageFacts[language].direction);
    expect(file!.name).toBe(languageFacts[language].ownName);
  });

  it('German, the source, is reviewed; the shipped translations are drafts until the Programmteam reviews them', () => {
    expect(german.reviewed).toBe(true);
    for (const [language, file] of files) if (language !== 'de') expect(file.reviewed, language).toBe(false);
  });

  it('asks for the plural forms each language has, and {{count}} where a form stands for more than one number', () => {
    expect(pluralCategories('ar')).toEqual(expect.arrayContaining(['zero', 'one', 'two', 'few', 'many', 'other']));
    expect(pluralCategories('de-x-ls')).toEqual(pluralCategories('de'));
    expect(requiredTextKeys(set, 'ru')).toEqual(expect.arrayContaining(['privacy.retention_one', 'privacy.retention_few', 'privacy.retention_many', 'privacy.retention_other']));
    expect(requiredTextKeys(set, 'de')).not.toContain('privacy.retention_few');
    // German „one“ is 1 alone; Russian „one“ is also 21, 31 …; Arabic „two“ is 2 alone.
    expect(pluralFormNeedsCount('de', 'one')).toBe(false);
    expect(pluralFormNeedsCount('ru', 'one')).toBe(true);
    expect(pluralFormNeedsCount('ar', 'two')).toBe(false);
    expect(pluralFormNeedsCount('ar', 'few')).toBe(true);
  });

  it('finds a missing or foreign placeholder, an empty text, markup, a missing and an unknown key', () => {
    const source = 'Mit „hier“ ist gemeint: {{name}}.';
    expect(surveyTextProblem('en', 'page.here', '"Here" means: {{name}}.', source)).toBeNull();
    expect(surveyTextProblem('en', 'page.here', '"Here" means this town.', source)).toBe('Es fehlt der Platzhalter {{name}}');
    expect(surveyTextProblem('en', 'page.here', '"Here" means {{name}} ({{ort}}).', source)).toBe('Der Platzhalter {{ort}} gehört nicht in diesen Text');
    expect(surveyTextProblem('en', 'page.here', '  ', source)).toBe('Der Text ist leer');
    expect(surveyTextProblem('en', 'page.here', '<b>Here</b>: {{name}}', source)).toMatch(/Markup/);
    expect(surveyTextProblem('ru', 'privacy.retention_one', 'Все ответы удаляются через месяц.', german.texts['privacy.retention_other']!)).toBe('Es fehlt der Platzhalter {{count}}');
    expect(placeholdersOf('Bis {{ date,datetime }} und {{name}}')).toEqual(['date, datetime', 'name']);
    const broken: LanguageFile = { ...files.get('en')!, texts: { ...files.get('en')!.texts, 'statement.9.9': 'Extra.' } };
    delete broken.texts['statement.6.1'];
    expect(languageProblems(set, broken, german.texts)).toEqual([
      { path: '$.texts.statement.6.1', message: 'Der Text fehlt' },
      { path: '$.texts.statement.9.9', message: 'Diesen Text gibt es in der Aussagensammlung nicht' },
    ]);
    expect(languageProblems(set, { ...files.get('ar')!, direction: 'ltr' }, german.texts)).toEqual([{ path: '$.direction', message: 'Die Schreibrichtung von ar ist rtl' }]);
    expect(languageProblems(set, { ...files.get('ar')!, name: 'Arabisch' }, german.texts)).toEqual([{ path: '$.name', message: 'Der Name von ar in dieser Sprache ist „العربية“' }]);
  });
});
