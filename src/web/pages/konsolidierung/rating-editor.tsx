import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client.ts';
import type { AnswerKey, AnswerOption, Consolidation } from '../../api/types.ts';
import { differingParts, type ChangedBy } from '../../../domain/conflict.ts';

type Criterion = Consolidation['fields'][number]['criteria'][number];
type SaveState = 'saved' | 'unsaved' | 'saving' | 'error' | 'conflict' | 'needs-reason';

interface Draft {
  /** '' = no rating of one's own: the derived one counts. */
  rating: string;
  reason: string;
}

interface Conflict {
  theirs: Draft;
  changedBy: ChangedBy | null;
}

const draftParts = ['rating', 'reason'] as const;
const timeFormat = new Intl.DateTimeFormat('de-DE', { hour: '2-digit', minute: '2-digit' });

function readDraft(key: string): Draft | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as Draft) : null;
  } catch {
    return null;
  }
}

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
  const restored = readDraft(draftKey);
  const [draft, setDraft] = useState<Draft>(restored ?? stored);
  const [state, setState] = useState<SaveState>(restored ? 'unsaved' : 'saved');
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const version = useRef(criterion.ratingVersion);
  const latest = useRef(draft);
  const inFlight = useRef(false);
  const again = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const needsReason = (next: Draft) => next.rating !== '' && next.rating !== criterion.derivedRating && next.reason.trim() === '';

  const save = useCallback(async () => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    const sent = latest.current;
    if (needsReason(sent)) {
      setState('needs-reason');
      return;
    }
    inFlight.current = true;
    setState('saving');
    try {
      const result = await api<{ rating: { version: number } }>('PUT', `${apiBase}/ratings/${criterion.key}`, {
        rating: sent.rating || null,
        reason: sent.reason,
        expectedVersion: version.current,
      });
      version.current = result.rating.version;
      setSavedAt(new Date().toISOString());
      if (latest.current === sent) {
        localStorage.removeItem(draftKey);
        setState('saved');
      }
      setMessage('');
      await queryClient.invalidateQueries({ queryKey: ['consolidation'] });
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && error.code === 'stale-version') {
        const current = (error.current as { rating: string | null; reason: string; version: number; changedBy?: ChangedBy } | null | undefined) ?? null;
        version.current = current?.version ?? 0;
        const theirs = { rating: current?.rating ?? '', reason: current?.reason ?? '' };
        if (differingParts(latest.current, theirs, draftParts).length === 0) {
          localStorage.removeItem(draftKey);
          setState('saved');
        } else {
          setConflict({ theirs, changedBy: current?.changedBy ?? null });
          setState('conflict');
        }
        // The lines above the form show the saved version.
        void queryClient.invalidateQueries({ queryKey: ['consolidation'] });
        setMessage('');
      } else {
        setState('error');
        setMessage(error instanceof ApiError && error.status !== 0 ? error.message : t('answers.offline'));
      }
    } finally {
      inFlight.current = false;
      if (again.current) {
        again.current = false;
        void save();
      }
    }
    // needsReason depends only on the criterion's derived rating, which is among the dependencies.
  }, [apiBase, criterion.key, criterion.derivedRating, draftKey, queryClient, t]);

  useEffect(() => {
    onPendingChange(criterion.key, state !== 'saved');
  }, [state, criterion.key, onPendingChange]);
  useEffect(() => () => onPendingChange(criterion.key, false), [criterion.key, onPendingChange]);

  // A draft restored from an earlier visit is saved right away (once, on mount).
  const isRestored = useRef(restored !== null);
  useEffect(() => {
    if (!isRestored.current) return;
    isRestored.current = false;
    void save();
  }, [save]);

  const change = (next: Partial<Draft>, delay: number) => {
    const updated = { ...latest.current, ...next };
    latest.current = updated;
    setDraft(updated);
    localStorage.setItem(draftKey, JSON.stringify(updated));
    if (conflict) return;
    setState(needsReason(updated) ? 'needs-reason' : 'unsaved');
    clearTimeout(timer.current);
    if (!needsReason(updated)) timer.current = setTimeout(() => void save(), delay);
  };

  const keepMine = () => {
    setConflict(null);
    setState('unsaved');
    void save();
  };
  const takeTheirs = () => {
    if (!conflict) return;
    latest.current = conflict.theirs;
    setDraft(conflict.theirs);
    localStorage.removeItem(draftKey);
    setConflict(null);
    setState('saved');
    void queryClient.invalidateQueries({ queryKey: ['consolidation'] });
  };

  const differs = draft.rating !== '' && draft.rating !== criterion.derivedRating;
  const statusText =
    state === 'saving'
      ? t('answers.saving')
      : state === 'unsaved'
        ? t('answers.unsaved')
        : state === 'needs-reason'
          ? t('consolidation.needsReason')
          : state === 'error'
            ? message
            : state === 'conflict'
              ? t('answers.conflictStatus')
              : savedAt
                ? t('answers.savedAt', { time: timeFormat.format(new Date(savedAt)) })
                : '';
  const who = conflict?.changedBy?.isYou
    ? t('consolidation.conflictByYou')
    : conflict?.changedBy?.name
      ? t('answers.conflictByName', { name: conflict.changedBy.name })
      : t('answers.conflictBySomeone');
  const ratingText = (rating: string) => (rating ? optionText(scale, rating as AnswerKey, t) : t('consolidation.noOwnRating'));
  const partText = (version: Draft, part: (typeof draftParts)[number]) =>
    part === 'rating' ? ratingText(version.rating) : version.reason || t('answers.conflictEmpty');
  const partLabel = { rating: t('consolidation.rating'), reason: t('consolidation.reason') };

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
        <div className={`kern-form-input${state === 'needs-reason' ? ' kern-form-input--error' : ''}`}>
          <label className="kern-label" htmlFor={`${id}-reason`}>{t('consolidation.reason')}</label>
          <div className="kern-hint" id={`${id}-reason-hint`}>{t('consolidation.reasonHint')}</div>
          <textarea
            className="kern-form-input__input"
            id={`${id}-reason`}
            rows={2}
            maxLength={5000}
            value={draft.reason}
            aria-invalid={state === 'needs-reason' ? true : undefined}
            aria-describedby={`${id}-reason-hint ${id}-status`}
            onChange={(event) => change({ reason: event.target.value }, 800)}
            onBlur={() => state === 'unsaved' && void save()}
          />
        </div>
      ) : null}
      {conflict ? (
        <div className="question__conflict kern-stack-xs" role="alert" aria-labelledby={`${id}-conflict-title`}>
          <p className="kern-body kern-body--bold" id={`${id}-conflict-title`}>{who}</p>
          <p className="kern-body kern-body--small">{t('answers.conflictExplain')}</p>
          <dl className="question__conflict-versions kern-body kern-body--small">
            {differingParts(draft, conflict.theirs, draftParts).map((part) => (
              <div key={part}>
                <dt>{partLabel[part]}</dt>
                <dd><span className="question__conflict-term">{t('answers.conflictMine')}</span> {partText(draft, part)}</dd>
                <dd><span className="question__conflict-term">{t('answers.conflictTheirs')}</span> {partText(conflict.theirs, part)}</dd>
              </div>
            ))}
          </dl>
          <div className="question__conflict-actions">
            <button type="button" className="kern-btn kern-btn--primary kern-btn--small" onClick={keepMine}>
              <span className="kern-label">{t('answers.keepMine')}</span>
            </button>
            <button type="button" className="kern-btn kern-btn--secondary kern-btn--small" onClick={takeTheirs}>
              <span className="kern-label">{t('answers.takeTheirs')}</span>
            </button>
          </div>
        </div>
      ) : null}
      <p className={`question__status kern-body kern-body--small question__status--${state === 'needs-reason' ? 'error' : state}`} id={`${id}-status`} role={state === 'error' ? 'alert' : undefined}>
        {statusText}
        {state === 'error' ? (
          <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" onClick={() => void save()}>
            <span className="kern-label">{t('answers.retry')}</span>
          </button>
        ) : null}
      </p>
    </div>
  );
}
