import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client.ts';
import type { CloseInput } from '../../../domain/api/rounds.ts';
import type { OpenQuestions, RoundOverview } from '../../api/types.ts';
import { Button, ErrorSummary } from '../../components/form.tsx';
import { Alert } from '../../components/page.tsx';

/** What the round page knows about open questions, in the shape of the server's 409 answer. */
export function openQuestionsOf(overview: RoundOverview): OpenQuestions {
  const review = overview.review;
  if (!review) return { openQuestionCount: 0, fields: [], people: [] };
  return {
    openQuestionCount: review.openQuestionCount,
    fields: review.fields
      .filter((field) => field.openQuestionKeys.length > 0)
      .map((field) => ({ ...field, name: overview.fields.find((entry) => entry.key === field.key)?.name ?? field.key })),
    people: review.people.filter((person) => person.open.length > 0),
  };
}

/**
 * „Runde abschließen“ with a confirmation in the page: it names the open questions per Handlungsfeld and
 * per person and, when any are open, needs an explicit tick that names their number. The number goes to
 * the server; if more are open by then (an answer withdrawn meanwhile), the server refuses with the new
 * list, which is shown for a second confirmation. Focus moves into the confirmation; Escape or
 * „Abbrechen“ closes it and returns focus to the button.
 */
export function CloseRound({ overview, apiBase, onClosed, onOpen }: { overview: RoundOverview; apiBase: string; onClosed: () => void; onOpen: () => void }) {
  const { t } = useTranslation();
  const [isOpen, setIsOpen] = useState(false);
  const [isConfirmed, setIsConfirmed] = useState(false);
  const [isMissingConfirmation, setIsMissingConfirmation] = useState(false);
  /** The list the server sent with a refusal; it replaces the page's list until the next attempt. */
  const [current, setCurrent] = useState<OpenQuestions | null>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const checkbox = useRef<HTMLInputElement>(null);
  const open = current ?? openQuestionsOf(overview);
  const count = open.openQuestionCount;
  const close = useMutation({
    mutationFn: (confirmed: number) => api('POST', `${apiBase}/close`, { expectedVersion: overview.round.version, confirmedOpenQuestions: confirmed } satisfies CloseInput),
    onSuccess: () => {
      setIsOpen(false);
      onClosed();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'round-has-open-questions' && error.current) {
        setCurrent(error.current as OpenQuestions);
        setIsConfirmed(false);
        heading.current?.focus();
      } else if (error instanceof ApiError && error.status === 409) {
        // The round changed otherwise (settings saved meanwhile): load it again, so the next try sends its version.
        onOpen();
      }
    },
  });
  const changed = close.error instanceof ApiError && close.error.code === 'round-has-open-questions' && current !== null;

  useEffect(() => {
    if (isOpen) heading.current?.focus();
  }, [isOpen]);

  const cancel = () => {
    setIsOpen(false);
    setIsConfirmed(false);
    setIsMissingConfirmation(false);
    setCurrent(null);
    close.reset();
    // After the section is gone, back to the button that opened it.
    requestAnimationFrame(() => opener.current?.focus());
  };
  const confirm = () => {
    if (count > 0 && !isConfirmed) {
      setIsMissingConfirmation(true);
      checkbox.current?.focus();
      return;
    }
    close.mutate(count);
  };

  if (!isOpen) {
    return (
      <div>
        <button
          type="button"
          className="kern-btn kern-btn--secondary"
          ref={opener}
          aria-expanded={false}
          onClick={() => {
            onOpen();
            setIsOpen(true);
          }}
        >
          <span className="kern-label">{t('round.close')}</span>
        </button>
      </div>
    );
  }
  return (
    <section
      aria-labelledby="close-heading"
      className="kern-stack-sm close-confirmation"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          cancel();
        }
      }}
    >
      <h3 id="close-heading" className="kern-heading kern-title kern-title--small" tabIndex={-1} ref={heading}>
        {t('round.closeTitle', { number: overview.round.number })}
      </h3>
      {changed ? <Alert tone="warning" title={t('round.closeChanged', { count })} /> : <ErrorSummary error={close.error} />}
      {count > 0 ? (
        <>
          <p className="kern-body">
            <strong>{t('round.closeOpenIntro', { count })}</strong> {t('round.closeOpenEffect')}
          </p>
          <h4 className="kern-heading kern-body kern-body--bold" id="close-by-field">{t('round.closeByField')}</h4>
          <ul className="kern-list kern-list--bullet" aria-labelledby="close-by-field">
            {open.fields.map((field) => (
              <li key={field.key}>
                {t('round.closeFieldOpen', { field: `${field.key}. ${field.name}`, count: field.openQuestionKeys.length, total: field.questionCount })}
                <div className="kern-body kern-body--small">{t('round.closeQuestionKeys', { keys: field.openQuestionKeys.join(', ') })}</div>
              </li>
            ))}
          </ul>
          {open.people.length > 0 ? (
            <>
              <h4 className="kern-heading kern-body kern-body--bold" id="close-by-person">{t('round.closeByPerson')}</h4>
              <p className="kern-body kern-body--small">{t('round.closeByPersonHint')}</p>
              <ul className="kern-list kern-list--bullet" aria-labelledby="close-by-person">
                {open.people.map((person) => (
                  <li key={person.userId}>
                    {t('round.closePersonOpen', { name: person.name, count: person.total - person.answered })}{' '}
                    <span className="kern-body kern-body--small">
                      ({t(`roles.${person.role}`)}; {person.open.map((entry) => t('round.closePersonField', { field: entry.fieldKey, count: entry.questionKeys.length })).join(', ')})
                    </span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <div className={`kern-form-check${isMissingConfirmation && !isConfirmed ? ' kern-form-check--error' : ''}`}>
            <input
              className="kern-form-check__checkbox"
              type="checkbox"
              id="close-confirm-open"
              ref={checkbox}
              checked={isConfirmed}
              aria-invalid={isMissingConfirmation && !isConfirmed ? true : undefined}
              aria-describedby={isMissingConfirmation && !isConfirmed ? 'close-confirm-open-error' : undefined}
              onChange={(event) => setIsConfirmed(event.target.checked)}
            />
            <label className="kern-label" htmlFor="close-confirm-open">{t('round.closeConfirmOpen', { count })}</label>
          </div>
          {isMissingConfirmation && !isConfirmed ? (
            <p className="kern-error" id="close-confirm-open-error">
              <span className="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
              <span className="kern-body">{t('round.closeConfirmRequired')}</span>
            </p>
          ) : null}
        </>
      ) : null}
      <p className="kern-body">{t('round.closeQuestion')}</p>
      <div className="toolbar">
        <Button onClick={confirm} isBusy={close.isPending}>{t('round.closeConfirm')}</Button>
        <Button variant="secondary" onClick={cancel}>{t('common.cancel')}</Button>
      </div>
    </section>
  );
}
