import { useId, useLayoutEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { Alert } from './page.tsx';

export type FieldErrors = Record<string, string>;

/** The German message of a failed call; network failures get their own text. */
export function errorMessage(error: unknown, t: (key: string) => string): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('errors.network');
    return error.message || t('errors.unknown');
  }
  return t('errors.unknown');
}

export function fieldErrorsOf(error: unknown): FieldErrors {
  return error instanceof ApiError ? error.fields : {};
}

interface SummaryEntry {
  key: string;
  message: string;
  /** The field's id and visible label, when the field is on the page. */
  field?: { id: string; label: string };
}

/** The visible label of a form control: its legend for a group of radios or checkboxes, else its label. */
function visibleLabel(control: HTMLElement): string {
  const fieldset = control.closest('fieldset');
  const name = control.getAttribute('name');
  const isGroup =
    fieldset !== null && name !== null && fieldset.querySelectorAll(`[name="${CSS.escape(name)}"]`).length > 1;
  const source = isGroup ? fieldset.querySelector('legend') : ((control as HTMLInputElement).labels?.[0] ?? null);
  if (!source) return control.getAttribute('aria-label') ?? name ?? '';
  const copy = source.cloneNode(true) as HTMLElement;
  copy.querySelectorAll('.kern-label__optional').forEach((optional) => optional.remove());
  return (copy.textContent ?? '').trim();
}

/** The control named by a field key („participants.0.name“ tries the full key, then „participants“), nearest to the summary. */
function controlFor(start: HTMLElement, key: string): HTMLElement | null {
  const names = [key, key.split('.')[0]!];
  for (let scope: HTMLElement | null = start.parentElement; scope; scope = scope.parentElement) {
    for (const name of names) {
      const control = scope.querySelector<HTMLElement>(`[name="${CSS.escape(name)}"]`);
      if (control) return control;
    }
  }
  return null;
}

/**
 * Shown above a form after a failed submit; takes focus so the message is read first. Names every
 * invalid field with its visible label and links to it.
 */
export function ErrorSummary({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const anchor = useRef<HTMLDivElement>(null);
  const [entries, setEntries] = useState<SummaryEntry[]>([]);
  useLayoutEffect(() => {
    const start = anchor.current;
    const fields = fieldErrorsOf(error);
    setEntries(
      start
        ? Object.entries(fields).map(([key, message]) => {
            const control = key === '_' ? null : controlFor(start, key);
            if (control && !control.id) control.id = `feld-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
            return { key, message, field: control ? { id: control.id, label: visibleLabel(control) } : undefined };
          })
        : [],
    );
  }, [error]);
  if (!error) return null;
  const linked = entries.filter((entry) => entry.field);
  return (
    <div ref={anchor} className="error-summary">
      <Alert tone="danger" title={t('errors.title')} focus>
        {linked.length ? (
          <>
            <p className="kern-body">{t(linked.length === 1 ? 'errors.checkField' : 'errors.checkFields')}</p>
            <ul className="kern-list kern-list--bullet">
              {entries.map((entry) => (
                <li key={entry.key}>
                  {entry.field ? (
                    <a
                      className="kern-link"
                      href={`#${entry.field.id}`}
                      onClick={(event) => {
                        event.preventDefault();
                        document.getElementById(entry.field!.id)?.focus();
                      }}
                    >
                      {entry.field.label}: {entry.message}
                    </a>
                  ) : (
                    entry.message
                  )}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p className="kern-body">{errorMessage(error, t)}</p>
        )}
      </Alert>
    </div>
  );
}

interface FieldProps {
  label: string;
  name: string;
  hint?: string;
  error?: string;
  isOptional?: boolean;
}

function Label({ htmlFor, label, isOptional }: { htmlFor: string; label: string; isOptional?: boolean }) {
  const { t } = useTranslation();
  return (
    <label className="kern-label" htmlFor={htmlFor}>
      {label}
      {isOptional ? <span className="kern-label__optional"> – {t('common.optional')}</span> : null}
    </label>
  );
}

/** A field's hint and error under its label, with the ids `describedBy` points at. */
export function Described({ id, hint, error }: { id: string; hint?: string; error?: string }) {
  return (
    <>
      {hint ? (
        <div className="kern-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <p className="kern-error" id={`${id}-error`}>
          <span className="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span className="kern-body">{error}</span>
        </p>
      ) : null}
    </>
  );
}

export function describedBy(id: string, hint?: string, error?: string): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

export function TextField({
  label,
  name,
  hint,
  error,
  isOptional,
  value,
  onChange,
  type = 'text',
  autoComplete,
  inputMode,
  maxLength,
  suggestions,
}: FieldProps & {
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email' | 'password' | 'date';
  autoComplete?: string;
  inputMode?: 'numeric' | 'email' | 'text';
  maxLength?: number;
  /** Values the browser offers while typing (a `datalist`); any other text stays allowed. */
  suggestions?: readonly string[];
}) {
  const id = useId();
  const listId = suggestions?.length ? `${id}-vorschlaege` : undefined;
  return (
    <div className={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
      <Label htmlFor={id} label={label} isOptional={isOptional} />
      <Described id={id} hint={hint} error={error} />
      <input
        className={`kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`}
        id={id}
        name={name}
        type={type}
        value={value}
        required={!isOptional}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        autoComplete={autoComplete}
        inputMode={inputMode}
        maxLength={maxLength}
        list={listId}
        onChange={(event) => onChange(event.target.value)}
      />
      {listId ? (
        <datalist id={listId}>
          {suggestions!.map((suggestion) => (
            <option key={suggestion} value={suggestion} />
          ))}
        </datalist>
      ) : null}
    </div>
  );
}

export function TextArea({
  label,
  name,
  hint,
  error,
  value,
  onChange,
  rows = 10,
  maxLength,
}: FieldProps & { value: string; onChange: (value: string) => void; rows?: number; maxLength?: number }) {
  const id = useId();
  return (
    <div className={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
      <Label htmlFor={id} label={label} />
      <Described id={id} hint={hint} error={error} />
      <textarea
        className="kern-form-input__input"
        id={id}
        name={name}
        rows={rows}
        maxLength={maxLength}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}

export function SelectField({
  label,
  name,
  hint,
  error,
  value,
  onChange,
  options,
  placeholder,
}: FieldProps & {
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
  placeholder?: string;
}) {
  const id = useId();
  return (
    <div className={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
      <Label htmlFor={id} label={label} />
      <Described id={id} hint={hint} error={error} />
      <div className="kern-form-input__select-wrapper">
        <select
          className={`kern-form-input__select${error ? ' kern-form-input__select--error' : ''}`}
          id={id}
          name={name}
          value={value}
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
          onChange={(event) => onChange(event.target.value)}
        >
          {placeholder ? <option value="">{placeholder}</option> : null}
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

/** One checkbox with its label, and a hint and error linked to it. */
export function CheckboxField({
  label,
  name,
  hint,
  error,
  checked,
  onChange,
}: {
  label: string;
  name: string;
  hint?: string;
  error?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  return (
    <div className={`kern-form-check${error ? ' kern-form-check--error' : ''}`}>
      <input
        className="kern-form-check__checkbox"
        id={id}
        name={name}
        type="checkbox"
        checked={checked}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(event) => onChange(event.target.checked)}
      />
      <label className="kern-label" htmlFor={id}>
        {label}
      </label>
      {hint || error ? (
        <div className="form-check-described">
          <Described id={id} hint={hint} error={error} />
        </div>
      ) : null}
    </div>
  );
}

/** A group of checkboxes or radios with a legend, as KERN's fieldset. */
export function ChoiceGroup({
  legend,
  name,
  hint,
  error,
  type,
  options,
  selected,
  onChange,
}: {
  legend: string;
  name: string;
  hint?: string;
  error?: string;
  type: 'checkbox' | 'radio';
  options: readonly { value: string; label: string; isDisabled?: boolean }[];
  selected: readonly string[];
  onChange: (selected: string[]) => void;
}) {
  const id = useId();
  return (
    <fieldset className={`kern-fieldset${error ? ' kern-fieldset--error' : ''}`} aria-describedby={describedBy(id, hint, error)}>
      <legend className="kern-label">{legend}</legend>
      <Described id={id} hint={hint} error={error} />
      <div className="kern-fieldset__body">
        {options.map((option) => {
          const optionId = `${id}-${option.value}`;
          const isChecked = selected.includes(option.value);
          return (
            <div className="kern-form-check" key={option.value}>
              <input
                className={type === 'radio' ? 'kern-form-check__radio' : 'kern-form-check__checkbox'}
                id={optionId}
                name={name}
                type={type}
                value={option.value}
                checked={isChecked}
                disabled={option.isDisabled}
                onChange={(event) => {
                  if (type === 'radio') onChange([option.value]);
                  else
                    onChange(
                      event.target.checked
                        ? [...selected, option.value]
                        : selected.filter((value) => value !== option.value),
                    );
                }}
              />
              <label className="kern-label" htmlFor={optionId}>
                {option.label}
              </label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

/** A file chooser with label, hint and error, like the other fields. */
export function FileField({
  label,
  name,
  hint,
  error,
  accept,
  onChange,
}: FieldProps & { accept: string; onChange: (file: File | null) => void }) {
  const id = useId();
  return (
    <div className={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
      <Label htmlFor={id} label={label} />
      <Described id={id} hint={hint} error={error} />
      <input
        id={id}
        name={name}
        type="file"
        className="kern-form-input__input file-input"
        accept={accept}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        onChange={(event) => onChange(event.target.files?.[0] ?? null)}
      />
    </div>
  );
}

export function Button({
  children,
  variant = 'primary',
  type = 'button',
  onClick,
  isBusy = false,
}: {
  children: ReactNode;
  variant?: 'primary' | 'secondary' | 'tertiary';
  type?: 'button' | 'submit';
  onClick?: () => void;
  isBusy?: boolean;
}) {
  return (
    <button
      className={`kern-btn kern-btn--${variant}`}
      type={type}
      onClick={onClick}
      aria-disabled={isBusy || undefined}
      disabled={isBusy}
    >
      <span className="kern-label">{children}</span>
    </button>
  );
}

/** A form that never reloads the page and that tells screen readers it is busy. */
export function Form({
  onSubmit,
  children,
  label,
}: {
  onSubmit: () => void;
  children: ReactNode;
  label: string;
}) {
  return (
    <form
      className="kern-stack"
      noValidate
      aria-label={label}
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

/** The field for choosing a new password (setup link and invitations), with the rule as hint. */
export function NewPasswordField({ value, onChange, error }: { value: string; onChange: (value: string) => void; error?: string }) {
  const { t } = useTranslation();
  return (
    <TextField
      label={t('fields.newPassword')}
      hint={t('fields.passwordHint')}
      name="password"
      type="password"
      autoComplete="new-password"
      value={value}
      onChange={onChange}
      error={error}
    />
  );
}
