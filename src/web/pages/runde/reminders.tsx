import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { Button, CheckboxField, ErrorSummary, fieldErrorsOf, Form, TextField } from '../../components/form.tsx';
import { Alert } from '../../components/page.tsx';
import { formatDate } from '../../format.ts';

interface ReminderPreview {
  isMailConfigured: boolean;
  people: {
    userId: string;
    name: string;
    role: string;
    email: string | null;
    openCount: number;
    open: { fieldKey: string; questionKeys: string[]; link: string }[];
    mail: { subject: string; text: string } | null;
  }[];
}

/**
 * Deadline and reminders of an open round, for those who manage it: the deadline with the automatic
 * reminder N days before it, who still has open questions (with links to them), the German mail as a
 * preview, and one button that sends it to everyone with open questions.
 */
export function Reminders({
  slug,
  number,
  round,
  fieldName,
}: {
  slug: string;
  number: string;
  round: { deadline: string | null; reminderDaysBefore: number | null };
  fieldName: (key: string) => string;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const apiBase = `/api/kommunen/${slug}/rounds/${number}`;
  const [deadline, setDeadline] = useState(round.deadline ?? '');
  const [isAutomatic, setIsAutomatic] = useState(round.reminderDaysBefore !== null);
  const [daysBefore, setDaysBefore] = useState(String(round.reminderDaysBefore ?? 3));
  const preview = useQuery({ queryKey: ['reminders', slug, number], queryFn: () => api<ReminderPreview>('GET', `${apiBase}/reminders`) });
  const save = useMutation({
    mutationFn: () =>
      api('PUT', `${apiBase}/deadline`, {
        deadline: deadline || null,
        reminderDaysBefore: deadline && isAutomatic ? (/^\d+$/.test(daysBefore.trim()) ? Number(daysBefore.trim()) : daysBefore) : null,
      }),
    // The preview's mail names the deadline.
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: ['round', slug, number] }), queryClient.invalidateQueries({ queryKey: ['reminders', slug, number] })]),
  });
  const send = useMutation({
    mutationFn: () => api<{ queued: number }>('POST', `${apiBase}/reminders`, {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['email-log', slug] }),
  });
  const errors = fieldErrorsOf(save.error);
  const withOpen = preview.data?.people.filter((person) => person.openCount > 0 && person.mail) ?? [];
  return (
    <section aria-labelledby="reminders-heading" className="kern-stack-sm narrow">
      <h2 id="reminders-heading" className="kern-heading kern-title">{t('reminders.title')}</h2>
      <Form label={t('reminders.deadlineForm')} onSubmit={() => save.mutate()}>
        <ErrorSummary error={save.error} />
        <div className={`kern-form-input${errors.deadline ? ' kern-form-input--error' : ''}`}>
          <label className="kern-label" htmlFor="round-deadline">
            {t('reminders.deadline')} <span className="kern-label__optional">– {t('common.optional')}</span>
          </label>
          <input
            className="kern-form-input__input"
            type="date"
            id="round-deadline"
            value={deadline}
            aria-invalid={errors.deadline ? true : undefined}
            aria-describedby={errors.deadline ? 'round-deadline-error' : undefined}
            onChange={(event) => setDeadline(event.target.value)}
          />
          {errors.deadline ? <p className="kern-error" id="round-deadline-error"><span className="kern-body">{errors.deadline}</span></p> : null}
        </div>
        {deadline ? (
          <>
            <CheckboxField label={t('reminders.automatic')} hint={t('reminders.automaticHint')} name="automatic" checked={isAutomatic} onChange={setIsAutomatic} />
            {isAutomatic ? (
              <TextField label={t('reminders.daysBefore')} name="reminderDaysBefore" inputMode="numeric" value={daysBefore} onChange={setDaysBefore} error={errors.reminderDaysBefore} />
            ) : null}
          </>
        ) : null}
        <div>
          <Button type="submit" isBusy={save.isPending}>{t('reminders.saveDeadline')}</Button>
        </div>
        {save.isSuccess ? <Alert tone="success" title={t('reminders.deadlineSaved')} /> : null}
      </Form>

      <h3 className="kern-heading kern-heading--small">{t('reminders.openTitle')}</h3>
      <ErrorSummary error={preview.error ?? send.error} />
      {preview.data && !preview.data.isMailConfigured ? <Alert tone="warning" title={t('reminders.noMail')}>{t('reminders.noMailText')}</Alert> : null}
      {preview.data ? (
        withOpen.length === 0 ? <p className="kern-body">{t('reminders.nobodyOpen')}</p> : (
          <>
            <ul className="kern-list">
              {withOpen.map((person) => (
                <li key={person.userId} className="kern-body">
                  <strong>{person.name}</strong> ({person.email}): {t('reminders.openCount', { count: person.openCount })}
                  <ul className="kern-list">
                    {person.open.map((entry) => (
                      <li key={entry.fieldKey}>
                        <Link className="kern-link" to={entry.link}>
                          {t('reminders.fieldLink', { field: `${entry.fieldKey}. ${fieldName(entry.fieldKey)}`, count: entry.questionKeys.length })}
                        </Link>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
            <details>
              <summary className="kern-body">{t('reminders.previewSummary', { name: withOpen[0]!.name })}</summary>
              <p className="kern-body"><strong>{t('reminders.subject')}:</strong> {withOpen[0]!.mail!.subject}</p>
              <p className="kern-body preserve-lines">{withOpen[0]!.mail!.text}</p>
            </details>
            <div>
              <Button isBusy={send.isPending} onClick={() => send.mutate()}>{t('reminders.send', { count: withOpen.length })}</Button>
            </div>
          </>
        )
      ) : null}
      {send.data ? (
        <Alert tone="success" title={t('reminders.sent', { count: send.data.queued })} focus>
          <Link className="kern-link" to={`/kommunen/${slug}/e-mail-protokoll`}>{t('reminders.toLog')}</Link>
        </Alert>
      ) : null}
      {round.deadline ? <p className="kern-body">{t('reminders.deadlineIs', { date: formatDate(round.deadline) })}</p> : null}
    </section>
  );
}
