import type { KommuneKind } from './kommune.ts';

/**
 * German for generated text: dates, numbers, lists and the forms of a Kommune's name, so that the
 * report reads as if written by hand ("die Stadt Dessau-Roßlau", "im Landkreis Harz").
 */

const months = ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'];

/** "2020-07-01" → "1. Juli 2020"; anything else is returned unchanged. */
export function germanDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) return isoDate;
  return `${Number(match[3])}. ${months[Number(match[2]) - 1]} ${match[1]}`;
}

/** "2020-03" style month and year of an ISO date: "März 2020". */
export function germanMonth(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})/.exec(isoDate);
  return match ? `${months[Number(match[2]) - 1]} ${match[1]}` : isoDate;
}

/** A period between two ISO dates: "vom 2. März bis 30. April 2020", or one date alone. */
export function germanPeriod(start: string | null, end: string | null): string | null {
  if (start && end) {
    const sameYear = start.slice(0, 4) === end.slice(0, 4);
    const from = sameYear ? germanDate(start).replace(/ \d{4}$/, '') : germanDate(start);
    return `vom ${from} bis ${germanDate(end)}`;
  }
  if (start) return `ab dem ${germanDate(start)}`;
  if (end) return `bis zum ${germanDate(end)}`;
  return null;
}

/** "14:00", "18:00" → "von 14:00 bis 18:00 Uhr"; one time alone → "ab 14:00 Uhr". */
export function timeRange(start: string, end: string): string | null {
  // „9:00 Uhr“, not „09:00 Uhr“: German writes the hour without a leading zero.
  const clock = (time: string) => time.replace(/^0(\d)/, '$1');
  if (start && end) return `von ${clock(start)} bis ${clock(end)} Uhr`;
  if (start) return `ab ${clock(start)} Uhr`;
  return null;
}

/**
 * A period given by months, as the reference report writes it: „im März 2020“, „im März und April
 * 2020“, „von März bis Juni 2020“, „von Dezember 2019 bis Februar 2020“.
 */
export function germanMonthPeriod(start: string | null, end: string | null): string | null {
  const parse = (value: string | null) => (value && /^\d{4}-\d{2}/.test(value) ? { year: Number(value.slice(0, 4)), month: Number(value.slice(5, 7)) } : null);
  const from = parse(start);
  const to = parse(end);
  const name = (month: number) => months[month - 1]!;
  if (from && to) {
    const span = (to.year - from.year) * 12 + (to.month - from.month);
    if (span <= 0) return `im ${name(from.month)} ${from.year}`;
    if (from.year === to.year) return span === 1 ? `im ${name(from.month)} und ${name(to.month)} ${to.year}` : `von ${name(from.month)} bis ${name(to.month)} ${to.year}`;
    return `von ${name(from.month)} ${from.year} bis ${name(to.month)} ${to.year}`;
  }
  if (from) return `ab ${name(from.month)} ${from.year}`;
  if (to) return `bis ${name(to.month)} ${to.year}`;
  return null;
}

/** A span without preposition, for a table cell: „1. März bis 31. Mai 2027“, „ab 1. März 2027“, „bis 31. Mai 2027“. */
export function germanSpan(start: string | null, end: string | null): string | null {
  if (start && end) {
    const sameYear = start.slice(0, 4) === end.slice(0, 4);
    return `${sameYear ? germanDate(start).replace(/ \d{4}$/, '') : germanDate(start)} bis ${germanDate(end)}`;
  }
  if (start) return `ab ${germanDate(start)}`;
  if (end) return `bis ${germanDate(end)}`;
  return null;
}

const integerFormat = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 0 });

/** 80674 → "80.674"; 5.8 → "5,8"; up to two decimals, as entered. */
export function germanNumber(value: number): string {
  if (Number.isInteger(value)) return integerFormat.format(value);
  return new Intl.NumberFormat('de-DE', { maximumFractionDigits: 2 }).format(value);
}

/** 5.8 → "5,8 %", with the space German typography asks for, non-breaking so "%" never starts a line. */
export function germanPercent(value: number): string {
  return `${germanNumber(value)}\u00a0%`;
}

/** ["a", "b", "c"] → "a, b und c". */
export function joinGerman(items: readonly string[], conjunction = 'und'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}

const numberWords = ['null', 'eins', 'zwei', 'drei', 'vier', 'fünf', 'sechs', 'sieben', 'acht', 'neun', 'zehn', 'elf', 'zwölf'];

/** Small counts as words ("zwei Workshops"), larger ones as digits; `one` is the form for 1. */
export function countWord(count: number, one = 'ein'): string {
  if (count === 1) return one;
  return count < numberWords.length ? numberWords[count]! : germanNumber(count);
}

/** Upper-cases the first letter, for a phrase that starts a sentence. */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

type Gender = 'f' | 'm' | 'n';

/**
 * The nouns a Kommune is called by (its kind or its designation, „Bezeichnung“), with gender and
 * genitive; an adjective in the designation („Große Kreisstadt“) is declined. A word not listed here
 * is read as feminine without an -s genitive, which is right for every -stadt and -gemeinde.
 */
const nouns: Record<string, { gender: Gender; genitive?: string }> = {
  Stadt: { gender: 'f' },
  Hansestadt: { gender: 'f' },
  Landeshauptstadt: { gender: 'f' },
  Kreisstadt: { gender: 'f' },
  'Große Kreisstadt': { gender: 'f' },
  Universitätsstadt: { gender: 'f' },
  Bezirk: { gender: 'm', genitive: 'Bezirks' },
  Landkreis: { gender: 'm', genitive: 'Landkreises' },
  Kreis: { gender: 'm', genitive: 'Kreises' },
  Region: { gender: 'f' },
  Gemeinde: { gender: 'f' },
  Markt: { gender: 'm', genitive: 'Marktes' },
  Flecken: { gender: 'm', genitive: 'Fleckens' },
  Ortsgemeinde: { gender: 'f' },
  Verbandsgemeinde: { gender: 'f' },
  Samtgemeinde: { gender: 'f' },
  Amt: { gender: 'n', genitive: 'Amtes' },
};

/** The forms of "die Stadt X" a sentence needs. */
export interface KommunePhrases {
  /** „Hansestadt Rostock“: the name as a title, without article. */
  title: string;
  /** "die Stadt Dessau-Roßlau" (subject) */
  nominative: string;
  /** "die Stadt Dessau-Roßlau" / "den Landkreis Harz" (object) */
  accusative: string;
  /** "der Stadt Dessau-Roßlau" / "dem Landkreis Harz" (with "von", "mit", "zwischen") */
  dative: string;
  /** "der Stadt Dessau-Roßlau" / "des Landkreises Harz" */
  genitive: string;
  /** "in der Stadt Dessau-Roßlau" / "im Landkreis Harz" */
  locative: string;
  /** „sie“ / „er“ / „es“: the pronoun that refers back to the Kommune. */
  pronoun: string;
}

/**
 * The forms of a Kommune's name in a sentence, from the word it is called by (its designation, or else
 * its kind) and its name, which is stored without that word: („Landkreis“, „Harz“) → „im Landkreis Harz“.
 */
export function kommunePhrases(kind: KommuneKind, name: string, designation?: string | null): KommunePhrases {
  const word = designation?.trim() || kind;
  const noun = nouns[word] ?? { gender: 'f' as const };
  const title = `${word} ${name}`;
  if (noun.gender === 'f') {
    // „die Große Kreisstadt“ → „der Großen Kreisstadt“: a weak adjective ending after „der“.
    const oblique = `${word.replace(/^(\p{Lu}\p{Ll}+)e (?=\p{Lu})/u, '$1en ')} ${name}`;
    return { title, nominative: `die ${title}`, accusative: `die ${title}`, dative: `der ${oblique}`, genitive: `der ${oblique}`, locative: `in der ${oblique}`, pronoun: 'sie' };
  }
  const genitive = `${noun.genitive ?? `${word}s`} ${name}`;
  if (noun.gender === 'm') {
    return { title, nominative: `der ${title}`, accusative: `den ${title}`, dative: `dem ${title}`, genitive: `des ${genitive}`, locative: `im ${title}`, pronoun: 'er' };
  }
  return { title, nominative: `das ${title}`, accusative: `das ${title}`, dative: `dem ${title}`, genitive: `des ${genitive}`, locative: `im ${title}`, pronoun: 'es' };
}

/** A number with „ca.“ when it was estimated: „ca. 20“, „22“. */
export function approximateNumber(value: number, isApproximate: boolean): string {
  return `${isApproximate ? 'ca.\u00a0' : ''}${germanNumber(value)}`;
}

/**
 * „eine Person“, „zwei Personen“, „ca. 20 Personen“: a count with its noun in the right number.
 * `digits` writes small counts as digits too, for counts in brackets after a text: „(1 Punkt)“, „(12 Punkte)“,
 * joined to the noun by a no-break space.
 */
export function countOf(count: number, singular: string, plural: string, options: { one?: string; isApproximate?: boolean; digits?: boolean } = {}): string {
  if (options.isApproximate) return `${approximateNumber(count, true)} ${count === 1 ? singular : plural}`;
  // The digits stay on one line with their noun.
  if (options.digits) return `${germanNumber(count)}\u00a0${count === 1 ? singular : plural}`;
  return `${countWord(count, options.one ?? 'ein')} ${count === 1 ? singular : plural}`;
}

/**
 * The plural of the kind of a Kommune's districts, for „Auf Ebene der Stadtteile …“: the usual
 * German plurals of the words in use; null for a word it does not know, so the sentence can do without.
 */
export function areaKindPlural(areaKind: string): string | null {
  const word = areaKind.trim();
  const rules: [RegExp, (stem: string) => string][] = [
    [/dorf$/iu, (w) => w.replace(/orf$/u, 'örfer')],
    [/raum$/iu, (w) => w.replace(/aum$/u, 'äume')],
    [/stadt$/iu, (w) => w.replace(/tadt$/u, 'tädte')],
    [/(teil|bezirk|kreis|quartier|gebiet|bereich)$/iu, (w) => `${w}e`],
    [/(gemeinde|lage)$/iu, (w) => `${w}n`],
    [/schaft$/iu, (w) => `${w}en`],
    [/viertel$/iu, (w) => w],
  ];
  if (!/^\p{Lu}[\p{L}-]*$/u.test(word)) return null;
  for (const [pattern, plural] of rules) if (pattern.test(word)) return plural(word);
  return null;
}

/** The tense of something dated, seen from the day the text is written: past, today or still to come. */
export function tenseOf(isoDate: string | null, today: string): 'past' | 'future' {
  return isoDate !== null && isoDate.slice(0, 10) > today.slice(0, 10) ? 'future' : 'past';
}
