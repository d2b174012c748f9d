import { useTranslation } from 'react-i18next';
import { agreementKeys } from '../../../domain/resident-survey.ts';
import type { ResidentSurveyAnswer, SurveyFieldResult, SurveyResultsShown } from '../../api/from-services/survey.ts';
import { TableRegion } from '../../components/table-region.tsx';
import '../../components/stacked-table.css';

const percent = (value: number | null) => (value === null ? '–' : `${value.toLocaleString('de-DE')}\u00a0%`);
const germanList = new Intl.ListFormat('de', { type: 'conjunction' });
const ratedOptions = agreementKeys.filter((key) => key !== 'weiss-nicht');

/** The Innensicht of a field in words when it has no number: „nicht bearbeitet“ or „noch kein Wert“. */
function insideText(field: SurveyFieldResult, t: (key: string) => string): string {
  if (!field.insideWorked) return t('survey.results.notWorked');
  if (field.inside === null) return t('survey.results.noValue');
  return `${percent(field.inside)}${field.insideProvisional ? ` (${t('survey.results.provisional')})` : ''}`;
}

/**
 * The Außensicht beside the Innensicht: nothing but the number of responses below the minimum; from
 * it, the fields side by side, each statement's distribution, the languages and the groups.
 */
export function SurveyResults({ data }: { data: ResidentSurveyAnswer }) {
  const { t } = useTranslation();
  const results = data.results;
  if (!results) return null;
  return (
    <section aria-labelledby="survey-results-heading" className="kern-stack-sm">
      <h2 id="survey-results-heading" className="kern-heading kern-title">{t('survey.results.title')}</h2>
      {results.shown ? (
        <ShownResults results={results} languages={data.languages} />
      ) : (
        <>
          <p className="kern-body survey-too-few">{t('survey.results.tooFew', { count: results.responses, minimum: results.minimum })}</p>
          <p className="kern-body kern-body--small">{t('survey.results.tooFewWhy', { minimum: results.minimum })}</p>
        </>
      )}
    </section>
  );
}

function ShownResults({ results, languages }: { results: SurveyResultsShown; languages: ResidentSurveyAnswer['languages'] }) {
  const { t } = useTranslation();
  const fieldLabel = (field: { key: string; name: string }) => t('survey.fieldLabel', { number: field.key, name: field.name });
  const languageOf = (language: string) => languages.find((entry) => entry.language === language);
  const scale = (key: string) => t(`survey.scale.${key}`);
  const groups = [...new Set(results.groups.map((group) => group.group))];
  return (
    <>
      <p className="kern-body">{t('survey.results.counted', { count: results.responses })} {t('survey.results.steps')}</p>
      <div className="survey-sides">
      <TableRegion labelledBy="survey-sides-caption">
        <table className="kern-table stacked-table survey-compact" role="table">
          <caption id="survey-sides-caption" className="kern-title kern-title--small">{t('survey.results.sidesCaption')}</caption>
          <thead className="kern-table__head" role="rowgroup">
            <tr className="kern-table__row" role="row">
              <th scope="col" className="kern-table__header" role="columnheader">{t('survey.results.field')}</th>
              <th scope="col" className="kern-table__header kern-table__header--numeric" role="columnheader">{t('survey.results.inside')}</th>
              <th scope="col" className="kern-table__header kern-table__header--numeric" role="columnheader">{t('survey.results.outside')}</th>
            </tr>
          </thead>
          <tbody className="kern-table__body" role="rowgroup">
            {results.fields.map((field) => (
              <tr className="kern-table__row" role="row" key={field.key}>
                <th scope="row" className="kern-table__cell" role="rowheader">{fieldLabel(field)}</th>
                <td className="kern-table__cell kern-table__cell--numeric" role="cell" data-label={t('survey.results.inside')}>{insideText(field, t)}</td>
                <td className="kern-table__cell kern-table__cell--numeric" role="cell" data-label={t('survey.results.outside')}>
                  {field.outside === null ? t('survey.results.noRating') : percent(field.outside)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      </div>
      <p className="kern-body kern-body--small">{t('survey.results.sidesNote')}</p>

      <h3 className="kern-heading kern-title kern-title--small">{t('survey.results.statementsTitle')}</h3>
      <p className="kern-body kern-body--small">{t('survey.results.statementsNote')}</p>
      {results.fields.map((field) => (
        <TableRegion key={field.key} labelledBy={`survey-statements-${field.key}`}>
          <table className="kern-table kern-table--small stacked-table survey-compact" role="table">
            <caption id={`survey-statements-${field.key}`} className="kern-body survey-caption">{fieldLabel(field)}</caption>
            <thead className="kern-table__head" role="rowgroup">
              <tr className="kern-table__row" role="row">
                <th scope="col" className="kern-table__header" role="columnheader">{t('survey.results.statement')}</th>
                {ratedOptions.map((option) => (
                  <th scope="col" className="kern-table__header kern-table__header--numeric" role="columnheader" key={option}>{scale(option)}</th>
                ))}
                <th scope="col" className="kern-table__header kern-table__header--numeric" role="columnheader">{scale('weiss-nicht')}</th>
                <th scope="col" className="kern-table__header kern-table__header--numeric" role="columnheader">{t('survey.results.agreement')}</th>
              </tr>
            </thead>
            <tbody className="kern-table__body" role="rowgroup">
              {field.statements.map((statement) => (
                <tr className="kern-table__row" role="row" key={statement.key}>
                  <th scope="row" className="kern-table__cell" role="rowheader">{statement.text}</th>
                  {ratedOptions.map((option) => (
                    <td className="kern-table__cell kern-table__cell--numeric" role="cell" data-label={scale(option)} key={option}>
                      {statement.rated === 0 ? statement.counts[option] : t('survey.results.countShare', { count: statement.counts[option], share: Math.round((statement.counts[option] / statement.rated) * 100) })}
                    </td>
                  ))}
                  <td className="kern-table__cell kern-table__cell--numeric" role="cell" data-label={scale('weiss-nicht')}>{statement.counts['weiss-nicht']}</td>
                  <td className="kern-table__cell kern-table__cell--numeric" role="cell" data-label={t('survey.results.agreement')}>
                    {statement.agreement === null ? t('survey.results.noRating') : percent(statement.agreement)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ))}

      <h3 className="kern-heading kern-title kern-title--small" id="survey-languages-heading">{t('survey.results.languagesTitle')}</h3>
      <ul className="kern-list kern-list--bullet" aria-labelledby="survey-languages-heading">
        {results.languages.map((entry) => (
          <li key={entry.language}>
            {/* Each language's name in its own language and direction (Leichte Sprache is German). */}
            <span lang={entry.language === 'de-x-ls' ? 'de' : entry.language} dir={languageOf(entry.language)?.direction}>{languageOf(entry.language)?.name ?? entry.language}</span>: {t('survey.results.responses', { count: entry.responses })}
          </li>
        ))}
        {results.hasOtherLanguages ? <li>{t('survey.results.otherLanguages')}</li> : null}
      </ul>

      <h3 className="kern-heading kern-title kern-title--small">{t('survey.results.groupsTitle')}</h3>
      <p className="kern-body kern-body--small">{t('survey.results.groupsNote')}</p>
      {groups.map((group) => {
        const entries = results.groups.filter((entry) => entry.group === group);
        const visible = entries.filter((entry) => entry.fields !== null);
        const hidden = entries.filter((entry) => entry.fields === null);
        const optionName = (option: string) => t(`survey.groupOptions.${group}.${option}`, { defaultValue: option });
        return (
          <div key={group} className="kern-stack-xs">
            <h4 className="kern-heading kern-body survey-caption">{t(`survey.groupNames.${group}`, { defaultValue: group })}</h4>
            {visible.length > 0 ? (
              <TableRegion labelledBy={`survey-group-${group}`}>
                <table className="kern-table kern-table--small stacked-table survey-compact" role="table">
                  <caption id={`survey-group-${group}`} className="kern-sr-only">{t('survey.results.groupCaption', { group: t(`survey.groupNames.${group}`, { defaultValue: group }) })}</caption>
                  <thead className="kern-table__head" role="rowgroup">
                    <tr className="kern-table__row" role="row">
                      <th scope="col" className="kern-table__header" role="columnheader">{t('survey.results.field')}</th>
                      <th scope="col" className="kern-table__header kern-table__header--numeric" role="columnheader">{t('survey.results.allResponses', { count: results.responses })}</th>
                      {visible.map((entry) => (
                        <th scope="col" className="kern-table__header kern-table__header--numeric" role="columnheader" key={entry.option}>
                          {t('survey.results.groupColumn', { option: optionName(entry.option), count: entry.responses })}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody className="kern-table__body" role="rowgroup">
                    {results.fields.map((field) => (
                      <tr className="kern-table__row" role="row" key={field.key}>
                        <th scope="row" className="kern-table__cell" role="rowheader">{fieldLabel(field)}</th>
                        <td className="kern-table__cell kern-table__cell--numeric" role="cell" data-label={t('survey.results.allResponses', { count: results.responses })}>
                          {field.outside === null ? t('survey.results.noRating') : percent(field.outside)}
                        </td>
                        {visible.map((entry) => {
                          const value = entry.fields?.find((own) => own.key === field.key)?.outside ?? null;
                          return (
                            <td className="kern-table__cell kern-table__cell--numeric" role="cell" data-label={t('survey.results.groupColumn', { option: optionName(entry.option), count: entry.responses })} key={entry.option}>
                              {value === null ? t('survey.results.noRating') : percent(value)}
                            </td>
                          );
                        })}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableRegion>
            ) : null}
            {hidden.length > 0 ? (
              <p className="kern-body">
                {t('survey.results.groupHidden', { options: germanList.format(hidden.map((entry) => t('survey.results.groupColumn', { option: optionName(entry.option), count: entry.responses }))) })}
              </p>
            ) : null}
          </div>
        );
      })}
    </>
  );
}
