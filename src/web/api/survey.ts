import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { changeSurveySchema, createSurveySchema, excludeResponsesSchema, publishSurveySchema, reviewOpenAnswersSchema } from '../../domain/api/survey.ts';
import { api } from './client.ts';
import type { ResidentSurvey, ResidentSurveyAnswer } from './from-services/survey.ts';

export type SurveySettingsInput = z.input<typeof createSurveySchema>['settings'];

/** The survey's API path of a round. */
export function surveyPath(slug: string, number: string): string {
  return `/api/kommunen/${slug}/rounds/${number}/survey`;
}

/** The resident survey of a round with its results (Außensicht), as everyone of the Kommune reads it. */
export function useResidentSurvey(slug: string, number: string) {
  return useQuery({ queryKey: ['survey', slug, number], queryFn: () => api<ResidentSurveyAnswer>('GET', surveyPath(slug, number)) });
}

/** What the Koordination does with the survey; each refreshes the page's data afterwards. */
export function useSurveyActions(slug: string, number: string) {
  const queryClient = useQueryClient();
  const path = surveyPath(slug, number);
  const onSettled = () => queryClient.invalidateQueries({ queryKey: ['survey', slug, number] });
  return {
    create: useMutation({
      mutationFn: (body: z.input<typeof createSurveySchema>) => api<{ survey: ResidentSurvey }>('POST', path, body),
      onSuccess: onSettled,
    }),
    change: useMutation({
      mutationFn: (body: z.input<typeof changeSurveySchema>) => api<{ survey: ResidentSurvey }>('PUT', path, body),
      // Also after a conflict: the form then starts again from what is stored now.
      onSettled,
    }),
    publish: useMutation({
      mutationFn: (body: z.input<typeof publishSurveySchema>) => api<{ survey: ResidentSurvey }>('POST', `${path}/publish`, body),
      onSettled,
    }),
    remove: useMutation({ mutationFn: () => api<{ ok: true }>('DELETE', path), onSuccess: onSettled }),
    review: useMutation({
      mutationFn: (body: z.input<typeof reviewOpenAnswersSchema>) => api<{ changed: number }>('POST', `${path}/open-answers/review`, body),
      onSettled,
    }),
    exclude: useMutation({
      mutationFn: (body: z.input<typeof excludeResponsesSchema>) => api<{ id: string; excluded: number }>('POST', `${path}/exclusions`, body),
      onSuccess: onSettled,
    }),
    undoExclusion: useMutation({
      mutationFn: (exclusionId: string) => api<{ counted: number }>('DELETE', `${path}/exclusions/${encodeURIComponent(exclusionId)}`),
      onSettled,
    }),
  };
}
