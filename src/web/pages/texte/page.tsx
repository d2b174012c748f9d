import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { Button, ErrorSummary, fieldErrorsOf, Form, TextArea } from '../../components/form.tsx';
import { Alert, Page } from '../../components/page.tsx';
import '../../i18n/later.ts';

type SiteTextKey = 'impressum' | 'datenschutz' | 'barrierefreiheit-kontakt' | 'programm-titel' | 'programm-text';
const legalKeys = ['impressum', 'datenschutz', 'barrierefreiheit-kontakt'] as const;

/** One site text with its own form; also used by the Programmtexte page. */
export function TextEditor({ textKey }: { textKey: SiteTextKey }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const current = useQuery({
    queryKey: ['site-text', textKey],
    queryFn: () => api<{ body: string | null }>('GET', `/api/site-texts/${textKey}`),
  });
  const [body, setBody] = useState('');
  useEffect(() => setBody(current.data?.body ?? ''), [current.data]);
  const save = useMutation({
    mutationFn: () => api('PUT', `/api/site-texts/${textKey}`, { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['site-text', textKey] }),
  });
  return (
    <section aria-labelledby={`text-${textKey}`} className="kern-stack-sm">
      <h2 id={`text-${textKey}`} className="kern-heading kern-title">{t(`siteTexts.${textKey}`)}</h2>
      <ErrorSummary error={save.error} />
      {save.isSuccess ? <Alert tone="success" title={t('siteTexts.saved')} /> : null}
      <Form label={t(`siteTexts.${textKey}`)} onSubmit={() => save.mutate()}>
        <TextArea label={t('siteTexts.text')} hint={t(`siteTexts.hints.${textKey}`)} name={textKey} value={body} onChange={setBody} error={fieldErrorsOf(save.error).body} />
        <div>
          <Button type="submit" isBusy={save.isPending}>{t('common.save')}</Button>
        </div>
      </Form>
    </section>
  );
}

/** Programmteam writes Impressum, Datenschutz and the accessibility contact of this installation (the Rechtstexte). */
export default function SiteTextsPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('siteTexts.title')} lead={t('siteTexts.lead')}>
      {legalKeys.map((key) => (
        <TextEditor key={key} textKey={key} />
      ))}
    </Page>
  );
}
