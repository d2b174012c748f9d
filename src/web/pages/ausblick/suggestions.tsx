import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { measureSchema, type Goal, type Outlook } from '../../../domain/outlook.ts';
import { api } from '../../api/client.ts';
import { criteriaWithSuggestions } from '../../api/results.ts';
import type { RoundList, RoundResults } from '../../api/types.ts';
import { ErrorSummary, SelectField, TextField } from '../../components/form.tsx';
import { formatDate } from '../../format.ts';

/** The same wording, ignoring case and surrounding spaces (a suggestion or goal already taken). */
export const sameText = (a: string, b: string) => a.trim().toLocaleLowerCase('de') === b.trim().toLocaleLowerCase('de');

/** The goal a suggestion already became a measure of, if any (same wording and Handlungsfeld). */
function takenIn(goals: readonly Goal[], fieldKey: string, suggestion: string): Goal | undefined {
  return goals.find((goal) => goal.measures.some((measure) => measure.fieldKey === fieldKey && sameText(measure.title, suggestion)));
}

/** A measure made from a suggestion: its wording, its criterion's Handlungsfeld, status „geplant“. */
export function withSuggestion(outlook: Outlook, target: number | 'new', newGoalTitle: string, fieldKey: string, suggestion: string): { outlook: Outlook; goalIndex: number } {
  const measure = measureSchema.parse({ title: suggestion, fieldKey, status: 'geplant' });
  const goals = [...outlook.goals];
  const goalIndex = target === 'new' ? goals.push({ title: newGoalTitle.trim(), measures: [] }) - 1 : target;
  goals[goalIndex] = { ...goals[goalIndex]!, measures: [...goals[goalIndex]!.measures, measure] };
  return { outlook: { ...outlook, goals }, goalIndex };
}

/**
 * „Anregungen aus dem Selbstcheck“: the catalog's Anregungen zur Weiterarbeit of the criteria rated
 * „eher nein“ or „nein“ in the latest closed round, by Handlungsfeld; each can become a measure of a
 * goal the person picks or of a new goal. A suggestion already taken shows where it went instead of
 * the button, so it is not added twice.
 */
export function SelfCheckSuggestions({
  slug,
  outlook,
  canEdit,
  onSave,
  isBusy,
  error,
}: {
  slug: string;
  outlook: Outlook;
  canEdit: boolean;
  onSave: (next: Outlook, onSuccess: () => void) => void;
  isBusy: boolean;
  error: unknown;
}) {
  const { t } = useTranslation();
  const rounds = useQuery({ queryKey: ['rounds', slug], queryFn: () => api<RoundList>('GET', `/api/kommunen/${slug}/rounds`) });
  // The rounds come newest first: the first closed one is the default of results and report.
  const closed = rounds.data?.rounds.find((round) => round.status === 'closed');
  const results = useQuery({
    queryKey: ['results', slug, String(closed?.number)],
    queryFn: () => api<RoundResults>('GET', `/api/kommunen/${slug}/rounds/${closed!.number}/results`),
    enabled: closed !== undefined,
  });
  const [target, setTarget] = useState<string>(outlook.goals.length ? '0' : 'new');
  const [newGoalTitle, setNewGoalTitle] = useState(t('outlook.suggestionsGoal'));
  const [titleError, setTitleError] = useState<string | undefined>();
  const [done, setDone] = useState('');
  if (!closed || !results.data) return null;
  const fields = criteriaWithSuggestions(results.data.fields);
  if (fields.length === 0) return null;
  const chosen = target === 'new' || Number(target) >= outlook.goals.length ? 'new' : Number(target);

  const take = (fieldKey: string, suggestion: string) => {
    if (takenIn(outlook.goals, fieldKey, suggestion)) return;
    if (chosen === 'new' && !newGoalTitle.trim()) {
      setTitleError(t('outlook.newGoalTitleMissing'));
      document.querySelector<HTMLInputElement>('input[name="suggestion-goal-title"]')?.focus();
      return;
    }
    setTitleError(undefined);
    const next = withSuggestion(outlook, chosen, newGoalTitle, fieldKey, suggestion);
    const goalTitle = next.outlook.goals[next.goalIndex]!.title;
    setDone('');
    onSave(next.outlook, () => {
      setTarget(String(next.goalIndex));
      setDone(t('outlook.suggestionTaken', { suggestion, goal: goalTitle }));
    });
  };

  return (
    <section aria-labelledby="suggestions-heading" className="kern-stack-sm">
      <h2 id="suggestions-heading" className="kern-heading kern-title">{t('outlook.suggestionsTitle')}</h2>
      <p className="kern-body">
        {t('outlook.suggestionsLead', { number: closed.number, date: closed.closedAt ? formatDate(closed.closedAt) : '' })}
      </p>
      {canEdit ? (
        <fieldset className="kern-fieldset suggestions-target">
          <legend className="kern-label">{t('outlook.suggestionsTarget')}</legend>
          <div className="field-row">
            <SelectField
              label={t('outlook.goal')}
              name="suggestion-goal"
              value={chosen === 'new' ? 'new' : String(chosen)}
              onChange={setTarget}
              options={[...outlook.goals.map((goal, index) => ({ value: String(index), label: goal.title })), { value: 'new', label: t('outlook.newGoal') }]}
            />
            {chosen === 'new' ? (
              <TextField label={t('outlook.newGoalTitle')} name="suggestion-goal-title" value={newGoalTitle} onChange={setNewGoalTitle} error={titleError} />
            ) : null}
          </div>
        </fieldset>
      ) : null}
      <ErrorSummary error={error} />
      <p className="kern-body" role="status">{done}</p>
      {fields.map(({ field, criteria }) => (
        <div key={field.key} className="kern-stack-xs">
          <h3 className="kern-heading kern-title kern-title--small">{t('results.fieldRow', { number: field.key, name: field.name })}</h3>
          {criteria.map((criterion) => (
            <div key={criterion.key} className="suggestions">
              <p className="kern-body">
                <strong>{criterion.key} {criterion.name}</strong> – <span aria-hidden="true">{criterion.symbol}</span> {criterion.ratingLabel}
              </p>
              <ul className="kern-list">
                {criterion.suggestions.map((suggestion) => {
                  const goal = takenIn(outlook.goals, field.key, suggestion);
                  return (
                    <li key={suggestion} className="suggestion-item">
                      {suggestion}{' '}
                      {goal ? (
                        <span className="kern-body kern-body--small">({t('outlook.takenInGoal', { goal: goal.title })})</span>
                      ) : canEdit ? (
                        <button
                          type="button"
                          className="kern-btn kern-btn--tertiary kern-btn--x-small"
                          aria-label={`${t('outlook.takeOver')}: ${suggestion}`}
                          disabled={isBusy}
                          onClick={() => take(field.key, suggestion)}
                        >
                          <span className="kern-label">{t('outlook.takeOver')}</span>
                        </button>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            </div>
          ))}
        </div>
      ))}
    </section>
  );
}
