import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, ApiError } from '../../api/client.ts';
import type { RoundSettingsChange } from '../../../domain/api/rounds.ts';
import type { RoundOverview } from '../../api/types.ts';
import { Button, ErrorSummary, Form, TextArea } from '../../components/form.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { deadlineText } from '../../components/deadline.ts';
import { TableRegion } from '../../components/table-region.tsx';
import { formatDate, formatMonth } from '../../format.ts';
import { RoundSettingsForm, type SettingsValues } from '../selbstcheck/round-settings-form.tsx';
import { CloseRound } from './close-round.tsx';
import { Reminders } from './reminders.tsx';
import { PaperEntry, PaperQuestionnaire } from './paper-questionnaire.tsx';

/** One Selbstcheck round: own progress per field, and for the Koordination progress, open items and settings. */
export default function RoundPage() {
  const { t } = useTranslation();
  const { slug = '', number = '' } = useParams();
  const queryClient = useQueryClient();
  const apiBase = `/api/kommunen/${slug}/rounds/${number}`;
  const overview = useQuery({ queryKey: ['round', slug, number], queryFn: () => api<RoundOverview>('GET', apiBase) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['round', slug, number] });
  const [isEditing, setIsEditing] = useState(false);
  const [reopenReason, setReopenReason] = useState('');
  const [isJustClosed, setIsJustClosed] = useState(false);
  /** Settings that take out fields with answers, waiting for the confirmation that those answers are deleted. */
  const [removal, setRemoval] = useState<{ values: SettingsValues; count: number } | null>(null);
  const update = useMutation({
    mutationFn: ({ values, confirmedRemovedAnswers }: { values: SettingsValues; confirmedRemovedAnswers: number }) =>
      api('PUT', apiBase, { ...values, periodStart: values.periodStart || null, periodEnd: values.periodEnd || null, expectedVersion: overview.data!.round.version, confirmedRemovedAnswers } satisfies RoundSettingsChange),
    onSuccess: async () => {
      setIsEditing(false);
      setRemoval(null);
      await refresh();
    },
    onError: (error, { values }) => {
      const current = error instanceof ApiError && error.code === 'field-has-answers' ? (error.current as { removedCount: number } | undefined) : undefined;
      setRemoval(current ? { values, count: current.removedCount } : null);
    },
  });
  const reopen = useMutation({ mutationFn: () => api('POST', `${apiBase}/reopen`, { reason: reopenReason }), onSuccess: refresh });

  if (overview.isPending) return <Loading />;
  if (!overview.data) return <Page title={t('round.unavailable')}><ErrorSummary error={overview.error} /></Page>;
  const { kommune, round, fields, permissions, review, catalog } = overview.data;
  const canManage = permissions['round.manage'];
  const fieldLink = (key: string) => `/kommunen/${slug}/selbstcheck/${number}/handlungsfeld/${key}`;
  const fieldName = (key: string) => fields.find((field) => field.key === key)?.name ?? key;
  const myFields = fields.filter((field) => field.canAnswer);
  const isAnswering = myFields.length > 0 && round.status === 'open';
  const formatPeriod = round.periodPrecision === 'month' ? formatMonth : formatDate;
  return (
    <Page
      title={t('round.title', { number: round.number, name: kommune.name })}
      lead={`${t(`round.status.${round.status}`)} · ${catalog.title} ${catalog.version}${round.periodStart ? ` · ${t('round.period', { from: formatPeriod(round.periodStart), to: round.periodEnd ? formatPeriod(round.periodEnd) : '…' })}` : ''}${round.status === 'open' && round.deadline ? ` · ${deadlineText(round.deadline)}` : ''}`}
    >
      <nav aria-label={t('answers.breadcrumb')} className="kern-body kern-body--small toolbar">
        <Link className="kern-link" to={`/kommunen/${slug}/selbstcheck`}>{t('round.allRounds')}</Link>
        <Link className="kern-link" to={`/kommunen/${slug}/selbstcheck/${number}/ergebnisse`}>{t('round.results')}</Link>
        <Link className="kern-link" to={`/kommunen/${slug}/selbstcheck/${number}/umfrage`}>{t('survey.roundLink')}</Link>
        {permissions['round.review'] ? (
          <>
            <Link className="kern-link" to={`/kommunen/${slug}/selbstcheck/${number}/konsolidierung`}>{t('round.consolidation')}</Link>
            <Link className="kern-link" to={`/kommunen/${slug}/selbstcheck/${number}/aenderungen`}>{t('round.changes')}</Link>
          </>
        ) : null}
      </nav>
      {round.status === 'closed' ? <Alert tone="info" title={t('round.isClosed', { date: formatDate(round.closedAt!) })} focus={isJustClosed} /> : null}

      {/* One list of the fields: those one answers link to their questions and show one's own progress. */}
      <section aria-labelledby="fields-heading" className="kern-stack-sm">
        <h2 id="fields-heading" className="kern-heading kern-title">{t('round.fieldsTitle')}</h2>
        {isAnswering ? (
          <p className="kern-body">
            {t('round.myTotal', {
              answered: myFields.reduce((sum, field) => sum + field.myAnsweredCount, 0),
              total: myFields.reduce((sum, field) => sum + field.questionCount, 0),
            })}
          </p>
        ) : null}
        <TableRegion labelledBy="fields-caption">
          <table className="kern-table">
            <caption id="fields-caption" className="kern-sr-only">{t('round.fieldsTitle')}</caption>
            <thead className="kern-table__head">
              <tr className="kern-table__row">
                <th scope="col" className="kern-table__header">{t('round.field')}</th>
                <th scope="col" className="kern-table__header">{t('round.worked')}</th>
                {isAnswering ? <th scope="col" className="kern-table__header">{t('round.myAnswers')}</th> : null}
                {review ? <th scope="col" className="kern-table__header kern-table__header--numeric">{t('round.answeredQuestions')}</th> : null}
              </tr>
            </thead>
            <tbody className="kern-table__body">
              {fields.map((field) => {
                const progress = review?.fields.find((entry) => entry.key === field.key);
                return (
                  <tr className="kern-table__row" key={field.key}>
                    <th scope="row" className="kern-table__cell">
                      {isAnswering && field.canAnswer ? (
                        <Link className="kern-link" to={fieldLink(field.key)}>
                          {t('round.fieldLink', { number: field.key, name: field.name })}
                        </Link>
                      ) : (
                        t('round.fieldLink', { number: field.key, name: field.name })
                      )}
                    </th>
                    <td className="kern-table__cell">{field.isWorked ? t('round.yes') : t('round.notWorked')}</td>
                    {isAnswering ? (
                      <td className="kern-table__cell">
                        {field.canAnswer
                          ? `${t('round.myProgress', { answered: field.myAnsweredCount, total: field.questionCount })}${field.myAnsweredCount === field.questionCount ? ` · ${t('round.complete')}` : ''}`
                          : '–'}
                      </td>
                    ) : null}
                    {review ? (
                      <td className="kern-table__cell kern-table__cell--numeric">
                        {field.isWorked && progress ? t('round.ofTotal', { answered: progress.answeredCount, total: progress.questionCount }) : '–'}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableRegion>
      </section>

      <PaperQuestionnaire slug={slug} number={number} fields={fields.filter((field) => field.isWorked)} />
      {canManage && round.status === 'open' ? <PaperEntry slug={slug} number={number} fields={fields.filter((field) => field.isWorked)} /> : null}

      {review ? (
        <section aria-labelledby="people-heading" className="kern-stack-sm">
          <h2 id="people-heading" className="kern-heading kern-title">{t('round.openTitle')}</h2>
          {round.status === 'closed' ? <p className="kern-body">{t('round.openClosed')}</p> : review.people.length === 0 && review.paper.length === 0 ? <p className="kern-body">{t('round.noPeople')}</p> : (
            <ul className="kern-list people-list">
              {[
                ...review.people.map((person) => ({ key: person.userId, what: t(`roles.${person.role}`), ...person })),
                ...review.paper.map((stelle) => ({ key: `paper:${stelle.name}`, what: t('round.paperStelle'), ...stelle })),
              ].map((person) => (
                <li key={person.key}>
                  {person.open.length === 0 ? (
                    <span className="kern-body">
                      <strong>{person.name}</strong>{' '}
                      {person.fieldKeys.length === 0
                        ? `(${person.what}): ${t('round.noFieldsOfTheirOwn')}`
                        : `(${person.what}, ${t('round.fieldsShort', { count: person.fieldKeys.length, fields: person.fieldKeys.join(', ') })}): ${t('round.allAnswered')}`}
                    </span>
                  ) : (
                    <details>
                      <summary className="kern-body">
                        <strong>{person.name}</strong> ({person.what}, {t('round.fieldsShort', { count: Math.max(1, person.fieldKeys.length), fields: person.fieldKeys.join(', ') })}):{' '}
                        {t('round.openCount', { count: person.total - person.answered, total: person.total })}
                      </summary>
                      <ul className="kern-list">
                        {person.open.map((entry) => (
                          <li key={entry.fieldKey}>
                            {entry.fieldKey}. {fieldName(entry.fieldKey)}:{' '}
                            {entry.questionKeys.map((key, index) => (
                              <span key={key}>
                                {index ? ', ' : null}
                                <Link className="kern-link" to={`${fieldLink(entry.fieldKey)}#frage-${key.replaceAll('.', '-')}`} aria-label={t('round.questionLink', { key })}>{key}</Link>
                              </span>
                            ))}
                          </li>
                        ))}
                      </ul>
                    </details>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}

      {canManage && round.status === 'open' ? <Reminders slug={slug} number={number} round={round} fieldName={fieldName} /> : null}

      {round.participants ? (
        <section aria-labelledby="participants-heading" className="kern-stack-sm">
          <h2 id="participants-heading" className="kern-heading kern-title">{t('round.participants')}</h2>
          <p className="kern-body preserve-lines">{round.participants}</p>
        </section>
      ) : null}

      {canManage ? (
        <section aria-labelledby="manage-heading" className="kern-stack narrow">
          <h2 id="manage-heading" className="kern-heading kern-title">{t('round.manageTitle')}</h2>
          <ErrorSummary error={reopen.error} />
          {round.status === 'open' ? (
            <>
              {isEditing ? (
                <>
                  <RoundSettingsForm
                    initial={{ periodStart: round.periodStart ?? '', periodEnd: round.periodEnd ?? '', periodPrecision: round.periodPrecision, workedFieldKeys: round.workedFieldKeys, participants: round.participants }}
                    fields={fields.map((field) => ({ key: field.key, name: field.name }))}
                    submitLabel={t('round.saveSettings')}
                    onSubmit={(values) => update.mutate({ values, confirmedRemovedAnswers: 0 })}
                    isBusy={update.isPending}
                    error={update.error}
                  />
                  {removal ? (
                    // The form's error summary says what would be deleted; here the person confirms it with its number.
                    <div className="toolbar">
                      <Button variant="secondary" isBusy={update.isPending} onClick={() => update.mutate({ values: removal.values, confirmedRemovedAnswers: removal.count })}>
                        {t('round.confirmRemoval', { count: removal.count })}
                      </Button>
                    </div>
                  ) : null}
                </>
              ) : (
                <div>
                  <Button variant="secondary" onClick={() => setIsEditing(true)}>{t('round.editSettings')}</Button>
                </div>
              )}
              <CloseRound
                overview={overview.data}
                apiBase={apiBase}
                onOpen={() => void refresh()}
                onClosed={() => {
                  setIsJustClosed(true);
                  void refresh();
                }}
              />
            </>
          ) : (
            <Form label={t('round.reopen')} onSubmit={() => reopen.mutate()}>
              <TextArea label={t('round.reopenReason')} name="reason" rows={2} value={reopenReason} onChange={setReopenReason} />
              <div>
                <Button type="submit" variant="secondary" isBusy={reopen.isPending}>{t('round.reopen')}</Button>
              </div>
            </Form>
          )}
        </section>
      ) : null}
    </Page>
  );
}
