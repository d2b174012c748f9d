import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { api, ApiError } from '../../api/client.ts';
import type { AnswerKey, AnswerOption, MyAnswer } from '../../api/types.ts';
import { differingParts, type ChangedBy } from '../../../domain/conflict.ts';

type SaveState = 'saved' | 'unsaved' | 'saving' | 'error' | 'conflict';

interface Draft {
  value: AnswerKey | null;
  comment: string;
  evidence: string;
}

/** The version that was saved first (in another window or by someone else), shown beside one's own. */
interface Conflict {
  theirs: Draft;
  changedBy: ChangedBy | null;
}

const draftParts = ['value', 'comment', 'evidence'] as const;

export interface QuestionEditorProps {
  apiBase: string;
  draftKey: string;
  /** yesMeans and evidence come from catalog 1.1; a 1.0 round has neither. */
  question: { key: string; text: string; yesMeans?: string | null; evidence?: string[]; answer: MyAnswer | null };
  answerScale: AnswerOption[];
  canAnswer: boolean;
  onAnswered: (questionKey: string, isAnswered: boolean) => void;
  onPendingChange: (questionKey: string, isPending: boolean) => void;
  /** A returned paper questionnaire: the department the Koordination enters this answer for. */
  onBehalfOf?: string;
}

const timeFormat = new Intl.DateTimeFormat('de-DE', { hour: '2-digit', minute: '2-digit' });

function readDraft(key: string): Draft | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as Draft) : null;
  } catch {
    return null;
  }
}

/**
 * One guiding question: the answer options as a real radio group, optional comment and evidence. From
 * catalog 1.1 the question shows what a „ja“ means and its typical Belege (the group's description), each
 * option its anchor (the option's description), and the options without value stand apart. Every
 * change is kept as a draft in the browser first and saved at once (choices) or after a short pause
 * (text); a draft left by a closed tab is restored and saved on the next visit.
 */
export function QuestionEditor({ apiBase, draftKey, question, answerScale, canAnswer, onAnswered, onPendingChange, onBehalfOf }: QuestionEditorProps) {
  const { t } = useTranslation();
  const stored = question.answer;
  const restored = canAnswer ? readDraft(draftKey) : null;
  const [draft, setDraft] = useState<Draft>(
    restored ?? { value: stored?.value ?? null, comment: stored?.comment ?? '', evidence: stored?.evidence ?? '' },
  );
  const [state, setState] = useState<SaveState>(restored ? 'unsaved' : 'saved');
  const [savedAt, setSavedAt] = useState<string | null>(stored?.updatedAt ?? null);
  const [message, setMessage] = useState('');
  const [conflict, setConflict] = useState<Conflict | null>(null);
  /** The last save failed because the session had expired: the message links to the sign-in. */
  const [isSignedOut, setIsSignedOut] = useState(false);
  const location = useLocation();
  const queryClient = useQueryClient();
  const [isDetailsOpen, setIsDetailsOpen] = useState(Boolean(stored?.comment || stored?.evidence || restored?.comment || restored?.evidence));
  const version = useRef(stored?.version ?? 0);
  const latest = useRef(draft);
  const inFlight = useRef(false);
  const again = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const save = useCallback(async () => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    setState('saving');
    const sent = latest.current;
    try {
      const result = await api<{ answer: MyAnswer }>('PUT', `${apiBase}/answers/${question.key}`, { ...sent, expectedVersion: version.current, ...(onBehalfOf ? { onBehalfOf } : {}) });
      version.current = result.answer.version;
      setSavedAt(result.answer.updatedAt);
      if (latest.current === sent) {
        localStorage.removeItem(draftKey);
        setState('saved');
      }
      setMessage('');
      setIsSignedOut(false);
      onAnswered(question.key, result.answer.value !== null);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && error.code === 'stale-version') {
        // Someone (usually oneself in another tab) saved first. Nothing typed is discarded: one's own
        // version stays in the fields and in the browser's draft, the other one is shown beside it,
        // and the person chooses, or merges by editing and then keeps their version.
        const current = (error.current as (MyAnswer & { changedBy?: ChangedBy }) | null | undefined) ?? null;
        version.current = current?.version ?? 0;
        const theirs = { value: current?.value ?? null, comment: current?.comment ?? '', evidence: current?.evidence ?? '' };
        if (differingParts(latest.current, theirs, draftParts).length === 0) {
          // Both versions say the same: nothing to choose.
          localStorage.removeItem(draftKey);
          setConflict(null);
          setState('saved');
          setMessage('');
          if (current) setSavedAt(current.updatedAt);
        } else {
          setConflict({ theirs, changedBy: current?.changedBy ?? null });
          setState('conflict');
          setMessage('');
          setIsDetailsOpen((open) => open || Boolean(theirs.comment || theirs.evidence));
        }
      } else {
        setState('error');
        const signedOut = error instanceof ApiError && error.status === 401;
        setIsSignedOut(signedOut);
        setMessage(signedOut ? t('answers.signedOut') : error instanceof ApiError && error.status !== 0 ? error.message : t('answers.offline'));
      }
    } finally {
      inFlight.current = false;
      if (again.current) {
        again.current = false;
        void save();
      }
    }
  }, [apiBase, draftKey, onAnswered, onBehalfOf, question.key, t]);

  useEffect(() => {
    onPendingChange(question.key, state === 'unsaved' || state === 'saving' || state === 'error' || state === 'conflict');
  }, [state, question.key, onPendingChange]);

  // A save that failed for want of a network is retried as soon as the browser is online again.
  useEffect(() => {
    if (state !== 'error' || isSignedOut) return;
    const retry = () => void save();
    window.addEventListener('online', retry);
    return () => window.removeEventListener('online', retry);
  }, [state, isSignedOut, save]);

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
    // During a conflict an edit is a merge in progress: it is kept as a draft and saved only when the
    // person keeps their version.
    if (conflict) return;
    setState('unsaved');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(), delay);
  };

  /** „Meine Fassung behalten“: one's own (possibly merged) version is saved over the other one. */
  const keepMine = () => {
    setConflict(null);
    setState('unsaved');
    void save();
  };

  /** „Andere Fassung übernehmen“: the saved version replaces one's own; nothing needs saving. */
  const takeTheirs = () => {
    if (!conflict) return;
    latest.current = conflict.theirs;
    setDraft(conflict.theirs);
    localStorage.removeItem(draftKey);
    setConflict(null);
    setState('saved');
    onAnswered(question.key, conflict.theirs.value !== null);
  };

  const id = `frage-${question.key.replaceAll('.', '-')}`;
  const statusText =
    state === 'saving'
      ? t('answers.saving')
      : state === 'unsaved'
        ? t('answers.unsaved')
        : state === 'error'
          ? message
          : state === 'conflict'
            ? t('answers.conflictStatus')
            : savedAt && (stored || version.current > 0)
              ? t('answers.savedAt', { time: timeFormat.format(new Date(savedAt)) })
              : t('answers.notAnswered');
  const evidence = question.evidence ?? [];
  const hasHint = Boolean(question.yesMeans) || evidence.length > 0;
  const hasAnchors = answerScale.some((option) => option.meaning);
  const radio = (option: AnswerOption) => (
    <input
      className="kern-form-check__radio"
      type="radio"
      id={`${id}-${option.key}`}
      name={id}
      value={option.key}
      checked={draft.value === option.key}
      disabled={!canAnswer}
      aria-describedby={option.meaning ? `${id}-${option.key}-meaning` : undefined}
      onChange={() => change({ value: option.key }, 0)}
    />
  );
  const anchoredOption = (option: AnswerOption) => (
    <div className="kern-form-check question__option" key={option.key}>
      {radio(option)}
      <label className="kern-label" htmlFor={`${id}-${option.key}`}>
        {option.label}
      </label>
      {option.meaning ? (
        <span className="question__meaning" id={`${id}-${option.key}-meaning`}>
          {option.meaning}
        </span>
      ) : null}
    </div>
  );
  return (
    <fieldset
      className={`kern-fieldset question${state === 'error' || state === 'conflict' ? ' question--problem' : ''}`}
      id={id}
      aria-describedby={hasHint ? `${id}-hint ${id}-status` : `${id}-status`}
    >
      <legend className="kern-label question__text">
        <span className="question__key">{question.key}</span> {question.text}
      </legend>
      {hasHint ? (
        <div className="question__hint" id={`${id}-hint`}>
          {question.yesMeans ? (
            <p className="kern-body kern-body--small">
              <span className="question__hint-term">{t('questionnaire.yesMeans')}</span> {question.yesMeans}
            </p>
          ) : null}
          {evidence.length > 0 ? (
            <p className="kern-body kern-body--small">
              <span className="question__hint-term">{t('questionnaire.typicalEvidence')}</span> {evidence.join(', ')}
            </p>
          ) : null}
        </div>
      ) : null}
      {hasAnchors ? (
        <div className="kern-fieldset__body question__scale">
          <div className="question__valued">{answerScale.filter((option) => option.value !== null).map(anchoredOption)}</div>
          <div className="question__unvalued">{answerScale.filter((option) => option.value === null).map(anchoredOption)}</div>
        </div>
      ) : (
        <div className="kern-fieldset__body kern-fieldset__body--horizontal question__options">
          {answerScale.map((option) => (
            <div className="kern-form-check" key={option.key}>
              {radio(option)}
              <label className="kern-label" htmlFor={`${id}-${option.key}`}>
                {option.label}
              </label>
            </div>
          ))}
        </div>
      )}
      <details className="question__details" open={isDetailsOpen} onToggle={(event) => setIsDetailsOpen((event.target as HTMLDetailsElement).open)}>
        <summary className="kern-body kern-body--small">{t('answers.commentAndEvidence')}</summary>
        <div className="kern-stack-sm question__extra">
          <div className="kern-form-input">
            <label className="kern-label" htmlFor={`${id}-comment`}>
              {t('answers.comment')} <span className="kern-label__optional">– {t('common.optional')}</span>
            </label>
            <textarea
              className="kern-form-input__input"
              id={`${id}-comment`}
              rows={2}
              maxLength={5000}
              value={draft.comment}
              disabled={!canAnswer}
              onChange={(event) => change({ comment: event.target.value }, 800)}
              onBlur={() => state === 'unsaved' && void save()}
            />
          </div>
          <div className="kern-form-input">
            <label className="kern-label" htmlFor={`${id}-evidence`}>
              {t('answers.evidence')} <span className="kern-label__optional">– {t('common.optional')}</span>
            </label>
            <div className="kern-hint" id={`${id}-evidence-hint`}>
              {evidence.length > 0 ? t('questionnaire.evidenceHintWithExamples', { examples: evidence.join(', ') }) : t('answers.evidenceHint')}
            </div>
            <input
              className="kern-form-input__input"
              id={`${id}-evidence`}
              maxLength={2000}
              aria-describedby={`${id}-evidence-hint`}
              value={draft.evidence}
              disabled={!canAnswer}
              onChange={(event) => change({ evidence: event.target.value }, 800)}
              onBlur={() => state === 'unsaved' && void save()}
            />
          </div>
        </div>
      </details>
      {conflict ? (
        <ConflictPanel
          id={id}
          conflict={conflict}
          mine={draft}
          answerScale={answerScale}
          onKeepMine={keepMine}
          onTakeTheirs={takeTheirs}
        />
      ) : null}
      <p className={`question__status kern-body kern-body--small question__status--${state}`} id={`${id}-status`} role={state === 'error' ? 'alert' : undefined}>
        {statusText}
        {state === 'error' && isSignedOut ? (
          <>
            {' '}
            <Link
              className="kern-link"
              to={`/anmelden?weiter=${encodeURIComponent(location.pathname + location.search + location.hash)}`}
              // The app still holds the expired session; forgetting it lets the sign-in page show its form.
              onClick={() => queryClient.setQueryData(['session'], null)}
            >
              {t('answers.signIn')}
            </Link>
          </>
        ) : state === 'error' ? (
          <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" onClick={() => void save()}>
            <span className="kern-label">{t('answers.retry')}</span>
          </button>
        ) : null}
      </p>
    </fieldset>
  );
}

interface ConflictPanelProps {
  id: string;
  conflict: Conflict;
  mine: Draft;
  answerScale: AnswerOption[];
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}

/**
 * Both versions of a conflicting answer: one's own stays in the fields above, the other one is shown
 * here part by part (only the parts that differ), with who saved it and the two choices.
 */
function ConflictPanel({ id, conflict, mine, answerScale, onKeepMine, onTakeTheirs }: ConflictPanelProps) {
  const { t } = useTranslation();
  const { theirs, changedBy } = conflict;
  const who = changedBy?.isYou
    ? t('answers.conflictByYou')
    : changedBy?.name
      ? t('answers.conflictByName', { name: changedBy.name })
      : t('answers.conflictBySomeone');
  const valueText = (key: AnswerKey | null) => (key ? (answerScale.find((option) => option.key === key)?.label ?? key) : t('answers.conflictNoAnswer'));
  const parts = differingParts(mine, theirs, draftParts);
  const labels = { value: t('answers.answer'), comment: t('answers.comment'), evidence: t('answers.evidence') };
  const text = (draft: Draft, part: (typeof draftParts)[number]) =>
    part === 'value' ? valueText(draft.value) : draft[part] || t('answers.conflictEmpty');
  return (
    <div className="question__conflict kern-stack-xs" role="alert" aria-labelledby={`${id}-conflict-title`}>
      <p className="kern-body kern-body--bold" id={`${id}-conflict-title`}>{who}</p>
      <p className="kern-body kern-body--small">{t('answers.conflictExplain')}</p>
      <dl className="question__conflict-versions kern-body kern-body--small">
        {parts.map((part) => (
          <div key={part}>
            <dt>{labels[part]}</dt>
            <dd>
              <span className="question__conflict-term">{t('answers.conflictMine')}</span> {text(mine, part)}
            </dd>
            <dd>
              <span className="question__conflict-term">{t('answers.conflictTheirs')}</span> {text(theirs, part)}
            </dd>
          </div>
        ))}
      </dl>
      <div className="question__conflict-actions">
        <button type="button" className="kern-btn kern-btn--primary kern-btn--small" onClick={onKeepMine}>
          <span className="kern-label">{t('answers.keepMine')}</span>
        </button>
        <button type="button" className="kern-btn kern-btn--secondary kern-btn--small" onClick={onTakeTheirs}>
          <span className="kern-label">{t('answers.takeTheirs')}</span>
        </button>
      </div>
    </div>
  );
}
