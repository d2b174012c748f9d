import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { defaultProgrammeText, defaultProgrammeTitle } from '../../src/domain/report.ts';
import { defaultGuidingQuestions } from '../../src/domain/workshop.ts';
import { errorTable } from '../../src/server/errors.ts';

/** One German text a user can read, and where it comes from. */
export interface GermanText {
  /** File, relative to the repository. */
  file: string;
  /** Key, JSON path or line inside the file. */
  where: string;
  text: string;
  /** A field or criterion name of the catalog: fixed by the programme, so exempt from the term check. */
  isFixedName: boolean;
}

export const repositoryRoot = path.resolve(import.meta.dirname, '../..');

const relative = (file: string) => path.relative(repositoryRoot, file).split(path.sep).join('/');

function filesIn(folder: string, pattern: RegExp): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names.sort().flatMap((name) => {
    const full = path.join(folder, name);
    return statSync(full).isDirectory() ? filesIn(full, pattern) : pattern.test(name) ? [full] : [];
  });
}

/** Every string of a UI text file (de.json, de-later.json), by its i18next key. */
function uiTexts(file: string): GermanText[] {
  const texts: GermanText[] = [];
  const walk = (node: unknown, key: string) => {
    if (typeof node === 'string') texts.push({ file: relative(file), where: key, text: node, isFixedName: false });
    else if (node && typeof node === 'object') for (const [name, value] of Object.entries(node)) walk(value, key ? `${key}.${name}` : name);
  };
  walk(JSON.parse(readFileSync(file, 'utf8')), '');
  return texts;
}

/** Catalog members that are no text a user reads: keys, versions, symbols, rules, kinds, comments for maintainers. */
const catalogNonTexts = new Set(['$comment', 'id', 'key', 'version', 'publishedOn', 'symbol', 'scoring', 'kinds', 'previousKeys', 'forCatalog', 'sourceLanguage', 'field', 'options', 'language', 'direction']);

/** The Außensicht's texts in German and Leichte Sprache are German; its other languages are not checked here. */
const isGermanCatalogFile = (file: string) => !/aussensicht-[\d.]+[\\/]/.test(file) || /[\\/](de|de-x-ls)\.json$/.test(file);

/**
 * Every text of a catalog: title, answer labels and anchors, levels, placeholder values, field and
 * criterion names and descriptions, Leitfragen, hints, Belege, Anregungen. The path names array
 * elements by their key where they have one: `fields[1].criteria[1.2].questions[1.2.3].yesMeans`.
 */
function catalogTexts(file: string): GermanText[] {
  const texts: GermanText[] = [];
  const walk = (node: unknown, where: string, member: string, parent: string) => {
    if (typeof node === 'string') {
      const isFixedName = member === 'name' && (parent === 'fields' || parent === 'criteria');
      texts.push({ file: relative(file), where, text: node, isFixedName });
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => {
        const label = item && typeof item === 'object' && 'key' in item ? String(item.key) : String(index);
        walk(item, `${where}[${label}]`, member, member);
      });
    } else if (node && typeof node === 'object') {
      for (const [name, value] of Object.entries(node)) {
        if (!catalogNonTexts.has(name)) walk(value, where ? `${where}.${name}` : name, name, member);
      }
    }
  };
  walk(JSON.parse(readFileSync(file, 'utf8')), '', '', '');
  return texts;
}

/** Every line of the golden report texts (tests/golden/**\/*.txt), which are the generated report passages. */
function goldenTexts(file: string): GermanText[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((text, index) => ({ file: relative(file), where: `Zeile ${index + 1}`, text, isFixedName: false }))
    .filter((entry) => entry.text.trim() !== '');
}

/**
 * The string values of an object literal assigned to a module's constant, read from the source (for a
 * table the module does not export, such as the field names of src/server/errors.ts).
 */
function objectStrings(file: string, constant: string): [string, string][] {
  const source = ts.createSourceFile(file, readFileSync(path.join(repositoryRoot, file), 'utf8'), ts.ScriptTarget.Latest, true);
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== constant || !declaration.initializer || !ts.isObjectLiteralExpression(declaration.initializer)) continue;
      return declaration.initializer.properties.flatMap((property) =>
        ts.isPropertyAssignment(property) && ts.isStringLiteralLike(property.initializer) ? [[property.name.getText(source).replace(/^'|'$/g, ''), property.initializer.text] as [string, string]] : [],
      );
    }
  }
  throw new Error(`${file}: keine Konstante ${constant} mit einem Objekt.`);
}

/** The default texts of src/domain and the error messages and field names of src/server/errors.ts that reach users. */
function codeTexts(): GermanText[] {
  const of = (file: string, where: string, text: string): GermanText => ({ file, where, text, isFixedName: false });
  return [
    of('src/domain/report.ts', 'defaultProgrammeTitle', defaultProgrammeTitle),
    of('src/domain/report.ts', 'defaultProgrammeText', defaultProgrammeText),
    ...defaultGuidingQuestions.map((text, index) => of('src/domain/workshop.ts', `defaultGuidingQuestions[${index}]`, text)),
    ...Object.entries(errorTable).map(([code, entry]) => of('src/server/errors.ts', `errorTable.${code}`, entry.message)),
    ...objectStrings('src/server/errors.ts', 'fieldLabels').map(([name, label]) => of('src/server/errors.ts', `fieldLabels.${name}`, label)),
  ];
}

/** Every German text the spelling and term checks read. */
export function germanTexts(): GermanText[] {
  return [
    ...['de.json', 'de-later.json'].flatMap((name) => uiTexts(path.join(repositoryRoot, 'src/web/i18n', name))),
    ...filesIn(path.join(repositoryRoot, 'catalog'), /\.json$/).filter(isGermanCatalogFile).flatMap(catalogTexts),
    ...filesIn(path.join(repositoryRoot, 'tests/golden'), /\.txt$/).flatMap(goldenTexts),
    ...codeTexts(),
  ];
}
