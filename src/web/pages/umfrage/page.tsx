import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { minimumResponses } from '../../../domain/resident-survey-results.ts';
import { api } from '../../api/client.ts';
import type { ResidentSurvey, ResidentSurveyAnswer } from '../../api/from-services/survey.ts';
import { surveyPath, useResidentSurvey, useSurveyActions } from '../../api/survey.ts';
import type { RoundOverview } from '../../api/types.ts';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { ErrorSummary } from '../../components/form.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { formatDate } from '../../format.ts';
import { Exclusions } from './exclusions.tsx';
import { OpenAnswers } from './open-answers.tsx';
import { SurveyResults } from './results.tsx';
import { SurveySettingsForm, type SurveyField } from './settings-form.tsx';
import './survey.css';
import '../../i18n/later.ts';

/**
 * The Einwohner:innen-Umfrage of a round (Außensicht): the Koordination sets it up, publishes it and
 * reviews its Anmerkungen; everyone of the Kommune reads its results beside the Innensicht.
 */
export default function SurveyPage() {
  const { t } = useTranslation();
  const { slug = '', number = '' } = useParams();
  const survey = useResidentSurvey(slug, number);
  // The round's Handlungsfelder with their names and whether the round works them (shared with the round page).
  const overview = useQuery({ queryKey: ['round', slug, number], queryFn: () => api<RoundOverview>('GET', `/api/kommunen/${slug}/rounds/${number}`) });
  if (survey.isPending || overview.isPending) return <Loading />;
  if (!survey.data || !overview.data) return <Page title={t('survey.title')}><ErrorSummary error={survey.error ?? overview.error} /></Page>;
  const data = survey.data;
  const withStatements = new Set(data.statements.map((statement) => statement.field));
  const fields: SurveyField[] = overview.data.fields
    .filter((field) => withStatements.has(field.key))
    .map((field) => ({ key: field.key, name: field.name, isWorked: field.isWorked }));
  return (
    <Page title={t('survey.title')} lead={t('survey.lead', { number: data.round.number, name: data.kommune.name })}>
      <nav aria-label={t('answers.breadcrumb')} className="kern-body kern-body--small toolbar">
        <Link className="kern-link" to={`/kommunen/${slug}/selbstcheck/${number}`}>{t('answers.backToRound', { number })}</Link>
        <Link className="kern-link" to={`/kommunen/${slug}/selbstcheck/${number}/ergebnisse`}>{t('round.results')}</Link>
      </nav>
      <p className="kern-body">{t('survey.intro', { minimum: minimumResponses })}</p>
      {data.survey === null ? (
        data.canManage ? (
          <CreateSurvey slug={slug} number={number} fields={fields} />
        ) : (
          <p className="kern-body">{t('survey.noSurvey')}</p>
        )
      ) : (
        <ExistingSurvey slug={slug} number={number} data={data} survey={data.survey} fields={fields} />
      )}
    </Page>
  );
}

function CreateSurvey({ slug, number, fields }: { slug: string; number: string; fields: SurveyField[] }) {
  const { t } = useTranslation();
  const { create } = useSurveyActions(slug, number);
  return (
    <section aria-labelledby="survey-create-heading" className="kern-stack narrow">
      <h2 id="survey-create-heading" className="kern-heading kern-title">{t('survey.createTitle')}</h2>
      <SurveySettingsForm initial={null} fields={fields} isPublished={false} submitLabel={t('survey.create')} onSubmit={(settings) => create.mutate({ settings })} isBusy={create.isPending} error={create.error} />
    </section>
  );
}

/** Where a published survey stands: before its first day, open, or over. */
function phaseText(survey: ResidentSurvey, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (survey.phase === 'not-yet') return t('survey.phase.notYet', { from: formatDate(survey.settings.opensOn), to: formatDate(survey.settings.closesOn) });
  if (survey.phase === 'open') return t('survey.phase.open', { to: formatDate(survey.settings.closesOn) });
  if (survey.phase === 'closed') return t('survey.phase.closed', { to: formatDate(survey.settings.closesOn) });
  return t('survey.phase.draft');
}

function ExistingSurvey({ slug, number, data, survey, fields }: { slug: string; number: string; data: ResidentSurveyAnswer; survey: ResidentSurvey; fields: SurveyField[] }) {
  const { t } = useTranslation();
  const { change, publish, remove } = useSurveyActions(slug, number);
  const [isSaved, setIsSaved] = useState(false);
  const isPublished = survey.status === 'veroeffentlicht';
  const fieldName = (key: string) => fields.find((field) => field.key === key)?.name ?? key;
  const offered = data.languages.filter((language) => language.offered);
  const path = surveyPath(slug, number);
  // Settings, publishing and deleting: before the results while a draft, after them once published.
  const manage = data.canManage ? (
        <section aria-labelledby="survey-settings-heading" className="kern-stack narrow">
          <h2 id="survey-settings-heading" className="kern-heading kern-title">{t('survey.settingsTitle')}</h2>
          {isSaved && change.isSuccess ? <Alert tone="success" title={t('survey.saved')} /> : null}
          <SurveySettingsForm
            // A new version (saved here or elsewhere) starts the form again from what is stored.
            key={survey.version}
            initial={survey.settings}
            fields={fields}
            isPublished={isPublished}
            submitLabel={t('survey.save')}
            onSubmit={(settings) => change.mutate({ version: survey.version, settings }, { onSuccess: () => setIsSaved(true) })}
            isBusy={change.isPending}
            error={change.error}
          />
          <div className="kern-stack-sm">
            <h3 className="kern-heading kern-title kern-title--small">{isPublished ? t('survey.endTitle') : t('survey.publishTitle')}</h3>
            <ErrorSummary error={publish.error ?? remove.error} />
            {!isPublished ? (
              <>
                <p className="kern-body">{t('survey.publishLead')}</p>
                <div className="toolbar">
                  <ConfirmButton variant="primary" label={t('survey.publish')} question={t('survey.publishQuestion')} confirmLabel={t('survey.publish')} onConfirm={() => publish.mutate({ version: survey.version })} />
                  <ConfirmButton variant="secondary" label={t('survey.delete')} question={t('survey.deleteDraftQuestion')} confirmLabel={t('survey.delete')} onConfirm={() => remove.mutate()} />
                </div>
              </>
            ) : (
              <>
                <p className="kern-body">{t('survey.deleteLead')}</p>
                <div>
                  <ConfirmButton
                    variant="secondary"
                    label={t('survey.delete')}
                    question={t('survey.deleteQuestion', { count: survey.responses.all })}
                    confirmLabel={t('survey.deleteConfirm')}
                    onConfirm={() => remove.mutate()}
                  />
                </div>
              </>
            )}
          </div>
        </section>
      ) : null;
  return (
    <>
      <section aria-labelledby="survey-state-heading" className="kern-stack-sm">
        <h2 id="survey-state-heading" className="kern-heading kern-title">{isPublished ? t('survey.publishedTitle') : t('survey.draftTitle')}</h2>
        {/* Publishing removes its button: the message takes the focus instead of the page's end. */}
        {isPublished && publish.isSuccess ? <Alert tone="success" title={t('survey.publishedNow')} focus /> : null}
        <p className="kern-body">
          <strong>{phaseText(survey, t)}</strong>
          {isPublished && survey.publishedAt ? ` ${t('survey.publishedOn', { date: formatDate(survey.publishedAt) })}` : ''}
        </p>
        {isPublished ? (
          <p className="kern-body">
            {t('survey.responsesCounted', { count: survey.responses.counted })}
            {survey.responses.excluded > 0 ? ` ${t('survey.responsesExcluded', { count: survey.responses.excluded })}` : ''}
          </p>
        ) : (
          <p className="kern-body">{data.canManage ? t('survey.draftLead') : t('survey.draftLeadRead')}</p>
        )}
        {isPublished && survey.url ? <PublicLink url={survey.url} /> : null}
        {isPublished && data.canManage ? (
          <ul className="kern-list survey-downloads">
            <li><a className="kern-link" href={`${path}/poster.pdf`} download>{t('survey.poster')}</a></li>
            <li><a className="kern-link" href={`${path}/responses/csv`} download>{t('survey.exportCsv')}</a></li>
            <li><a className="kern-link" href={`${path}/responses/xlsx`} download>{t('survey.exportXlsx')}</a></li>
          </ul>
        ) : null}
      </section>

      {!isPublished ? (
        <>
          <section aria-labelledby="survey-statements-heading" className="kern-stack-sm">
            <h2 id="survey-statements-heading" className="kern-heading kern-title">{t('survey.statementsTitle')}</h2>
            <p className="kern-body">{t('survey.statementsLead', { count: survey.statements.length })}</p>
            {survey.settings.fields.map((field) => (
              <div key={field} className="kern-stack-xs">
                <h3 className="kern-heading kern-title kern-title--small">{t('survey.fieldLabel', { number: field, name: fieldName(field) })}</h3>
                <ul className="kern-list kern-list--bullet">
                  {survey.statements.filter((statement) => statement.field === field).map((statement) => <li key={statement.key}>{statement.text}</li>)}
                </ul>
              </div>
            ))}
          </section>
          <section aria-labelledby="survey-languages-heading" className="kern-stack-sm">
            <h2 id="survey-languages-heading" className="kern-heading kern-title">{t('survey.languagesTitle')}</h2>
            <p className="kern-body">{t('survey.languagesLead', { count: offered.length })}</p>
            <ul className="kern-list kern-list--bullet">
              {data.languages.map((language) => (
                <li key={language.language}>
                  <span lang={language.language === 'de-x-ls' ? 'de' : language.language} dir={language.direction}>{language.name}</span>
                  {' – '}
                  {language.offered ? t('survey.languageOffered') : t('survey.languageNotYet')}
                </li>
              ))}
            </ul>
            <p className="kern-body kern-body--small">{t('survey.languagesReview')}</p>
          </section>
        </>
      ) : null}

      {isPublished ? (
        <>
          <SurveyResults data={data} />
          <OpenAnswers slug={slug} number={number} survey={survey} answers={data.openAnswers ?? []} canManage={data.canManage} />
          {data.canManage ? <Exclusions slug={slug} number={number} perMinute={data.perMinute ?? []} exclusions={data.exclusions ?? []} /> : null}
          {manage}
        </>
      ) : (
        manage
      )}
    </>
  );
}

/** The public link as text to copy and as a link to open. */
function PublicLink({ url }: { url: string }) {
  const { t } = useTranslation();
  const [isCopied, setIsCopied] = useState(false);
  return (
    <div className="kern-stack-xs survey-link">
      <label className="kern-label" htmlFor="survey-url">{t('survey.link')}</label>
      <input id="survey-url" className="kern-form-input__input invitation-link" readOnly value={url} onFocus={(event) => event.target.select()} />
      <div className="toolbar">
        <button type="button" className="kern-btn kern-btn--secondary kern-btn--x-small" onClick={() => void navigator.clipboard?.writeText(url).then(() => setIsCopied(true))}>
          <span className="kern-icon kern-icon--content-copy" aria-hidden="true" />
          <span className="kern-label">{t('survey.copy')}</span>
        </button>
        <a className="kern-link" href={url} target="_blank" rel="noopener">{t('survey.openLink')}</a>
        <span role="status" className="kern-body kern-body--small copy-status">{isCopied ? t('survey.copied') : ''}</span>
      </div>
    </div>
  );
}
