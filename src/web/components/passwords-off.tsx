import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Alert, Page } from './page.tsx';

/** In „nur SSO“ the password pages say why they offer nothing (the API refuses them too). */
export function PasswordsOff({ title }: { title: string }) {
  const { t } = useTranslation();
  return (
    <Page title={title}>
      <div className="narrow kern-stack">
        <Alert tone="info" title={t('signIn.sso.passwordsOffTitle')}>
          <p className="kern-body">{t('signIn.sso.passwordsOff')}</p>
        </Alert>
        <p className="kern-body">
          <Link className="kern-link" to="/anmelden">
            {t('forgottenPassword.toSignIn')}
          </Link>
        </p>
      </div>
    </Page>
  );
}
