import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Kickoff, KickoffPerson } from '../../../domain/kickoff.ts';
import { api } from '../../api/client.ts';
import { useKommuneDocument } from '../../api/documents.ts';
import type { RoundList } from '../../api/types.ts';
import { Button, ErrorSummary, fieldErrorsOf, Form, TextArea, TextField } from '../../components/form.tsx';
import { ListEditor } from '../../components/list-editor.tsx';
import { Markup } from '../../components/markup.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { formatDate, formatDateTime } from '../../format.ts';


const personText = (person: KickoffPerson) => [person.name, person.role, person.organisation].filter(Boolean).join(', ');

function PeopleEditor({ legend, people, onChange, errors, prefix }: { legend: string; people: KickoffPerson[]; onChange: (people: KickoffPerson[]) => void; errors: Record<string, string>; prefix: string }) {
  const { t } = useTranslation();
  return (
    <ListEditor
      legend={legend}
      items={people}
      onChange={onChange}
      createItem={() => ({ name: '', role: '', organisation: '' })}
      itemLabel={(person, index) => person.name || t('profile.leadNumber', { number: index + 1 })}
      addLabel={t('profile.addLead')}
      renderItem={(person, index, update) => (
        <div className="field-row">
          <TextField label={t('fields.name')} name={`${prefix}-${index}-name`} value={person.name} onChange={(name) => update({ ...person, name })} error={errors[`content.${prefix}.${index}.name`]} />
          <TextField label={t('kickoff.role')} name={`${prefix}-${index}-role`} isOptional value={person.role} onChange={(role) => update({ ...person, role })} />
          <TextField label={t('kickoff.organisation')} name={`${prefix}-${index}-organisation`} isOptional value={person.organisation} onChange={(organisation) => update({ ...person, organisation })} />
        </div>
      )}
    />
  );
}

function KickoffForm({ initial, onSubmit, onCancel, isBusy, error }: { initial: Kickoff; onSubmit: (kickoff: Kickoff) => void; onCancel: () => void; isBusy: boolean; error: unknown }) {
  const { t } = useTranslation();
  const [values, setValues] = useState(initial);
  const errors = fieldErrorsOf(error);
  return (
    <Form label={t('kickoff.edit')} onSubmit={() => onSubmit(values)}>
      <ErrorSummary error={error} />
      <div className="kern-form-input narrow">
        <label className="kern-label" htmlFor="kickoff-date">
          {t('kickoff.date')} <span className="kern-label__optional">– {t('common.optional')}</span>
        </label>
        <input className="kern-form-input__input" type="date" id="kickoff-date" value={values.date ?? ''} onChange={(event) => setValues({ ...values, date: event.target.value || null })} />
      </div>
      <PeopleEditor legend={t('kickoff.participants')} people={values.participants} onChange={(participants) => setValues({ ...values, participants })} errors={errors} prefix="participants" />
      <PeopleEditor legend={t('kickoff.excused')} people={values.excused} onChange={(excused) => setValues({ ...values, excused })} errors={errors} prefix="excused" />
      <TextArea label={t('kickoff.keyStatements')} hint={t('profile.markupHint')} name="keyStatements" rows={8} value={values.keyStatements} onChange={(keyStatements) => setValues({ ...values, keyStatements })} error={errors['content.keyStatements']} />
      <div className="toolbar">
        <Button type="submit" isBusy={isBusy}>{t('common.save')}</Button>
        <Button variant="secondary" onClick={onCancel}>{t('common.cancel')}</Button>
      </div>
    </Form>
  );
}

/** Section 2 of the final report: the kick-off meeting and how the questionnaire was worked on. */
export default function ImplementationPage() {
  const { t } = useTranslation();
  const { slug = '' } = useParams();
  const rounds = useQuery({ queryKey: ['rounds', slug], queryFn: () => api<RoundList>('GET', `/api/kommunen/${slug}/rounds`) });
  const [isEditing, setIsEditing] = useState(false);
  const { data, save } = useKommuneDocument<Kickoff>(slug, 'kickoff', () => setIsEditing(false));
  if (data.isPending) return <Loading />;
  if (!data.data) return <Page title={t('kickoff.title')}><ErrorSummary error={data.error} /></Page>;
  const { kommune, content, canEdit, updatedAt, updatedByName } = data.data;
  const isEmpty = !content.date && content.participants.length === 0 && content.excused.length === 0 && !content.keyStatements.trim();
  return (
    <Page title={t('kickoff.titleOf', { name: kommune.name })} lead={t('kickoff.lead')}>
      <nav aria-label={t('answers.breadcrumb')} className="kern-body kern-body--small">
        <Link className="kern-link" to={`/kommunen/${slug}`}>{t('round.backToKommune', { name: kommune.name })}</Link>
      </nav>
      <section aria-labelledby="kickoff-heading" className="kern-stack">
        <h2 id="kickoff-heading" className="kern-heading kern-title">{t('kickoff.heading')}</h2>
        {save.isSuccess && !isEditing ? <Alert tone="success" title={t('kickoff.saved')} /> : null}
        {isEditing ? (
          <KickoffForm initial={content} onSubmit={(next) => save.mutate(next)} onCancel={() => setIsEditing(false)} isBusy={save.isPending} error={save.error} />
        ) : isEmpty ? (
          <p className="kern-body">{t('kickoff.empty')}</p>
        ) : (
          <div className="kern-stack-sm">
            {content.date ? <p className="kern-body">{t('kickoff.onDate', { date: formatDate(content.date) })}</p> : null}
            {content.participants.length ? (
              <>
                <h3 className="kern-heading kern-title kern-title--small">{t('kickoff.participants')}</h3>
                <ul className="kern-list kern-list--bullet">{content.participants.map((person, index) => <li key={index}>{personText(person)}</li>)}</ul>
              </>
            ) : null}
            {content.excused.length ? (
              <>
                <h3 className="kern-heading kern-title kern-title--small">{t('kickoff.excused')}</h3>
                <ul className="kern-list kern-list--bullet">{content.excused.map((person, index) => <li key={index}>{personText(person)}</li>)}</ul>
              </>
            ) : null}
            {content.keyStatements.trim() ? (
              <>
                <h3 className="kern-heading kern-title kern-title--small">{t('kickoff.keyStatements')}</h3>
                <Markup text={content.keyStatements} headingLevel={4} />
              </>
            ) : null}
          </div>
        )}
        {updatedAt && !isEditing ? <p className="kern-body kern-body--small">{t('profile.updated', { date: formatDateTime(updatedAt), name: updatedByName ?? '–' })}</p> : null}
        {canEdit && !isEditing ? (
          <div>
            <button type="button" className="kern-btn kern-btn--primary" onClick={() => setIsEditing(true)}>
              <span className="kern-icon kern-icon--edit" aria-hidden="true" />
              <span className="kern-label">{t('kickoff.edit')}</span>
            </button>
          </div>
        ) : null}
      </section>
      <section aria-labelledby="questionnaire-heading" className="kern-stack-sm">
        <h2 id="questionnaire-heading" className="kern-heading kern-title">{t('kickoff.questionnaire')}</h2>
        {rounds.data && rounds.data.rounds.length ? (
          <ul className="kern-list">
            {rounds.data.rounds.map((round) => (
              <li key={round.number}>
                <Link className="kern-link" to={`/kommunen/${slug}/selbstcheck/${round.number}`}>{t('round.name', { number: round.number })}</Link>
                {round.periodStart ? `: ${t('round.period', { from: formatDate(round.periodStart), to: round.periodEnd ? formatDate(round.periodEnd) : '…' })}` : ''}
                {round.participants ? <div className="kern-body kern-body--small preserve-lines">{round.participants}</div> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="kern-body">{t('round.none')}</p>
        )}
      </section>
    </Page>
  );
}
