import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { ErrorSummary, SelectField, TextField } from '../../components/form.tsx';
import { Loading, Page } from '../../components/page.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { formatDate, formatNumber } from '../../format.ts';
import { displayPercent } from '../../../domain/scoring.ts';
import '../../i18n/later.ts';

interface Overview {
  total: number;
  matching: number;
  page: number;
  pageSize: number;
  kommunen: {
    slug: string;
    name: string;
    kind: string;
    bundesland: string;
    modules: number[];
    stage: string;
    stageLabel: string;
    progress: number;
    lastActivity: string;
    round: { number: number; status: 'open' | 'closed' } | null;
    resultPercent: number | null;
  }[];
  filters: { bundeslaender: string[]; kinds: string[]; stages: { key: string; label: string; count: number }[] };
  levels: { index: number; text: string; minScore: number; count: number }[];
  heatMap: { ratings: { key: string; label: string; symbol: string }[]; criteria: { key: string; name: string; fieldKey: string; counts: Record<string, number>; total: number }[] };
  workshopFields: { key: string; name: string; count: number }[];
}

const sorts = ['name', 'stage', 'progress', 'activity', 'result'] as const;

function Table({ caption, children, head }: { caption: string; head: string[]; children: React.ReactNode }) {
  const id = useId();
  return (
    <TableRegion labelledBy={id}>
      <table className="kern-table">
        <caption className="kern-title" id={id}>{caption}</caption>
        <thead className="kern-table__head">
          <tr className="kern-table__row">
            {head.map((label) => <th scope="col" className="kern-table__header" key={label}>{label}</th>)}
          </tr>
        </thead>
        <tbody className="kern-table__body">{children}</tbody>
      </table>
    </TableRegion>
  );
}

/** A share as text and as a bar; the text carries the information, the bar only repeats it. */
function Share({ count, total }: { count: number; total: number }) {
  const percent = total ? displayPercent((count / total) * 100) : 0;
  return (
    <span className="share">
      <span className="share__bar" aria-hidden="true"><span style={{ width: `${percent}%` }} /></span>
      {formatNumber(count)} ({percent} %)
    </span>
  );
}

/** Programmteam: every Kommune's stage and progress, and what the closed rounds say together. */
export default function OverviewPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [land, setLand] = useState('');
  const [kind, setKind] = useState('');
  const [stage, setStage] = useState('');
  const [sort, setSort] = useState<(typeof sorts)[number]>('name');
  const [descending, setDescending] = useState('0');
  const [page, setPage] = useState(1);
  const params = new URLSearchParams({ sortierung: sort, absteigend: descending, seite: String(page) });
  if (search.trim()) params.set('q', search.trim());
  if (land) params.set('land', land);
  if (kind) params.set('art', kind);
  if (stage) params.set('stufe', stage);
  const overview = useQuery({ queryKey: ['overview', params.toString()], queryFn: () => api<Overview>('GET', `/api/programme/overview?${params}`), placeholderData: (previous) => previous });
  const data = overview.data;
  const filter = (setter: (value: string) => void) => (value: string) => {
    setter(value);
    setPage(1);
  };
  const pages = data ? Math.max(1, Math.ceil(data.matching / data.pageSize)) : 1;
  const heatTotal = (counts: Record<string, number>) => Object.values(counts).reduce((sum, count) => sum + count, 0);
  return (
    <Page title={t('overview.title')} lead={t('overview.lead')}>
      <div className="toolbar">
        <a className="kern-btn kern-btn--secondary" href="/api/programme/ratings/xlsx" download>
          <span className="kern-icon kern-icon--download" aria-hidden="true" />
          <span className="kern-label">{t('overview.exportXlsx')}</span>
        </a>
        <a className="kern-btn kern-btn--secondary" href="/api/programme/ratings/csv" download>
          <span className="kern-icon kern-icon--download" aria-hidden="true" />
          <span className="kern-label">{t('overview.exportCsv')}</span>
        </a>
      </div>
      <ErrorSummary error={overview.error} />
      {!data ? (
        <Loading />
      ) : (
        <>
          <section aria-labelledby="filter-heading" className="kern-stack-sm">
            <h2 id="filter-heading" className="kern-heading kern-title">{t('overview.filterTitle')}</h2>
            <div className="filter-grid" role="search" aria-label={t('overview.filterTitle')}>
              <TextField label={t('overview.search')} name="q" isOptional value={search} onChange={filter(setSearch)} />
              <SelectField label={t('fields.bundesland')} name="land" value={land} onChange={filter(setLand)} placeholder={t('overview.all')} options={data.filters.bundeslaender.map((value) => ({ value, label: value }))} />
              <SelectField label={t('fields.kind')} name="art" value={kind} onChange={filter(setKind)} placeholder={t('overview.all')} options={data.filters.kinds.map((value) => ({ value, label: t(`kinds.${value}`) }))} />
              <SelectField label={t('overview.stage')} name="stufe" value={stage} onChange={filter(setStage)} placeholder={t('overview.all')} options={data.filters.stages.map((entry) => ({ value: entry.key, label: `${entry.label} (${formatNumber(entry.count)})` }))} />
              <SelectField label={t('overview.sort')} name="sortierung" value={sort} onChange={(value) => setSort(value as (typeof sorts)[number])} options={sorts.map((value) => ({ value, label: t(`overview.sorts.${value}`) }))} />
              <SelectField label={t('overview.order')} name="absteigend" value={descending} onChange={setDescending} options={[{ value: '0', label: t('overview.ascending') }, { value: '1', label: t('overview.descending') }]} />
            </div>
            <p className="kern-body" role="status">{t('overview.matching', { matching: formatNumber(data.matching), total: formatNumber(data.total) })}</p>
          </section>

          <Table caption={t('overview.kommunenCaption', { page: data.page, pages })} head={[t('fields.name'), t('fields.kind'), t('fields.bundesland'), t('fields.modules'), t('overview.stage'), t('overview.progress'), t('overview.lastActivity'), t('overview.result')]}>
            {data.kommunen.map((entry) => (
              <tr className="kern-table__row" key={entry.slug}>
                <th scope="row" className="kern-table__cell"><Link className="kern-link" to={`/kommunen/${entry.slug}`}>{entry.name}</Link></th>
                <td className="kern-table__cell">{t(`kinds.${entry.kind}`)}</td>
                <td className="kern-table__cell">{entry.bundesland}</td>
                <td className="kern-table__cell">{entry.modules.join(', ')}</td>
                <td className="kern-table__cell">{entry.stageLabel}</td>
                <td className="kern-table__cell">
                  <span className="share">
                    <span className="share__bar" aria-hidden="true"><span style={{ width: `${entry.progress}%` }} /></span>
                    {entry.progress} %
                  </span>
                </td>
                <td className="kern-table__cell">{formatDate(entry.lastActivity)}</td>
                <td className="kern-table__cell">{entry.resultPercent === null ? '–' : `${entry.resultPercent} %`}</td>
              </tr>
            ))}
          </Table>
          {pages > 1 ? (
            <nav aria-label={t('overview.pages')} className="toolbar">
              <button type="button" className="kern-btn kern-btn--secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}><span className="kern-label">{t('overview.previous')}</span></button>
              <span className="kern-body">{t('overview.pageOf', { page, pages })}</span>
              <button type="button" className="kern-btn kern-btn--secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}><span className="kern-label">{t('overview.next')}</span></button>
            </nav>
          ) : null}

          <section aria-labelledby="levels-heading" className="kern-stack-sm">
            <h2 id="levels-heading" className="kern-heading kern-title">{t('overview.levelsTitle')}</h2>
            <p className="kern-body">{t('overview.levelsLead')}</p>
            <Table caption={t('overview.levelsCaption')} head={[t('overview.level'), t('overview.kommunen')]}>
              {data.levels.map((level) => (
                <tr className="kern-table__row" key={level.index}>
                  <th scope="row" className="kern-table__cell">{level.text}</th>
                  <td className="kern-table__cell"><Share count={level.count} total={data.levels.reduce((sum, entry) => sum + entry.count, 0)} /></td>
                </tr>
              ))}
            </Table>
          </section>

          <section aria-labelledby="heat-heading" className="kern-stack-sm">
            <h2 id="heat-heading" className="kern-heading kern-title">{t('overview.heatTitle')}</h2>
            <p className="kern-body">{t('overview.heatLead')}</p>
            <Table caption={t('overview.heatCaption')} head={[t('overview.criterion'), ...data.heatMap.ratings.map((rating) => `${rating.symbol} ${rating.label}`)]}>
              {data.heatMap.criteria.map((criterion) => {
                const total = heatTotal(criterion.counts);
                return (
                  <tr className="kern-table__row" key={criterion.key}>
                    <th scope="row" className="kern-table__cell">{criterion.key} {criterion.name}</th>
                    {data.heatMap.ratings.map((rating) => {
                      const count = criterion.counts[rating.key] ?? 0;
                      const share = total ? count / total : 0;
                      return (
                        <td className={`kern-table__cell heat heat--${Math.min(4, Math.ceil(share * 4))}`} key={rating.key}>
                          {formatNumber(count)}
                          {total ? <span className="heat__share"> ({displayPercent(share * 100)} %)</span> : null}
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
            </Table>
          </section>

          <section aria-labelledby="fields-heading" className="kern-stack-sm">
            <h2 id="fields-heading" className="kern-heading kern-title">{t('overview.fieldsTitle')}</h2>
            <Table caption={t('overview.fieldsCaption')} head={[t('overview.field'), t('overview.kommunen')]}>
              {data.workshopFields.map((field) => (
                <tr className="kern-table__row" key={field.key}>
                  <th scope="row" className="kern-table__cell">{field.key}. {field.name}</th>
                  <td className="kern-table__cell"><Share count={field.count} total={data.matching} /></td>
                </tr>
              ))}
            </Table>
          </section>
        </>
      )}
    </Page>
  );
}
