import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { maxOpenQuestions, retentionMonthRange } from '../../../domain/resident-survey-results.ts';
import type { SurveySettingsInput } from '../../api/survey.ts';
import { Button, ChoiceGroup, describedBy, Described, ErrorSummary, fieldErrorsOf, Form, TextArea, TextField } from '../../components/form.tsx';

export interface SurveyField {
  key: string;
  name: string;
  isWorked: boolean;
}

type OpenQuestion = NonNullable<SurveySettingsInput['openQuestions']>[number];

/** A date, a month count or a point in time, with its label, hint and error as the other fields. */
export function InputField({
  label,
  name,
  hint,
  error,
  type,
  value,
  onChange,
  min,
  max,
}: {
  label: string;
  name: string;
  hint?: string;
  error?: string;
  type: 'date' | 'number' | 'datetime-local';
  value: string;
  onChange: (value: string) => void;
  min?: number;
  max?: number;
}) {
  const id = useId();
  return (
    <div className={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
      <label className="kern-label" htmlFor={id}>{label}</label>
      <Described id={id} hint={hint} error={error} />
      <input
        className={`kern-form-input__input${error ? ' kern-form-input__input--error' : ''}${type === 'number' ? ' input-short' : ''}`}
        id={id}
        name={name}
        type={type}
        value={value}
        min={min}
        max={max}
        inputMode={type === 'number' ? 'numeric' : undefined}
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}

const isoDay = (date: Date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

/** A new survey's dates: from today for four weeks. */
function defaultDays(): { opensOn: string; closesOn: string } {
  const today = new Date();
  return { opensOn: isoDay(today), closesOn: isoDay(new Date(today.getFullYear(), today.getMonth(), today.getDate() + 27)) };
}

/**
 * The survey's settings: Handlungsfelder, open questions, first and last day, months to keep the
 * responses, the Verantwortliche Stelle. After publishing, fields and questions are shown but stay.
 */
export function SurveySettingsForm({
  initial,
  fields,
  isPublished,
  submitLabel,
  onSubmit,
  isBusy,
  error,
}: {
  initial: SurveySettingsInput | null;
  fields: readonly SurveyField[];
  isPublished: boolean;
  submitLabel: string;
  onSubmit: (settings: SurveySettingsInput) => void;
  isBusy: boolean;
  error: unknown;
}) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<string[]>(initial?.fields ?? fields.filter((field) => field.isWorked).map((field) => field.key));
  const [questions, setQuestions] = useState<OpenQuestion[]>(initial?.openQuestions ?? []);
  const [days, setDays] = useState(initial ? { opensOn: initial.opensOn, closesOn: initial.closesOn } : defaultDays());
  const [retention, setRetention] = useState(String(initial?.retentionMonths ?? 6));
  const [controller, setController] = useState(initial?.controller ?? '');
  const errors = fieldErrorsOf(error);
  const errorOf = (key: string) => errors[`settings.${key}`] ?? errors[key];
  const fieldLabel = (key: string) => {
    const field = fields.find((entry) => entry.key === key);
    return field ? t('survey.fieldLabel', { number: field.key, name: field.name }) : key;
  };
  // The fields in catalog order, whichever order they were ticked in.
  const orderedFields = () => fields.map((field) => field.key).filter((key) => chosen.includes(key));
  return (
    <Form
      label={t('survey.settingsTitle')}
      onSubmit={() =>
        onSubmit({
          fields: orderedFields(),
          openQuestions: questions,
          opensOn: days.opensOn,
          closesOn: days.closesOn,
          retentionMonths: Number(retention),
          controller,
        })
      }
    >
      <ErrorSummary error={error} />
      {isPublished ? (
        <div className="kern-stack-sm">
          <h3 className="kern-heading kern-title kern-title--small">{t('survey.fixedTitle')}</h3>
          <p className="kern-body">{t('survey.fixedReason')}</p>
          <p className="kern-body"><strong>{t('survey.fields')}:</strong> {chosen.map(fieldLabel).join(', ')}</p>
          {questions.length === 0 ? (
            <p className="kern-body">{t('survey.noOpenQuestions')}</p>
          ) : (
            <>
              <p className="kern-body"><strong>{t('survey.openQuestions')}:</strong></p>
              <ol className="kern-list kern-list--number">
                {questions.map((question, index) => <li key={index}>{question.text}</li>)}
              </ol>
            </>
          )}
        </div>
      ) : (
        <>
          <ChoiceGroup
            legend={t('survey.fields')}
            name="settings.fields"
            hint={t('survey.fieldsHint')}
            error={errorOf('fields')}
            type="checkbox"
            options={fields.map((field) => ({ value: field.key, label: fieldLabel(field.key) }))}
            selected={chosen}
            onChange={setChosen}
          />
          <fieldset className="kern-fieldset">
            <legend className="kern-label">{t('survey.openQuestions')}</legend>
            <div className="kern-hint">{t('survey.openQuestionsHint', { count: maxOpenQuestions })}</div>
            <div className="kern-fieldset__body kern-stack-sm">
              {errorOf('openQuestions') ? <p className="kern-error"><span className="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" /><span className="kern-body">{errorOf('openQuestions')}</span></p> : null}
              {questions.map((question, index) => (
                <div key={index} className="kern-stack-xs">
                  <TextArea
                    label={t('survey.openQuestion', { number: index + 1 })}
                    name={`settings.openQuestions.${index}.text`}
                    rows={2}
                    maxLength={300}
                    value={question.text}
                    error={errorOf(`openQuestions.${index}.text`)}
                    onChange={(text) => setQuestions(questions.map((entry, at) => (at === index ? { ...entry, text } : entry)))}
                  />
                  <div>
                    <Button variant="tertiary" onClick={() => setQuestions(questions.filter((_, at) => at !== index))}>
                      {t('survey.removeQuestion', { number: index + 1 })}
                    </Button>
                  </div>
                </div>
              ))}
              {questions.length < maxOpenQuestions ? (
                <div>
                  <Button variant="secondary" onClick={() => setQuestions([...questions, { text: '' }])}>{t('survey.addQuestion')}</Button>
                </div>
              ) : null}
            </div>
          </fieldset>
        </>
      )}
      <div className="survey-days">
        <InputField label={t('survey.opensOn')} name="settings.opensOn" type="date" value={days.opensOn} error={errorOf('opensOn')} onChange={(opensOn) => setDays({ ...days, opensOn })} />
        <InputField label={t('survey.closesOn')} name="settings.closesOn" type="date" value={days.closesOn} error={errorOf('closesOn')} onChange={(closesOn) => setDays({ ...days, closesOn })} />
      </div>
      <InputField
        label={t('survey.retentionMonths')}
        name="settings.retentionMonths"
        hint={t('survey.retentionHint', { min: retentionMonthRange.min, max: retentionMonthRange.max })}
        type="number"
        min={retentionMonthRange.min}
        max={retentionMonthRange.max}
        value={retention}
        error={errorOf('retentionMonths')}
        onChange={setRetention}
      />
      <TextField
        label={t('survey.controller')}
        name="settings.controller"
        hint={t('survey.controllerHint')}
        maxLength={300}
        value={controller}
        error={errorOf('controller')}
        onChange={setController}
      />
      <div>
        <Button type="submit" isBusy={isBusy}>{submitLabel}</Button>
      </div>
    </Form>
  );
}
