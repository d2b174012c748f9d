import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { AnswerKey, AnswerOption, Consolidation } from '../../api/types.ts';
import type { ChangedBy } from '../../../domain/conflict.ts';
import { useAutosave } from '../../components/autosave.ts';
import { isPending } from '../../components/autosave-rules.ts';
import { ConflictPanel, MergeNote, SaveStatus } from '../../components/autosave-status.tsx';

type Criterion = Consolidation['fields'][number]['criteria'][number];

interface Draft {
  /** '' = no rating of one's own: the derived one counts. */
  rating: string;
  reason: string;
}

const draftParts = ['rating', 'reason'] as const;

/** An option as symbol and label; `null` is a derived rating nobody answered for: „offen“. */
export function optionText(scale: AnswerOption[], key: AnswerKey | null, t: (key: string) => string): string {
  if (!key) return `? ${t('consolidation.open')}`;
  const option = scale.find((entry) => entry.key === key);
  return option ? `${option.symbol} ${option.label}` : key;
}

export interface RatingEditorProps {
  apiBase: string;
  draftKey: string;
  criterion: Criterion;
  scale: AnswerOption[];
  onPendingChange: (criterionKey: string, isPending: boolean) => void;
}

/**
 * The consolidated rating of one criterion, saved like the questionnaire: a choice at once, the reason
 * after a short pause, every change first kept as a draft in the browser (restored and saved on the next
 * visit). A rating that differs from the derived one waits for its reason. When someone saved first,
 * one's own version stays and the other one is shown beside it with who saved it.
 */
export function RatingEditor({ apiBase, draftKey, criterion, scale, onPendingChange }: RatingEditorProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const id = useId();
  const stored: Draft = { rating: criterion.consolidatedRating ?? '', reason: criterion.reason };
  // The lines above the form show the saved version.
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['consolidation'] });
  const { draft, state, savedAt, change, flush, status, resolution, takenOver } = useAutosave({
    draftKey,
    initial: stored,
    initialVersion: criterion.ratingVersion,
    initialSavedAt: null,
    parts: draftParts,
    // A rating that differs from the derived one waits for its reason.
    isIncomplete: (next: Draft) => next.rating !== '' && next.rating !== criterion.derivedRating && next.reason.trim() === '',
    send: (sent: Draft, expectedVersion) =>
      api<{ rating: { rating: string | null; reason: string; version: number } }>('PUT', `${apiBase}/ratings/${criterion.key}`, { rating: sent.rating || null, reason: sent.reason, expectedVersion }),
    // The server trims the reason and stores a rating that only confirms the derived one as none.
    savedVersion: (result) => ({ version: result.rating.version, savedAt: new Date().toISOString(), draft: { rating: result.rating.rating ?? '', reason: result.rating.reason } }),
    onSaved: refresh,
    serverVersion: (body) => {
      const current = (body as { rating: string | null; reason: string; version: number; changedBy?: ChangedBy } | null | undefined) ?? null;
      return { draft: { rating: current?.rating ?? '', reason: current?.reason ?? '' }, version: current?.version ?? 0, savedAt: null, changedBy: current?.changedBy ?? null };
    },
    onStale: () => void refresh(),
    onTakeTheirs: () => void refresh(),
  });

  useEffect(() => {
    onPendingChange(criterion.key, isPending(state));
  }, [state, criterion.key, onPendingChange]);
  useEffect(() => () => onPendingChange(criterion.key, false), [criterion.key, onPendingChange]);

  const differs = draft.rating !== '' && draft.rating !== criterion.derivedRating;
  const ratingText = (rating: string) => (rating ? optionText(scale, rating as AnswerKey, t) : t('consolidation.noOwnRating'));
  const partLabel = { rating: t('consolidation.rating'), reason: t('consolidation.reason') };
  /** A part of a version as the conflict panel names it. */
  const describePart = (entry: Draft, part: (typeof draftParts)[number]) => (part === 'rating' ? ratingText(entry.rating) : entry.reason);

  return (
    <div className={`kern-stack-sm rating-editor${state === 'error' || state === 'conflict' ? ' rating-editor--problem' : ''}`} role="group" aria-label={t('consolidation.formLabel', { name: criterion.name })}>
      <div className="kern-form-input">
        <label className="kern-label" htmlFor={`${id}-rating`}>{t('consolidation.rating')}</label>
        <div className="kern-form-input__select-wrapper">
          <select
            className="kern-form-input__select"
            id={`${id}-rating`}
            value={draft.rating}
            aria-describedby={`${id}-status`}
            onChange={(event) => change({ rating: event.target.value }, 0)}
          >
            <option value="">
              {criterion.derivedRating ? t('consolidation.useDerived', { rating: optionText(scale, criterion.derivedRating, t) }) : t('consolidation.useDerivedOpen')}
            </option>
            {scale.map((option) => (
              <option key={option.key} value={option.key}>{`${option.symbol} ${option.label}`}</option>
            ))}
          </select>
        </div>
      </div>
      {differs || draft.reason ? (
        <div className={`kern-form-input${state === 'incomplete' ? ' kern-form-input--error' : ''}`}>
          <label className="kern-label" htmlFor={`${id}-reason`}>{t('consolidation.reason')}</label>
          <div className="kern-hint" id={`${id}-reason-hint`}>{t('consolidation.reasonHint')}</div>
          <textarea
            className="kern-form-input__input"
            id={`${id}-reason`}
            rows={2}
            maxLength={5000}
            value={draft.reason}
            aria-invalid={state === 'incomplete' ? true : undefined}
            aria-describedby={`${id}-reason-hint ${id}-status`}
            onChange={(event) => change({ reason: event.target.value }, 800)}
            onBlur={flush}
          />
        </div>
      ) : null}
      <MergeNote takenOver={takenOver} byYouText={t('consolidation.conflictByYou')} labels={partLabel} />
      {resolution ? (
        <ConflictPanel
          id={id}
          {...resolution}
          byYouText={t('consolidation.conflictByYou')}
          labels={partLabel}
          describe={describePart}
          appendable={{ reason: { separator: '\n', fieldId: `${id}-reason` } }}
        />
      ) : null}
      <SaveStatus
        id={id}
        {...status}
        savedAt={savedAt}
        incompleteText={t('consolidation.needsReason')}
      />
    </div>
  );
}
