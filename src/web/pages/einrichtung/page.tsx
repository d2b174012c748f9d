import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import { Button, ErrorSummary, errorMessage, fieldErrorsOf, Form, NewPasswordField, TextField } from '../../components/form.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';

/** The one-time setup link: creates the first account, in the Programmteam. */
export default function SetupPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const check = useQuery({ queryKey: ['setup', token], queryFn: () => api('GET', `/api/setup/${token}`) });
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const create = useMutation({ mutationFn: () => api('POST', `/api/setup/${token}`, { name, email, password }) });
  if (check.isPending) return <Loading />;
  if (check.error) {
    return (
      <Page title={t('setup.title')}>
        <Alert tone="warning" title={t('setup.invalid')}>
          <p className="kern-body">{errorMessage(check.error, t)}</p>
        </Alert>
      </Page>
    );
  }
  if (create.isSuccess) {
    return (
      <Page title={t('setup.doneTitle')}>
        <Alert tone="success" title={t('setup.done')} />
        <p className="kern-body">
          <Link className="kern-link" to="/anmelden">
            {t('setup.toSignIn')}
          </Link>
        </p>
      </Page>
    );
  }
  const fields = fieldErrorsOf(create.error);
  return (
    <Page title={t('setup.title')} lead={t('setup.lead')}>
      <div className="narrow kern-stack">
        <ErrorSummary error={create.error} />
        <Form label={t('setup.title')} onSubmit={() => create.mutate()}>
          <TextField label={t('fields.name')} name="name" autoComplete="name" value={name} onChange={setName} error={fields.name} />
          <TextField label={t('fields.email')} name="email" type="email" autoComplete="email" value={email} onChange={setEmail} error={fields.email} />
          <NewPasswordField value={password} onChange={setPassword} error={fields.password} />
          <Button type="submit" isBusy={create.isPending}>
            {t('setup.submit')}
          </Button>
        </Form>
      </div>
    </Page>
  );
}
