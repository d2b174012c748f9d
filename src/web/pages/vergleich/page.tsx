import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { ErrorSummary, SelectField } from '../../components/form.tsx';
import { Loading, Page } from '../../components/page.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import '../../i18n/later.ts';

type Change = 'besser' | 'gleich' | 'schlechter' | null;

interface Comparison {
  older: { number: number; overall: number | null };
  newer: { number: number; overall: number | null };
  summary: { besser: number; gleich: number; schlechter: number };
  fields: {
    key: string;
    name: string;
    before: number | null;
    after: number | null;
    change: Change;
    criteria: { key: string; name: string; before: { symbol: string; label: string | null }; after: { symbol: string; label: string | null }; change: Change }[];
  }[];
}

interface Peers {
  sizeClassLabel: string | null;
  hasOwnResult: boolean;
  fields: { key: string; name: string; own: number | null; group: { count: number; q1: number; median: number; q3: number } | null }[] | null;
}

const percent = (value: number | null) => (value === null ? '–' : `${value} %`);

function ChangeText({ change }: { change: Change }) {
  const { t } = useTranslation();
  if (!change) return <>–</>;
  return <span className={`change change--${change}`}>{t(`comparison.changes.${change}`)}</span>;
}

function RoundComparison({ slug, rounds }: { slug: string; rounds: { number: number; status: string }[] }) {
  const { t } = useTranslation();
  const captionId = useId();
  const numbers = rounds.map((round) => round.number).sort((a, b) => a - b);
  const [from, setFrom] = useState(String(numbers.at(-2)));
  const [to, setTo] = useState(String(numbers.at(-1)));
  const comparison = useQuery({
    queryKey: ['comparison', slug, from, to],
    queryFn: () => api<Comparison>('GET', `/api/kommunen/${slug}/comparison?from=${from}&to=${to}`),
  });
  const options = numbers.map((number) => ({ value: String(number), label: t('comparison.round', { number }) }));
  return (
    <section aria-labelledby="rounds-heading" className="kern-stack-sm">
      <h2 id="rounds-heading" className="kern-heading kern-title">{t('comparison.roundsTitle')}</h2>
      <div className="filter-grid">
        <SelectField label={t('comparison.from')} name="from" value={from} onChange={setFrom} options={options} />
        <SelectField label={t('comparison.to')} name="to" value={to} onChange={setTo} options={options} />
      </div>
      <ErrorSummary error={comparison.error} />
      {comparison.data ? (
        <>
          <p className="kern-body" role="status">
            {t('comparison.summary', { ...comparison.data.summary, from: comparison.data.older.number, to: comparison.data.newer.number, before: percent(comparison.data.older.overall), after: percent(comparison.data.newer.overall) })}
          </p>
          <TableRegion labelledBy={captionId}>
            <table className="kern-table">
              <caption className="kern-title" id={captionId}>{t('comparison.caption', { from: comparison.data.older.number, to: comparison.data.newer.number })}</caption>
              <thead className="kern-table__head">
                <tr className="kern-table__row">
                  <th scope="col" className="kern-table__header">{t('comparison.criterion')}</th>
                  <th scope="col" className="kern-table__header">{t('comparison.round', { number: comparison.data.older.number })}</th>
                  <th scope="col" className="kern-table__header">{t('comparison.round', { number: comparison.data.newer.number })}</th>
                  <th scope="col" className="kern-table__header">{t('comparison.change')}</th>
                </tr>
              </thead>
              <tbody className="kern-table__body">
                {comparison.data.fields.flatMap((field) => [
                  <tr className="kern-table__row report-group" key={field.key}>
                    <th scope="row" className="kern-table__cell">{t('comparison.field', { key: field.key, name: field.name })}</th>
                    <td className="kern-table__cell">{percent(field.before)}</td>
                    <td className="kern-table__cell">{percent(field.after)}</td>
                    <td className="kern-table__cell"><ChangeText change={field.change} /></td>
                  </tr>,
                  ...field.criteria.map((criterion) => (
                    <tr className="kern-table__row" key={`${field.key}-${criterion.key}`}>
                      <th scope="row" className="kern-table__cell report-cell">{criterion.name}</th>
                      <td className="kern-table__cell">{criterion.before.label ? `${criterion.before.symbol} ${criterion.before.label}` : '–'}</td>
                      <td className="kern-table__cell">{criterion.after.label ? `${criterion.after.symbol} ${criterion.after.label}` : '–'}</td>
                      <td className="kern-table__cell"><ChangeText change={criterion.change} /></td>
                    </tr>
                  )),
                ])}
              </tbody>
            </table>
          </TableRegion>
        </>
      ) : comparison.isPending ? (
        <Loading />
      ) : null}
    </section>
  );
}

function PeerComparison({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const captionId = useId();
  const peers = useQuery({ queryKey: ['peers', slug], queryFn: () => api<Peers>('GET', `/api/kommunen/${slug}/peers`) });
  const data = peers.data;
  const hasGroup = data?.fields?.some((field) => field.group !== null) ?? false;
  return (
    <section aria-labelledby="peers-heading" className="kern-stack-sm">
      <h2 id="peers-heading" className="kern-heading kern-title">{t('comparison.peersTitle')}</h2>
      <ErrorSummary error={peers.error} />
      {!data ? (
        <Loading />
      ) : !data.hasOwnResult ? (
        <p className="kern-body">{t('comparison.noOwnResult')}</p>
      ) : !data.sizeClassLabel ? (
        <p className="kern-body">{t('comparison.noSizeClass')}</p>
      ) : !hasGroup ? (
        <p className="kern-body">{t('comparison.groupTooSmall', { group: data.sizeClassLabel })}</p>
      ) : (
        <>
          <p className="kern-body">{t('comparison.peersLead', { group: data.sizeClassLabel })}</p>
          <TableRegion labelledBy={captionId}>
            <table className="kern-table">
              <caption className="kern-title" id={captionId}>{t('comparison.peersCaption', { group: data.sizeClassLabel })}</caption>
              <thead className="kern-table__head">
                <tr className="kern-table__row">
                  {['field', 'own', 'q1', 'median', 'q3', 'count'].map((column) => <th scope="col" className="kern-table__header" key={column}>{t(`comparison.columns.${column}`)}</th>)}
                </tr>
              </thead>
              <tbody className="kern-table__body">
                {data.fields!.map((field) => (
                  <tr className="kern-table__row" key={field.key}>
                    <th scope="row" className="kern-table__cell">{field.key}. {field.name}</th>
                    <td className="kern-table__cell">{percent(field.own)}</td>
                    <td className="kern-table__cell">{field.group ? percent(field.group.q1) : '–'}</td>
                    <td className="kern-table__cell">{field.group ? percent(field.group.median) : '–'}</td>
                    <td className="kern-table__cell">{field.group ? percent(field.group.q3) : '–'}</td>
                    <td className="kern-table__cell">{field.group ? field.group.count : t('comparison.fewer')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        </>
      )}
    </section>
  );
}

/** A Kommune's change between two rounds, and its field scores beside Kommunen of its size. */
export default function ComparisonPage() {
  const { t } = useTranslation();
  const { slug = '' } = useParams();
  const rounds = useQuery({ queryKey: ['rounds', slug], queryFn: () => api<{ rounds: { number: number; status: string }[] }>('GET', `/api/kommunen/${slug}/rounds`) });
  if (rounds.isPending) return <Loading />;
  const closedOrAll = rounds.data?.rounds ?? [];
  return (
    <Page title={t('comparison.title')} lead={t('comparison.lead')}>
      <p className="kern-body"><Link className="kern-link" to={`/kommunen/${slug}`}>{t('report.back')}</Link></p>
      <ErrorSummary error={rounds.error} />
      {closedOrAll.length >= 2 ? <RoundComparison slug={slug} rounds={closedOrAll} /> : <p className="kern-body">{t('comparison.oneRound')}</p>}
      <PeerComparison slug={slug} />
    </Page>
  );
}
