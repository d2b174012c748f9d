// The answers of the resident survey's API (Außensicht), derived from what the service returns.
// Types only (`import type`): no server code reaches the browser.
import type { getResidentSurvey } from '../../../services/manage-resident-surveys.ts';
import type { Json } from './answers.ts';

/** GET /api/kommunen/:slug/rounds/:number/survey */
export type ResidentSurveyAnswer = Json<Awaited<ReturnType<typeof getResidentSurvey>>>;
export type ResidentSurvey = NonNullable<ResidentSurveyAnswer['survey']>;
export type SurveyResultsShown = Extract<NonNullable<ResidentSurveyAnswer['results']>, { shown: true }>;
export type SurveyFieldResult = SurveyResultsShown['fields'][number];
export type SurveyOpenAnswer = NonNullable<ResidentSurveyAnswer['openAnswers']>[number];
export type SurveyExclusion = NonNullable<ResidentSurveyAnswer['exclusions']>[number];
export type SurveyMinute = NonNullable<ResidentSurveyAnswer['perMinute']>[number];
