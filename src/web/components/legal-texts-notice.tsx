import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api/client.ts';
import { Alert } from './page.tsx';

const legalKeys = ['impressum', 'datenschutz'] as const;

/**
 * For those who may edit the site texts: a notice on every page while the Impressum or the
 * Datenschutzerklärung of this installation is still empty (a fresh installation has neither).
 */
export function LegalTextsNotice() {
  const { t } = useTranslation();
  const texts = useQueries({
    queries: legalKeys.map((key) => ({
      queryKey: ['site-text', key],
      queryFn: () => api<{ body: string | null }>('GET', `/api/site-texts/${key}`),
    })),
  });
  if (texts.some((text) => text.isPending || text.isError)) return null;
  const missing = legalKeys.filter((_, index) => !texts[index]!.data?.body?.trim());
  if (missing.length === 0) return null;
  return (
    <div className="legal-texts-notice">
      <Alert tone="warning" title={t(missing.length === 2 ? 'legalNotice.bothMissing' : `legalNotice.missing.${missing[0]}`)}>
        <p className="kern-body">
          {t('legalNotice.text')} <Link className="kern-link" to="/einstellungen/texte">{t('legalNotice.link')}</Link>
        </p>
      </Alert>
    </div>
  );
}
