import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { checkNewDeadline, deadlineState, germanDay } from '../../../domain/deadline.ts';
import { api, ApiError } from '../../api/client.ts';
import type { RemindInput } from '../../../domain/api/reminders.ts';
import { Button, CheckboxField, ChoiceGroup, ErrorSummary, fieldErrorsOf, Form, TextField } from '../../components/form.tsx';
import { Alert } from '../../components/page.tsx';
import { formatDate, formatDateTime } from '../../format.ts';

interface AutomaticReminder {
  day: string;
  isDue: boolean;
  queuedCount: number;
  sentCount: number;
  lastSentAt: string | null;
}

interface ReminderPreview {
  isMailConfigured: boolean;
  automaticReminder: AutomaticReminder | null;
  people: {
    userId: string;
    name: string;
    role: string;
    email: string | null;
    isSelf: boolean;
    lastRemindedAt: string | null;
    remindedRecently: boolean;
    openCount: number;
    open: { fieldKey: string; questionKeys: string[]; link: string }[];
    mail: { subject: string; text: string } | null;
  }[];
}

/** Where the automatic reminder stands: planned for a day, due now, being sent, or sent. */
function automaticReminderText(t: (key: string, values?: Record<string, unknown>) => string, state: AutomaticReminder): string {
  // While some are still on their way the count of those sent is not final.
  if (state.queuedCount > 0) return t('reminders.autoSending', { count: state.queuedCount });
  if (state.sentCount > 0) return t('reminders.autoSent', { date: formatDateTime(state.lastSentAt!), count: state.sentCount });
  if (state.isDue) return t('reminders.autoDue');
  if (state.day > germanDay(new Date())) return t('reminders.autoPlanned', { date: formatDate(state.day) });
  return t('reminders.autoNone');
}

/**
 * Deadline and reminders of an open round, for those who manage it: the deadline with the automatic
 * reminder N days before it and where that stands, who still has open questions (with links to
 * them and when each was last reminded), the German mail as a preview, and the choice whom to remind
 * (everyone with open questions except oneself, preselected). Sending to someone reminded in the last
 * 24 hours asks for confirmation first.
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
  /** Whom to remind; null until changed: everyone with open questions but oneself. */
  const [chosen, setChosen] = useState<string[] | null>(null);
  const save = useMutation({
    mutationFn: () => {
      // The same rule as the server's (domain/deadline.ts), before anything is sent.
      const refused = checkNewDeadline(deadline || null, round.deadline, germanDay(new Date()));
      if (refused) throw new ApiError(422, 'deadline-invalid', refused, { deadline: refused });
      const days = daysBefore.trim();
      return api<{ automaticReminder: AutomaticReminder | null }>('PUT', `${apiBase}/deadline`, {
        deadline: deadline || null,
        reminderDaysBefore: deadline && isAutomatic && days !== '' ? (/^\d+$/.test(days) ? Number(days) : days) : null,
      });
    },
    // The preview's mail names the deadline.
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: ['round', slug, number] }), queryClient.invalidateQueries({ queryKey: ['reminders', slug, number] })]),
  });
  const send = useMutation({
    mutationFn: ({ userIds, confirmRecent }: { userIds: string[]; confirmRecent: boolean }) => api<{ queued: number }>('POST', `${apiBase}/reminders`, { userIds, confirmRecent } satisfies RemindInput),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: ['email-log', slug] }), queryClient.invalidateQueries({ queryKey: ['reminders', slug, number] })]),
  });
  const errors = fieldErrorsOf(save.error);
  const withOpen = preview.data?.people.filter((person) => person.openCount > 0 && person.mail) ?? [];
  const selected = chosen ?? withOpen.filter((person) => !person.isSelf).map((person) => person.userId);
  const recipients = withOpen.filter((person) => selected.includes(person.userId));
  /** Sending was refused because some were just reminded: ask before sending again. */
  const askAgain = send.error instanceof ApiError && send.error.code === 'reminded-recently' ? send.error : null;
  const recipientIds = recipients.map((person) => person.userId);
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
        {save.isSuccess ? (
          <Alert tone="success" title={t('reminders.deadlineSaved')}>
            {save.data.automaticReminder?.isDue ? t('reminders.savedDueNow') : null}
          </Alert>
        ) : null}
      </Form>
      {round.deadline ? <p className="kern-body">{t('reminders.deadlineIs', { date: formatDate(round.deadline), state: deadlineState(round.deadline, germanDay(new Date())).text })}</p> : null}
      {preview.data?.automaticReminder ? <p className="kern-body">{automaticReminderText(t, preview.data.automaticReminder)}</p> : null}

      <h3 className="kern-heading kern-heading--small">{t('reminders.openTitle')}</h3>
      <ErrorSummary error={preview.error ?? (askAgain ? null : send.error)} />
      {preview.data && !preview.data.isMailConfigured ? <Alert tone="warning" title={t('reminders.noMail')}>{t('reminders.noMailText')}</Alert> : null}
      {preview.data ? (
        withOpen.length === 0 ? <p className="kern-body">{t('reminders.nobodyOpen')}</p> : (
          <>
            <ul className="kern-list">
              {withOpen.map((person) => (
                <li key={person.userId} className="kern-body">
                  <strong>{person.name}</strong> ({person.email}): {t('reminders.openCount', { count: person.openCount })}
                  {' · '}
                  {person.lastRemindedAt ? t('reminders.lastReminded', { date: formatDateTime(person.lastRemindedAt) }) : t('reminders.neverReminded')}
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
            <ChoiceGroup
              legend={t('reminders.whom')}
              hint={t('reminders.whomHint')}
              name="recipients"
              type="checkbox"
              options={withOpen.map((person) => ({ value: person.userId, label: person.isSelf ? t('reminders.self', { name: person.name }) : person.name }))}
              selected={selected}
              onChange={(values) => {
                setChosen(values);
                send.reset();
              }}
            />
            {askAgain ? (
              <Alert tone="warning" title={t('reminders.confirmTitle')} focus>
                <p className="kern-body">{askAgain.message}</p>
                <div className="toolbar">
                  <Button isBusy={send.isPending} onClick={() => send.mutate({ userIds: recipientIds, confirmRecent: true })}>{t('reminders.confirmSend', { count: recipients.length })}</Button>
                  <Button variant="secondary" onClick={() => send.reset()}>{t('reminders.confirmCancel')}</Button>
                </div>
              </Alert>
            ) : (
              recipients.length === 0 ? <p className="kern-body">{t('reminders.nobodyChosen')}</p> : (
                <div>
                  <Button isBusy={send.isPending} onClick={() => send.mutate({ userIds: recipientIds, confirmRecent: false })}>{t('reminders.send', { count: recipients.length })}</Button>
                </div>
              )
            )}
          </>
        )
      ) : null}
      {send.data ? (
        <Alert tone="success" title={t('reminders.sent', { count: send.data.queued })} focus>
          <Link className="kern-link" to={`/kommunen/${slug}/e-mail-protokoll`}>{t('reminders.toLog')}</Link>
        </Alert>
      ) : null}
    </section>
  );
}
