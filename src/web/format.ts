const dateFormat = new Intl.DateTimeFormat('de-DE', { day: 'numeric', month: 'long', year: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat('de-DE', { dateStyle: 'long', timeStyle: 'short' });

/** "1. Juli 2026" */
export function formatDate(value: string | Date): string {
  return dateFormat.format(new Date(value));
}

const monthFormat = new Intl.DateTimeFormat('de-DE', { month: 'long', year: 'numeric' });
/** "Juli 2026" (a round's period given by month) */
export function formatMonth(value: string | Date): string {
  return monthFormat.format(new Date(value));
}

/** "1. Juli 2026 um 14:00" */
export function formatDateTime(value: string | Date): string {
  return dateTimeFormat.format(new Date(value));
}

const collator = new Intl.Collator('de');
/** Sorts by German alphabetical order (Ä with A, ß with ss). */
export function compareGerman(a: string, b: string): number {
  return collator.compare(a, b);
}

const numberFormat = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 2 });
/** "80.674", "5,8" */
export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** Reads a number as people type it in Germany ("80.674", "5,8", "5.8"); null when empty or not a number. */
export function parseGermanNumber(text: string): number | null {
  const trimmed = text.trim().replace(/\s/g, '');
  if (trimmed === '') return null;
  // A dot followed by exactly three digits is a thousands separator; otherwise a decimal point.
  const normalised = /^\d{1,3}(\.\d{3})+(,\d+)?$/.test(trimmed) ? trimmed.replace(/\./g, '').replace(',', '.') : trimmed.replace(',', '.');
  const value = Number(normalised);
  return Number.isFinite(value) ? value : null;
}
