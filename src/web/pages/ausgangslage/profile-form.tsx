import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Profile } from '../../../domain/profile.ts';
import { Button, ErrorSummary, fieldErrorsOf, Form, TextArea, TextField } from '../../components/form.tsx';
import { ListEditor } from '../../components/list-editor.tsx';
import { formatNumber, parseGermanNumber } from '../../format.ts';
import { shortLabel } from '../../../domain/short-label.ts';

const show = (value: number | null) => (value === null ? '' : formatNumber(value));

interface FactDraft {
  label: string;
  value: string;
  unit: string;
  source: string;
  referenceDate: string;
  note: string;
}

/** Editing the Ausgangslage; numbers are typed the German way ("80.674", "5,8"). */
export function ProfileForm({
  initial,
  onSubmit,
  onCancel,
  isBusy,
  error,
}: {
  initial: Profile;
  onSubmit: (profile: Profile) => void;
  onCancel: () => void;
  isBusy: boolean;
  error: unknown;
}) {
  const { t } = useTranslation();
  const [population, setPopulation] = useState(show(initial.population));
  const [populationSource, setPopulationSource] = useState(initial.populationSource);
  const [populationDate, setPopulationDate] = useState(initial.populationDate);
  const [foreignShare, setForeignShare] = useState(show(initial.foreignShare));
  const [foreignShareSource, setForeignShareSource] = useState(initial.foreignShareSource);
  const [foreignShareDate, setForeignShareDate] = useState(initial.foreignShareDate);
  const [facts, setFacts] = useState<FactDraft[]>(initial.facts.map((fact) => ({ ...fact, value: show(fact.value) })));
  const [hasRange, setHasRange] = useState(initial.districtRange !== null);
  const [range, setRange] = useState({
    areaKind: initial.districtRange?.areaKind ?? 'Ortsteil',
    lowestShare: show(initial.districtRange?.lowestShare ?? null),
    lowestName: initial.districtRange?.lowestName ?? '',
    highestShare: show(initial.districtRange?.highestShare ?? null),
    highestName: initial.districtRange?.highestName ?? '',
  });
  const [head, setHead] = useState(initial.administrationHead);
  const [leads, setLeads] = useState(initial.projectLeads);
  const [challenges, setChallenges] = useState(initial.challenges);
  const [furtherConditions, setFurtherConditions] = useState(initial.furtherConditions);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const errors = { ...fieldErrorsOf(error), ...localErrors };
  const fieldError = (key: string) => errors[`content.${key}`];

  const submit = () => {
    const problems: Record<string, string> = {};
    const number = (text: string, key: string) => {
      const value = parseGermanNumber(text);
      if (text.trim() !== '' && value === null) problems[`content.${key}`] = t('profile.notANumber');
      return value;
    };
    const profile: Profile = {
      population: number(population, 'population'),
      populationSource,
      populationDate,
      foreignShare: number(foreignShare, 'foreignShare'),
      foreignShareSource,
      foreignShareDate,
      facts: facts.map((fact, index) => ({ ...fact, value: number(fact.value, `facts.${index}.value`) })),
      districtRange: hasRange
        ? {
            areaKind: range.areaKind,
            lowestShare: number(range.lowestShare, 'districtRange.lowestShare') ?? Number.NaN,
            lowestName: range.lowestName,
            highestShare: number(range.highestShare, 'districtRange.highestShare') ?? Number.NaN,
            highestName: range.highestName,
          }
        : null,
      administrationHead: head,
      projectLeads: leads,
      challenges,
      furtherConditions,
    };
    setLocalErrors(problems);
    if (Object.keys(problems).length === 0) onSubmit(profile);
  };

  return (
    <Form label={t('profile.edit')} onSubmit={submit}>
      <ErrorSummary error={Object.keys(localErrors).length ? new Error(t('profile.checkNumbers')) : error} />
      <fieldset className="kern-fieldset">
        <legend className="kern-label kern-label--large">{t('profile.population')}</legend>
        <div className="field-row">
          <TextField label={t('profile.populationValue')} name="population" inputMode="numeric" isOptional value={population} onChange={setPopulation} error={fieldError('population')} />
          <TextField label={t('profile.source')} name="populationSource" isOptional value={populationSource} onChange={setPopulationSource} error={fieldError('populationSource')} />
          <TextField label={t('profile.date')} hint={t('profile.dateHint')} name="populationDate" isOptional value={populationDate} onChange={setPopulationDate} error={fieldError('populationDate')} />
        </div>
      </fieldset>
      <fieldset className="kern-fieldset">
        <legend className="kern-label kern-label--large">{t('profile.foreignShare')}</legend>
        <div className="field-row">
          <TextField label={t('profile.percent')} name="foreignShare" inputMode="text" isOptional value={foreignShare} onChange={setForeignShare} error={fieldError('foreignShare')} />
          <TextField label={t('profile.source')} name="foreignShareSource" isOptional value={foreignShareSource} onChange={setForeignShareSource} error={fieldError('foreignShareSource')} />
          <TextField label={t('profile.date')} hint={t('profile.dateHint')} name="foreignShareDate" isOptional value={foreignShareDate} onChange={setForeignShareDate} error={fieldError('foreignShareDate')} />
        </div>
      </fieldset>
      <ListEditor
        legend={t('profile.moreFacts')}
        items={facts}
        onChange={setFacts}
        createItem={() => ({ label: '', value: '', unit: '', source: '', referenceDate: '', note: '' })}
        itemLabel={(fact, index) => fact.label || t('profile.factNumber', { number: index + 1 })}
        addLabel={t('profile.addFact')}
        renderItem={(fact, index, update) => (
          <div className="kern-stack-sm">
            <div className="field-row">
              <TextField label={t('profile.factLabel')} name={`fact-${index}-label`} value={fact.label} onChange={(label) => update({ ...fact, label })} error={fieldError(`facts.${index}.label`)} />
              <TextField label={t('profile.factValue')} name={`fact-${index}-value`} isOptional value={fact.value} onChange={(value) => update({ ...fact, value })} error={fieldError(`facts.${index}.value`)} />
              <TextField label={t('profile.unit')} name={`fact-${index}-unit`} isOptional value={fact.unit} onChange={(unit) => update({ ...fact, unit })} error={fieldError(`facts.${index}.unit`)} />
              <TextField label={t('profile.source')} name={`fact-${index}-source`} isOptional value={fact.source} onChange={(source) => update({ ...fact, source })} error={fieldError(`facts.${index}.source`)} />
              <TextField label={t('profile.date')} name={`fact-${index}-date`} isOptional value={fact.referenceDate} onChange={(referenceDate) => update({ ...fact, referenceDate })} error={fieldError(`facts.${index}.referenceDate`)} />
            </div>
            <TextField
              label={t('profile.factNote')}
              hint={t('profile.factNoteHint')}
              name={`fact-${index}-note`}
              isOptional
              maxLength={500}
              value={fact.note}
              onChange={(note) => update({ ...fact, note })}
              error={fieldError(`facts.${index}.note`)}
            />
          </div>
        )}
      />
      <fieldset className="kern-fieldset">
        <legend className="kern-label kern-label--large">{t('profile.range')}</legend>
        <div className="kern-form-check">
          <input className="kern-form-check__checkbox" type="checkbox" id="has-range" checked={hasRange} onChange={(event) => setHasRange(event.target.checked)} />
          <label className="kern-label" htmlFor="has-range">{t('profile.hasRange')}</label>
        </div>
        {hasRange ? (
          <div className="kern-stack-sm">
            <TextField label={t('profile.areaKind')} hint={t('profile.areaKindHint')} name="areaKind" value={range.areaKind} onChange={(areaKind) => setRange({ ...range, areaKind })} error={fieldError('districtRange.areaKind')} />
            <div className="field-row">
              <TextField label={t('profile.lowestShare')} name="lowestShare" value={range.lowestShare} onChange={(lowestShare) => setRange({ ...range, lowestShare })} error={fieldError('districtRange.lowestShare') ?? fieldError('districtRange')} />
              <TextField label={t('profile.lowestName')} name="lowestName" value={range.lowestName} onChange={(lowestName) => setRange({ ...range, lowestName })} error={fieldError('districtRange.lowestName')} />
            </div>
            <div className="field-row">
              <TextField label={t('profile.highestShare')} name="highestShare" value={range.highestShare} onChange={(highestShare) => setRange({ ...range, highestShare })} error={fieldError('districtRange.highestShare')} />
              <TextField label={t('profile.highestName')} name="highestName" value={range.highestName} onChange={(highestName) => setRange({ ...range, highestName })} error={fieldError('districtRange.highestName')} />
            </div>
          </div>
        ) : null}
      </fieldset>
      <fieldset className="kern-fieldset">
        <legend className="kern-label kern-label--large">{t('profile.administrationHead')}</legend>
        <div className="field-row">
          <TextField label={t('profile.headTitle')} hint={t('profile.headTitleHint')} name="headTitle" isOptional value={head.title} onChange={(title) => setHead({ ...head, title })} />
          <TextField label={t('fields.name')} name="headName" isOptional value={head.name} onChange={(name) => setHead({ ...head, name })} />
        </div>
      </fieldset>
      <ListEditor
        legend={t('profile.projectLeads')}
        items={leads}
        onChange={setLeads}
        createItem={() => ({ name: '', unit: '' })}
        itemLabel={(lead, index) => lead.name || t('profile.leadNumber', { number: index + 1 })}
        addLabel={t('profile.addLead')}
        renderItem={(lead, index, update) => (
          <div className="field-row">
            <TextField label={t('fields.name')} name={`lead-${index}-name`} value={lead.name} onChange={(name) => update({ ...lead, name })} error={fieldError(`projectLeads.${index}.name`)} />
            <TextField label={t('profile.unitOrg')} name={`lead-${index}-unit`} isOptional value={lead.unit} onChange={(unit) => update({ ...lead, unit })} />
          </div>
        )}
      />
      <ListEditor
        legend={t('profile.challenges')}
        items={challenges}
        onChange={setChallenges}
        createItem={() => ''}
        itemLabel={(challenge, index) => (challenge.trim() ? shortLabel(challenge) : t('profile.challengeNumber', { number: index + 1 }))}
        addLabel={t('profile.addChallenge')}
        renderItem={(challenge, index, update) => (
          <TextArea label={t('profile.challengeNumber', { number: index + 1 })} name={`challenge-${index}`} rows={2} value={challenge} onChange={update} error={fieldError(`challenges.${index}`)} />
        )}
      />
      <TextArea
        label={t('profile.furtherConditions')}
        hint={t('profile.markupHint')}
        name="furtherConditions"
        rows={8}
        value={furtherConditions}
        onChange={setFurtherConditions}
        error={fieldError('furtherConditions')}
      />
      <div className="toolbar">
        <Button type="submit" isBusy={isBusy}>{t('common.save')}</Button>
        <Button variant="secondary" onClick={onCancel}>{t('common.cancel')}</Button>
      </div>
    </Form>
  );
}
