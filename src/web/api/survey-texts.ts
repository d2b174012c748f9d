import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SurveyLanguage } from '../../domain/resident-survey.ts';
import { api } from './client.ts';
import type { ChangedSurveyTextAnswer, ReviewedSurveyTextsAnswer, SurveyTranslationsAnswer } from './from-services/survey-texts.ts';

const surveyTextsKey = ['survey-texts'] as const;

/** Every language's state and the texts of one language beside the German source (Programmteam). */
export function useSurveyTexts(language: SurveyLanguage) {
  return useQuery({
    queryKey: [...surveyTextsKey, language],
    queryFn: () => api<SurveyTranslationsAnswer>('GET', `/api/survey-texts/${encodeURIComponent(language)}`),
  });
}

/**
 * Saves one text as a draft. A changed German text makes its translations drafts, so every
 * language's answer is fetched again.
 */
export function useSaveSurveyText(language: SurveyLanguage) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ key, text }: { key: string; text: string }) =>
      api<ChangedSurveyTextAnswer>('PUT', `/api/survey-texts/${encodeURIComponent(language)}/${encodeURIComponent(key)}`, { text }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: surveyTextsKey }),
  });
}

/** Marks texts of a language reviewed (refused with 422 when one fails a check). */
export function useReviewSurveyTexts(language: SurveyLanguage) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (keys: string[]) => api<ReviewedSurveyTextsAnswer>('POST', `/api/survey-texts/${encodeURIComponent(language)}/review`, { keys }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: surveyTextsKey }),
  });
}
