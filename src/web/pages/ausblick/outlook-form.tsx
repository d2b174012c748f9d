import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { actionNeedKey, measureFromActionNeed, measureStatuses, offeredActionNeeds, takenActionNeeds, topActionNeeds, withTopActionNeeds, type Goal, type Measure, type Outlook, type Partnership } from '../../../domain/outlook.ts';
import type { Workshops } from '../../../domain/workshop.ts';
import { useCurrentCatalog } from '../../api/catalog.ts';
import { Button, ChoiceGroup, ErrorSummary, fieldErrorsOf, Form, SelectField, TextArea, TextField } from '../../components/form.tsx';
import { ListEditor } from '../../components/list-editor.tsx';
import { shortLabel } from '../../../domain/short-label.ts';
import { formatDate } from '../../format.ts';

function DateInput({ id, label, value, onChange, error }: { id: string; label: string; value: string | null; onChange: (value: string | null) => void; error?: string }) {
  const { t } = useTranslation();
  return (
    <div className="kern-form-input">
      <label className="kern-label" htmlFor={id}>
        {label} <span className="kern-label__optional">– {t('common.optional')}</span>
      </label>
      <input className="kern-form-input__input" type="date" id={id} value={value ?? ''} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} onChange={(event) => onChange(event.target.value || null)} />
      {error ? <p className="kern-error" id={`${id}-error`}><span className="kern-body">{error}</span></p> : null}
    </div>
  );
}

function MeasureFields({ measure, prefix, update, errors }: { measure: Measure; prefix: string; update: (measure: Measure) => void; errors: Record<string, string> }) {
  const { t } = useTranslation();
  const catalog = useCurrentCatalog();
  const id = prefix.replaceAll('.', '-');
  return (
    <div className="kern-stack-sm">
      <TextField label={t('outlook.measure')} name={`${id}-title`} value={measure.title} onChange={(title) => update({ ...measure, title })} error={errors[`${prefix}.title`]} />
      {measure.source ? <p className="kern-body kern-body--small">{t('outlook.fromWorkshop', { need: measure.source.actionNeed })}</p> : null}
      <div className="field-row">
        <SelectField label={t('outlook.field')} name={`${id}-field`} value={measure.fieldKey ?? ''} onChange={(key) => update({ ...measure, fieldKey: key || null })} options={[{ value: '', label: t('dialogue.noFocus') }, ...(catalog.data?.catalog.fields ?? []).map((field) => ({ value: field.key, label: `${field.key}. ${field.name}` }))]} error={errors[`${prefix}.fieldKey`]} />
        <SelectField label={t('outlook.status')} name={`${id}-status`} value={measure.status} onChange={(status) => update({ ...measure, status: status as Measure['status'] })} options={measureStatuses.map((status) => ({ value: status, label: t(`outlook.statuses.${status}`) }))} />
      </div>
      <div className="field-row">
        <TextField label={t('outlook.responsible')} name={`${id}-responsible`} isOptional value={measure.responsible} onChange={(responsible) => update({ ...measure, responsible })} />
        <TextField label={t('outlook.partners')} name={`${id}-partners`} isOptional value={measure.partners} onChange={(partners) => update({ ...measure, partners })} />
      </div>
      <div className="field-row">
        <DateInput id={`${id}-start`} label={t('outlook.start')} value={measure.start} onChange={(start) => update({ ...measure, start })} error={errors[`${prefix}.start`]} />
        <DateInput id={`${id}-end`} label={t('outlook.end')} value={measure.end} onChange={(end) => update({ ...measure, end })} error={errors[`${prefix}.end`]} />
        <DateInput id={`${id}-review`} label={t('outlook.nextReview')} value={measure.nextReview} onChange={(nextReview) => update({ ...measure, nextReview })} />
      </div>
    </div>
  );
}

/** One partnership or cooperation agreement: its name, the partners (a list), date, target Handlungsfelder and aim. */
function PartnershipFields({ entry, index, update, errors }: { entry: Partnership; index: number; update: (entry: Partnership) => void; errors: Record<string, string> }) {
  const { t } = useTranslation();
  const catalog = useCurrentCatalog();
  const prefix = `content.partnerships.${index}`;
  return (
    <div className="kern-stack-sm">
      <div className="field-row">
        <TextField label={t('outlook.partnershipTitle')} hint={t('outlook.partnershipTitleHint')} name={`partnership-${index}-title`} isOptional maxLength={200} value={entry.title} onChange={(title) => update({ ...entry, title })} error={errors[`${prefix}.title`]} />
        <DateInput id={`partnership-${index}-date`} label={t('outlook.partnershipDate')} value={entry.date} onChange={(date) => update({ ...entry, date })} error={errors[`${prefix}.date`]} />
      </div>
      <ListEditor
        legend={t('outlook.partnershipPartners')}
        items={entry.partners}
        onChange={(partners) => update({ ...entry, partners })}
        createItem={() => ''}
        itemLabel={(partner, partnerIndex) => partner || t('outlook.partnerNumber', { number: partnerIndex + 1 })}
        addLabel={t('outlook.addPartner')}
        error={errors[`${prefix}.partners`]}
        renderItem={(partner, partnerIndex, updatePartner) => (
          <TextField label={t('outlook.partnerNumber', { number: partnerIndex + 1 })} name={`partnership-${index}-partner-${partnerIndex}`} maxLength={200} value={partner} onChange={updatePartner} error={errors[`${prefix}.partners.${partnerIndex}`]} />
        )}
      />
      <ChoiceGroup
        legend={t('outlook.partnershipFields')}
        hint={t('outlook.partnershipFieldsHint')}
        name={`partnership-${index}-fields`}
        type="checkbox"
        selected={entry.fieldKeys}
        onChange={(keys) => update({ ...entry, fieldKeys: (catalog.data?.catalog.fields ?? []).map((field) => field.key).filter((key) => keys.includes(key)) })}
        options={(catalog.data?.catalog.fields ?? []).map((field) => ({ value: field.key, label: `${field.key}. ${field.name}` }))}
        error={errors[`${prefix}.fieldKeys`]}
      />
      <TextField label={t('outlook.aim')} name={`partnership-${index}-aim`} isOptional maxLength={500} value={entry.aim} onChange={(aim) => update({ ...entry, aim })} error={errors[`${prefix}.aim`]} />
    </div>
  );
}

/** Editing the Ausblick: narrative, partnerships, goals with measures; Handlungsbedarfe can be taken over. */
export function OutlookForm({ initial, workshops, onSubmit, onCancel, isBusy, error }: { initial: Outlook; workshops: Workshops; onSubmit: (outlook: Outlook) => void; onCancel: () => void; isBusy: boolean; error: unknown }) {
  const { t } = useTranslation();
  const [outlook, setOutlook] = useState(initial);
  const errors = fieldErrorsOf(error);
  const set = (patch: Partial<Outlook>) => setOutlook((current) => ({ ...current, ...patch }));
  const taken = takenActionNeeds(outlook);
  // Per workshop, by points (one Punktabfrage per workshop); needs without points after them.
  const offered = workshops.workshops.map((workshop) => ({ workshop, needs: offeredActionNeeds(workshop), top: topActionNeeds(workshop, outlook) })).filter((entry) => entry.needs.length > 0);
  const takeOver = ({ votes: _votes, ...source }: ReturnType<typeof offeredActionNeeds>[number]) => {
    const goals: Goal[] = outlook.goals.length ? [...outlook.goals] : [{ title: t('outlook.defaultGoal'), measures: [] }];
    goals[goals.length - 1] = { ...goals[goals.length - 1]!, measures: [...goals[goals.length - 1]!.measures, measureFromActionNeed(source)] };
    set({ goals });
  };
  // The most prioritised needs of a workshop in one step, saved like „Speichern“ does.
  const takeTop = (workshop: Workshops['workshops'][number]) => {
    const next = withTopActionNeeds(outlook, workshop, t('outlook.workshopGoal'));
    if (next.taken.length === 0) return;
    setOutlook(next.outlook);
    onSubmit(next.outlook);
  };
  const workshopName = (workshop: Workshops['workshops'][number]) => (workshop.date ? t('outlook.workshopOf', { title: workshop.title, date: formatDate(workshop.date) }) : workshop.title);
  return (
    <Form label={t('outlook.edit')} onSubmit={() => onSubmit(outlook)}>
      <ErrorSummary error={error} />
      <TextArea label={t('outlook.narrative')} hint={t('profile.markupHint')} name="narrative" rows={8} value={outlook.narrative} onChange={(narrative) => set({ narrative })} error={errors['content.narrative']} />
      <ListEditor<Partnership>
        legend={t('outlook.partnerships')}
        items={outlook.partnerships}
        onChange={(partnerships) => set({ partnerships })}
        createItem={() => ({ title: '', partners: [''], date: null, fieldKeys: [], aim: '' })}
        itemLabel={(entry, index) => entry.title || shortLabel(entry.partners.filter(Boolean).join(', '), 60) || t('outlook.partnershipNumber', { number: index + 1 })}
        addLabel={t('outlook.addPartnership')}
        renderItem={(entry, index, update) => <PartnershipFields entry={entry} index={index} update={update} errors={errors} />}
      />
      {offered.length ? (
        <fieldset className="kern-fieldset">
          <legend className="kern-label kern-label--large">{t('outlook.fromWorkshops')}</legend>
          {offered.map(({ workshop, needs, top }) => (
            <div key={workshop.id} className="kern-stack-xs">
              {offered.length > 1 ? <p className="kern-body kern-body--bold">{workshopName(workshop)}</p> : null}
              <ul className="kern-list">
                {needs.map((need, index) => (
                  <li key={index} className="invitation-item">
                    {need.actionNeed}
                    {need.votes !== null ? ` (${t('workshop.votesCount', { count: need.votes })})` : ''}{' '}
                    {taken.has(actionNeedKey(need)) ? (
                      <span className="kern-body kern-body--small">({t('outlook.taken')})</span>
                    ) : (
                      <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" aria-label={`${t('outlook.takeOver')}: ${need.actionNeed}`} onClick={() => takeOver(need)}>
                        <span className="kern-label">{t('outlook.takeOver')}</span>
                      </button>
                    )}
                  </li>
                ))}
              </ul>
              {top.length ? (
                <div className="kern-stack-xs">
                  <p className="kern-hint" id={`${workshop.id}-top-hint`}>
                    {outlook.goals.length ? t('outlook.takeTopHint', { goal: outlook.goals.at(-1)!.title }) : t('outlook.takeTopHintNewGoal', { goal: t('outlook.workshopGoal') })}
                  </p>
                  <div>
                    <button
                      type="button"
                      className="kern-btn kern-btn--secondary kern-btn--x-small"
                      aria-label={offered.length > 1 ? `${t('outlook.takeTop', { count: top.length })}: ${workshopName(workshop)}` : undefined}
                      aria-describedby={`${workshop.id}-top-hint`}
                      disabled={isBusy}
                      onClick={() => takeTop(workshop)}
                    >
                      <span className="kern-label">{t('outlook.takeTop', { count: top.length })}</span>
                    </button>
                  </div>
                </div>
              ) : null}
            </div>
          ))}
        </fieldset>
      ) : null}
      <ListEditor<Goal>
        legend={t('outlook.goals')}
        items={outlook.goals}
        onChange={(goals) => set({ goals })}
        createItem={() => ({ title: '', measures: [] })}
        itemLabel={(goal, index) => goal.title || t('outlook.goalNumber', { number: index + 1 })}
        addLabel={t('outlook.addGoal')}
        renderItem={(goal, goalIndex, update) => (
          <div className="kern-stack-sm">
            <TextField label={t('outlook.goalNumber', { number: goalIndex + 1 })} name={`goal-${goalIndex}`} value={goal.title} onChange={(title) => update({ ...goal, title })} error={errors[`content.goals.${goalIndex}.title`]} />
            <ListEditor<Measure>
              legend={t('outlook.measures')}
              items={goal.measures}
              onChange={(measures) => update({ ...goal, measures })}
              createItem={(): Measure => ({ title: '', fieldKey: null, responsible: '', partners: '', start: null, end: null, status: 'geplant', nextReview: null, source: null })}
              itemLabel={(measure, index) => shortLabel(measure.title) || t('outlook.measureNumber', { number: index + 1 })}
              addLabel={t('outlook.addMeasure')}
              renderItem={(measure, measureIndex, updateMeasure) => (
                <MeasureFields measure={measure} prefix={`content.goals.${goalIndex}.measures.${measureIndex}`} update={updateMeasure} errors={errors} />
              )}
            />
          </div>
        )}
      />
      <div className="toolbar">
        <Button type="submit" isBusy={isBusy}>{t('common.save')}</Button>
        <Button variant="secondary" onClick={onCancel}>{t('common.cancel')}</Button>
      </div>
    </Form>
  );
}
