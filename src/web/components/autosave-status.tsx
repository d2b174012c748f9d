import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { differingParts } from '../../domain/conflict.ts';
import type { ChangedBy } from '../../domain/conflict.ts';
import { appendedText } from './autosave-rules.ts';
import type { Conflict, SaveState, TakenOver } from './autosave.ts';

const timeFormat = new Intl.DateTimeFormat('de-DE', { hour: '2-digit', minute: '2-digit' });
const listFormat = new Intl.ListFormat('de-DE', { type: 'conjunction' });

/** Who saved the other version, as a sentence: oneself in another window, a named person or someone. */
function useWhoChanged(changedBy: ChangedBy | null, byYouText: string): string {
  const { t } = useTranslation();
  return changedBy?.isYou ? byYouText : changedBy?.name ? t('answers.conflictByName', { name: changedBy.name }) : t('answers.conflictBySomeone');
}

export interface SaveStatusProps {
  /** The form's id: the status is `${id}-status` (fields name it in aria-describedby). */
  id: string;
  state: SaveState;
  /** The failure's message while `state` is `error`. */
  message: string;
  isSignedOut: boolean;
  /** When the shown version was saved, or null when there is nothing saved to name. */
  savedAt: string | null;
  /** Shown when saved with no time to name (e.g. „Noch nicht beantwortet“). */
  emptyText?: string;
  /** Shown while the draft may not be saved yet. */
  incompleteText?: string;
  onRetry: () => void;
}

/**
 * The save state under a form that saves itself (an alert only when saving failed), with „Erneut
 * speichern“ after a failure, or the link to the sign-in when the session has expired.
 */
export function SaveStatus({ id, state, message, isSignedOut, savedAt, emptyText = '', incompleteText = '', onRetry }: SaveStatusProps) {
  const { t } = useTranslation();
  const location = useLocation();
  const queryClient = useQueryClient();
  const text =
    state === 'saving'
      ? t('answers.saving')
      : state === 'unsaved'
        ? t('answers.unsaved')
        : state === 'incomplete'
          ? incompleteText
          : state === 'error'
            ? message
            : state === 'conflict'
              ? t('answers.conflictStatus')
              : savedAt
                ? t('answers.savedAt', { time: timeFormat.format(new Date(savedAt)) })
                : emptyText;
  return (
    <p className={`question__status kern-body kern-body--small question__status--${state === 'incomplete' ? 'error' : state}`} id={`${id}-status`} role={state === 'error' ? 'alert' : undefined}>
      {text}
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
        <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" onClick={onRetry}>
          <span className="kern-label">{t('answers.retry')}</span>
        </button>
      ) : null}
    </p>
  );
}

export interface ConflictPanelProps<D extends object, K extends keyof D & string> {
  /** The form's id: the panel's title is `${id}-conflict-title`. */
  id: string;
  conflict: Conflict<D>;
  mine: D;
  parts: readonly K[];
  /** The title when the other version is one's own from another window. */
  byYouText: string;
  /** Each part's name, as the form's field labels say it. */
  labels: Record<K, string>;
  /** A part of a version as text; '' is shown as „(leer)“. */
  describe: (version: D, part: K) => string;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
  /** The text parts the other version can be appended to: how the two texts are joined and the field's id. */
  appendable?: Partial<Record<K, { separator: string; fieldId: string }>>;
  onAppendTheirs?: (separators: Partial<Record<K, string>>) => void;
}

/**
 * Both versions of a conflicting entry: one's own stays in the fields above, the other one is shown
 * here part by part (only the parts both changed differently), with who saved it and the two choices.
 */
export function ConflictPanel<D extends object, K extends keyof D & string>({
  id,
  conflict,
  mine,
  parts,
  byYouText,
  labels,
  describe,
  onKeepMine,
  onTakeTheirs,
  appendable = {},
  onAppendTheirs,
}: ConflictPanelProps<D, K>) {
  const { t } = useTranslation();
  const { theirs, changedBy } = conflict;
  const who = useWhoChanged(changedBy, byYouText);
  const [hasAppended, setHasAppended] = useState(false);
  const text = (version: D, part: K) => describe(version, part) || t('answers.conflictEmpty');
  // The clashing text parts whose other text is not yet in one's own.
  const toAppend = differingParts(mine, theirs, parts).filter((part) => {
    const entry = appendable[part];
    return entry && appendedText(String(mine[part] ?? ''), String(theirs[part] ?? ''), entry.separator) !== String(mine[part] ?? '');
  });
  const append = () => {
    const separators: Partial<Record<K, string>> = {};
    for (const part of toAppend) separators[part] = appendable[part]?.separator;
    onAppendTheirs?.(separators);
    setHasAppended(true);
    // The button goes away: the person goes on in the (first) field that now holds both texts.
    const fieldId = appendable[toAppend[0]!]?.fieldId;
    requestAnimationFrame(() => fieldId && document.getElementById(fieldId)?.focus());
  };
  return (
    <div className="question__conflict kern-stack-xs" role="alert" aria-labelledby={`${id}-conflict-title`}>
      <p className="kern-body kern-body--bold" id={`${id}-conflict-title`}>{who}</p>
      <p className="kern-body kern-body--small">{t('answers.conflictExplain')}</p>
      <dl className="question__conflict-versions kern-body kern-body--small">
        {differingParts(mine, theirs, parts).map((part) => (
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
        {onAppendTheirs && toAppend.length > 0 ? (
          <button type="button" className="kern-btn kern-btn--secondary kern-btn--small" onClick={append}>
            <span className="kern-label">{t('answers.appendTheirs')}</span>
          </button>
        ) : null}
      </div>
      {hasAppended && toAppend.length === 0 ? <p className="kern-body kern-body--small">{t('answers.appended')}</p> : null}
    </div>
  );
}

export interface MergeNoteProps<D extends object, K extends keyof D & string> {
  /** The parts taken over, or null: the (empty) live region stays so that a note is announced. */
  takenOver: TakenOver<D> | null;
  /** The first sentence when the other version is one's own from another window. */
  byYouText: string;
  /** Each part's name, as the form's field labels say it. */
  labels: Record<K, string>;
}

/**
 * A short, polite note that parts saved meanwhile elsewhere were taken into the form without a
 * question (only that version changed them), and that one's own changes stay.
 */
export function MergeNote<D extends object, K extends keyof D & string>({ takenOver, byYouText, labels }: MergeNoteProps<D, K>) {
  const { t } = useTranslation();
  const who = useWhoChanged(takenOver?.changedBy ?? null, byYouText);
  return (
    <div role="status">
      {takenOver ? (
        <p className="question__merged kern-body kern-body--small">
          {takenOver.withConflict ? '' : `${who} `}
          {t('answers.mergedParts', { parts: listFormat.format(takenOver.parts.map((part) => labels[part as K])) })}
        </p>
      ) : null}
    </div>
  );
}
