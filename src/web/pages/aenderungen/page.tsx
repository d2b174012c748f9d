import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { catalogVersionOf } from '../../../domain/round-change.ts';
import { api } from '../../api/client.ts';
import type { RoundChanges } from '../../api/types.ts';
import { ErrorSummary } from '../../components/form.tsx';
import { Loading, Page } from '../../components/page.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { formatDateTime } from '../../format.ts';

/** Shows a before/after value of a change in words. */
function describe(value: Record<string, unknown> | null, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (!value) return '–';
  return Object.entries(value)
    .filter(([, entry]) => entry !== null && entry !== '' && !(Array.isArray(entry) && entry.length === 0))
    .map(([key, entry]) => {
      const text =
        key === 'value' || key === 'rating'
          ? t(`answerLabels.${String(entry)}`)
          : key === 'status'
            ? t(`changes.statusValues.${String(entry)}`)
            : key === 'periodPrecision'
              ? t(`round.periodPrecisions.${String(entry)}`)
              : key === 'catalogVersionId'
                ? catalogVersionOf(String(entry))
                : Array.isArray(entry)
                  ? entry.join(', ')
                  : String(entry);
      return `${t(`changes.keys.${key}`)}: ${text}`;
    })
    .join('; ') || '–';
}

/** Who changed which answer, rating or setting, when, from what to what. */
export default function ChangesPage() {
  const { t } = useTranslation();
  const { slug = '', number = '' } = useParams();
  const data = useQuery({
    queryKey: ['changes', slug, number],
    queryFn: () => api<RoundChanges>('GET', `/api/kommunen/${slug}/rounds/${number}/changes`),
  });
  if (data.isPending) return <Loading />;
  return (
    <Page title={t('changes.title', { number })} lead={t('changes.lead')}>
      <nav aria-label={t('answers.breadcrumb')} className="kern-body kern-body--small">
        <Link className="kern-link" to={`/kommunen/${slug}/selbstcheck/${number}`}>{t('answers.backToRound', { number })}</Link>
      </nav>
      <ErrorSummary error={data.error} />
      {data.data ? (
        data.data.changes.length === 0 ? <p className="kern-body">{t('changes.none')}</p> : (
          <TableRegion labelledBy="changes-caption">
            <table className="kern-table kern-table--small">
              <caption id="changes-caption" className="kern-sr-only">{t('changes.title', { number })}</caption>
              <thead className="kern-table__head">
                <tr className="kern-table__row">
                  <th scope="col" className="kern-table__header">{t('changes.when')}</th>
                  <th scope="col" className="kern-table__header">{t('changes.who')}</th>
                  <th scope="col" className="kern-table__header">{t('changes.what')}</th>
                  <th scope="col" className="kern-table__header">{t('changes.before')}</th>
                  <th scope="col" className="kern-table__header">{t('changes.after')}</th>
                </tr>
              </thead>
              <tbody className="kern-table__body">
                {data.data.changes.map((change) => (
                  <tr className="kern-table__row" key={change.id}>
                    <td className="kern-table__cell">{formatDateTime(change.at)}</td>
                    <td className="kern-table__cell">{change.changedByName ?? t('changes.unknownPerson')}</td>
                    <th scope="row" className="kern-table__cell">{t(`changes.kinds.${change.kind}`, { subject: t(`changes.subjects.${change.subject}`, { defaultValue: change.subject }) })}</th>
                    <td className="kern-table__cell">{describe(change.before, t)}</td>
                    <td className="kern-table__cell">{describe(change.after, t)}</td>
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
