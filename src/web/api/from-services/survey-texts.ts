// The survey texts' answers, derived from what the service returns. Types only (`import type`, erased
// by the bundler): no server code reaches the browser (see answers.ts).
import type { changeSurveyText, getSurveyTranslations, reviewSurveyLanguage } from '../../../services/manage-survey-texts.ts';
import type { Json } from './answers.ts';

/** `GET /api/survey-texts/:language`: every language's state and one language's texts beside the German source. */
export type SurveyTranslationsAnswer = Json<Awaited<ReturnType<typeof getSurveyTranslations>>>;
export type SurveyLanguageState = SurveyTranslationsAnswer['languages'][number];
export type SurveyTextEntry = SurveyTranslationsAnswer['texts'][number];
/** `PUT /api/survey-texts/:language/:key` */
export type ChangedSurveyTextAnswer = Json<Awaited<ReturnType<typeof changeSurveyText>>>;
/** `POST /api/survey-texts/:language/review` */
export type ReviewedSurveyTextsAnswer = Json<Awaited<ReturnType<typeof reviewSurveyLanguage>>>;
