import { readFileSync } from 'node:fs';
import dictionary from 'dictionary-de';
import { loadModule } from 'hunspell-asm';

/** A German Hunspell checker: the LibreOffice/igerman98 dictionary (dictionary-de) in Hunspell compiled to WebAssembly. */
export interface Speller {
  isCorrect(word: string): boolean;
  suggest(word: string): string[];
}

let loaded: Promise<Speller> | undefined;

/** Loads the dictionary once per test process (about 0.1 s). */
export function loadGermanSpeller(): Promise<Speller> {
  loaded ??= (async () => {
    const factory = await loadModule();
    const hunspell = factory.create(factory.mountBuffer(dictionary.aff, 'de_DE.aff'), factory.mountBuffer(dictionary.dic, 'de_DE.dic'));
    return { isCorrect: (word) => hunspell.spell(word), suggest: (word) => hunspell.suggest(word) };
  })();
  return loaded;
}

/**
 * The reviewed project word list (docs/wortliste.txt): one word per line, `#` starts a comment.
 * Returns the words with their line numbers.
 */
export function readWordList(file: string): { word: string; line: number }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((text, index) => ({ word: text.replace(/#.*/, '').trim(), line: index + 1 }))
    .filter((entry) => entry.word !== '');
}

/** Things in a text that are not words to check: URLs, e-mail addresses, domain and file names, i18next `{{…}}` and catalog `{…}` placeholders. */
const notWords = [
  /\bhttps?:\/\/[^\s)»“"]*/g,
  /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu,
  /(?<![\p{L}\p{N}.-])(?:[\p{L}\p{N}-]+\.)+(?:de|eu|org|com|net|info)(?![\p{L}\p{N}])/gu,
  /[\p{L}\p{N}_-]+\.(?:json|csv|xlsx|docx|pdf|html|txt|zip)(?![\p{L}\p{N}])/giu,
  /\{\{[^{}]*\}\}/g,
  /\{[a-zA-Z][\w.-]*\}/g,
];

/**
 * A word as it stands in a text: letters with inner hyphens and apostrophes, a trailing hyphen
 * („Integrations- oder Vielfaltskonzept“), a gender colon form („Mitarbeiter:innen“), and a full
 * stop right after it (for abbreviations: „z. B.“, „bzw.“, „Nr.“).
 */
const wordPattern = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*(?:-[\p{L}\p{N}]+(?:['’][\p{L}]+)*)*(?::in(?:nen)?[\p{L}]*)?-?\.?/gu;

/** A token to check, with the forms that make it correct. */
export interface Token {
  /** The word as written (without a full stop after it). */
  text: string;
  /** Whether a full stop follows it (an abbreviation may need it). */
  hasFullStop: boolean;
}

/** The words of a German text, in order, without URLs, e-mail addresses, placeholders and numbers. */
export function wordsOf(text: string): Token[] {
  let cleaned = text;
  for (const pattern of notWords) cleaned = cleaned.replace(pattern, ' ');
  const tokens: Token[] = [];
  for (const match of cleaned.matchAll(wordPattern)) {
    const raw = match[0];
    const hasFullStop = raw.endsWith('.');
    const word = hasFullStop ? raw.slice(0, -1) : raw;
    if (!/\p{L}/u.test(word)) continue; // a number, a date, a key like 1.2.3
    tokens.push({ text: word, hasFullStop });
  }
  return tokens;
}

/** A word list lookup: an entry also matches its capitalised form at a sentence's start and its all-caps form. */
export class WordList {
  private readonly words: Set<string>;
  readonly used = new Set<string>();

  constructor(words: Iterable<string>) {
    this.words = new Set(words);
  }

  has(word: string): boolean {
    const candidates = [word];
    const lower = word.charAt(0).toLowerCase() + word.slice(1);
    if (lower !== word) candidates.push(lower);
    for (const candidate of candidates) {
      if (this.words.has(candidate)) {
        this.used.add(candidate);
        return true;
      }
    }
    return false;
  }
}

/**
 * The unknown words of one token: none when Hunspell or the word list knows it; else the parts of a
 * hyphenated word that neither knows. A gender colon form is right when the feminine form is a word
 * (Mitarbeiter:innen → Mitarbeiterinnen) and so is the masculine one (Mitarbeiter; Expert:innen → Experte).
 */
export function unknownParts(token: Token, speller: Speller, wordList: WordList): string[] {
  const known = (word: string) => speller.isCorrect(word) || (token.hasFullStop && speller.isCorrect(`${word}.`)) || wordList.has(word);
  const gender = /^(.*\p{L}):(innen|in)(\p{L}*)(-?)$/u.exec(token.text);
  if (gender) {
    const [, stem, suffix, rest, hyphen] = gender as unknown as [string, string, string, string, string];
    const feminine = `${stem}${suffix}${rest}${hyphen}`;
    const masculine = rest ? [`${stem}${rest}${hyphen}`] : [stem, `${stem}e`];
    const isWord = (form: string) => known(form) || allPartsKnown(form, known);
    return isWord(feminine) && masculine.some(isWord) ? [] : [token.text];
  }
  if (known(token.text)) return [];
  return partsUnknown(token.text, known);
}

function parts(word: string): string[] {
  return word.split('-').filter((part) => /\p{L}/u.test(part));
}

function allPartsKnown(word: string, known: (word: string) => boolean): boolean {
  return parts(word).every(known);
}

function partsUnknown(word: string, known: (word: string) => boolean): string[] {
  const all = parts(word);
  if (all.length <= 1) return known(word) ? [] : [word];
  return all.filter((part) => !known(part));
}
