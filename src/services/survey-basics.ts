/** What the resident survey's services share: the stored settings, the public address, the Kommune's day. */
import { surveySettingsSchema, type SurveySettings } from '../domain/resident-survey-results.ts';
import type { ResidentSurveyRow } from '../db/repositories/resident-survey-repository.ts';

/** The stored settings, checked again on read (a later rule applies to old rows too). */
export function settingsOf(row: Pick<ResidentSurveyRow, 'settings'>): SurveySettings {
  return surveySettingsSchema.parse(row.settings);
}

/** The public address of a survey: what the link and the QR poster carry. */
export function surveyUrlOf(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/umfrage/${token}`;
}

/** The Kommune's calendar day: surveys open and close by German days. */
export function berlinDay(now: Date): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
