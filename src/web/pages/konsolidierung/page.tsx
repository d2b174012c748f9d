import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { useDiscussion } from '../../api/discussion.ts';
import { useBelege, type Beleg } from '../../api/belege.ts';
import type { AnswerOption, Consolidation } from '../../api/types.ts';
import { CriterionDiscussion } from '../../components/discussion.tsx';
import { BelegLink, EvidenceLinks } from '../../components/evidence-links.tsx';
import { CheckboxField, ErrorSummary } from '../../components/form.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { openThreadsOfCriterion, summarizeThreads } from '../../../domain/discussion.ts';
import { backsCriterion } from '../../../domain/evidence-file.ts';
import { optionText, RatingEditor } from './rating-editor.tsx';

type Criterion = Consolidation['fields'][number]['criteria'][number];

/** The value of an option in German notation, e.g. „ja = 3“. */
function valueList(scale: AnswerOption[]): string {
  return scale
    .filter((option) => option.value !== null)
    .map((option) => `${option.label} = ${option.value}`)
    .join(', ');
}

/** How the mean and the derived rating come about, with the scale's own values and an example of a half. */
function ScoringExplanation({ scale }: { scale: AnswerOption[] }) {
  const { t } = useTranslation();
  const valued = scale.filter((option) => option.value !== null).sort((a, b) => a.value! - b.value!);
  const unvalued = scale.filter((option) => option.value === null).map((option) => `„${option.label}“`);
  const [lower, upper] = [valued[1], valued[2]];
  return (
    <details className="kern-body consolidation-explanation">
      <summary>{t('consolidation.explainTitle')}</summary>
      <p className="kern-body">{t('consolidation.explainMean', { values: valueList(scale), unvalued: unvalued.join(t('consolidation.or')) })}</p>
      {lower && upper ? (
        <p className="kern-body">
          {t('consolidation.explainDerived', { half: (lower.value! + 0.5).toLocaleString('de-DE'), upper: upper.label })}
        </p>
      ) : null}
      <p className="kern-body">{t('consolidation.explainConsolidated')}</p>
    </details>
  );
}

/** The one-line explanation of a criterion's mean: how many Leitfragen with a value it comes from. */
function meanSource(criterion: Criterion, scale: AnswerOption[]): number {
  const valued = new Set(scale.filter((option) => option.value !== null).map((option) => option.key));
  return criterion.questions.filter((question) => question.answers.some((entry) => entry.value !== null && valued.has(entry.value))).length;
}

/** The Belege linked to one question of the round, each to open (a PDF in a new tab, others as a download). */
function QuestionBelege({ slug, belege, round, questionKey }: { slug: string; belege: Beleg[]; round: number; questionKey: string }) {
  const { t } = useTranslation();
  const linked = belege.filter((beleg) => beleg.links.some((link) => link.round === round && link.kind === 'question' && link.key === questionKey));
  if (linked.length === 0) return null;
  return (
    <div className="kern-body kern-body--small">
      {t('consolidation.questionBelege')}{' '}
      {linked.map((beleg, index) => {
        return (
          <span key={beleg.id}>
            {index > 0 ? ', ' : ''}
            <BelegLink slug={slug} beleg={beleg} />
          </span>
        );
      })}
    </div>
  );
}

/** Koordination: every answer by person, where people disagree, and the consolidated rating per criterion. */
export default function ConsolidationPage() {
  const { t } = useTranslation();
  const { slug = '', number = '' } = useParams();
  const apiBase = `/api/kommunen/${slug}/rounds/${number}`;
  const session = useSession();
  const data = useQuery({ queryKey: ['consolidation', slug, number], queryFn: () => api<Consolidation>('GET', `${apiBase}/consolidation`) });
  const overview = useQuery({ queryKey: ['round', slug, number], queryFn: () => api<{ permissions: Record<string, boolean> }>('GET', apiBase) });
  const [onlyDisputed, setOnlyDisputed] = useState(false);
  const [onlyOpen, setOnlyOpen] = useState(false);
  // Everyone who sees the consolidation reads the discussion (round.review ⊂ discussion.read).
  const discussion = useDiscussion(apiBase, undefined, true);
  const [onlyOpenDiscussion, setOnlyOpenDiscussion] = useState(false);
  const belege = useBelege(slug);
  const [onlyWithoutBeleg, setOnlyWithoutBeleg] = useState(false);
  const pending = useRef(new Set<string>());
  // Leaving with unsaved ratings asks first; what is typed is also kept as a draft in the browser.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (pending.current.size > 0) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);
  const onPendingChange = useCallback((criterionKey: string, isPending: boolean) => {
    if (isPending) pending.current.add(criterionKey);
    else pending.current.delete(criterionKey);
  }, []);
  if (data.isPending || session.isPending) return <Loading />;
  if (!data.data) return <Page title={t('consolidation.title', { number })}><ErrorSummary error={data.error} /></Page>;
  const { fields, answerScale, round } = data.data;
  const canEdit = round.status === 'open' && (overview.data?.permissions['round.manage'] ?? false);
  const disputed = fields.flatMap((field) => field.criteria.filter((criterion) => criterion.isDisputed)).length;
  const threadSummaries = summarizeThreads(
    (discussion.data?.threads ?? []).flatMap((thread) => thread.notes.map((note) => ({ kind: thread.kind, key: thread.key, deletedAt: note.isDeleted ? note.createdAt : null, createdAt: note.createdAt }))),
    (discussion.data?.threads ?? []).filter((thread) => thread.settled).map((thread) => ({ kind: thread.kind, key: thread.key })),
  );
  const openDiscussions = (criterion: Criterion) => openThreadsOfCriterion(threadSummaries, criterion.key);
  const roundNumber = Number(number);
  const documents = belege.data?.documents ?? [];
  const isBacked = (criterion: Criterion) => documents.some((beleg) => backsCriterion(beleg.links, roundNumber, criterion.key));
  const isShown = (criterion: Criterion) =>
    (!onlyDisputed || criterion.isDisputed) &&
    (!onlyOpen || criterion.status === 'open') &&
    (!onlyOpenDiscussion || openDiscussions(criterion) > 0) &&
    (!onlyWithoutBeleg || !isBacked(criterion));
  const shownFields = fields.map((field) => ({ ...field, criteria: field.criteria.filter(isShown) })).filter((field) => field.criteria.length > 0);
  const shownCount = shownFields.reduce((sum, field) => sum + field.criteria.length, 0);
  return (
    <Page title={t('consolidation.title', { number })} lead={t('consolidation.lead')}>
      <nav aria-label={t('answers.breadcrumb')} className="kern-body kern-body--small">
        <Link className="kern-link" to={`/kommunen/${slug}/selbstcheck/${number}`}>{t('answers.backToRound', { number })}</Link>
      </nav>
      {round.status === 'closed' ? <Alert tone="info" title={t('consolidation.closed')} /> : null}
      <p className="kern-body">{t('consolidation.disputedCount', { count: disputed })}</p>
      <ScoringExplanation scale={answerScale} />
      <fieldset className="kern-fieldset consolidation-filter">
        <legend className="kern-label">{t('consolidation.filter')}</legend>
        <div className="kern-fieldset__body kern-fieldset__body--horizontal">
          <CheckboxField name="nur-abweichende" label={t('consolidation.onlyDisputed')} checked={onlyDisputed} onChange={setOnlyDisputed} />
          <CheckboxField name="nur-offene" label={t('consolidation.onlyOpen')} checked={onlyOpen} onChange={setOnlyOpen} />
          <CheckboxField name="nur-offene-diskussion" label={t('discussion.onlyOpenDiscussion')} checked={onlyOpenDiscussion} onChange={setOnlyOpenDiscussion} />
          <CheckboxField name="ohne-beleg" label={t('consolidation.onlyWithoutBeleg')} checked={onlyWithoutBeleg} onChange={setOnlyWithoutBeleg} />
        </div>
      </fieldset>
      <p className="kern-body" role="status">
        {onlyDisputed || onlyOpen || onlyOpenDiscussion || onlyWithoutBeleg ? t('consolidation.shownCount', { count: shownCount }) : ''}
      </p>
      <nav aria-labelledby="consolidation-toc" className="kern-stack-xs">
        <h2 id="consolidation-toc" className="kern-heading kern-title kern-title--small">{t('catalog.fields')}</h2>
        <ul className="kern-list">
          {shownFields.map((field) => (
            <li key={field.key}><a className="kern-link" href={`#konsolidierung-${field.key}`}>{field.key}. {field.name}</a></li>
          ))}
        </ul>
      </nav>
      {shownFields.map((field) => (
        <section key={field.key} aria-labelledby={`konsolidierung-${field.key}`} className="kern-stack catalog-field">
          <h2 id={`konsolidierung-${field.key}`} className="kern-heading kern-title">{t('catalog.fieldHeading', { number: field.key, name: field.name })}</h2>
          <p className="kern-body">
            {t('consolidation.fieldProgress', { answered: field.answeredQuestionCount, total: field.questionCount, people: t('consolidation.people', { count: field.respondentCount }) })}
            {'; '}
            {t('consolidation.openCriteria', { count: field.openCriterionCount })}
            {'; '}
            {t('discussion.openCount', { count: discussion.data?.openByField[field.key] ?? 0 })}
          </p>
          {field.criteria.map((criterion) => (
            <article key={criterion.key} aria-labelledby={`k-${criterion.key}`} className={`kern-stack-sm consolidation-criterion${criterion.isDisputed ? ' is-disputed' : ''}`}>
              <h3 id={`k-${criterion.key}`} className="kern-heading kern-title kern-title--small">
                {criterion.key} {criterion.name}
                {/* A hidden dash keeps the badges apart from the name for screen readers: „… zur Steuerung – offen“. */}
                {criterion.status === 'open' ? (
                  <>
                    {' '}
                    <span className="kern-sr-only">– </span>
                    <span className="kern-badge kern-badge--info disputed-badge">{t('consolidation.openBadge')}</span>
                  </>
                ) : null}
                {criterion.isDisputed ? (
                  <>
                    {' '}
                    <span className="kern-sr-only">– </span>
                    <span className="kern-badge kern-badge--warning disputed-badge">
                      <span className="kern-icon kern-icon--warning kern-icon--small" aria-hidden="true" /> {t('consolidation.disputed')}
                    </span>
                  </>
                ) : null}
                {openDiscussions(criterion) > 0 ? (
                  <>
                    {' '}
                    <span className="kern-sr-only">– </span>
                    <span className="kern-badge kern-badge--info disputed-badge">{t('discussion.openCount', { count: openDiscussions(criterion) })}</span>
                  </>
                ) : null}
              </h3>
              <p className="kern-body">
                {t('consolidation.derived')}: <strong>{optionText(answerScale, criterion.derivedRating, t)}</strong>
                {criterion.derivedValue !== null
                  ? ` (${t('consolidation.meanOf', { value: criterion.derivedValue.toLocaleString('de-DE', { maximumFractionDigits: 2 }), count: meanSource(criterion, answerScale) })})`
                  : ''}
                {criterion.consolidatedRating ? (
                  <>
                    {' · '}
                    {t('consolidation.consolidated')}: <strong>{optionText(answerScale, criterion.consolidatedRating, t)}</strong>
                    {criterion.reason ? ` – „${criterion.reason}“` : ''}
                  </>
                ) : null}
              </p>
              <TableRegion labelledBy={`k-${criterion.key}-caption`}>
                <table className="kern-table kern-table--small">
                  <caption id={`k-${criterion.key}-caption`} className="kern-sr-only">{t('consolidation.answersOf', { name: criterion.name })}</caption>
                  <thead className="kern-table__head">
                    <tr className="kern-table__row">
                      <th scope="col" className="kern-table__header">{t('consolidation.question')}</th>
                      <th scope="col" className="kern-table__header">{t('consolidation.answers')}</th>
                    </tr>
                  </thead>
                  <tbody className="kern-table__body">
                    {criterion.questions.map((question) => (
                      <tr className="kern-table__row" key={question.key}>
                        <th scope="row" className="kern-table__cell question-cell">
                          <span className="question-key">{question.key}</span> {question.text}
                          {question.spread >= 2 ? <div className="kern-body kern-body--small disputed-text">{t('consolidation.spread', { steps: question.spread })}</div> : null}
                          <QuestionBelege slug={slug} belege={documents} round={roundNumber} questionKey={question.key} />
                        </th>
                        <td className="kern-table__cell">
                          {question.answers.length === 0 ? t('consolidation.noAnswers') : (
                            <ul className="answer-list">
                              {question.answers.map((entry) => (
                                <li key={`${entry.userId}:${entry.onBehalfOf ?? ''}`}>
                                  {entry.onBehalfOf ? t('consolidation.onBehalf', { department: entry.onBehalfOf, name: entry.name }) : entry.name}: <strong>{entry.value ? optionText(answerScale, entry.value, t) : t('consolidation.commentOnly')}</strong>
                                  {entry.comment ? <div className="kern-body kern-body--small">„{entry.comment}“</div> : null}
                                  {entry.evidence ? <div className="kern-body kern-body--small">{t('answers.evidence')}: {/^https?:\/\//.test(entry.evidence) ? <a className="kern-link" href={entry.evidence} rel="noopener noreferrer nofollow">{entry.evidence}</a> : entry.evidence}</div> : null}
                                </li>
                              ))}
                            </ul>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableRegion>
              <EvidenceLinks slug={slug} round={roundNumber} kind="criterion" subjectKey={criterion.key} canEdit={canEdit} label={t('consolidation.criterionBelege', { key: criterion.key })} />
              <CriterionDiscussion apiBase={apiBase} discussion={discussion.data} fieldKey={field.key} criterionKey={criterion.key} questionKeys={criterion.questions.map((question) => question.key)} />
              {canEdit ? (
                <RatingEditor
                  apiBase={apiBase}
                  draftKey={`weltoffen:einschaetzung:${session.data?.user.id}:${slug}:${number}:${criterion.key}`}
                  criterion={criterion}
                  scale={answerScale}
                  onPendingChange={onPendingChange}
                />
              ) : null}
            </article>
          ))}
        </section>
      ))}
    </Page>
  );
}
