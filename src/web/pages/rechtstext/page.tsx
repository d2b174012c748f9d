import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { api } from '../../api/client.ts';
import { Paragraphs } from '../../components/paragraphs.tsx';
import { ErrorSummary } from '../../components/form.tsx';
import { Loading, Page } from '../../components/page.tsx';

/** Impressum and Datenschutz: texts the operator writes, readable without an account. */
export default function LegalPage() {
  const { t } = useTranslation();
  const key = useLocation().pathname.includes('datenschutz') ? 'datenschutz' : 'impressum';
  const text = useQuery({
    queryKey: ['site-text', key],
    queryFn: () => api<{ body: string | null }>('GET', `/api/site-texts/${key}`),
  });
  return (
    <Page title={t(`legal.${key}`)}>
      {text.isPending ? <Loading /> : null}
      <ErrorSummary error={text.error} />
      {text.data ? text.data.body ? <Paragraphs text={text.data.body} /> : <p className="kern-body">{t('legal.missing')}</p> : null}
    </Page>
  );
}
