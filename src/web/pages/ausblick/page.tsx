import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { germanDay } from '../../../domain/deadline.ts';
import { joinGerman } from '../../../domain/german.ts';
import { isMeasureReviewDue, withTopActionNeeds, type Outlook } from '../../../domain/outlook.ts';
import type { Workshops } from '../../../domain/workshop.ts';
import { useCurrentCatalog } from '../../api/catalog.ts';
import { useKommuneDocument } from '../../api/documents.ts';
import { ErrorSummary } from '../../components/form.tsx';
import { Markup } from '../../components/markup.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { formatDate } from '../../format.ts';
import { OutlookForm } from './outlook-form.tsx';
import { SelfCheckSuggestions } from './suggestions.tsx';
import { OutsideViewGoals } from './outside-view-goals.tsx';

function OutlookView({ outlook }: { outlook: Outlook }) {
  const { t } = useTranslation();
  const catalog = useCurrentCatalog();
  const fieldName = (key: string | null) => (key ? (catalog.data?.catalog.fields.find((field) => field.key === key)?.name ?? key) : '–');
  const date = (value: string | null) => (value ? formatDate(value) : '–');
  const today = germanDay(new Date());
  // An open end reads „ab …“, an open start „bis …“, never „1. März 2027 – –“.
  const period = (start: string | null, end: string | null) =>
    start && end ? `${formatDate(start)} – ${formatDate(end)}` : start ? t('outlook.fromDate', { date: formatDate(start) }) : end ? t('outlook.untilDate', { date: formatDate(end) }) : '–';
  return (
    <div className="kern-stack">
      {outlook.narrative.trim() ? <Markup text={outlook.narrative} headingLevel={2} /> : null}
      {outlook.partnerships.length ? (
        <section aria-labelledby="partnerships" className="kern-stack-sm">
          <h2 id="partnerships" className="kern-heading kern-title">{t('outlook.partnerships')}</h2>
          <ul className="kern-list kern-list--bullet">
            {outlook.partnerships.map((entry, index) => (
              <li key={index}>
                <strong>{entry.title || t('outlook.partnershipNumber', { number: index + 1 })}</strong>
                {entry.date ? ` (${t('outlook.agreedOn', { date: formatDate(entry.date) })})` : ''}
                <div className="kern-body">{t('outlook.partnersSentence', { partners: entry.partners.join(', ') })}</div>
                {entry.fieldKeys.length ? <div className="kern-body">{t('outlook.fieldsSentence', { fields: entry.fieldKeys.map((key) => `${key}. ${fieldName(key)}`).join(', ') })}</div> : null}
                {entry.aim ? <div className="kern-body">{t('outlook.aimSentence', { aim: entry.aim })}</div> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {outlook.goals.map((goal, goalIndex) => (
        <section key={goalIndex} aria-labelledby={`goal-${goalIndex}`} className="kern-stack-sm">
          <h2 id={`goal-${goalIndex}`} className="kern-heading kern-title">{t('outlook.goalHeading', { title: goal.title })}</h2>
          {goal.measures.length ? (
            <TableRegion labelledBy={`goal-${goalIndex}-caption`}>
              <table className="kern-table kern-table--small">
                <caption id={`goal-${goalIndex}-caption`} className="kern-sr-only">{t('outlook.measuresOf', { title: goal.title })}</caption>
                <thead className="kern-table__head">
                  <tr className="kern-table__row">
                    {['measure', 'field', 'responsible', 'period', 'status', 'nextReview'].map((key) => (
                      <th scope="col" className="kern-table__header" key={key}>{t(`outlook.columns.${key}`)}</th>
                    ))}
                  </tr>
                </thead>
                <tbody className="kern-table__body">
                  {goal.measures.map((measure, index) => (
                    <tr className="kern-table__row" key={index}>
                      <th scope="row" className="kern-table__cell">
                        {measure.title}
                        {measure.partners ? <div className="kern-body kern-body--small">{t('outlook.withPartners', { partners: measure.partners })}</div> : null}
                      </th>
                      <td className="kern-table__cell">{fieldName(measure.fieldKey)}</td>
                      <td className="kern-table__cell">{measure.responsible || '–'}</td>
                      <td className="kern-table__cell">{period(measure.start, measure.end)}</td>
                      <td className="kern-table__cell">{t(`outlook.statuses.${measure.status}`)}</td>
                      <td className="kern-table__cell">
                        {date(measure.nextReview)}
                        {isMeasureReviewDue(measure, today) ? <div className="kern-body kern-body--small"><strong>{t('outlook.reviewDue', { date: date(measure.nextReview) })}</strong></div> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableRegion>
          ) : (
            <p className="kern-body">{t('outlook.noMeasures')}</p>
          )}
        </section>
      ))}
    </div>
  );
}

/** Section 5 of the final report: outlook, partnerships, goals and measures. */
export default function OutlookPage() {
  const { t } = useTranslation();
  const { slug = '' } = useParams();
  const [isEditing, setIsEditing] = useState(false);
  const { data, save } = useKommuneDocument<Outlook>(slug, 'outlook', () => setIsEditing(false));
  const workshops = useKommuneDocument<Workshops>(slug, 'workshops', () => {}).data;
  // „?uebernehmen=<workshop>“ (the link on the workshops page) takes that workshop's most prioritised
  // Handlungsbedarfe over as measures once, as the button in the form does, and saves.
  const [params, setParams] = useSearchParams();
  const fromWorkshop = params.get('uebernehmen');
  const handled = useRef<string | null>(null);
  const [topMessage, setTopMessage] = useState<{ tone: 'success' | 'info'; text: string } | null>(null);
  useEffect(() => {
    if (!fromWorkshop || !data.data || !workshops.data || handled.current === fromWorkshop) return;
    handled.current = fromWorkshop;
    setParams((current) => {
      current.delete('uebernehmen');
      return current;
    }, { replace: true });
    const workshop = workshops.data.content.workshops.find((entry) => entry.id === fromWorkshop);
    if (!data.data.canEdit || !workshop) return;
    const next = withTopActionNeeds(data.data.content, workshop, t('outlook.workshopGoal'));
    if (next.taken.length === 0) {
      setTopMessage({ tone: 'info', text: t('outlook.topNothing') });
      return;
    }
    const needs = joinGerman(next.taken.map((need) => `„${need.actionNeed}“`));
    save.mutate(next.outlook, { onSuccess: () => setTopMessage({ tone: 'success', text: t('outlook.topTaken', { count: next.taken.length, goal: next.goalTitle, needs }) }) });
  }, [fromWorkshop, data.data, workshops.data, setParams, save, t]);
  if (data.isPending) return <Loading />;
  if (!data.data) return <Page title={t('outlook.title')}><ErrorSummary error={data.error} /></Page>;
  const { kommune, content, canEdit } = data.data;
  const isEmpty = !content.narrative.trim() && content.partnerships.length === 0 && content.goals.length === 0;
  return (
    <Page title={t('outlook.titleOf', { name: kommune.name })} lead={t('outlook.lead')}>
      <nav aria-label={t('answers.breadcrumb')} className="kern-body kern-body--small">
        <Link className="kern-link" to={`/kommunen/${slug}`}>{t('round.backToKommune', { name: kommune.name })}</Link>
      </nav>
      {save.isSuccess && !isEditing ? <Alert tone="success" title={t('outlook.saved')} /> : null}
      {topMessage && !isEditing ? <Alert tone={topMessage.tone} title={topMessage.text} /> : null}
      {isEditing ? (
        <OutlookForm initial={content} workshops={workshops.data?.content ?? { workshops: [] }} onSubmit={(next) => save.mutate(next)} onCancel={() => setIsEditing(false)} isBusy={save.isPending} error={save.error} />
      ) : (
        <>
          {isEmpty ? <p className="kern-body">{t('outlook.empty')}</p> : <OutlookView outlook={content} />}
          {canEdit ? (
            <div>
              <button type="button" className="kern-btn kern-btn--primary" onClick={() => setIsEditing(true)}>
                <span className="kern-icon kern-icon--edit" aria-hidden="true" />
                <span className="kern-label">{t('outlook.edit')}</span>
              </button>
            </div>
          ) : null}
          <SelfCheckSuggestions
            slug={slug}
            outlook={content}
            canEdit={canEdit}
            onSave={(next, onSuccess) => save.mutate(next, { onSuccess })}
            isBusy={save.isPending}
            error={save.error}
          />
          <OutsideViewGoals slug={slug} outlook={content} canEdit={canEdit} onSave={(next, onSuccess) => save.mutate(next, { onSuccess })} isBusy={save.isPending} />
        </>
      )}
    </Page>
  );
}
