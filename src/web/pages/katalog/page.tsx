import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCatalog, useCatalogVersions } from '../../api/catalog.ts';
import { ErrorSummary, SelectField } from '../../components/form.tsx';
import { Loading, Page } from '../../components/page.tsx';
import { formatDate } from '../../format.ts';

/** The questionnaire catalog: fields, criteria with descriptions, guiding questions, scale and levels. */
export default function CatalogPage() {
  const { t } = useTranslation();
  const versions = useCatalogVersions();
  const [chosen, setChosen] = useState<string | undefined>();
  const id = chosen ?? versions.data?.catalogs[0]?.id;
  const catalog = useCatalog(id);
  if (versions.isPending || (id && catalog.isPending)) return <Loading />;
  const data = catalog.data;
  return (
    <Page
      title={data ? data.catalog.title : t('catalog.title')}
      lead={data ? t('catalog.lead', { version: data.catalog.version, date: formatDate(data.catalog.publishedOn), ...data.counts }) : undefined}
    >
      <ErrorSummary error={versions.error ?? catalog.error} />
      {versions.data && versions.data.catalogs.length > 1 ? (
        <div className="narrow">
          <SelectField
            label={t('catalog.version')}
            name="version"
            value={id ?? ''}
            onChange={setChosen}
            options={versions.data.catalogs.map((entry) => ({ value: entry.id, label: `${entry.title} ${entry.version}` }))}
          />
        </div>
      ) : null}
      {data ? (
        <>
          <section aria-labelledby="scale-heading" className="kern-stack-sm">
            <h2 id="scale-heading" className="kern-heading kern-title">{t('catalog.scale')}</h2>
            <p className="kern-body">{t('catalog.scaleText')}</p>
            <table className="kern-table kern-table--small scale-table">
              <caption className="kern-sr-only">{t('catalog.scale')}</caption>
              <thead className="kern-table__head">
                <tr className="kern-table__row">
                  <th scope="col" className="kern-table__header">{t('catalog.answer')}</th>
                  <th scope="col" className="kern-table__header">{t('catalog.symbol')}</th>
                  <th scope="col" className="kern-table__header kern-table__header--numeric">{t('catalog.value')}</th>
                </tr>
              </thead>
              <tbody className="kern-table__body">
                {data.catalog.answerScale.map((option) => (
                  <tr className="kern-table__row" key={option.key}>
                    <th scope="row" className="kern-table__cell">{option.label}</th>
                    <td className="kern-table__cell symbol">{option.symbol}</td>
                    <td className="kern-table__cell kern-table__cell--numeric">{option.value ?? t('catalog.noValue')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h3 className="kern-heading kern-title kern-title--small">{t('catalog.levels')}</h3>
            <ul className="kern-list">
              {data.catalog.levels.map((level, index) => {
                const next = data.catalog.levels[index + 1];
                return (
                  <li key={level.minScore}>
                    {next
                      ? t('catalog.levelRange', { from: level.minScore, to: next.minScore })
                      : t('catalog.levelFrom', { from: level.minScore })}
                    : „{level.text}“
                  </li>
                );
              })}
            </ul>
          </section>
          <nav aria-labelledby="toc-heading" className="kern-stack-sm">
            <h2 id="toc-heading" className="kern-heading kern-title">{t('catalog.fields')}</h2>
            <ol className="kern-list kern-list--number">
              {data.catalog.fields.map((field) => (
                <li key={field.key}>
                  <a className="kern-link" href={`#handlungsfeld-${field.key}`}>{field.name}</a>
                </li>
              ))}
            </ol>
          </nav>
          {data.catalog.fields.map((field) => (
            <section key={field.key} aria-labelledby={`handlungsfeld-${field.key}`} className="kern-stack catalog-field">
              <h2 id={`handlungsfeld-${field.key}`} className="kern-heading kern-title">
                {t('catalog.fieldHeading', { number: field.key, name: field.name })}
              </h2>
              <p className="kern-body">{field.description}</p>
              {field.criteria.map((criterion) => (
                <article key={criterion.key} className="kern-stack-sm catalog-criterion" aria-labelledby={`kriterium-${criterion.key}`}>
                  <h3 id={`kriterium-${criterion.key}`} className="kern-heading kern-title kern-title--small">
                    {criterion.key} {criterion.name}
                  </h3>
                  <p className="kern-body">{criterion.description}</p>
                  <ol className="kern-list catalog-questions">
                    {criterion.questions.map((question) => (
                      <li key={question.key}>
                        <span className="question-key">{question.key}</span> {question.text}
                      </li>
                    ))}
                  </ol>
                </article>
              ))}
            </section>
          ))}
        </>
      ) : null}
    </Page>
  );
}
