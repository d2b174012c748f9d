import { memo, useDeferredValue, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { catalogForKind, resolvePlaceholders, type Catalog, type CatalogField, type CatalogQuestion } from '../../../domain/catalog.ts';
import { kommuneKinds, type KommuneKind } from '../../../domain/kommune.ts';
import { openRating } from '../../../domain/scoring.ts';
import { api } from '../../api/client.ts';
import { useCatalog, useCatalogVersions } from '../../api/catalog.ts';
import { useSession } from '../../api/session.ts';
import type { KommuneSummary } from '../../api/types.ts';
import { ErrorSummary, SelectField } from '../../components/form.tsx';
import { Loading, Page } from '../../components/page.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { formatDate } from '../../format.ts';

const isKind = (value: string): value is KommuneKind => (kommuneKinds as readonly string[]).includes(value);

/** Whether a catalog's wording or questions depend on the kind of Kommune (1.1 and later). */
function dependsOnKind(catalog: Catalog): boolean {
  return (
    Object.keys(catalog.placeholders ?? {}).length > 0 ||
    catalog.fields.some((field) => field.criteria.some((criterion) => criterion.questions.some((question) => question.kinds)))
  );
}

/**
 * The kind of the user's Kommune when they belong to exactly one, so the catalog speaks their
 * wording from the start; otherwise (Programmteam, several Kommunen) none. Shares the cache of the
 * Kommunen list, and asks for it only for members of one Kommune.
 */
function useOwnKind(): KommuneKind | undefined {
  const session = useSession();
  const memberships = session.data?.memberships ?? [];
  const kommuneId = memberships.length === 1 ? memberships[0]!.kommuneId : undefined;
  const kommunen = useQuery({
    queryKey: ['kommunen', false],
    queryFn: () => api<{ kommunen: KommuneSummary[] }>('GET', '/api/kommunen?archiviert=0'),
    enabled: kommuneId !== undefined,
  });
  const kind = kommunen.data?.kommunen.find((kommune) => kommune.id === kommuneId)?.kind;
  return kind && isKind(kind) ? kind : undefined;
}

/** The questionnaire catalog: answer scale with anchors, fields, criteria, guiding questions with hints, Anregungen. */
export default function CatalogPage() {
  const { t } = useTranslation();
  const versions = useCatalogVersions();
  const [chosen, setChosen] = useState<string | undefined>();
  const id = chosen ?? versions.data?.catalogs[0]?.id;
  const catalog = useCatalog(id);
  const ownKind = useOwnKind();
  const [chosenKind, setChosenKind] = useState<KommuneKind | undefined>();
  const kind = chosenKind ?? ownKind ?? 'Stadt';
  // The long list follows the select a moment later, so the select itself never waits for it.
  const shownKind = useDeferredValue(kind);
  const raw = catalog.data?.catalog;
  const resolved = useMemo(() => (raw ? catalogForKind(raw, shownKind) : undefined), [raw, shownKind]);
  if (versions.isPending || (id && catalog.isPending)) return <Loading />;
  const data = catalog.data;
  const hasKinds = raw ? dependsOnKind(raw) : false;
  return (
    <Page
      title={data ? data.catalog.title : t('catalog.title')}
      lead={data ? t('catalog.lead', { version: data.catalog.version, date: formatDate(data.catalog.publishedOn), ...data.counts }) : undefined}
    >
      <ErrorSummary error={versions.error ?? catalog.error} />
      {(versions.data && versions.data.catalogs.length > 1) || hasKinds ? (
        <div className="narrow kern-stack-sm">
          {versions.data && versions.data.catalogs.length > 1 ? (
            <SelectField
              label={t('catalog.version')}
              name="version"
              value={id ?? ''}
              onChange={setChosen}
              options={versions.data.catalogs.map((entry) => ({ value: entry.id, label: `${entry.title} ${entry.version}` }))}
            />
          ) : null}
          {hasKinds ? (
            <SelectField
              label={t('catalogGuide.kind')}
              hint={t('catalogGuide.kindHint')}
              name="kind"
              value={kind}
              onChange={(value) => isKind(value) && setChosenKind(value)}
              options={kommuneKinds.map((entry) => ({ value: entry, label: t(`kinds.${entry}`) }))}
            />
          ) : null}
        </div>
      ) : null}
      {data && raw && resolved ? (
        <>
          <AnswerScale catalog={raw} />
          <nav aria-labelledby="toc-heading" className="kern-stack-sm">
            <h2 id="toc-heading" className="kern-heading kern-title">{t('catalog.fields')}</h2>
            <ol className="kern-list kern-list--number">
              {raw.fields.map((field) => (
                <li key={field.key}>
                  <a className="kern-link" href={`#handlungsfeld-${field.key}`}>{field.name}</a>
                </li>
              ))}
            </ol>
          </nav>
          {raw.fields.map((field, index) => (
            <FieldSection key={field.key} catalog={raw} field={field} resolved={resolved.fields[index]!} kind={shownKind} />
          ))}
        </>
      ) : null}
    </Page>
  );
}

/** The answer scale with symbol, anchor and whether an option counts; „offen“ explained below it. */
function AnswerScale({ catalog }: { catalog: Catalog }) {
  const { t } = useTranslation();
  const hasMeanings = catalog.answerScale.some((option) => option.meaning);
  const hasNotApplicable = catalog.answerScale.some((option) => option.key === 'trifft_nicht_zu');
  return (
    <section aria-labelledby="scale-heading" className="kern-stack-sm">
      <h2 id="scale-heading" className="kern-heading kern-title">{t('catalog.scale')}</h2>
      <p className="kern-body prose">{hasMeanings ? t('catalogGuide.scaleText') : t('catalog.scaleText')}</p>
      <TableRegion labelledBy="scale-caption">
        <table className="kern-table kern-table--small scale-table">
          <caption id="scale-caption" className="kern-sr-only">{t('catalog.scale')}</caption>
          <thead className="kern-table__head">
            <tr className="kern-table__row">
              <th scope="col" className="kern-table__header">{t('catalogGuide.answerAndSymbol')}</th>
              {hasMeanings ? <th scope="col" className="kern-table__header">{t('catalogGuide.meaning')}</th> : null}
              <th scope="col" className="kern-table__header">{t('catalogGuide.counts')}</th>
            </tr>
          </thead>
          <tbody className="kern-table__body">
            {catalog.answerScale.map((option) => (
              <tr className={`kern-table__row${option.value === null ? ' scale-table__unvalued' : ''}`} key={option.key}>
                <th scope="row" className="kern-table__cell scale-table__answer">
                  <span className="scale-table__option">
                    <span className="symbol">{option.symbol}</span> <span>{option.label}</span>
                  </span>
                </th>
                {hasMeanings ? <td className="kern-table__cell">{option.meaning ?? ''}</td> : null}
                <td className="kern-table__cell">
                  {option.value === null ? t('catalogGuide.countsNo') : t('catalogGuide.countsYes', { value: option.value })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      <p className="kern-body prose">{hasNotApplicable ? t('catalogGuide.unvaluedWithNotApplicable') : t('catalogGuide.unvalued')}</p>
      <p className="kern-body prose">{t('catalogGuide.open', { label: openRating.label, symbol: openRating.symbol })}</p>
      <h3 className="kern-heading kern-title kern-title--small">{t('catalog.levels')}</h3>
      <ul className="kern-list">
        {catalog.levels.map((level, index) => {
          const next = catalog.levels[index + 1];
          return (
            <li key={level.minScore}>
              {next ? t('catalog.levelRange', { from: level.minScore, to: next.minScore }) : t('catalog.levelFrom', { from: level.minScore })}
              : „{level.text}“
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** „nur für Landkreise und Städte“, or „nicht für Landkreise“ when that is shorter. */
function useKindsNote(): (kinds: readonly KommuneKind[]) => string {
  const { t } = useTranslation();
  const list = (entries: readonly KommuneKind[]) => {
    const names = entries.map((entry) => t(`catalogGuide.kindsPlural.${entry}`));
    return names.length > 1 ? `${names.slice(0, -1).join(', ')} ${t('catalogGuide.and')} ${names.at(-1)}` : (names[0] ?? '');
  };
  return (kinds) => {
    const left = kommuneKinds.filter((entry) => !kinds.includes(entry));
    return left.length < kinds.length ? t('catalogGuide.notFor', { kinds: list(left) }) : t('catalogGuide.onlyFor', { kinds: list(kinds) });
  };
}

/**
 * One Handlungsfeld. `resolved` is the field as the chosen kind sees it (`catalogForKind`); a question
 * not asked of that kind is still listed, with its wording resolved the same way and its note.
 * Memoised: switching the version or the kind re-renders the fields, nothing else does.
 */
const FieldSection = memo(function FieldSection({ catalog, field, resolved, kind }: { catalog: Catalog; field: CatalogField; resolved: CatalogField; kind: KommuneKind }) {
  const { t } = useTranslation();
  const kindsNote = useKindsNote();
  const resolve = (value: string) => resolvePlaceholders(catalog, kind, value);
  return (
    <section aria-labelledby={`handlungsfeld-${field.key}`} className="kern-stack catalog-field">
      <h2 id={`handlungsfeld-${field.key}`} className="kern-heading kern-title">
        {t('catalog.fieldHeading', { number: field.key, name: field.name })}
      </h2>
      <p className="kern-body">{resolved.description}</p>
      {field.criteria.map((criterion, index) => {
        const shown = resolved.criteria[index]!;
        const asked = new Map(shown.questions.map((question) => [question.key, question]));
        return (
          <article key={criterion.key} className="kern-stack-sm catalog-criterion" aria-labelledby={`kriterium-${criterion.key}`}>
            <h3 id={`kriterium-${criterion.key}`} className="kern-heading kern-title kern-title--small">
              {criterion.key} {criterion.name}
            </h3>
            <p className="kern-body">{shown.description}</p>
            <ol className="kern-list catalog-questions">
              {criterion.questions.map((question) => (
                <CatalogQuestionItem key={question.key} question={asked.get(question.key) ?? resolveQuestion(question, resolve)} isAsked={asked.has(question.key)} kindsNote={question.kinds ? kindsNote(question.kinds) : null} />
              ))}
            </ol>
            {shown.suggestions?.length ? (
              <div className="catalog-suggestions">
                <h4 className="kern-heading kern-body kern-body--bold" id={`anregungen-${criterion.key}`}>{t('catalogGuide.suggestions')}</h4>
                <ul className="kern-list" aria-labelledby={`anregungen-${criterion.key}`}>
                  {shown.suggestions.map((suggestion) => (
                    <li key={suggestion}>{suggestion}</li>
                  ))}
                </ul>
              </div>
            ) : null}
          </article>
        );
      })}
    </section>
  );
});

function resolveQuestion(question: CatalogQuestion, resolve: (value: string) => string): CatalogQuestion {
  return {
    ...question,
    text: resolve(question.text),
    ...(question.yesMeans ? { yesMeans: resolve(question.yesMeans) } : {}),
    ...(question.evidence ? { evidence: question.evidence.map(resolve) } : {}),
  };
}

function CatalogQuestionItem({ question, isAsked, kindsNote }: { question: CatalogQuestion; isAsked: boolean; kindsNote: string | null }) {
  const { t } = useTranslation();
  return (
    <li className={`catalog-question${isAsked ? '' : ' catalog-question--not-asked'}`}>
      <p className="kern-body">
        <span className="question-key">{question.key}</span> {question.text}
        {kindsNote ? (
          <>
            {' '}
            <span className="kern-badge kern-badge--small kern-badge--info catalog-question__kinds">{kindsNote}</span>
          </>
        ) : null}
      </p>
      {question.yesMeans || question.evidence?.length ? (
        <div className="catalog-question__hint">
          {question.yesMeans ? (
            <p className="kern-body kern-body--small">
              <span className="question__hint-term">{t('questionnaire.yesMeans')}</span> {question.yesMeans}
            </p>
          ) : null}
          {question.evidence?.length ? (
            <p className="kern-body kern-body--small">
              <span className="question__hint-term">{t('questionnaire.typicalEvidence')}</span> {question.evidence.join(', ')}
            </p>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}
