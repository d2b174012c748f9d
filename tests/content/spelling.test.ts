import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadGermanSpeller, readWordList, unknownParts, WordList, wordsOf, type Speller } from './german-spelling.ts';
import { germanTexts, repositoryRoot } from './german-texts.ts';

/**
 * German spell check of every text a user reads: the UI strings, the catalogs, the report's golden
 * texts and the default texts, with Hunspell's German dictionary and the reviewed project word list
 * docs/wortliste.txt. A new unknown word fails, and so does a word-list entry nothing uses any more.
 */

const wordListFile = path.join(repositoryRoot, 'docs/wortliste.txt');
const texts = germanTexts();
const entries = readWordList(wordListFile);

let speller: Speller;
let wordList: WordList;
const unknown: string[] = [];

beforeAll(async () => {
  speller = await loadGermanSpeller();
  wordList = new WordList(entries.map((entry) => entry.word));
  const suggestions = new Map<string, string[]>();
  for (const text of texts) {
    for (const token of wordsOf(text.text)) {
      for (const word of unknownParts(token, speller, wordList)) {
        if (!suggestions.has(word)) suggestions.set(word, speller.suggest(word).slice(0, 3));
        const proposed = suggestions.get(word)!;
        unknown.push(`${text.file} › ${text.where}: „${word}“${proposed.length ? ` (Vorschläge: ${proposed.join(', ')})` : ''}`);
      }
    }
  }
});

describe('German spelling', () => {
  it('reads the UI strings, both catalogs, the Außensicht in German and Leichte Sprache, the report texts and the default texts', () => {
    const files = new Set(texts.map((text) => text.file));
    for (const file of ['src/web/i18n/de.json', 'src/web/i18n/de-later.json', 'catalog/weltoffene-kommune-1.0.json', 'catalog/weltoffene-kommune-1.1.json', 'catalog/aussensicht/aussensicht-1.0/de.json', 'catalog/aussensicht/aussensicht-1.0/de-x-ls.json', 'src/domain/report.ts', 'src/domain/workshop.ts', 'src/server/errors.ts']) {
      expect(files, file).toContain(file);
    }
  });

  it('every word is in the German dictionary or in the project word list', () => {
    // Fix a misspelling where it is written; add a correct word to docs/wortliste.txt.
    expect(unknown).toEqual([]);
  });

  it('every word-list entry is still used somewhere', () => {
    const unused = entries.filter((entry) => !wordList.used.has(entry.word)).map((entry) => `docs/wortliste.txt:${entry.line}: „${entry.word}“`);
    expect(unused).toEqual([]);
  });

  it('no word-list entry is one the dictionary knows anyway', () => {
    const redundant = entries.filter((entry) => speller.isCorrect(entry.word)).map((entry) => `docs/wortliste.txt:${entry.line}: „${entry.word}“`);
    expect(redundant).toEqual([]);
  });

  it('the word list is sorted in German order, each word once', () => {
    const words = entries.map((entry) => entry.word);
    const sorted = [...new Set(words)].sort(new Intl.Collator('de').compare);
    expect(words).toEqual(sorted);
  });
});
