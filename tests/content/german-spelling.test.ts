import { beforeAll, describe, expect, it } from 'vitest';
import { loadGermanSpeller, unknownParts, WordList, wordsOf, type Speller } from './german-spelling.ts';

let speller: Speller;
beforeAll(async () => {
  speller = await loadGermanSpeller();
});

/** The unknown words of a text with the given word list. */
function unknownIn(text: string, words: string[] = []): string[] {
  const wordList = new WordList(words);
  return wordsOf(text).flatMap((token) => unknownParts(token, speller, wordList));
}

describe('words of a text', () => {
  it('leaves out URLs, e-mail addresses, domain and file names, placeholders and numbers', () => {
    const text = 'Siehe https://example.org/pfad?x=1, www.wegweiser-kommune.de, info@musterstadt.de und „weltoffen-musterstadt-2026.json“: {{count}} von {total} am 12.03.2024 um 14:00, Nr. 3, 1.2.3';
    expect(wordsOf(text).map((token) => token.text)).toEqual(['Siehe', 'und', 'von', 'am', 'um', 'Nr']);
  });

  it('keeps a gender colon form, a hyphenated compound and a trailing hyphen as one word each', () => {
    const words = wordsOf('Mitarbeiter:innen, E-Mail-Adresse und Integrations- oder Vielfaltskonzept; Bürger:innenbeteiligung.');
    expect(words.map((token) => token.text)).toEqual(['Mitarbeiter:innen', 'E-Mail-Adresse', 'und', 'Integrations-', 'oder', 'Vielfaltskonzept', 'Bürger:innenbeteiligung']);
  });

  it('notes a full stop after a word, for abbreviations', () => {
    expect(wordsOf('z. B. bzw. ca.').map((token) => [token.text, token.hasFullStop])).toEqual([
      ['z', true],
      ['B', true],
      ['bzw', true],
      ['ca', true],
    ]);
  });
});

describe('unknown words', () => {
  it('finds a misspelling and knows correct words, inflections and compounds', () => {
    expect(unknownIn('Die Koordination legt die Einschätzungen der Handlungsfelder fest.')).toEqual([]);
    expect(unknownIn('Die Kordination legt die Einschätzungen der Handlungsfelder fest.')).toEqual(['Kordination']);
    expect(unknownIn('Das Handlungsfled')).toEqual(['Handlungsfled']);
  });

  it('accepts abbreviations with their full stop (z. B., bzw., ca., Nr.), not without it', () => {
    expect(unknownIn('z. B. bzw. ca. Nr. 5 usw. ggf.')).toEqual([]);
    expect(unknownIn('ggf')).toEqual(['ggf']);
  });

  it('a gender colon form needs its feminine and its masculine form', () => {
    expect(unknownIn('Mitarbeiter:innen, Bürger:in, Expert:innen, Lots:innen, Bürger:innenbeteiligung')).toEqual([]);
    expect(unknownIn('Mitarbieter:innen')).toEqual(['Mitarbieter:innen']);
  });

  it('names the unknown parts of a hyphenated word', () => {
    expect(unknownIn('Selbstcheck-Runde, E-Mail-Adresse')).toEqual([]);
    expect(unknownIn('Selbstcheck-Runed')).toEqual(['Runed']);
  });

  it('the word list adds words, also capitalised at a sentence start, and records what it was used for', () => {
    const wordList = new WordList(['migrantische', 'Dolmetsch-']);
    const unknown = wordsOf('Migrantische Vereine und ein Dolmetsch- oder Übersetzungsdienst.').flatMap((token) => unknownParts(token, speller, wordList));
    expect(unknown).toEqual([]);
    expect([...wordList.used].sort()).toEqual(['Dolmetsch-', 'migrantische']);
  });
});
