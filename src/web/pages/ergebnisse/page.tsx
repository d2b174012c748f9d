import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import type { RoundResults } from '../../api/types.ts';
import { ErrorSummary } from '../../components/form.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { TableRegion } from '../../components/table-region.tsx';

const percent = (value: number | null) => (value === null ? '–' : `${value.toLocaleString('de-DE')} %`);

/** Results of a round, as in section 3 of the final report, plus chart, field scores and knowledge gaps. */
export default function ResultsPage() {
  const { t } = useTranslation();
  const { slug = '', number = '' } = useParams();
  const apiBase = `/api/kommunen/${slug}/rounds/${number}`;
  const data = useQuery({ queryKey: ['results', slug, number], queryFn: () => api<RoundResults>('GET', `${apiBase}/results`) });
  if (data.isPending) return <Loading />;
  if (!data.data) return <Page title={t('results.title', { number })}><ErrorSummary error={data.error} /></Page>;
  const { kommune, round, overall, levels, legend, fields } = data.data;
  const worked = fields.filter((field) => field.isWorked);
  return (
    <Page title={t('results.title', { number })} lead={kommune.name}>
      <nav aria-label={t('answers.breadcrumb')} className="kern-body kern-body--small">
        <Link className="kern-link" to={`/kommunen/${slug}/selbstcheck/${number}`}>{t('answers.backToRound', { number })}</Link>
      </nav>
      {round.status === 'open' ? <Alert tone="info" title={t('results.provisional')} /> : null}

      <section aria-labelledby="overall-heading" className="kern-stack-sm">
        <h2 id="overall-heading" className="kern-heading kern-title">{t('results.overall')}</h2>
        <p className="kern-body">
          {worked.length === fields.length ? t('results.allFieldsWorked', { count: fields.length }) : t('results.someFieldsWorked', { worked: worked.length, total: fields.length })}
        </p>
        {overall.levelText ? (
          <>
            <p className="overall-level">„{overall.levelText}“</p>
            <p className="kern-body">{t('results.overallScore', { score: percent(overall.displayPercent) })}</p>
          </>
        ) : (
          <p className="kern-body">{t('results.noScore')}</p>
        )}
        <h3 className="kern-heading kern-title kern-title--small" id="scale-heading">{t('results.scale')}</h3>
        <ol className="level-scale" aria-labelledby="scale-heading">
          {levels.map((level, index) => {
            const next = levels[index + 1];
            const isHere = overall.levelIndex === index;
            return (
              <li key={level.minScore} className={isHere ? 'level-scale__step is-here' : 'level-scale__step'} aria-current={isHere ? 'step' : undefined}>
                <span className="level-scale__range">
                  {next ? t('catalog.levelRange', { from: level.minScore, to: next.minScore }) : t('catalog.levelFrom', { from: level.minScore })}
                </span>
                <span className="level-scale__text">{level.text}</span>
                {isHere ? <strong className="level-scale__marker">{t('results.youAreHere', { score: percent(overall.displayPercent) })}</strong> : null}
              </li>
            );
          })}
        </ol>
      </section>

      <section aria-labelledby="chart-heading" className="kern-stack-sm">
        <h2 id="chart-heading" className="kern-heading kern-title">{t('results.byField')}</h2>
        <div className="results-chart-and-table">
          <figure className="results-chart">
            <img
              src={`${apiBase}/results/radar.svg`}
              width={640}
              height={520}
              alt={t('results.chartAlt', {
                values: fields.map((field) => `${field.key}. ${field.name}: ${field.isWorked ? percent(field.displayPercent) : t('results.notWorked')}`).join('; '),
              })}
            />
            <figcaption className="kern-body kern-body--small">{t('results.chartCaption')}</figcaption>
          </figure>
          <TableRegion labelledBy="scores-caption">
            <table className="kern-table">
              <caption id="scores-caption" className="kern-title kern-title--small">{t('results.scoresCaption')}</caption>
              <thead className="kern-table__head">
                <tr className="kern-table__row">
                  <th scope="col" className="kern-table__header">{t('round.field')}</th>
                  <th scope="col" className="kern-table__header kern-table__header--numeric">{t('results.score')}</th>
                  <th scope="col" className="kern-table__header kern-table__header--numeric">{t('results.gap')}</th>
                </tr>
              </thead>
              <tbody className="kern-table__body">
                {fields.map((field) => (
                  <tr className="kern-table__row" key={field.key}>
                    <th scope="row" className="kern-table__cell">{field.key}. {field.name}</th>
                    <td className="kern-table__cell kern-table__cell--numeric">{field.isWorked ? percent(field.displayPercent) : t('results.notWorked')}</td>
                    <td className="kern-table__cell kern-table__cell--numeric">{field.isWorked ? percent(field.knowledgeGap === null ? null : Math.round(field.knowledgeGap)) : '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        </div>
        <p className="kern-body kern-body--small">{t('results.gapExplained')}</p>
      </section>

      <section aria-labelledby="criteria-heading" className="kern-stack-sm">
        <h2 id="criteria-heading" className="kern-heading kern-title">{t('results.criteriaTitle')}</h2>
        <TableRegion labelledBy="criteria-caption">
          <table className="kern-table results-table">
            <caption id="criteria-caption" className="kern-sr-only">{t('results.criteriaCaption')}</caption>
            <thead className="kern-table__head">
              <tr className="kern-table__row">
                <th scope="col" className="kern-table__header">{t('results.criterion')}</th>
                <th scope="col" className="kern-table__header">{t('results.rating')}</th>
              </tr>
            </thead>
            {fields.map((field) => (
              <tbody className="kern-table__body" key={field.key}>
                <tr className="kern-table__row field-row">
                  <th scope="colgroup" colSpan={2} className="kern-table__cell">
                    {t('results.fieldRow', { number: field.key, name: field.name })}
                    {field.isWorked ? '' : ` – ${t('results.notWorked')}`}
                  </th>
                </tr>
                {field.isWorked
                  ? field.criteria.map((criterion) => (
                      <tr className="kern-table__row" key={criterion.key}>
                        <th scope="row" className="kern-table__cell criterion-name">{criterion.name}</th>
                        <td className="kern-table__cell">
                          <span className="symbol" aria-hidden="true">{criterion.symbol}</span>{' '}
                          <span className="rating-label">{criterion.ratingLabel}</span>
                          {criterion.consolidatedRating ? <span className="kern-body kern-body--small"> ({t('results.consolidated')})</span> : null}
                        </td>
                      </tr>
                    ))
                  : null}
              </tbody>
            ))}
          </table>
        </TableRegion>
        <h3 className="kern-heading kern-title kern-title--small">{t('results.legend')}</h3>
        <ul className="kern-list legend">
          {legend.map((entry) => (
            <li key={entry.key}>
              <span className="symbol" aria-hidden="true">{entry.symbol}</span> = {entry.label}
            </li>
          ))}
        </ul>
      </section>
    </Page>
  );
}
