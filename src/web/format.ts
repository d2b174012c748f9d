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

const oneDecimal = new Intl.NumberFormat('de-DE', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const upToOneDecimal = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1 });
const mebibyte = 1024 * 1024;

/** A file's size as people read it: "600 Bytes", "12,3 KB", "3,2 MB", "20 MB" (KB and MB of 1,024 and 1,048,576 bytes, as the limits are set). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${numberFormat.format(bytes)} ${bytes === 1 ? 'Byte' : 'Bytes'}`;
  if (bytes < mebibyte) return `${upToOneDecimal.format(bytes / 1024)} KB`;
  return `${upToOneDecimal.format(bytes / mebibyte)} MB`;
}

/** Progress of an upload in the unit of the whole file: { done: "3,2", total: "20,0", unit: "MB" }. */
export function formatProgress(done: number, total: number): { done: string; total: string; unit: 'KB' | 'MB' } {
  const unit = total < mebibyte ? 'KB' : 'MB';
  const divisor = unit === 'KB' ? 1024 : mebibyte;
  return { done: oneDecimal.format(done / divisor), total: oneDecimal.format(total / divisor), unit };
}
