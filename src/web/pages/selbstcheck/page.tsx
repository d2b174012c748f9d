import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useCurrentCatalog } from '../../api/catalog.ts';
import { api } from '../../api/client.ts';
import type { StartRoundInput } from '../../../domain/api/rounds.ts';
import type { RoundList } from '../../api/types.ts';
import { ErrorSummary, SelectField } from '../../components/form.tsx';
import { deadlineText } from '../../components/deadline.ts';
import { Loading, Page } from '../../components/page.tsx';
import { formatDate } from '../../format.ts';
import { RoundSettingsForm, type SettingsValues } from './round-settings-form.tsx';

/** The Selbstcheck of a Kommune: its rounds, and for the Koordination the start of a new one. */
export default function SelbstcheckPage() {
  const { t } = useTranslation();
  const { slug = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const catalog = useCurrentCatalog();
  // Versions of the catalog a repeat may use: the newest by default, or an older one kept for comparison.
  const versions = useQuery({ queryKey: ['catalogs'], queryFn: () => api<{ catalogs: { id: string; catalogId: string; version: string; title: string }[] }>('GET', '/api/catalogs') });
  const [catalogVersionId, setCatalogVersionId] = useState('');
  const list = useQuery({ queryKey: ['rounds', slug], queryFn: () => api<RoundList>('GET', `/api/kommunen/${slug}/rounds`) });
  const start = useMutation({
    mutationFn: (values: SettingsValues) =>
      api<{ round: { number: number } }>('POST', `/api/kommunen/${slug}/rounds`, {
        ...values,
        ...(catalogVersionId ? { catalogVersionId } : {}),
        periodStart: values.periodStart || null,
        periodEnd: values.periodEnd || null,
      } satisfies StartRoundInput),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: ['rounds', slug] });
      await navigate(`/kommunen/${slug}/selbstcheck/${result.round.number}`);
    },
  });
  if (list.isPending) return <Loading />;
  if (!list.data) return <Page title={t('round.listTitle')}><ErrorSummary error={list.error} /></Page>;
  const { kommune, rounds, canStart } = list.data;
  return (
    <Page title={t('round.listTitle')} lead={kommune.name}>
      <nav aria-label={t('answers.breadcrumb')} className="kern-body kern-body--small">
        <Link className="kern-link" to={`/kommunen/${slug}`}>{t('round.backToKommune', { name: kommune.name })}</Link>
      </nav>
      {rounds.length === 0 ? <p className="kern-body">{t('round.none')}</p> : (
        <ul className="kern-list round-list">
          {rounds.map((round) => (
            <li key={round.number}>
              <Link className="kern-link" to={`/kommunen/${slug}/selbstcheck/${round.number}`}>
                {t('round.name', { number: round.number })}
              </Link>{' '}
              <span className={`kern-badge kern-badge--small ${round.status === 'open' ? 'kern-badge--info' : 'kern-badge--success'}`}>
                {t(`round.status.${round.status}`)}
              </span>{' '}
              <span className="kern-body kern-body--small">
                {t('round.startedOn', { date: formatDate(round.createdAt) })}
                {round.closedAt ? ` · ${t('round.closedOn', { date: formatDate(round.closedAt) })}` : ''}
                {round.status === 'open' && round.deadline ? ` · ${deadlineText(round.deadline)}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      {canStart && catalog.data ? (
        <section aria-labelledby="start-heading" className="kern-stack narrow">
          <h2 id="start-heading" className="kern-heading kern-title">{t('round.startTitle')}</h2>
          <p className="kern-body">{t('round.startLead', { catalog: `${catalog.data.catalog.title} ${catalog.data.catalog.version}` })}</p>
          {versions.data && versions.data.catalogs.filter((entry) => entry.catalogId === catalog.data.catalog.id).length > 1 ? (
            <SelectField
              label={t('round.catalogVersion')}
              hint={t('round.catalogVersionHint')}
              name="catalogVersionId"
              value={catalogVersionId}
              onChange={setCatalogVersionId}
              placeholder={t('round.catalogNewest', { version: catalog.data.catalog.version })}
              options={versions.data.catalogs.filter((entry) => entry.catalogId === catalog.data.catalog.id).map((entry) => ({ value: entry.id, label: `${entry.title} ${entry.version}` }))}
            />
          ) : null}
          <RoundSettingsForm
            initial={{ periodStart: '', periodEnd: '', periodPrecision: 'day', workedFieldKeys: catalog.data.catalog.fields.map((field) => field.key), participants: '' }}
            submitLabel={t('round.start')}
            onSubmit={(values) => start.mutate(values)}
            isBusy={start.isPending}
            error={start.error}
          />
        </section>
      ) : null}
    </Page>
  );
}
