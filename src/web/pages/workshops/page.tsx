import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { topActionNeeds, type Outlook } from '../../../domain/outlook.ts';
import { sectors, workshopSchema, type Workshop, type Workshops } from '../../../domain/workshop.ts';
import { useCurrentCatalog } from '../../api/catalog.ts';
import { api } from '../../api/client.ts';
import { useKommuneDocument } from '../../api/documents.ts';
import type { RoundList } from '../../api/types.ts';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { ErrorSummary } from '../../components/form.tsx';
import { Markup } from '../../components/markup.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { formatDate } from '../../format.ts';
import { WorkshopForm } from './workshop-form.tsx';

/** A new workshop neither has a date nor is „Termin offen“: the person chooses one of them. */
function newWorkshop(): Workshop {
  return workshopSchema.parse({ id: `workshop-${crypto.randomUUID().slice(0, 18)}`, dateOpen: false });
}

function WorkshopView({ workshop }: { workshop: Workshop }) {
  const { t } = useTranslation();
  const catalog = useCurrentCatalog();
  const fieldName = (key: string) => catalog.data?.catalog.fields.find((field) => field.key === key)?.name ?? key;
  const frame: string[] = [];
  if (workshop.date) frame.push(formatDate(workshop.date));
  else if (workshop.dateOpen) frame.push(t('workshop.dateOpen'));
  if (workshop.startTime && workshop.endTime) frame.push(t('workshop.timeSpan', { start: workshop.startTime, end: workshop.endTime }));
  if (workshop.participantsTotal !== null) {
    frame.push(t(workshop.participantsTotalApproximate ? 'workshop.participantCountApproximate' : 'workshop.participantCount', { count: workshop.participantsTotal }));
  }
  const bySector = sectors.filter((sector) => workshop.participantsBySector[sector] !== null).map((sector) => `${t(`workshop.sectors.${sector}`)}: ${workshop.participantsBySector[sector]}`);
  const lists: ['worksWell' | 'notYet', string][] = [
    ['worksWell', t('workshop.worksWell')],
    ['notYet', t('workshop.notYet')],
  ];
  const { person, organisation, role } = workshop.moderation;
  const fieldTitle = (field: Workshop['fields'][number]) =>
    t(field.qualifier ? 'workshop.resultsOfQualified' : 'workshop.resultsOf', { number: field.fieldKey, name: fieldName(field.fieldKey), qualifier: field.qualifier });
  return (
    <div className="kern-stack-sm">
      {frame.length ? <p className="kern-body">{frame.join(' · ')}</p> : null}
      {bySector.length ? <p className="kern-body kern-body--small">{bySector.join(', ')}</p> : null}
      {person ? <p className="kern-body">{t('workshop.moderatedBy', { person: [role, person, organisation ? `(${organisation})` : ''].filter(Boolean).join(' ') })}</p> : null}
      {workshop.documentationShared ? <p className="kern-body">{t('workshop.documentationShared')}</p> : null}
      <h3 className="kern-heading kern-title kern-title--small">{t('workshop.guidingQuestions')}</h3>
      <ul className="kern-list kern-list--bullet">{workshop.guidingQuestions.map((question, index) => <li key={index}>{question}</li>)}</ul>
      {workshop.fields.map((field) => (
        <section key={field.fieldKey} className="kern-stack-sm workshop-field" aria-label={fieldTitle(field)}>
          <h3 className="kern-heading kern-title kern-title--small">{fieldTitle(field)}</h3>
          {lists.map(([key, label]) =>
            field[key].length ? (
              <div key={key}>
                <p className="kern-body kern-body--bold">{label}</p>
                <ul className="kern-list kern-list--bullet">{field[key].map((item, index) => <li key={index}>{item}</li>)}</ul>
              </div>
            ) : null,
          )}
          {field.potentials.trim() ? (
            <div>
              <p className="kern-body kern-body--bold">{t('workshop.potentials')}</p>
              <Markup text={field.potentials} headingLevel={4} />
            </div>
          ) : null}
          {field.actionNeeds.length ? (
            <div>
              <p className="kern-body kern-body--bold">{t('workshop.actionNeeds')}</p>
              <ul className="kern-list kern-list--bullet">
                {field.actionNeeds.map((need, index) => (
                  <li key={index}>
                    {need.text}
                    {need.votes !== null ? ` (${t('workshop.votesCount', { count: need.votes })})` : null}
                    {need.subpoints.length ? <ul className="kern-list sub-list">{need.subpoints.map((point, pointIndex) => <li key={pointIndex}>{point}</li>)}</ul> : null}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </section>
      ))}
    </div>
  );
}

/** Section 4 of the final report: the Selbstcheck workshops and their results per Handlungsfeld. */
export default function WorkshopsPage() {
  const { t } = useTranslation();
  const { slug = '' } = useParams();
  const [editing, setEditing] = useState<{ index: number; workshop: Workshop } | null>(null);
  const { data, save } = useKommuneDocument<Workshops>(slug, 'workshops', () => setEditing(null));
  // Who plans the measures (the Ausblick) may take a workshop's most prioritised Handlungsbedarfe over.
  const outlook = useKommuneDocument<Outlook>(slug, 'outlook', () => {}).data.data;
  const rounds = useQuery({ queryKey: ['rounds', slug], queryFn: () => api<RoundList>('GET', `/api/kommunen/${slug}/rounds`) });
  // Who documents workshops also runs their live sessions (live.moderate has the same roles).
  const liveSessions = useQuery({
    queryKey: ['live-sessions', slug],
    queryFn: () => api<{ sessions: { workshopId: string; status: string }[] }>('GET', `/api/kommunen/${slug}/live-sessions`),
    enabled: data.data?.canEdit === true,
  });
  if (data.isPending) return <Loading />;
  if (!data.data) return <Page title={t('workshop.title')}><ErrorSummary error={data.error} /></Page>;
  const { kommune, content, canEdit } = data.data;
  const replace = (index: number, workshop: Workshop | null) => {
    const workshops = [...content.workshops];
    if (workshop === null) workshops.splice(index, 1);
    else workshops[index] = workshop;
    save.mutate({ workshops });
  };
  return (
    <Page title={t('workshop.titleOf', { name: kommune.name })} lead={t('workshop.lead')}>
      <nav aria-label={t('answers.breadcrumb')} className="kern-body kern-body--small">
        <Link className="kern-link" to={`/kommunen/${slug}`}>{t('round.backToKommune', { name: kommune.name })}</Link>
      </nav>
      {save.isSuccess && !editing ? <Alert tone="success" title={t('workshop.saved')} /> : null}
      {editing ? (
        <WorkshopForm
          initial={editing.workshop}
          index={editing.index}
          rounds={rounds.data?.rounds.map((round) => round.number) ?? []}
          onSubmit={(workshop) => replace(editing.index, workshop)}
          onCancel={() => setEditing(null)}
          isBusy={save.isPending}
          error={save.error}
        />
      ) : (
        <>
          <ErrorSummary error={save.error} />
          {content.workshops.length === 0 ? <p className="kern-body">{t('workshop.none')}</p> : null}
          {content.workshops.map((workshop, index) => (
            <article key={workshop.id} className="kern-stack-sm workshop" aria-labelledby={`${workshop.id}-heading`}>
              <h2 id={`${workshop.id}-heading`} className="kern-heading kern-title">
                {workshop.title}
                {workshop.roundNumber ? ` (${t('round.name', { number: workshop.roundNumber })})` : ''}
              </h2>
              <WorkshopView workshop={workshop} />
              {outlook?.canEdit && topActionNeeds(workshop, outlook.content).length ? (
                <p className="kern-body">
                  <Link className="kern-link" to={`/kommunen/${slug}/ausblick?uebernehmen=${workshop.id}`} aria-label={`${t('outlook.takeTop', { count: topActionNeeds(workshop, outlook.content).length })}: ${workshop.title}`}>
                    {t('outlook.takeTop', { count: topActionNeeds(workshop, outlook.content).length })}
                  </Link>
                </p>
              ) : null}
              {canEdit ? (
                <div className="toolbar">
                  <Link className="kern-btn kern-btn--secondary kern-btn--x-small" to={`/kommunen/${slug}/workshops/${workshop.id}/live`} aria-label={`${t(liveSessions.data?.sessions.some((session) => session.workshopId === workshop.id && session.status === 'offen') ? 'live.openSession' : 'live.prepareSession')}: ${workshop.title}`}>
                    <span className="kern-label">{t(liveSessions.data?.sessions.some((session) => session.workshopId === workshop.id && session.status === 'offen') ? 'live.openSession' : 'live.prepareSession')}</span>
                  </Link>
                  <button type="button" className="kern-btn kern-btn--secondary kern-btn--x-small" aria-label={`${t('workshop.edit')}: ${workshop.title}`} onClick={() => setEditing({ index, workshop })}>
                    <span className="kern-label">{t('workshop.edit')}</span>
                  </button>
                  <ConfirmButton
                    label={`${t('workshop.remove')}: ${workshop.title}`}
                    question={t('workshop.removeQuestion', { title: workshop.title })}
                    confirmLabel={t('lists.removeConfirm')}
                    onConfirm={() => replace(index, null)}
                  />
                </div>
              ) : null}
            </article>
          ))}
          {canEdit ? (
            <div>
              <button type="button" className="kern-btn kern-btn--primary" onClick={() => setEditing({ index: content.workshops.length, workshop: newWorkshop() })}>
                <span className="kern-icon kern-icon--add" aria-hidden="true" />
                <span className="kern-label">{t('workshop.add')}</span>
              </button>
            </div>
          ) : null}
        </>
      )}
    </Page>
  );
}
