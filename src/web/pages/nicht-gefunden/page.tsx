import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Page } from '../../components/page.tsx';

export default function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('notFound.title')} lead={t('notFound.lead')}>
      <p className="kern-body">
        <Link className="kern-link" to="/kommunen">{t('notFound.back')}</Link>
      </p>
    </Page>
  );
}
