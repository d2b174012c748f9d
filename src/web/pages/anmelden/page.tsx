import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { ssoErrorKey, ssoStartPath, useSsoOptions } from '../../api/sso.ts';
import { Button, ErrorSummary, fieldErrorsOf, Form, TextField } from '../../components/form.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { safeTarget } from '../../safe-target.ts';

export default function SignInPage() {
  const { t } = useTranslation();
  const [parameters] = useSearchParams();
  const target = safeTarget(parameters.get('weiter'));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const session = useSession();
  const options = useSsoOptions();
  const ssoError = parameters.get('error');
  const isSignedOut = parameters.get('abgemeldet') === '1';
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: () => api('POST', '/api/session', { email, password }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['session'] });
      await navigate(target);
    },
  });
  if (session.data && !signIn.isPending) return <Navigate to={target} replace />;
  const fields = fieldErrorsOf(signIn.error);
  const sso = options.data?.sso ?? null;
  const isSsoOnly = options.data?.isSsoOnly ?? false;
  return (
    <Page title={t('signIn.title')} lead={sso ? t(isSsoOnly ? 'signIn.sso.leadOnly' : 'signIn.sso.leadBoth') : t('signIn.lead')}>
      <div className="narrow kern-stack">
        {ssoError ? (
          <Alert tone="danger" title={t('signIn.sso.errorTitle')} focus>
            <p className="kern-body">{t(ssoErrorKey(ssoError))}</p>
          </Alert>
        ) : null}
        {isSignedOut && !ssoError ? <Alert tone="info" title={t('signIn.sso.signedOut')} /> : null}
        {options.isPending ? <Loading /> : null}
        {sso ? (
          <p>
            <a className="kern-btn kern-btn--primary" href={ssoStartPath(target)}>
              <span className="kern-label">{t('signIn.sso.button', { name: sso.displayName })}</span>
            </a>
          </p>
        ) : null}
        {isSsoOnly || options.isPending ? null : (
          <>
            {sso ? <h2 className="kern-heading-small">{t('signIn.sso.withPassword')}</h2> : null}
            <ErrorSummary error={signIn.error} />
            <Form label={t('signIn.title')} onSubmit={() => signIn.mutate()}>
              <TextField
                label={t('fields.email')}
                name="email"
                type="email"
                autoComplete="username"
                value={email}
                onChange={setEmail}
                error={fields.email}
              />
              <TextField
                label={t('fields.password')}
                name="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={setPassword}
                error={fields.password}
              />
              <Button type="submit" isBusy={signIn.isPending}>
                {t('signIn.submit')}
              </Button>
            </Form>
            <p className="kern-body">
              <Link className="kern-link" to="/passwort-vergessen">
                {t('signIn.forgotten')}
              </Link>
            </p>
          </>
        )}
        <p className="kern-body kern-body--small">{t('signIn.noAccount')}</p>
      </div>
    </Page>
  );
}
