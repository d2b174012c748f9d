import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SurveyExclusion, SurveyMinute } from '../../api/from-services/survey.ts';
import { useSurveyActions } from '../../api/survey.ts';
import { Button, ErrorSummary, fieldErrorsOf, Form, TextArea } from '../../components/form.tsx';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { Alert } from '../../components/page.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { formatDateTime } from '../../format.ts';
import { InputField } from './settings-form.tsx';
import '../../components/stacked-table.css';

/** A minute counts as busy from this many responses; at most `shownMinutes` of them are listed. */
const busyFrom = 5;
const shownMinutes = 10;

/** A datetime-local value (the browser's local time) as an ISO date-time; empty stays empty so the server names the field. */
const isoOf = (local: string) => (local === '' || Number.isNaN(new Date(local).getTime()) ? local : new Date(local).toISOString());

/** Leaving a suspicious burst of responses out, with a reason; the busiest minutes help to find it. */
export function Exclusions({ slug, number, perMinute, exclusions }: { slug: string; number: string; perMinute: readonly SurveyMinute[]; exclusions: readonly SurveyExclusion[] }) {
  const { t } = useTranslation();
  const { exclude, undoExclusion } = useSurveyActions(slug, number);
  const [values, setValues] = useState({ fromAt: '', toAt: '', reason: '' });
  const errors = fieldErrorsOf(exclude.error);
  const busy = [...perMinute]
    .filter((entry) => entry.responses >= busyFrom)
    .sort((a, b) => b.responses - a.responses)
    .slice(0, shownMinutes)
    .sort((a, b) => a.minute.localeCompare(b.minute));
  return (
    <section aria-labelledby="survey-exclusions-heading" className="kern-stack-sm">
      <h2 id="survey-exclusions-heading" className="kern-heading kern-title">{t('survey.exclusions.title')}</h2>
      <p className="kern-body">{t('survey.exclusions.lead')}</p>
      {busy.length === 0 ? (
        <p className="kern-body">{t('survey.exclusions.noBusy', { count: busyFrom })}</p>
      ) : (
        <div className="narrow">
        <TableRegion labelledBy="survey-minutes-caption">
          <table className="kern-table kern-table--small stacked-table survey-compact" role="table">
            <caption id="survey-minutes-caption" className="kern-body survey-caption">{t('survey.exclusions.busyCaption', { count: busyFrom, shown: shownMinutes })}</caption>
            <thead className="kern-table__head" role="rowgroup">
              <tr className="kern-table__row" role="row">
                <th scope="col" className="kern-table__header" role="columnheader">{t('survey.exclusions.minute')}</th>
                <th scope="col" className="kern-table__header kern-table__header--numeric" role="columnheader">{t('survey.exclusions.responses')}</th>
                <th scope="col" className="kern-table__header kern-table__header--numeric" role="columnheader">{t('survey.exclusions.excluded')}</th>
              </tr>
            </thead>
            <tbody className="kern-table__body" role="rowgroup">
              {busy.map((entry) => (
                <tr className="kern-table__row" role="row" key={entry.minute}>
                  <th scope="row" className="kern-table__cell" role="rowheader">{formatDateTime(entry.minute)}</th>
                  <td className="kern-table__cell kern-table__cell--numeric" role="cell" data-label={t('survey.exclusions.responses')}>{entry.responses}</td>
                  <td className="kern-table__cell kern-table__cell--numeric" role="cell" data-label={t('survey.exclusions.excluded')}>{entry.excluded}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
        </div>
      )}
      {exclude.isSuccess ? <Alert tone="success" title={t('survey.exclusions.done', { count: exclude.data.excluded })} /> : null}
      {undoExclusion.isSuccess ? <Alert tone="success" title={t('survey.exclusions.undone', { count: undoExclusion.data.counted })} /> : null}
      {undoExclusion.isError ? <ErrorSummary error={undoExclusion.error} /> : null}
      <div className="narrow">
        <Form label={t('survey.exclusions.formTitle')} onSubmit={() => exclude.mutate({ fromAt: isoOf(values.fromAt), toAt: isoOf(values.toAt), reason: values.reason }, { onSuccess: () => setValues({ fromAt: '', toAt: '', reason: '' }) })}>
          <h3 className="kern-heading kern-title kern-title--small">{t('survey.exclusions.formTitle')}</h3>
          <ErrorSummary error={exclude.error} />
          <div className="survey-days">
            <InputField label={t('survey.exclusions.fromAt')} name="fromAt" type="datetime-local" value={values.fromAt} error={errors.fromAt} onChange={(fromAt) => setValues({ ...values, fromAt })} />
            <InputField label={t('survey.exclusions.toAt')} name="toAt" type="datetime-local" value={values.toAt} error={errors.toAt} onChange={(toAt) => setValues({ ...values, toAt })} />
          </div>
          <TextArea label={t('survey.exclusions.reason')} name="reason" hint={t('survey.exclusions.reasonHint')} rows={3} maxLength={500} value={values.reason} error={errors.reason} onChange={(reason) => setValues({ ...values, reason })} />
          <div>
            <Button type="submit" variant="secondary" isBusy={exclude.isPending}>{t('survey.exclusions.submit')}</Button>
          </div>
        </Form>
      </div>
      <h3 className="kern-heading kern-title kern-title--small" id="survey-exclusion-list-heading">{t('survey.exclusions.listTitle')}</h3>
      {exclusions.length === 0 ? (
        <p className="kern-body">{t('survey.exclusions.none')}</p>
      ) : (
        <ul className="kern-list kern-list--bullet" aria-labelledby="survey-exclusion-list-heading">
          {exclusions.map((entry) => (
            <li key={entry.id}>
              {t('survey.exclusions.entry', { from: formatDateTime(entry.fromAt), to: formatDateTime(entry.toAt), count: entry.responses })}
              {' – '}
              {t('survey.exclusions.because', { reason: entry.reason, date: formatDateTime(entry.createdAt) })}{' '}
              <ConfirmButton
                label={t('survey.exclusions.undo')}
                question={t('survey.exclusions.undoQuestion', { count: entry.responses })}
                confirmLabel={t('survey.exclusions.undo')}
                onConfirm={() => undoExclusion.mutate(entry.id)}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
