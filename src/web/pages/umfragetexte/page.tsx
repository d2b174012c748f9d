import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { languageFacts, sourceLanguage, surveyLanguages, type SurveyLanguage } from '../../../domain/resident-survey.ts';
import type { SurveyLanguageState, SurveyTextEntry } from '../../api/from-services/survey-texts.ts';
import { useReviewSurveyTexts, useSaveSurveyText, useSurveyTexts } from '../../api/survey-texts.ts';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { Button, Described, describedBy, ErrorSummary, errorMessage } from '../../components/form.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import '../../components/stacked-table.css';
import './survey-texts.css';
import '../../i18n/later.ts';

type T = (key: string, options?: Record<string, unknown>) => string;

function isSurveyLanguage(value: string | null): value is SurveyLanguage {
  return value !== null && (surveyLanguages as readonly string[]).includes(value);
}

/** The language's name in German („Arabisch“), for the German screen. */
function germanName(t: T, language: SurveyLanguage): string {
  return t(`surveyTexts.languageNames.${language}`);
}

/** The name a language gives itself, marked with its language and direction. */
function OwnName({ state }: { state: SurveyLanguageState }) {
  return (
    <span lang={languageFacts[state.language].htmlLang} dir={state.direction}>
      {state.name}
    </span>
  );
}

/** „für Einwohner:innen sichtbar“, or what keeps a language from residents in words. */
function stateInWords(t: T, state: SurveyLanguageState): string {
  if (state.offered) return t('surveyTexts.offered');
  const parts = [
    state.drafts > 0 ? t('surveyTexts.drafts', { count: state.drafts }) : '',
    state.faulty > 0 ? t('surveyTexts.faulty', { count: state.faulty }) : '',
    state.missing > 0 ? t('surveyTexts.missing', { count: state.missing }) : '',
  ].filter(Boolean);
  return t('surveyTexts.notOffered', { reasons: parts.join(', ') });
}

/** Programmteam: the resident survey's texts in every language, checked and reviewed before residents see them. */
export default function SurveyTextsPage() {
  const [params] = useSearchParams();
  const chosen = params.get('sprache');
  return isSurveyLanguage(chosen) ? <LanguageTexts key={chosen} language={chosen} /> : <Overview />;
}

function Overview() {
  const { t } = useTranslation();
  // Any language's answer carries every language's state; German is always there.
  const answer = useSurveyTexts(sourceLanguage);
  if (answer.isPending) return <Loading />;
  return (
    <Page title={t('surveyTexts.title')} lead={t('surveyTexts.lead')}>
      <ErrorSummary error={answer.error} />
      {answer.data ? (
        <section aria-labelledby="survey-languages-caption" className="kern-stack-sm">
          <h2 id="survey-languages-caption" className="kern-heading kern-title">
            {t('surveyTexts.languagesCaption')}
          </h2>
          <TableRegion labelledBy="survey-languages-caption">
            <table className="kern-table stacked-table" role="table">
              <caption className="kern-sr-only">{t('surveyTexts.languagesCaption')}</caption>
              <thead className="kern-table__head" role="rowgroup">
                <tr className="kern-table__row" role="row">
                  <th scope="col" className="kern-table__header" role="columnheader">{t('surveyTexts.language')}</th>
                  <th scope="col" className="kern-table__header" role="columnheader">{t('surveyTexts.state')}</th>
                  <th scope="col" className="kern-table__header" role="columnheader">{t('surveyTexts.texts')}</th>
                </tr>
              </thead>
              <tbody className="kern-table__body" role="rowgroup">
                {answer.data.languages.map((state) => (
                  <tr className="kern-table__row" key={state.language} role="row">
                    <th scope="row" className="kern-table__cell" role="rowheader" data-label={t('surveyTexts.language')}>
                      {germanName(t, state.language)}
                      {state.name === germanName(t, state.language) ? null : (
                        <>
                          {' – '}
                          <OwnName state={state} />
                        </>
                      )}
                    </th>
                    <td className="kern-table__cell" role="cell" data-label={t('surveyTexts.state')}>
                      <span className={state.offered ? 'survey-texts__offered' : undefined}>{stateInWords(t, state)}</span>
                    </td>
                    <td className="kern-table__cell" role="cell" data-label={t('surveyTexts.texts')}>
                      <Link className="kern-link" to={`?sprache=${encodeURIComponent(state.language)}`}>
                        {t(state.language === sourceLanguage ? 'surveyTexts.openSource' : 'surveyTexts.open', { language: germanName(t, state.language) })}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        </section>
      ) : null}
    </Page>
  );
}

/** The numbers a plural form stands for in a language, the first few of 0 … 200: „1, 21, 31 …“. */
function pluralExamples(language: SurveyLanguage, category: string): string {
  const rules = new Intl.PluralRules(languageFacts[language].htmlLang);
  const numbers: number[] = [];
  for (let n = 0; n <= 200; n++) if (rules.select(n) === category) numbers.push(n);
  const shown = numbers.slice(0, 6).join(', ');
  return numbers.length > 6 ? `${shown} …` : shown;
}

const pluralPattern = /_(zero|one|two|few|many|other)$/;

function LanguageTexts({ language }: { language: SurveyLanguage }) {
  const { t } = useTranslation();
  const answer = useSurveyTexts(language);
  const review = useReviewSurveyTexts(language);
  const [onlyOpen, setOnlyOpen] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [unsaved, setUnsaved] = useState<string[]>([]);
  const [selectionError, setSelectionError] = useState('');
  const [lastReviewed, setLastReviewed] = useState<number | null>(null);
  const filterId = useId();
  const isSource = language === sourceLanguage;
  const name = germanName(t, language);
  const state = answer.data?.languages.find((entry) => entry.language === language);
  const texts = useMemo(() => answer.data?.texts ?? [], [answer.data]);
  const reviewable = texts.filter((entry) => !entry.reviewed && entry.problem === null);
  const shown = onlyOpen ? texts.filter((entry) => !entry.reviewed || entry.problem !== null) : texts;
  const hasPlaceholders = texts.some((entry) => /\{\{/.test(entry.source));

  // A text that was reviewed or became faulty leaves the selection.
  useEffect(() => {
    setSelected((keys) => keys.filter((key) => reviewable.some((entry) => entry.key === key)));
  }, [texts]);

  const markReviewed = (keys: string[]) => {
    setLastReviewed(null);
    const notSaved = keys.filter((key) => unsaved.includes(key));
    if (notSaved.length > 0) {
      setSelectionError(t('surveyTexts.saveFirst', { keys: notSaved.join(', ') }));
      return;
    }
    if (keys.length === 0) {
      setSelectionError(t('surveyTexts.noneSelected'));
      return;
    }
    setSelectionError('');
    review.mutate(keys, {
      onSuccess: (result) => {
        setSelected([]);
        setLastReviewed(result.reviewed);
      },
    });
  };

  if (answer.isPending) return <Loading />;
  return (
    <Page title={t('surveyTexts.languageTitle', { language: name })} lead={isSource ? t('surveyTexts.sourceLead') : t('surveyTexts.languageLead')}>
      <nav aria-label={t('surveyTexts.breadcrumb')} className="kern-body kern-body--small">
        <Link className="kern-link" to="/einstellungen/umfragetexte">
          {t('surveyTexts.back')}
        </Link>
      </nav>
      <ErrorSummary error={answer.error} />
      {state ? (
        <p className="kern-body" id="survey-language-state">
          <strong>{t('surveyTexts.stateLabel')}</strong> {stateInWords(t, state)}
          {state.name === name ? null : (
            <>
              {' '}
              ({t('surveyTexts.ownName')} <OwnName state={state} />)
            </>
          )}
        </p>
      ) : null}
      {isSource ? (
        <Alert tone="warning" title={t('surveyTexts.sourceWarningTitle')}>
          <p className="kern-body">{t('surveyTexts.sourceWarning')}</p>
        </Alert>
      ) : null}
      {hasPlaceholders ? (
        <div className="kern-stack-xs">
          <h2 className="kern-heading kern-title">{t('surveyTexts.placeholdersTitle')}</h2>
          <p className="kern-body">{t('surveyTexts.placeholders', { example: '{{name}}' })}</p>
        </div>
      ) : null}

      <section aria-labelledby="survey-review-heading" className="kern-stack-sm">
        <h2 id="survey-review-heading" className="kern-heading kern-title">
          {t('surveyTexts.reviewTitle')}
        </h2>
        <p className="kern-body">{reviewable.length > 0 ? t('surveyTexts.reviewHint', { count: reviewable.length }) : t('surveyTexts.allReviewed')}</p>
        {review.error ? (
          <Alert tone="danger" title={t('errors.title')} focus>
            <p className="kern-body">{errorMessage(review.error, t)}</p>
          </Alert>
        ) : null}
        {selectionError ? <Alert tone="danger" title={selectionError} focus /> : null}
        {lastReviewed !== null && state ? (
          <Alert tone="success" title={t('surveyTexts.reviewed', { count: lastReviewed })}>
            <p className="kern-body">{state.offered ? t('surveyTexts.nowOffered', { language: name }) : stateInWords(t, state)}</p>
          </Alert>
        ) : null}
        {reviewable.length > 0 ? (
        <div className="toolbar survey-texts__actions">
          <Button variant="secondary" isBusy={review.isPending} onClick={() => markReviewed(selected)}>
            {t('surveyTexts.reviewSelected')} ({selected.length})
          </Button>
          {reviewable.length > 0 ? (
            <ConfirmButton
              label={t('surveyTexts.reviewAll', { count: reviewable.length })}
              question={t('surveyTexts.reviewAllQuestion', { count: reviewable.length, language: name })}
              confirmLabel={t('surveyTexts.reviewAllConfirm')}
              variant="primary"
              onConfirm={() => markReviewed(reviewable.map((entry) => entry.key))}
            />
          ) : null}
        </div>
        ) : null}
      </section>

      <section aria-labelledby="survey-texts-heading" className="kern-stack-sm">
        <h2 id="survey-texts-heading" className="kern-heading kern-title">
          {t('surveyTexts.listTitle')}
        </h2>
        <div className="kern-form-check">
          <input className="kern-form-check__checkbox" id={filterId} type="checkbox" checked={onlyOpen} onChange={(event) => setOnlyOpen(event.target.checked)} />
          <label className="kern-label" htmlFor={filterId}>
            {t('surveyTexts.onlyOpen')}
          </label>
        </div>
        <p className="kern-body" role="status">
          {t('surveyTexts.shown', { shown: shown.length, total: texts.length })}
        </p>
        <ol className="survey-texts__list" aria-labelledby="survey-texts-heading">
          {shown.map((entry) => (
            <TextItem
              key={entry.key}
              entry={entry}
              language={language}
              isSelected={selected.includes(entry.key)}
              canSelect={!entry.reviewed && entry.problem === null}
              onSelect={(isChecked) => setSelected((keys) => (isChecked ? [...keys, entry.key] : keys.filter((key) => key !== entry.key)))}
              onDirty={(isDirty) => setUnsaved((keys) => (isDirty ? (keys.includes(entry.key) ? keys : [...keys, entry.key]) : keys.filter((key) => key !== entry.key)))}
            />
          ))}
        </ol>
      </section>
    </Page>
  );
}

function TextItem({
  entry,
  language,
  isSelected,
  canSelect,
  onSelect,
  onDirty,
}: {
  entry: SurveyTextEntry;
  language: SurveyLanguage;
  isSelected: boolean;
  canSelect: boolean;
  onSelect: (isChecked: boolean) => void;
  onDirty: (isDirty: boolean) => void;
}) {
  const { t } = useTranslation();
  const save = useSaveSurveyText(language);
  const [value, setValue] = useState(entry.text ?? '');
  const field = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const isSource = language === sourceLanguage;
  const facts = languageFacts[language];
  const direction = facts.direction;
  const isDirty = value !== (entry.text ?? '');
  useEffect(() => setValue(entry.text ?? ''), [entry.text]);
  useEffect(() => onDirty(isDirty), [isDirty]);
  // Hidden by the filter: its unsaved change is gone with it.
  useEffect(() => () => onDirty(false), []);
  const plural = pluralPattern.exec(entry.key)?.[1];
  const headingId = `${id}-heading`;
  // A 422 carries the check's German message („Es fehlt der Platzhalter {{name}}“): shown at the field.
  const saveError = save.error ? errorMessage(save.error, t) : undefined;
  const stateText = entry.problem !== null ? t('surveyTexts.stateFaulty', { problem: entry.problem }) : entry.reviewed ? t('surveyTexts.stateReviewed') : t('surveyTexts.stateDraft');
  const hint = plural ? t('surveyTexts.pluralHint', { category: plural, numbers: pluralExamples(language, plural) }) : undefined;
  return (
    <li className={`survey-texts__item${entry.problem !== null ? ' survey-texts__item--faulty' : ''}`} aria-labelledby={headingId}>
      <div className="survey-texts__head">
        <h3 id={headingId} className="kern-heading kern-title survey-texts__key">
          <code>{entry.key}</code>
        </h3>
        <p className={`kern-body kern-body--small survey-texts__state survey-texts__state--${entry.problem !== null ? 'faulty' : entry.reviewed ? 'reviewed' : 'draft'}`}>
          <span className="kern-sr-only">{t('surveyTexts.stateLabel')} </span>
          {stateText}
        </p>
      </div>
      <div className={isSource ? 'survey-texts__body survey-texts__body--single' : 'survey-texts__body'}>
        {isSource ? null : (
          <div className="survey-texts__source">
            <p className="kern-label" id={`${id}-source-label`}>
              {t('surveyTexts.source')}
            </p>
            <p className="kern-body" lang="de" id={`${id}-source`}>
              {entry.source}
            </p>
          </div>
        )}
        <form
          className="kern-stack-xs"
          noValidate
          aria-labelledby={headingId}
          onSubmit={(event) => {
            event.preventDefault();
            // Refused: the focus goes to the field, whose description now holds the check's message.
            save.mutate({ key: entry.key, text: value }, { onError: () => field.current?.focus() });
          }}
        >
          <div className={`kern-form-input${saveError ? ' kern-form-input--error' : ''}`}>
            <label className="kern-label" htmlFor={id}>
              {isSource ? t('surveyTexts.sourceText') : t('surveyTexts.translation', { language: germanName(t, language) })}
            </label>
            <Described id={id} hint={hint} error={saveError} />
            <textarea
              className="kern-form-input__input survey-texts__field"
              id={id}
              ref={field}
              name={entry.key}
              lang={facts.htmlLang}
              dir={direction}
              rows={Math.min(8, Math.max(2, Math.ceil(Math.max(entry.source.length, value.length) / 35)))}
              value={value}
              aria-invalid={saveError ? true : undefined}
              aria-describedby={[describedBy(id, hint, saveError), isSource ? '' : `${id}-source`].filter(Boolean).join(' ') || undefined}
              onChange={(event) => {
                setValue(event.target.value);
                if (save.isSuccess || save.isError) save.reset();
              }}
            />
          </div>
          <div className="toolbar survey-texts__item-actions">
            <Button type="submit" variant="secondary" isBusy={save.isPending}>
              {t('common.save')}
              <span className="survey-texts__hidden"> {entry.key}</span>
            </Button>
            {save.isSuccess && !isDirty ? (
              <span className="kern-body kern-body--small" role="status">
                {t('surveyTexts.saved')}
              </span>
            ) : isDirty ? (
              <span className="kern-body kern-body--small">{t('surveyTexts.unsaved')}</span>
            ) : null}
            {canSelect ? (
              <div className="kern-form-check">
                <input className="kern-form-check__checkbox" id={`${id}-select`} type="checkbox" checked={isSelected} onChange={(event) => onSelect(event.target.checked)} />
                <label className="kern-label" htmlFor={`${id}-select`}>
                  {t('surveyTexts.select')}
                  <span className="survey-texts__hidden"> {entry.key}</span>
                </label>
              </div>
            ) : null}
          </div>
        </form>
      </div>
    </li>
  );
}
