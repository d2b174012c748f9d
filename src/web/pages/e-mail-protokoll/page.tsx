import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { ErrorSummary } from '../../components/form.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { formatDateTime } from '../../format.ts';
import '../../components/stacked-table.css';

interface EmailLog {
  kommune: { slug: string; name: string };
  isMailConfigured: boolean;
  entries: {
    id: string;
    kindLabel: string;
    recipient: string;
    subject: string;
    createdAt: string;
    dueAt: string;
    sentAt: string | null;
    state: string;
    stateLabel: string;
    attempts: number;
    error: string | null;
  }[];
}

/** The E-Mail-Protokoll of a Kommune: what the server sent, plans to send or could not send; never a message body. */
export default function EmailLogPage() {
  const { t } = useTranslation();
  const { slug = '' } = useParams();
  const log = useQuery({ queryKey: ['email-log', slug], queryFn: () => api<EmailLog>('GET', `/api/kommunen/${slug}/email-log`) });
  if (log.isPending) return <Loading />;
  return (
    <Page title={t('emailLog.title')} lead={log.data ? t('emailLog.lead', { name: log.data.kommune.name }) : undefined}>
      <nav aria-label={t('answers.breadcrumb')} className="kern-body kern-body--small">
        <Link className="kern-link" to={`/kommunen/${slug}`}>{t('emailLog.backToKommune')}</Link>
      </nav>
      <ErrorSummary error={log.error} />
      {log.data && !log.data.isMailConfigured ? <Alert tone="warning" title={t('reminders.noMail')}>{t('reminders.noMailText')}</Alert> : null}
      {log.data ? (
        log.data.entries.length === 0 ? <p className="kern-body">{t('emailLog.none')}</p> : (
          <TableRegion labelledBy="email-log-caption">
            <table className="kern-table kern-table--small stacked-table" role="table">
              <caption id="email-log-caption" className="kern-sr-only">{t('emailLog.title')}</caption>
              <thead className="kern-table__head" role="rowgroup">
                <tr className="kern-table__row" role="row">
                  <th scope="col" className="kern-table__header" role="columnheader">{t('emailLog.when')}</th>
                  <th scope="col" className="kern-table__header" role="columnheader">{t('emailLog.kind')}</th>
                  <th scope="col" className="kern-table__header" role="columnheader">{t('emailLog.recipient')}</th>
                  <th scope="col" className="kern-table__header" role="columnheader">{t('emailLog.subject')}</th>
                  <th scope="col" className="kern-table__header" role="columnheader">{t('emailLog.state')}</th>
                </tr>
              </thead>
              <tbody className="kern-table__body" role="rowgroup">
                {log.data.entries.map((entry) => (
                  <tr className="kern-table__row" key={entry.id} role="row">
                    <td className="kern-table__cell" role="cell" data-label={t('emailLog.when')}>{formatDateTime(entry.sentAt ?? entry.createdAt)}</td>
                    <td className="kern-table__cell" role="cell" data-label={t('emailLog.kind')}>{entry.kindLabel}</td>
                    <td className="kern-table__cell" role="cell" data-label={t('emailLog.recipient')}>{entry.recipient}</td>
                    <th scope="row" className="kern-table__cell" role="rowheader" data-label={t('emailLog.subject')}>{entry.subject}</th>
                    <td className="kern-table__cell" role="cell" data-label={t('emailLog.state')}>
                      {entry.stateLabel}
                      {entry.error ? <span className="kern-body kern-body--small"> – {entry.error}</span> : null}
                      {entry.state === 'pending' && entry.error ? <span className="kern-body kern-body--small"> {t('emailLog.nextAttempt', { time: formatDateTime(entry.dueAt) })}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )
      ) : null}
    </Page>
  );
}
