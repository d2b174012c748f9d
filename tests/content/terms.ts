import { readFileSync } from 'node:fs';
import type { GermanText } from './german-texts.ts';

/** One row of the glossary's table „Nicht verwenden“: a variant to avoid and what to write instead. */
export interface AvoidedTerm {
  /** The cell as written, for messages. */
  avoid: string;
  pattern: RegExp;
  instead: string;
}

/** Splits a Markdown table row into cells; `\|` is a pipe inside a cell (as in GitHub Markdown). */
function cellsOf(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.replace(/\\\|/g, '|').trim());
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Reads the table under `## Nicht verwenden` in docs/glossary.md: a cell `/…/` is a regular expression
 * (flag u), anything else a word or phrase matched as a whole word, exactly as written.
 */
export function readAvoidedTerms(glossaryFile: string): AvoidedTerm[] {
  const markdown = readFileSync(glossaryFile, 'utf8');
  const section = /^## Nicht verwenden\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown);
  if (!section) throw new Error(`${glossaryFile}: Abschnitt „## Nicht verwenden“ fehlt.`);
  const rows = section[1]!.split('\n').filter((line) => line.trim().startsWith('|'));
  const [header, separator, ...body] = rows;
  const columns = header ? cellsOf(header) : [];
  if (columns[0] !== 'nicht' || columns[1] !== 'sondern' || !separator || !/^[\s|:-]+$/.test(separator)) {
    throw new Error(`${glossaryFile}: Unter „## Nicht verwenden“ steht keine Tabelle „| nicht | sondern |“.`);
  }
  return body.map((row) => {
    const [avoidCell = '', instead = ''] = cellsOf(row);
    const avoid = avoidCell.replace(/^`(.*)`$/, '$1');
    const regex = /^\/(.+)\/$/.exec(avoid);
    const source = regex ? regex[1]! : `(?<![\\p{L}\\p{N}])${escapeRegExp(avoid.replace(/^„(.*)“$/, '$1'))}(?![\\p{L}\\p{N}])`;
    return { avoid, pattern: new RegExp(source, 'gu'), instead };
  });
}

/** A use of an avoided term in a text. */
export interface TermFinding {
  file: string;
  where: string;
  found: string;
  instead: string;
}

/** Every use of an avoided term, except in the catalog's fixed field and criterion names. */
export function findAvoidedTerms(texts: readonly GermanText[], terms: readonly AvoidedTerm[]): TermFinding[] {
  const findings: TermFinding[] = [];
  for (const text of texts) {
    if (text.isFixedName) continue;
    for (const term of terms) {
      for (const match of text.text.matchAll(term.pattern)) findings.push({ file: text.file, where: text.where, found: match[0], instead: term.instead });
    }
  }
  return findings;
}
