import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { Button, ErrorSummary, fieldErrorsOf, Form, TextField } from '../../components/form.tsx';
import { Page } from '../../components/page.tsx';
import { safeTarget } from '../../safe-target.ts';

export default function SignInPage() {
  const { t } = useTranslation();
  const [parameters] = useSearchParams();
  const target = safeTarget(parameters.get('weiter'));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const session = useSession();
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
  return (
    <Page title={t('signIn.title')} lead={t('signIn.lead')}>
      <div className="narrow kern-stack">
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
        <p className="kern-body kern-body--small">{t('signIn.noAccount')}</p>
      </div>
    </Page>
  );
}
