/**
 * The deadline of a round and the rules of its reminders, in one place: which deadline may be set,
 * how it is shown („noch N Tage“ / „abgelaufen“), when the automatic reminder is planned, and when a
 * person counts as just reminded. Pure; deadlines are German calendar days (YYYY-MM-DD).
 */

/** The day in Germany, YYYY-MM-DD, of a moment. */
export function germanDay(date: Date): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' }).format(date);
}

/** YYYY-MM-DD plus `days` (negative: before). */
export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** How far ahead a deadline may be set. */
export const maxDeadlineYearsAhead = 3;

/**
 * Whether `deadline` may be set now, with the German reason when not: a new deadline is today or
 * later and at most three years ahead. The deadline a round already has may be saved again unchanged
 * (so a past deadline does not block changing the reminder), and none at all is always allowed.
 * Only for setting a deadline: a round imported from a bundle keeps the deadline it had.
 */
export function checkNewDeadline(deadline: string | null, current: string | null, today: string): string | null {
  if (deadline === null || deadline === current) return null;
  if (deadline < today) return 'Die Frist liegt in der Vergangenheit. Bitte wählen Sie heute oder einen späteren Tag.';
  const latest = `${Number(today.slice(0, 4)) + maxDeadlineYearsAhead}${today.slice(4)}`;
  if (deadline > latest) return `Die Frist liegt mehr als ${maxDeadlineYearsAhead} Jahre in der Zukunft. Bitte prüfen Sie das Jahr.`;
  return null;
}

/** How a deadline is shown next to its date: „noch 5 Tage“, „noch 1 Tag“, „heute“ or „abgelaufen“. */
export function deadlineState(deadline: string, today: string): { daysLeft: number; isOver: boolean; text: string } {
  const daysLeft = daysBetween(today, deadline);
  const text = daysLeft < 0 ? 'abgelaufen' : daysLeft === 0 ? 'endet heute' : daysLeft === 1 ? 'noch 1 Tag' : `noch ${daysLeft} Tage`;
  return { daysLeft, isOver: daysLeft < 0, text };
}

/** The day the automatic reminder is planned for: N days before the deadline; null when there is none. */
export function automaticReminderDay(deadline: string | null, daysBefore: number | null): string | null {
  return deadline && daysBefore !== null ? addDays(deadline, -daysBefore) : null;
}

/**
 * Whether the automatic reminder of a round is due on `today`: from its planned day until the
 * deadline (a server that was down on the planned day still sends it).
 */
export function isAutomaticReminderDue(deadline: string | null, daysBefore: number | null, today: string): boolean {
  const day = automaticReminderDay(deadline, daysBefore);
  return day !== null && today >= day && today <= deadline!;
}

/**
 * How long after a reminder (automatic or sent by hand) a person counts as just reminded: the
 * automatic reminder skips them for that long, and sending by hand asks for confirmation.
 */
export const reminderQuietMs = 24 * 60 * 60_000;

/** Whether a reminder sent (or queued) at `last` is within the quiet time before `now`. */
export function wasRemindedRecently(last: Date | null, now: Date): boolean {
  return last !== null && now.getTime() - last.getTime() < reminderQuietMs;
}

/** „30.11.2026, 9:05 Uhr“: a moment as a German reads it (time in Germany). */
export function germanDateTime(date: Date): string {
  const parts = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', day: '2-digit', month: '2-digit', year: 'numeric', hour: 'numeric', minute: '2-digit' }).formatToParts(date);
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? '';
  return `${part('day')}.${part('month')}.${part('year')}, ${part('hour')}:${part('minute')} Uhr`;
}
