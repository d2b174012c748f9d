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

/** "14:00", "18:00" → "14:00 – 18:00 Uhr"; one time alone → "ab 14:00 Uhr". */
export function timeRange(start: string, end: string): string | null {
  if (start && end) return `${start} – ${end} Uhr`;
  if (start) return `ab ${start} Uhr`;
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
const genderOfKind: Record<KommuneKind, Gender> = {
  Stadt: 'f',
  Landkreis: 'm',
  Gemeinde: 'f',
  Verbandsgemeinde: 'f',
  Samtgemeinde: 'f',
  Amt: 'n',
};

/** The forms of "die Stadt X" a sentence needs. */
export interface KommunePhrases {
  /** "die Stadt Dessau-Roßlau" (subject) */
  nominative: string;
  /** "der Stadt Dessau-Roßlau" (… of the …, with "von"/"mit") */
  dative: string;
  /** "der Stadt Dessau-Roßlau" / "des Landkreises Harz" */
  genitive: string;
  /** "in der Stadt Dessau-Roßlau" / "im Landkreis Harz" */
  locative: string;
}

export function kommunePhrases(kind: KommuneKind, name: string): KommunePhrases {
  const gender = genderOfKind[kind];
  const noun = `${kind} ${name}`;
  if (gender === 'f') return { nominative: `die ${noun}`, dative: `der ${noun}`, genitive: `der ${noun}`, locative: `in der ${noun}` };
  const genitiveNoun = kind === 'Landkreis' ? `Landkreises ${name}` : `Amtes ${name}`;
  return {
    nominative: `${gender === 'm' ? 'der' : 'das'} ${noun}`,
    dative: `dem ${noun}`,
    genitive: `des ${genitiveNoun}`,
    locative: `im ${noun}`,
  };
}
