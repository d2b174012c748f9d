import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { dialogueFormats, dialoguePurposes, dialogueSchema, type Dialogue, type Dialogues } from '../../../domain/dialogue.ts';
import { useCurrentCatalog } from '../../api/catalog.ts';
import { useKommuneDocument } from '../../api/documents.ts';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { Button, CheckboxField, ChoiceGroup, ErrorSummary, fieldErrorsOf, Form, SelectField, TextArea, TextField } from '../../components/form.tsx';
import { ListEditor } from '../../components/list-editor.tsx';
import { Markup } from '../../components/markup.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { formatDate } from '../../format.ts';

function DialogueForm({ initial, index, onSubmit, onCancel, isBusy, error }: { initial: Dialogue; index: number; onSubmit: (event: Dialogue) => void; onCancel: () => void; isBusy: boolean; error: unknown }) {
  const { t } = useTranslation();
  const catalog = useCurrentCatalog();
  const [event, setEvent] = useState(initial);
  const [participants, setParticipants] = useState(initial.participants?.toString() ?? '');
  const errors = fieldErrorsOf(error);
  const at = `content.events.${index}`;
  const set = (patch: Partial<Dialogue>) => setEvent((current) => ({ ...current, ...patch }));
  const submit = () => onSubmit({ ...event, participants: participants.trim() === '' ? null : Number.isInteger(Number(participants)) ? Number(participants) : Number.NaN });
  return (
    <Form label={t('dialogue.edit')} onSubmit={submit}>
      <ErrorSummary error={error} />
      <TextField label={t('workshop.title')} name="title" value={event.title} onChange={(title) => set({ title })} error={errors[`${at}.title`]} />
      <div className="field-row">
        <div className="kern-form-input">
          <label className="kern-label" htmlFor="dialogue-date">{t('kickoff.date')}</label>
          <input className="kern-form-input__input" type="date" id="dialogue-date" value={event.date ?? ''} onChange={(change) => set({ date: change.target.value || null })} />
        </div>
        <TextField label={t('workshop.startTime')} hint={t('workshop.timeHint')} name="startTime" isOptional value={event.startTime} onChange={(startTime) => set({ startTime })} error={errors[`${at}.startTime`]} />
        <TextField label={t('workshop.endTime')} hint={t('workshop.timeHint')} name="endTime" isOptional value={event.endTime} onChange={(endTime) => set({ endTime })} error={errors[`${at}.endTime`]} />
      </div>
      <ChoiceGroup
        legend={t('dialogue.format')}
        name="format"
        type="radio"
        selected={event.format ? [event.format] : []}
        onChange={([format]) => set({ format: (format as Dialogue['format']) ?? null })}
        options={dialogueFormats.map((format) => ({ value: format, label: t(`dialogue.formats.${format}`) }))}
        error={errors[`${at}.format`]}
      />
      <div>
        <TextField label={t('dialogue.participants')} name="participants" inputMode="numeric" isOptional value={participants} onChange={setParticipants} error={errors[`${at}.participants`]} />
        <div className="field-check">
          <CheckboxField label={t('workshop.approximate')} name="participantsApproximate" checked={event.participantsApproximate} onChange={(participantsApproximate) => set({ participantsApproximate })} />
        </div>
      </div>
      <SelectField
        label={t('dialogue.focusField')}
        name="focusField"
        value={event.focusFieldKey ?? ''}
        onChange={(key) => set({ focusFieldKey: key || null })}
        options={[{ value: '', label: t('dialogue.noFocus') }, ...(catalog.data?.catalog.fields ?? []).map((field) => ({ value: field.key, label: `${field.key}. ${field.name}` }))]}
        error={errors[`${at}.focusFieldKey`]}
      />
      <ListEditor
        legend={t('dialogue.partners')}
        items={event.partners}
        onChange={(partners) => set({ partners })}
        createItem={() => ''}
        itemLabel={(partner, partnerIndex) => partner || t('workshop.entryNumber', { number: partnerIndex + 1 })}
        addLabel={t('dialogue.addPartner')}
        renderItem={(partner, partnerIndex, update) => (
          <TextField label={t('workshop.entryNumber', { number: partnerIndex + 1 })} name={`partner-${partnerIndex}`} value={partner} onChange={update} error={errors[`${at}.partners.${partnerIndex}`]} />
        )}
      />
      <ChoiceGroup
        legend={t('dialogue.purposes')}
        name="purposes"
        type="checkbox"
        selected={event.purposes}
        onChange={(purposes) => set({ purposes: dialoguePurposes.filter((purpose) => purposes.includes(purpose)) })}
        options={dialoguePurposes.map((purpose) => ({ value: purpose, label: t(`dialogue.purposeLabels.${purpose}`) }))}
        error={errors[`${at}.purposes`]}
      />
      <TextArea label={t('dialogue.description')} hint={t('profile.markupHint')} name="description" rows={5} value={event.description} onChange={(description) => set({ description })} error={errors[`${at}.description`]} />
      <TextArea label={t('dialogue.results')} hint={t('profile.markupHint')} name="results" rows={5} value={event.results} onChange={(results) => set({ results })} error={errors[`${at}.results`]} />
      <div className="toolbar">
        <Button type="submit" isBusy={isBusy}>{t('common.save')}</Button>
        <Button variant="secondary" onClick={onCancel}>{t('common.cancel')}</Button>
      </div>
    </Form>
  );
}

function DialogueView({ event }: { event: Dialogue }) {
  const { t } = useTranslation();
  const catalog = useCurrentCatalog();
  const frame = [
    event.date ? formatDate(event.date) : '',
    event.startTime && event.endTime ? t('workshop.timeSpan', { start: event.startTime, end: event.endTime }) : '',
    event.format ? t(`dialogue.formats.${event.format}`) : '',
    event.participants !== null ? t(event.participantsApproximate ? 'workshop.participantCountApproximate' : 'workshop.participantCount', { count: event.participants }) : '',
  ].filter(Boolean);
  const focus = event.focusFieldKey ? catalog.data?.catalog.fields.find((field) => field.key === event.focusFieldKey) : undefined;
  return (
    <div className="kern-stack-sm">
      {frame.length ? <p className="kern-body">{frame.join(' · ')}</p> : null}
      {focus ? <p className="kern-body">{t('dialogue.focusSentence', { name: focus.name })}</p> : null}
      {event.purposes.length ? <p className="kern-body">{t('dialogue.purposeSentence', { purposes: event.purposes.map((purpose) => t(`dialogue.purposeLabels.${purpose}`)).join(', ') })}</p> : null}
      {event.partners.length ? <p className="kern-body">{t('dialogue.partnersSentence', { partners: event.partners.join(', ') })}</p> : null}
      {event.description.trim() ? <Markup text={event.description} headingLevel={3} /> : null}
      {event.results.trim() ? (
        <>
          <p className="kern-body kern-body--bold">{t('dialogue.results')}</p>
          <Markup text={event.results} headingLevel={3} />
        </>
      ) : null}
    </div>
  );
}

/** Modul 2: the dialogue events of a Kommune. */
export default function DialoguesPage() {
  const { t } = useTranslation();
  const { slug = '' } = useParams();
  const [editing, setEditing] = useState<{ index: number; event: Dialogue } | null>(null);
  const { data, save } = useKommuneDocument<Dialogues>(slug, 'dialogues', () => setEditing(null));
  if (data.isPending) return <Loading />;
  if (!data.data) return <Page title={t('dialogue.title')}><ErrorSummary error={data.error} /></Page>;
  const { kommune, content, canEdit } = data.data;
  const replace = (index: number, event: Dialogue | null) => {
    const events = [...content.events];
    if (event === null) events.splice(index, 1);
    else events[index] = event;
    save.mutate({ events });
  };
  return (
    <Page title={t('dialogue.titleOf', { name: kommune.name })} lead={t('dialogue.lead')}>
      <nav aria-label={t('answers.breadcrumb')} className="kern-body kern-body--small">
        <Link className="kern-link" to={`/kommunen/${slug}`}>{t('round.backToKommune', { name: kommune.name })}</Link>
      </nav>
      {save.isSuccess && !editing ? <Alert tone="success" title={t('dialogue.saved')} /> : null}
      {editing ? (
        <DialogueForm initial={editing.event} index={editing.index} onSubmit={(event) => replace(editing.index, event)} onCancel={() => setEditing(null)} isBusy={save.isPending} error={save.error} />
      ) : (
        <>
          <ErrorSummary error={save.error} />
          {content.events.length === 0 ? <p className="kern-body">{t('dialogue.none')}</p> : null}
          {content.events.map((event, index) => (
            <article key={event.id} className="kern-stack-sm workshop" aria-labelledby={`${event.id}-heading`}>
              <h2 id={`${event.id}-heading`} className="kern-heading kern-title">{event.title}</h2>
              <DialogueView event={event} />
              {canEdit ? (
                <div className="toolbar">
                  <button type="button" className="kern-btn kern-btn--secondary kern-btn--x-small" aria-label={`${t('dialogue.edit')}: ${event.title}`} onClick={() => setEditing({ index, event })}>
                    <span className="kern-label">{t('dialogue.edit')}</span>
                  </button>
                  <ConfirmButton label={`${t('dialogue.remove')}: ${event.title}`} question={t('workshop.removeQuestion', { title: event.title })} confirmLabel={t('lists.removeConfirm')} onConfirm={() => replace(index, null)} />
                </div>
              ) : null}
            </article>
          ))}
          {canEdit ? (
            <div>
              <button type="button" className="kern-btn kern-btn--primary" onClick={() => setEditing({ index: content.events.length, event: dialogueSchema.parse({ id: `dialog-${crypto.randomUUID().slice(0, 18)}`, title: t('dialogue.defaultTitle') }) })}>
                <span className="kern-icon kern-icon--add" aria-hidden="true" />
                <span className="kern-label">{t('dialogue.add')}</span>
              </button>
            </div>
          ) : null}
        </>
      )}
    </Page>
  );
}
