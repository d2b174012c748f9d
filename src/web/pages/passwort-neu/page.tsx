import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ResetInput } from '../../../domain/api/account.ts';
import { api } from '../../api/client.ts';
import { Button, ErrorSummary, fieldErrorsOf, Form, NewPasswordField } from '../../components/form.tsx';
import { Alert, Page } from '../../components/page.tsx';
import { PasswordsOff } from '../../components/passwords-off.tsx';
import { useSsoOptions } from '../../api/sso.ts';

/** The token comes in the fragment (#…), so it never reaches a server log or another site as Referer. */
function tokenFromLocation(): string {
  return window.location.hash.slice(1);
}

/** Setting a new password with the link from the e-mail; afterwards every session has ended. */
export default function NewPasswordPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [token] = useState(tokenFromLocation);
  const [password, setPassword] = useState('');
  const reset = useMutation({
    mutationFn: () => api('POST', '/api/account/password-reset', { token, password } satisfies ResetInput),
    onSuccess: () => queryClient.clear(),
  });
  const fields = fieldErrorsOf(reset.error);
  const options = useSsoOptions();
  if (options.data?.isSsoOnly) return <PasswordsOff title={t('newPassword.title')} />;
  if (!token) {
    return (
      <Page title={t('newPassword.title')}>
        <Alert tone="warning" title={t('newPassword.noToken')}>
          <p className="kern-body">
            <Link className="kern-link" to="/passwort-vergessen">
              {t('newPassword.requestNew')}
            </Link>
          </p>
        </Alert>
      </Page>
    );
  }
  return (
    <Page title={t('newPassword.title')} lead={reset.isSuccess ? undefined : t('newPassword.lead')}>
      <div className="narrow kern-stack">
        {reset.isSuccess ? (
          <Alert tone="success" title={t('newPassword.doneTitle')} focus>
            <p className="kern-body">{t('newPassword.done')}</p>
            <p className="kern-body">
              <Link className="kern-link" to="/anmelden">
                {t('newPassword.toSignIn')}
              </Link>
            </p>
          </Alert>
        ) : (
          <>
            <ErrorSummary error={reset.error} />
            <Form label={t('newPassword.title')} onSubmit={() => reset.mutate()}>
              <NewPasswordField value={password} onChange={setPassword} error={fields.password} />
              <Button type="submit" isBusy={reset.isPending}>
                {t('newPassword.submit')}
              </Button>
            </Form>
            {reset.error ? (
              <p className="kern-body">
                <Link className="kern-link" to="/passwort-vergessen">
                  {t('newPassword.requestNew')}
                </Link>
              </p>
            ) : null}
          </>
        )}
      </div>
    </Page>
  );
}
