import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { Role } from '../../../domain/access.ts';
import { api } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { ssoStartPath, useSsoOptions } from '../../api/sso.ts';
import { Button, ErrorSummary, errorMessage, fieldErrorsOf, Form, NewPasswordField, TextField } from '../../components/form.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { formatDate } from '../../format.ts';
import { safeTarget } from '../../safe-target.ts';

interface InvitationInfo {
  email: string;
  role: Role;
  kommuneName: string | null;
  kommuneSlug: string | null;
  expiresAt: string;
  hasAccount: boolean;
}

/**
 * Accepting an invitation: new people choose name and password; others confirm while signed in.
 * In „nur SSO“ new people give only their name and then sign in through the directory.
 */
export default function InvitationPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const navigate = useNavigate();
  // A reminder's link to set a first password leads on to the person's open questions.
  const [parameters] = useSearchParams();
  const next = parameters.get('weiter');
  const queryClient = useQueryClient();
  const session = useSession();
  const ssoOptions = useSsoOptions();
  const isSsoOnly = ssoOptions.data?.isSsoOnly === true;
  // In „nur SSO“ the accept does not sign in: where the person goes after the directory's sign-in.
  const [signInTarget, setSignInTarget] = useState<string | null>(null);
  const invitation = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => api<{ invitation: InvitationInfo }>('GET', `/api/invitations/by-token/${token}`),
  });
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const accept = useMutation({
    mutationFn: (body: { name?: string; password?: string }) =>
      api<{ kommuneSlug: string | null }>('POST', `/api/invitations/by-token/${token}/accept`, body),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries();
      const target = safeTarget(next, result.kommuneSlug ? `/kommunen/${result.kommuneSlug}` : '/kommunen');
      if (isSsoOnly && !session.data) {
        setSignInTarget(target);
        return;
      }
      await navigate(safeTarget(next, result.kommuneSlug ? `/kommunen/${result.kommuneSlug}` : '/kommunen'));
    },
  });
  if (invitation.isPending || session.isPending || ssoOptions.isPending) return <Loading />;
  if (signInTarget !== null) {
    return (
      <Page title={t('invitation.title')}>
        <Alert tone="success" title={t('invitation.acceptedSso')}>
          <p className="kern-body">{t('invitation.signInSso')}</p>
          <p>
            <a className="kern-btn kern-btn--primary" href={ssoStartPath(signInTarget)}>
              <span className="kern-label">{t('signIn.sso.button', { name: ssoOptions.data?.sso?.displayName ?? '' })}</span>
            </a>
          </p>
        </Alert>
      </Page>
    );
  }
  if (invitation.error) {
    return (
      <Page title={t('invitation.title')}>
        <Alert tone="warning" title={t('invitation.unusable')}>
          <p className="kern-body">{errorMessage(invitation.error, t)}</p>
        </Alert>
      </Page>
    );
  }
  const info = invitation.data.invitation;
  const where = info.kommuneName
    ? t('invitation.intoKommune', { kommune: info.kommuneName })
    : t('invitation.intoProgramme');
  const lead = t('invitation.lead', { role: t(`roles.${info.role}`), where, date: formatDate(info.expiresAt) });
  const fields = fieldErrorsOf(accept.error);
  if (info.hasAccount) {
    const isRightAccount = session.data?.user.email.toLowerCase() === info.email;
    return (
      <Page title={t('invitation.title')} lead={lead}>
        <ErrorSummary error={accept.error} />
        {isRightAccount ? (
          <Button onClick={() => accept.mutate({})} isBusy={accept.isPending}>
            {t('invitation.acceptExisting')}
          </Button>
        ) : (
          <Alert tone="info" title={t('invitation.signInFirst', { email: info.email })}>
            <p className="kern-body">
              <Link className="kern-link" to={`/anmelden?weiter=${encodeURIComponent(`/einladung/${token}`)}`}>
                {t('invitation.toSignIn')}
              </Link>
            </p>
          </Alert>
        )}
      </Page>
    );
  }
  return (
    <Page title={t('invitation.title')} lead={lead}>
      <div className="narrow kern-stack">
        <ErrorSummary error={accept.error} />
        <Form label={t('invitation.createAccount')} onSubmit={() => accept.mutate(isSsoOnly ? { name } : { name, password })}>
          <p className="kern-body">{t('invitation.accountFor', { email: info.email })}</p>
          {isSsoOnly ? <p className="kern-body">{t('invitation.withoutPassword')}</p> : null}
          <TextField label={t('fields.name')} name="name" autoComplete="name" value={name} onChange={setName} error={fields.name} />
          {isSsoOnly ? null : <NewPasswordField value={password} onChange={setPassword} error={fields.password} />}
          <Button type="submit" isBusy={accept.isPending}>
            {t('invitation.createAccount')}
          </Button>
        </Form>
      </div>
    </Page>
  );
}
