import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { displayPercent, isRadarChart } from '../../../domain/scoring.ts';
import { backsCriterion } from '../../../domain/evidence-file.ts';
import { useBelege } from '../../api/belege.ts';
import { BelegLink } from '../../components/evidence-links.tsx';
import { api } from '../../api/client.ts';
import { criteriaWithSuggestions } from '../../api/results.ts';
import type { RoundResults } from '../../api/types.ts';
import { FieldScoreBars } from '../../components/field-score-bars.tsx';
import { CheckboxField, ErrorSummary } from '../../components/form.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { TableRegion } from '../../components/table-region.tsx';

type Field = RoundResults['fields'][number];

const percent = (value: number | null) => (value === null ? '–' : `${value.toLocaleString('de-DE')} %`);
const germanList = new Intl.ListFormat('de', { type: 'conjunction' });

/** What the page says about one field's value: a percentage, „noch kein Wert“ or „nicht bearbeitet“. */
function fieldValue(field: Field, t: (key: string) => string): string {
  if (!field.isWorked) return t('results.notWorked');
  return field.displayPercent === null ? t('results.noValue') : percent(field.displayPercent);
}

/** Results of a round, as in section 3 of the final report, plus chart, field scores and knowledge gaps. */
export default function ResultsPage() {
  const { t } = useTranslation();
  const { slug = '', number = '' } = useParams();
  const apiBase = `/api/kommunen/${slug}/rounds/${number}`;
  const data = useQuery({ queryKey: ['results', slug, number], queryFn: () => api<RoundResults>('GET', `${apiBase}/results`) });
  const belege = useBelege(slug);
  const [onlyWithoutBeleg, setOnlyWithoutBeleg] = useState(false);
  if (data.isPending) return <Loading />;
  if (!data.data) return <Page title={t('results.title', { number })}><ErrorSummary error={data.error} /></Page>;
  const { kommune, round, overall, levels, legend, fields } = data.data;
  const worked = fields.filter((field) => field.isWorked);
  const roundNumber = Number(number);
  // Lesende get only the released Belege, so they see a criterion as backed only by what they may open.
  const belegeOf = (criterionKey: string) => (belege.data?.documents ?? []).filter((beleg) => backsCriterion(beleg.links, roundNumber, criterionKey));
  const shownCriteria = (field: (typeof fields)[number]) => field.criteria.filter((criterion) => !onlyWithoutBeleg || belegeOf(criterion.key).length === 0);
  const withoutValue = worked.filter((field) => field.displayPercent === null);
  const openCriteria = worked.reduce((sum, field) => sum + field.openCriterionCount, 0);
  const fieldsWithOpen = worked.filter((field) => field.openCriterionCount > 0).length;
  const answered = worked.reduce((sum, field) => sum + field.answeredQuestionCount, 0);
  const questions = worked.reduce((sum, field) => sum + field.questionCount, 0);
  const isComplete = !overall.isProvisional && withoutValue.length === 0 && answered === questions;
  const isRadar = isRadarChart(overall.scoredFieldCount);
  const fieldLabel = (field: Field) => `${field.key}. ${field.name}`;
  const suggestionsByField = criteriaWithSuggestions(fields);
  return (
    <Page title={t('results.title', { number })} lead={kommune.name}>
      <nav aria-label={t('answers.breadcrumb')} className="kern-body kern-body--small toolbar">
        <Link className="kern-link" to={`/kommunen/${slug}/selbstcheck/${number}`}>{t('answers.backToRound', { number })}</Link>
        <Link className="kern-link" to={`/kommunen/${slug}/selbstcheck/${number}/umfrage`}>{t('survey.roundLink')}</Link>
      </nav>
      {overall.isProvisional ? (
        <Alert tone="warning" title={t('results.provisionalTitle')}>
          <ul className="kern-list kern-list--bullet">
            {round.status === 'open' ? <li>{t('results.provisionalOpenRound')}</li> : null}
            {openCriteria > 0 ? <li>{t('results.provisionalOpenCriteria', { count: openCriteria, fields: t('results.inFields', { count: fieldsWithOpen }) })}</li> : null}
          </ul>
        </Alert>
      ) : null}

      <section aria-labelledby="overall-heading" className="kern-stack-sm">
        <h2 id="overall-heading" className="kern-heading kern-title">{t('results.overall')}</h2>
        <p className="kern-body">
          {worked.length === fields.length
            ? isComplete
              ? t('results.allFieldsWorked', { count: fields.length })
              : t('results.allFieldsChosen', { count: fields.length })
            : isComplete
              ? t('results.someFieldsWorked', { worked: worked.length, total: fields.length })
              : t('results.someFieldsChosen', { worked: worked.length, total: fields.length })}{' '}
          {worked.length > 0 ? t('results.answeredInWorked', { answered, total: questions }) : null}
        </p>
        {withoutValue.length > 0 && overall.levelText ? (
          <p className="kern-body">
            {t('results.basedOn', { scored: overall.scoredFieldCount, worked: overall.workedFieldCount, fields: germanList.format(withoutValue.map(fieldLabel)) })}
          </p>
        ) : null}
        {overall.levelText ? (
          <>
            <p className="overall-level">
              {overall.isProvisional ? <span className="provisional-badge">{t('results.provisionalWord')}</span> : null}
              „{overall.levelText}“
            </p>
            <p className="kern-body">
              {t(overall.scoredFieldCount === overall.workedFieldCount ? 'results.overallScore' : 'results.overallScorePartial', { score: percent(overall.displayPercent), count: overall.scoredFieldCount })}
              {overall.isProvisional ? ` ${t('results.overallProvisional')}` : ''}
            </p>
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
                {isHere ? (
                  <strong className="level-scale__marker">
                    {t(overall.isProvisional ? 'results.youAreHereProvisional' : 'results.youAreHere', { score: percent(overall.displayPercent) })}
                  </strong>
                ) : null}
              </li>
            );
          })}
        </ol>
        <p className="kern-body kern-body--small">{t('results.roundingRule')}</p>
      </section>

      <section aria-labelledby="chart-heading" className="kern-stack-sm">
        <h2 id="chart-heading" className="kern-heading kern-title">{t('results.byField')}</h2>
        {/* On a phone the drawn chart's labels would be a few pixels high: the same values as bars in HTML instead. */}
        <figure className="results-chart chart-wide">
          <img
            src={`${apiBase}/results/radar.svg`}
            width={640}
            height={520}
            alt={t(isRadar ? 'results.chartAlt' : 'results.chartAltBars', {
              values: fields
                .map((field) => `${fieldLabel(field)}: ${field.isWorked && field.displayPercent !== null ? percent(field.displayPercent) : `${fieldValue(field, t)}, ${t('results.notDrawn')}`}`)
                .join('; '),
            })}
          />
          <figcaption className="kern-body kern-body--small">{t(isRadar ? 'results.chartCaption' : 'results.chartCaptionBars')}</figcaption>
        </figure>
        <FieldScoreBars
          bars={fields.map((field) => ({ label: fieldLabel(field), percent: field.isWorked ? field.displayPercent : null, text: fieldValue(field, t) }))}
          caption={t('results.barsCaption')}
        />
        <TableRegion labelledBy="scores-caption">
          <table className="kern-table field-results">
            <caption id="scores-caption" className="kern-title kern-title--small">{t('results.scoresCaption')}</caption>
            <thead className="kern-table__head">
              <tr className="kern-table__row">
                <th scope="col" className="kern-table__header">{t('round.field')}</th>
                <th scope="col" className="kern-table__header kern-table__header--numeric">{t('results.score')}</th>
                <th scope="col" className="kern-table__header kern-table__header--numeric">{t('results.answeredQuestions')}</th>
                <th scope="col" className="kern-table__header kern-table__header--numeric">{t('results.respondents')}</th>
                <th scope="col" className="kern-table__header kern-table__header--numeric">{t('results.openCriteria')}</th>
                <th scope="col" className="kern-table__header kern-table__header--numeric">{t('results.notApplicable')}</th>
                <th scope="col" className="kern-table__header kern-table__header--numeric">{t('results.gap')}</th>
              </tr>
            </thead>
            <tbody className="kern-table__body">
              {fields.map((field) => (
                <tr className="kern-table__row" key={field.key}>
                  <th scope="row" className="kern-table__cell">{fieldLabel(field)}</th>
                  <td className={`kern-table__cell kern-table__cell--numeric${field.isWorked && field.displayPercent === null ? ' no-value' : ''}`}>{fieldValue(field, t)}</td>
                  {field.isWorked ? (
                    <>
                      <td className="kern-table__cell kern-table__cell--numeric">{t('results.ofTotal', { answered: field.answeredQuestionCount, total: field.questionCount })}</td>
                      <td className="kern-table__cell kern-table__cell--numeric">{field.respondentCount}</td>
                      <td className="kern-table__cell kern-table__cell--numeric">{field.openCriterionCount}</td>
                      <td className="kern-table__cell kern-table__cell--numeric">{field.notApplicableCriterionCount}</td>
                      <td className="kern-table__cell kern-table__cell--numeric">{percent(field.knowledgeGap === null ? null : displayPercent(field.knowledgeGap))}</td>
                    </>
                  ) : (
                    [1, 2, 3, 4, 5].map((cell) => <td className="kern-table__cell kern-table__cell--numeric" key={cell}>–</td>)
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
        <p className="kern-body kern-body--small">{t('results.gapExplained')}</p>
      </section>

      <section aria-labelledby="criteria-heading" className="kern-stack-sm">
        <h2 id="criteria-heading" className="kern-heading kern-title">{t('results.criteriaTitle')}</h2>
        {belege.data ? (
          <>
            <CheckboxField name="ohne-beleg" label={t('consolidation.onlyWithoutBeleg')} checked={onlyWithoutBeleg} onChange={setOnlyWithoutBeleg} />
            <p className="kern-body" role="status">
              {onlyWithoutBeleg ? t('consolidation.shownCount', { count: worked.reduce((sum, field) => sum + shownCriteria(field).length, 0) }) : ''}
            </p>
          </>
        ) : null}
        <TableRegion labelledBy="criteria-caption">
          <table className="kern-table results-table">
            <caption id="criteria-caption" className="kern-sr-only">{t('results.criteriaCaption')}</caption>
            <thead className="kern-table__head">
              <tr className="kern-table__row">
                <th scope="col" className="kern-table__header">{t('results.criterion')}</th>
                <th scope="col" className="kern-table__header">{t('results.rating')}</th>
                <th scope="col" className="kern-table__header">{t('results.belege')}</th>
              </tr>
            </thead>
            {fields.map((field) => (
              <tbody className="kern-table__body" key={field.key}>
                <tr className="kern-table__row field-group-row">
                  <th scope="colgroup" colSpan={3} className="kern-table__cell">
                    {t('results.fieldRow', { number: field.key, name: field.name })}
                    {field.isWorked ? '' : ` – ${t('results.notWorked')}`}
                  </th>
                </tr>
                {field.isWorked
                  ? shownCriteria(field).map((criterion) => (
                      <tr className="kern-table__row" key={criterion.key}>
                        <th scope="row" className="kern-table__cell criterion-name">{criterion.name}</th>
                        <td className={`kern-table__cell${criterion.status === 'open' ? ' rating-open' : ''}`}>
                          <span className="symbol" aria-hidden="true">{criterion.symbol}</span>{' '}
                          <span className="rating-label">{criterion.ratingLabel}</span>
                          {criterion.status === 'open' ? <span className="kern-body kern-body--small"> ({t('results.openExplained')})</span> : null}
                          {criterion.consolidatedRating ? <span className="kern-body kern-body--small"> ({t('results.consolidated')})</span> : null}
                        </td>
                        <td className="kern-table__cell">
                          {belegeOf(criterion.key).length === 0 ? (
                            <span className="kern-body kern-body--small">{t('results.withoutBeleg')}</span>
                          ) : (
                            <ul className="answer-list">
                              {belegeOf(criterion.key).map((beleg) => (
                                <li key={beleg.id}>
                                  <BelegLink slug={slug} beleg={beleg} />
                                </li>
                              ))}
                            </ul>
                          )}
                        </td>
                      </tr>
                    ))
                  : null}
              </tbody>
            ))}
          </table>
        </TableRegion>
        <h3 className="kern-heading kern-title kern-title--small" id="legend-heading">{t('results.legend')}</h3>
        <ul className="kern-list legend" aria-labelledby="legend-heading">
          {legend.map((entry) => (
            <li key={entry.key}>
              <span className="symbol" aria-hidden="true">{entry.symbol}</span> <strong>{entry.label}</strong>
              {entry.meaning ? <span className="legend__meaning"> – {entry.meaning}</span> : null}
            </li>
          ))}
        </ul>
      </section>

      {suggestionsByField.length > 0 ? (
        <section aria-labelledby="suggestions-heading" className="kern-stack-sm">
          <h2 id="suggestions-heading" className="kern-heading kern-title">{t('results.suggestionsTitle')}</h2>
          <p className="kern-body">{t('results.suggestionsLead')}</p>
          {suggestionsByField.map(({ field, criteria }) => (
            <div key={field.key} className="kern-stack-xs">
              <h3 className="kern-heading kern-title kern-title--small">{t('results.fieldRow', { number: field.key, name: field.name })}</h3>
              {criteria.map((criterion) => (
                <details key={criterion.key} className="suggestions">
                  <summary className="kern-body">
                    {criterion.key} {criterion.name} – <span aria-hidden="true">{criterion.symbol}</span> {criterion.ratingLabel}
                  </summary>
                  <ul className="kern-list kern-list--bullet">
                    {criterion.suggestions.map((suggestion) => <li key={suggestion}>{suggestion}</li>)}
                  </ul>
                </details>
              ))}
            </div>
          ))}
          <p className="kern-body kern-body--small">
            <Link className="kern-link" to={`/kommunen/${slug}/ausblick`}>{t('results.toOutlook')}</Link>
          </p>
        </section>
      ) : null}
    </Page>
  );
}
