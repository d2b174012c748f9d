const dateFormat = new Intl.DateTimeFormat('de-DE', { day: 'numeric', month: 'long', year: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat('de-DE', { dateStyle: 'long', timeStyle: 'short' });

/** "1. Juli 2026" */
export function formatDate(value: string | Date): string {
  return dateFormat.format(new Date(value));
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
