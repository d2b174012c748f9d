import { z } from 'zod';
import { surveyLanguages } from '../resident-survey.ts';
import { exclusionReasonSchema, openAnswerReviews, surveySettingsSchema } from '../resident-survey-results.ts';
import { roundParams } from './rounds.ts';

/** Requests of the resident survey (Außensicht, issue 17); the web app types its bodies with these. */

const version = z.number('eine Versionsnummer').int().min(0).max(2_147_483_647);

export { roundParams as surveyParams };
export const createSurveySchema = z.object({ settings: surveySettingsSchema });
export const changeSurveySchema = z.object({ version, settings: surveySettingsSchema });
export const publishSurveySchema = z.object({ version });
export const reviewOpenAnswersSchema = z.object({
  ids: z.array(z.uuid('ungültige Anmerkung')).min(1, 'Bitte mindestens eine Anmerkung wählen').max(500),
  review: z.enum(openAnswerReviews, 'offen, freigegeben oder verworfen'),
});
export const excludeResponsesSchema = z.object({
  fromAt: z.iso.datetime({ offset: true, error: 'ein Zeitpunkt' }),
  toAt: z.iso.datetime({ offset: true, error: 'ein Zeitpunkt' }),
  reason: exclusionReasonSchema,
});

export const exclusionParams = roundParams.extend({ exclusionId: z.uuid('ungültiger Ausschluss') });

export const surveyLanguageParams = z.object({ language: z.enum(surveyLanguages, 'eine Sprache der Umfrage') });
export const surveyTextParams = surveyLanguageParams.extend({ key: z.string().regex(/^[A-Za-z0-9._-]{1,80}$/, 'ungültiger Schlüssel') });
export const changeSurveyTextSchema = z.object({ text: z.string().max(2000, 'Höchstens 2000 Zeichen') });
export const reviewSurveyTextsSchema = z.object({ keys: z.array(z.string().regex(/^[A-Za-z0-9._-]{1,80}$/)).min(1).max(200) });

/** The public link's random part. */
export const surveyTokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{10,64}$/, 'ungültiger Link') });
