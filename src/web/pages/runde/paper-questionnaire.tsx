import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SelectField } from '../../components/form.tsx';
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
