import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { sectors, type ActionNeed, type Workshop, type WorkshopField } from '../../../domain/workshop.ts';
import { useCurrentCatalog } from '../../api/catalog.ts';
import { Button, CheckboxField, ChoiceGroup, Described, describedBy, ErrorSummary, fieldErrorsOf, Form, TextArea, TextField } from '../../components/form.tsx';
import { ListEditor } from '../../components/list-editor.tsx';
import { shortLabel } from '../../../domain/short-label.ts';

/** A list of single lines (what works, what does not, sub-points). */
function LineList({ legend, items, onChange, addLabel, name, errors, errorPrefix }: { legend: string; items: string[]; onChange: (items: string[]) => void; addLabel: string; name: string; errors: Record<string, string>; errorPrefix: string }) {
  const { t } = useTranslation();
  return (
    <ListEditor
      legend={legend}
      items={items}
      onChange={onChange}
      createItem={() => ''}
      itemLabel={(item, index) => shortLabel(item) || t('workshop.entryNumber', { number: index + 1 })}
      addLabel={addLabel}
      renderItem={(item, index, update) => (
        <TextField label={t('workshop.entryNumber', { number: index + 1 })} name={`${name}-${index}`} value={item} onChange={update} error={errors[`${errorPrefix}.${index}`]} />
      )}
    />
  );
}

/**
 * The points a Handlungsbedarf received in the workshop's Punktabfrage: empty means not prioritised.
 * Only digits are taken, so the field never holds what the count cannot be; the label names the need.
 */
function VotesField({ name, votes, need, onChange, error }: { name: string; votes: number | null; need: string; onChange: (votes: number | null) => void; error?: string }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className={`kern-form-input workshop-votes${error ? ' kern-form-input--error' : ''}`}>
      <label className="kern-label" htmlFor={id}>
        {t('workshop.votes')} <span className="kern-sr-only">{t('workshop.votesFor', { need })}</span>
        <span className="kern-label__optional"> – {t('common.optional')}</span>
      </label>
      <Described id={id} hint={t('workshop.votesHint')} error={error} />
      <input
        className={`kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`}
        id={id}
        name={name}
        type="text"
        inputMode="numeric"
        maxLength={6}
        value={votes?.toString() ?? ''}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, t('workshop.votesHint'), error)}
        onChange={(event) => {
          const text = event.target.value.trim();
          if (text === '') onChange(null);
          else if (/^[0-9]+$/.test(text)) onChange(Number(text));
        }}
      />
    </div>
  );
}

const toNumber = (text: string) => (text.trim() === '' ? null : Number.isInteger(Number(text)) ? Number(text) : Number.NaN);

/** Documenting one workshop: frame, Fragestellungen and the results per chosen Handlungsfeld. */
export function WorkshopForm({
  initial,
  index,
  rounds,
  onSubmit,
  onCancel,
  isBusy,
  error,
}: {
  initial: Workshop;
  index: number;
  rounds: number[];
  onSubmit: (workshop: Workshop) => void;
  onCancel: () => void;
  isBusy: boolean;
  error: unknown;
}) {
  const { t } = useTranslation();
  const catalog = useCurrentCatalog();
  const fields = catalog.data?.catalog.fields ?? [];
  const [workshop, setWorkshop] = useState(initial);
  const [counts, setCounts] = useState({
    total: initial.participantsTotal?.toString() ?? '',
    ...Object.fromEntries(sectors.map((sector) => [sector, initial.participantsBySector[sector]?.toString() ?? ''])),
  } as Record<'total' | (typeof sectors)[number], string>);
  const errors = fieldErrorsOf(error);
  const at = `content.workshops.${index}`;
  const dateError = errors[`${at}.date`];
  const set = (patch: Partial<Workshop>) => setWorkshop((current) => ({ ...current, ...patch }));
  const setField = (fieldKey: string, patch: Partial<WorkshopField>) =>
    set({ fields: workshop.fields.map((field) => (field.fieldKey === fieldKey ? { ...field, ...patch } : field)) });
  const chooseFields = (keys: string[]) =>
    set({
      fields: fields
        .filter((field) => keys.includes(field.key))
        .map((field) => workshop.fields.find((entry) => entry.fieldKey === field.key) ?? { fieldKey: field.key, qualifier: '', worksWell: [], notYet: [], potentials: '', actionNeeds: [] }),
    });
  const submit = () =>
    onSubmit({
      ...workshop,
      participantsTotal: toNumber(counts.total),
      participantsBySector: Object.fromEntries(sectors.map((sector) => [sector, toNumber(counts[sector])])) as Workshop['participantsBySector'],
    });
  return (
    <Form label={t('workshop.edit')} onSubmit={submit}>
      <ErrorSummary error={error} />
      <fieldset className="kern-fieldset">
        <legend className="kern-label kern-label--large">{t('workshop.frame')}</legend>
        <div className="kern-stack-sm">
          <TextField label={t('workshop.title')} name="title" value={workshop.title} onChange={(title) => set({ title })} error={errors[`${at}.title`]} />
          {rounds.length ? (
            <div className="kern-form-input">
              <label className="kern-label" htmlFor="workshop-round">{t('workshop.round')}</label>
              <div className="kern-form-input__select-wrapper">
                <select className="kern-form-input__select" id="workshop-round" value={workshop.roundNumber ?? ''} onChange={(event) => set({ roundNumber: event.target.value ? Number(event.target.value) : null })}>
                  <option value="">{t('workshop.noRound')}</option>
                  {rounds.map((number) => (
                    <option key={number} value={number}>{t('round.name', { number })}</option>
                  ))}
                </select>
              </div>
            </div>
          ) : null}
          <div className="field-row">
            <div className={`kern-form-input${dateError ? ' kern-form-input--error' : ''}`}>
              <label className="kern-label" htmlFor="workshop-date">{t('kickoff.date')}</label>
              {dateError ? (
                <p className="kern-error" id="workshop-date-error">
                  <span className="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
                  <span className="kern-body">{dateError}</span>
                </p>
              ) : null}
              <input
                className={`kern-form-input__input${dateError ? ' kern-form-input__input--error' : ''}`}
                type="date"
                id="workshop-date"
                value={workshop.date ?? ''}
                aria-invalid={dateError ? true : undefined}
                aria-describedby={dateError ? 'workshop-date-error' : undefined}
                // A date ends „Termin offen“; clearing it leaves the choice to the person.
                onChange={(event) => set(event.target.value ? { date: event.target.value, dateOpen: false } : { date: null })}
              />
              <div className="field-check">
                <CheckboxField
                  label={t('workshop.dateOpen')}
                  name="dateOpen"
                  checked={workshop.dateOpen}
                  onChange={(dateOpen) => set(dateOpen ? { dateOpen, date: null } : { dateOpen })}
                  error={errors[`${at}.dateOpen`]}
                />
              </div>
            </div>
            <TextField label={t('workshop.startTime')} hint={t('workshop.timeHint')} name="startTime" isOptional value={workshop.startTime} onChange={(startTime) => set({ startTime })} error={errors[`${at}.startTime`]} />
            <TextField label={t('workshop.endTime')} hint={t('workshop.timeHint')} name="endTime" isOptional value={workshop.endTime} onChange={(endTime) => set({ endTime })} error={errors[`${at}.endTime`]} />
          </div>
          <div className="field-row">
            <div>
              <TextField label={t('workshop.participantsTotal')} name="participantsTotal" inputMode="numeric" isOptional value={counts.total} onChange={(total) => setCounts({ ...counts, total })} error={errors[`${at}.participantsTotal`]} />
              <div className="field-check">
                <CheckboxField label={t('workshop.approximate')} name="participantsTotalApproximate" checked={workshop.participantsTotalApproximate} onChange={(participantsTotalApproximate) => set({ participantsTotalApproximate })} />
              </div>
            </div>
            {sectors.map((sector) => (
              <TextField
                key={sector}
                label={t(`workshop.sectors.${sector}`)}
                name={`sector-${sector}`}
                inputMode="numeric"
                isOptional
                value={counts[sector]}
                onChange={(value) => setCounts({ ...counts, [sector]: value })}
                error={errors[`${at}.participantsBySector.${sector}`] ?? (sector === 'verwaltung' ? errors[`${at}.participantsBySector`] : undefined)}
              />
            ))}
          </div>
          <div className="field-row">
            <TextField label={t('workshop.moderator')} name="moderator" isOptional value={workshop.moderation.person} onChange={(person) => set({ moderation: { ...workshop.moderation, person } })} error={errors[`${at}.moderation.person`]} />
            <TextField label={t('workshop.moderatorRole')} hint={t('workshop.moderatorRoleHint')} name="moderatorRole" isOptional maxLength={120} value={workshop.moderation.role} onChange={(role) => set({ moderation: { ...workshop.moderation, role } })} error={errors[`${at}.moderation.role`]} />
            <TextField label={t('kickoff.organisation')} name="moderatorOrganisation" isOptional value={workshop.moderation.organisation} onChange={(organisation) => set({ moderation: { ...workshop.moderation, organisation } })} error={errors[`${at}.moderation.organisation`]} />
          </div>
          <CheckboxField label={t('workshop.documentationShared')} hint={t('workshop.documentationSharedHint')} name="documentationShared" checked={workshop.documentationShared} onChange={(documentationShared) => set({ documentationShared })} />
        </div>
      </fieldset>
      <LineList legend={t('workshop.guidingQuestions')} items={workshop.guidingQuestions} onChange={(guidingQuestions) => set({ guidingQuestions })} addLabel={t('workshop.addQuestion')} name="question" errors={errors} errorPrefix={`${at}.guidingQuestions`} />
      <ChoiceGroup
        legend={t('workshop.fields')}
        hint={t('workshop.fieldsHint')}
        name="fields"
        type="checkbox"
        selected={workshop.fields.map((field) => field.fieldKey)}
        onChange={chooseFields}
        options={fields.map((field) => ({ value: field.key, label: `${field.key}. ${field.name}` }))}
        error={errors[`${at}.fields`]}
      />
      {workshop.fields.map((field, fieldIndex) => {
        const name = fields.find((entry) => entry.key === field.fieldKey)?.name ?? field.fieldKey;
        const prefix = `${at}.fields.${fieldIndex}`;
        return (
          <fieldset className="kern-fieldset workshop-field" key={field.fieldKey}>
            <legend className="kern-label kern-label--large">{t('workshop.resultsOf', { number: field.fieldKey, name })}</legend>
            <div className="kern-stack">
              <TextField
                label={t('workshop.qualifier')}
                hint={t('workshop.qualifierHint')}
                name={`f${field.fieldKey}-qualifier`}
                isOptional
                maxLength={120}
                value={field.qualifier}
                onChange={(qualifier) => setField(field.fieldKey, { qualifier })}
                error={errors[`${prefix}.qualifier`]}
              />
              <LineList legend={t('workshop.worksWell')} items={field.worksWell} onChange={(worksWell) => setField(field.fieldKey, { worksWell })} addLabel={t('workshop.addEntry')} name={`f${field.fieldKey}-well`} errors={errors} errorPrefix={`${prefix}.worksWell`} />
              <LineList legend={t('workshop.notYet')} items={field.notYet} onChange={(notYet) => setField(field.fieldKey, { notYet })} addLabel={t('workshop.addEntry')} name={`f${field.fieldKey}-not`} errors={errors} errorPrefix={`${prefix}.notYet`} />
              <TextArea label={t('workshop.potentials')} hint={t('profile.markupHint')} name={`f${field.fieldKey}-potentials`} rows={6} value={field.potentials} onChange={(potentials) => setField(field.fieldKey, { potentials })} error={errors[`${prefix}.potentials`]} />
              <ListEditor<ActionNeed>
                legend={t('workshop.actionNeeds')}
                items={field.actionNeeds}
                onChange={(actionNeeds) => setField(field.fieldKey, { actionNeeds })}
                createItem={() => ({ text: '', subpoints: [], votes: null })}
                itemLabel={(need, needIndex) => shortLabel(need.text) || t('workshop.actionNeedNumber', { number: needIndex + 1 })}
                addLabel={t('workshop.addActionNeed')}
                renderItem={(need, needIndex, update) => (
                  <div className="kern-stack-sm">
                    <TextField label={t('workshop.actionNeedNumber', { number: needIndex + 1 })} name={`f${field.fieldKey}-need-${needIndex}`} value={need.text} onChange={(text) => update({ ...need, text })} error={errors[`${prefix}.actionNeeds.${needIndex}.text`]} />
                    <VotesField
                      name={`f${field.fieldKey}-need-${needIndex}-votes`}
                      votes={need.votes}
                      need={shortLabel(need.text) || t('workshop.actionNeedNumber', { number: needIndex + 1 })}
                      onChange={(votes) => update({ ...need, votes })}
                      error={errors[`${prefix}.actionNeeds.${needIndex}.votes`]}
                    />
                    <LineList legend={t('workshop.subpoints')} items={need.subpoints} onChange={(subpoints) => update({ ...need, subpoints })} addLabel={t('workshop.addSubpoint')} name={`f${field.fieldKey}-need-${needIndex}-sub`} errors={errors} errorPrefix={`${prefix}.actionNeeds.${needIndex}.subpoints`} />
                  </div>
                )}
              />
            </div>
          </fieldset>
        );
      })}
      <div className="toolbar">
        <Button type="submit" isBusy={isBusy}>{t('common.save')}</Button>
        <Button variant="secondary" onClick={onCancel}>{t('common.cancel')}</Button>
      </div>
    </Form>
  );
}
