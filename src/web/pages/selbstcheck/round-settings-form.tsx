import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { periodPrecisions, type PeriodPrecision } from '../../../domain/round.ts';
import { useCurrentCatalog } from '../../api/catalog.ts';
import { Button, ChoiceGroup, ErrorSummary, fieldErrorsOf, Form, TextArea } from '../../components/form.tsx';

export interface SettingsValues {
  periodStart: string;
  periodEnd: string;
  periodPrecision: PeriodPrecision;
  workedFieldKeys: string[];
  participants: string;
}

/** Period (by dates or by months), worked fields and participants of a round; used to start a round and to edit it. */
export function RoundSettingsForm({
  initial,
  submitLabel,
  onSubmit,
  isBusy,
  error,
  fields: fieldOptions,
}: {
  initial: SettingsValues;
  submitLabel: string;
  onSubmit: (values: SettingsValues) => void;
  isBusy: boolean;
  error: unknown;
  fields?: { key: string; name: string }[];
}) {
  const { t } = useTranslation();
  const catalog = useCurrentCatalog();
  const options = fieldOptions ?? catalog.data?.catalog.fields.map((field) => ({ key: field.key, name: field.name })) ?? [];
  const [values, setValues] = useState(initial);
  const errors = fieldErrorsOf(error);
  return (
    <Form label={submitLabel} onSubmit={() => onSubmit(values)}>
      <ErrorSummary error={error} />
      <ChoiceGroup
        legend={t('round.workedFields')}
        hint={t('round.workedFieldsHint')}
        name="workedFieldKeys"
        type="checkbox"
        selected={values.workedFieldKeys}
        onChange={(workedFieldKeys) => setValues({ ...values, workedFieldKeys })}
        options={options.map((field) => ({ value: field.key, label: `${field.key}. ${field.name}` }))}
        error={errors.workedFieldKeys}
      />
      <ChoiceGroup
        legend={t('round.periodPrecision')}
        hint={t('round.periodPrecisionHint')}
        name="periodPrecision"
        type="radio"
        selected={[values.periodPrecision]}
        onChange={([periodPrecision]) => setValues({ ...values, periodPrecision: (periodPrecision as PeriodPrecision | undefined) ?? 'day' })}
        options={periodPrecisions.map((precision) => ({ value: precision, label: t(`round.periodPrecisions.${precision}`) }))}
        error={errors.periodPrecision}
      />
      <div className="date-pair">
        <div className="kern-form-input">
          <label className="kern-label" htmlFor="period-start">
            {t('round.periodStart')} <span className="kern-label__optional">– {t('common.optional')}</span>
          </label>
          <input className="kern-form-input__input" type="date" id="period-start" value={values.periodStart} onChange={(event) => setValues({ ...values, periodStart: event.target.value })} />
        </div>
        <div className="kern-form-input">
          <label className="kern-label" htmlFor="period-end">
            {t('round.periodEnd')} <span className="kern-label__optional">– {t('common.optional')}</span>
          </label>
          <input
            className="kern-form-input__input"
            type="date"
            id="period-end"
            value={values.periodEnd}
            aria-invalid={errors.periodEnd ? true : undefined}
            aria-describedby={errors.periodEnd ? 'period-end-error' : undefined}
            onChange={(event) => setValues({ ...values, periodEnd: event.target.value })}
          />
          {errors.periodEnd ? (
            <p className="kern-error" id="period-end-error">
              <span className="kern-body">{errors.periodEnd}</span>
            </p>
          ) : null}
        </div>
      </div>
      <TextArea
        label={t('round.participants')}
        hint={t('round.participantsHint')}
        name="participants"
        rows={3}
        value={values.participants}
        onChange={(participants) => setValues({ ...values, participants })}
        error={errors.participants}
      />
      <div>
        <Button type="submit" isBusy={isBusy}>
          {submitLabel}
        </Button>
      </div>
    </Form>
  );
}
