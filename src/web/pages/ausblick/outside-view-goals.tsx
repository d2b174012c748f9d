import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Outlook } from '../../../domain/outlook.ts';
import { goalTitleOfStatement, lowAgreement, lowAgreementStatements } from '../../../domain/resident-survey-results.ts';
import { api } from '../../api/client.ts';
import type { ResidentSurveyAnswer } from '../../api/from-services/survey.ts';
import { surveyPath } from '../../api/survey.ts';
import type { RoundList } from '../../api/types.ts';
import { sameText } from './suggestions.tsx';

/**
 * „Aus der Außensicht“: statements of the newest round's resident survey with less than 50 %
 * agreement (only when its results are shown, from 10 responses), each of which can become a goal of
 * the plan. A statement already taken says so instead of offering the button again.
 */
export function OutsideViewGoals({ slug, outlook, canEdit, onSave, isBusy }: { slug: string; outlook: Outlook; canEdit: boolean; onSave: (next: Outlook, onSuccess: () => void) => void; isBusy: boolean }) {
  const { t } = useTranslation();
  const rounds = useQuery({ queryKey: ['rounds', slug], queryFn: () => api<RoundList>('GET', `/api/kommunen/${slug}/rounds`) });
  const newest = rounds.data?.rounds[0];
  const survey = useQuery({
    queryKey: ['survey', slug, String(newest?.number)],
    queryFn: () => api<ResidentSurveyAnswer>('GET', surveyPath(slug, String(newest!.number))),
    enabled: newest !== undefined,
  });
  const [done, setDone] = useState('');
  const results = survey.data?.results;
  if (!newest || !results || !results.shown) return null;
  const low = lowAgreementStatements(results.fields.flatMap((field) => field.statements.map((statement) => ({ ...statement, field }))));
  if (low.length === 0) return null;
  const take = (text: string) => {
    const title = goalTitleOfStatement(text);
    if (outlook.goals.some((goal) => sameText(goal.title, title))) return;
    setDone('');
    onSave({ ...outlook, goals: [...outlook.goals, { title, measures: [] }] }, () => setDone(t('outlook.outsideTaken', { goal: title })));
  };
  return (
    <section aria-labelledby="outside-goals-heading" className="kern-stack-sm">
      <h2 id="outside-goals-heading" className="kern-heading kern-title">{t('outlook.outsideTitle')}</h2>
      <p className="kern-body">{t('outlook.outsideLead', { number: newest.number, threshold: lowAgreement, count: results.responses })}</p>
      <p className="kern-body" role="status">{done}</p>
      <ul className="kern-list">
        {low.map((statement) => {
          const title = goalTitleOfStatement(statement.text);
          const isTaken = outlook.goals.some((goal) => sameText(goal.title, title));
          return (
            <li key={statement.key} className="suggestion-item">
              „{statement.text}“ – {t('outlook.outsideAgreement', { agreement: statement.agreement, field: statement.field.key })}{' '}
              {isTaken ? (
                <span className="kern-body kern-body--small">({t('outlook.outsideIsGoal')})</span>
              ) : canEdit ? (
                <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" aria-label={`${t('outlook.outsideTake')}: ${statement.text}`} disabled={isBusy} onClick={() => take(statement.text)}>
                  <span className="kern-label">{t('outlook.outsideTake')}</span>
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
