import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ResetRequestInput } from '../../../domain/api/account.ts';
import { api } from '../../api/client.ts';
import { Button, ErrorSummary, fieldErrorsOf, Form, TextField } from '../../components/form.tsx';
import { Alert, Page } from '../../components/page.tsx';
import { PasswordsOff } from '../../components/passwords-off.tsx';
import { useSsoOptions } from '../../api/sso.ts';

/** „Passwort vergessen?“: asks for a link by e-mail; the answer is the same whether an account exists or not. */
export default function ForgottenPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const request = useMutation({
    mutationFn: () => api<{ message: string }>('POST', '/api/account/password-reset/request', { email } satisfies ResetRequestInput),
  });
  const fields = fieldErrorsOf(request.error);
  const options = useSsoOptions();
  if (options.data?.isSsoOnly) return <PasswordsOff title={t('forgottenPassword.title')} />;
  return (
    <Page title={t('forgottenPassword.title')} lead={t('forgottenPassword.lead')}>
      <div className="narrow kern-stack">
        {request.isSuccess ? (
          <Alert tone="success" title={t('forgottenPassword.sentTitle')} focus>
            <p className="kern-body">{t('forgottenPassword.sent', { email })}</p>
          </Alert>
        ) : (
          <>
            <ErrorSummary error={request.error} />
            <Form label={t('forgottenPassword.title')} onSubmit={() => request.mutate()}>
              <TextField label={t('fields.email')} name="email" type="email" autoComplete="username" value={email} onChange={setEmail} error={fields.email} />
              <Button type="submit" isBusy={request.isPending}>
                {t('forgottenPassword.submit')}
              </Button>
            </Form>
          </>
        )}
        <p className="kern-body">
          <Link className="kern-link" to="/anmelden">
            {t('forgottenPassword.toSignIn')}
          </Link>
        </p>
      </div>
    </Page>
  );
}
