import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { departmentSpelling } from '../../../domain/on-behalf.ts';
import { api } from '../../api/client.ts';
import { Button, Form, SelectField, TextField } from '../../components/form.tsx';
import { FileDownloads } from '../../components/file-download.tsx';

/**
 * The round's questionnaire on paper, for departments that work offline: the whole questionnaire or
 * one Handlungsfeld, as PDF to print or as DOCX to fill in Word.
 */
export function PaperQuestionnaire({ slug, number, fields }: { slug: string; number: number | string; fields: readonly { key: string; name: string }[] }) {
  const { t } = useTranslation();
  const [field, setField] = useState('');
  const href = (format: 'pdf' | 'docx') => `/api/kommunen/${slug}/rounds/${number}/questionnaire?format=${format}${field ? `&field=${field}` : ''}`;
  const name = `fragebogen-runde-${number}${field ? `-handlungsfeld-${field}` : ''}`;
  return (
    <section aria-labelledby="paper-heading" className="kern-stack-sm">
      <h2 id="paper-heading" className="kern-heading kern-title">{t('round.paper.title')}</h2>
      <p className="kern-body">{t('round.paper.lead')}</p>
      <div className="narrow">
        <SelectField
          label={t('round.paper.scope')}
          name="paper-field"
          value={field}
          onChange={setField}
          options={[{ value: '', label: t('round.paper.whole') }, ...fields.map((entry) => ({ value: entry.key, label: t('round.fieldLink', { number: entry.key, name: entry.name }) }))]}
        />
      </div>
      <FileDownloads
        choices={[
          { href: href('pdf'), label: t('round.paper.pdf'), fallbackName: `${name}.pdf` },
          { href: href('docx'), label: t('round.paper.docx'), fallbackName: `${name}.docx` },
        ]}
      />
    </section>
  );
}

/**
 * For who manages an open round: enter a returned paper questionnaire on behalf of a named department.
 * The answer pages then save under that name (`?fuer=…`); the departments entered so far are listed.
 */
export function PaperEntry({ slug, number, fields }: { slug: string; number: number | string; fields: readonly { key: string; name: string }[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [department, setDepartment] = useState('');
  const [field, setField] = useState(fields[0]?.key ?? '');
  const [error, setError] = useState<string | undefined>();
  const entries = useQuery({ queryKey: ['on-behalf', slug, number], queryFn: () => api<{ entries: { onBehalfOf: string; count: number }[] }>('GET', `/api/kommunen/${slug}/rounds/${number}/on-behalf`) });
  const linkFor = (name: string, key: string) => `/kommunen/${slug}/selbstcheck/${number}/handlungsfeld/${key}?fuer=${encodeURIComponent(name)}`;
  const start = () => {
    // „ordnungsamt“ continues the entries of „Ordnungsamt“: one department, its first spelling.
    const name = departmentSpelling(department, entries.data?.entries.map((entry) => entry.onBehalfOf) ?? []);
    if (name.length < 2 || name.length > 120) {
      setError(t('round.paper.departmentRule'));
      return;
    }
    setError(undefined);
    void navigate(linkFor(name, field));
  };
  return (
    <section aria-labelledby="paper-entry-heading" className="kern-stack-sm">
      <h2 id="paper-entry-heading" className="kern-heading kern-title">{t('round.paper.entryTitle')}</h2>
      <p className="kern-body">{t('round.paper.entryLead')}</p>
      {entries.data && entries.data.entries.length > 0 ? (
        <ul className="kern-list">
          {entries.data.entries.map((entry) => (
            <li key={entry.onBehalfOf}>
              <Link className="kern-link" to={linkFor(entry.onBehalfOf, fields[0]?.key ?? '1')}>{entry.onBehalfOf}</Link>{' '}
              <span className="kern-body kern-body--small">{t('round.paper.entryCount', { count: entry.count })}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="narrow">
        <Form label={t('round.paper.entryTitle')} onSubmit={start}>
          <TextField label={t('round.paper.department')} hint={t('round.paper.departmentHint')} name="department" value={department} onChange={setDepartment} error={error} maxLength={120} />
          <SelectField label={t('round.paper.entryField')} name="paper-entry-field" value={field} onChange={setField} options={fields.map((entry) => ({ value: entry.key, label: t('round.fieldLink', { number: entry.key, name: entry.name }) }))} />
          <div>
            <Button type="submit">{t('round.paper.entryStart')}</Button>
          </div>
        </Form>
      </div>
    </section>
  );
}
