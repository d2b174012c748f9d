import { deadlineState, germanDay } from '../../domain/deadline.ts';
import { formatDate } from '../format.ts';

/**
 * „Frist: 29. Januar 2027 (noch 60 Tage)“ / „… (abgelaufen)“: a round's deadline as every page shows
 * it (round header, field page, Selbstcheck list, Kommune page), counted in German calendar days.
 */
export function deadlineText(deadline: string, today = germanDay(new Date())): string {
  return `Frist: ${formatDate(deadline)} (${deadlineState(deadline, today).text})`;
}
