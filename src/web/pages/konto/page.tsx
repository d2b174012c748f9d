import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PasswordChangeInput } from '../../../domain/api/account.ts';
import { api } from '../../api/client.ts';
import { useSsoOptions } from '../../api/sso.ts';
import { ConfirmButton } from '../../components/confirm-button.tsx';
import { Button, ErrorSummary, fieldErrorsOf, Form, NewPasswordField, TextField } from '../../components/form.tsx';
import { Alert, Loading, Page } from '../../components/page.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { formatDateTime } from '../../format.ts';
import '../../components/stacked-table.css';

interface OwnSession {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  browser: string | null;
  isCurrent: boolean;
}

/** „Mein Konto“: change one's password and see or end one's sessions. */
export default function AccountPage() {
  const { t } = useTranslation();
  const options = useSsoOptions();
  return (
    <Page title={t('account.title')}>
      {/* „nur SSO“: the password belongs to the town hall's directory, not to Weltoffen. */}
      {options.data?.isSsoOnly ? <p className="kern-body">{t('account.ssoOnly')}</p> : <ChangePassword />}
      <OwnSessions />
    </Page>
  );
}

function ChangePassword() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [currentPassword, setCurrentPassword] = useState('');
  const [password, setPassword] = useState('');
  const change = useMutation({
    mutationFn: () => api('PUT', '/api/account/password', { currentPassword, password } satisfies PasswordChangeInput),
    onSuccess: async () => {
      setCurrentPassword('');
      setPassword('');
      await queryClient.invalidateQueries({ queryKey: ['own-sessions'] });
    },
  });
  const fields = fieldErrorsOf(change.error);
  return (
    <section aria-labelledby="passwort-aendern" className="narrow kern-stack">
      <h2 id="passwort-aendern" className="kern-heading-medium">
        {t('account.changePassword')}
      </h2>
      <p className="kern-body">{t('account.changePasswordLead')}</p>
      {change.isSuccess ? (
        <Alert tone="success" title={t('account.passwordChanged')} focus>
          <p className="kern-body">{t('account.passwordChangedText')}</p>
        </Alert>
      ) : null}
      <ErrorSummary error={change.error} />
      <Form label={t('account.changePassword')} onSubmit={() => change.mutate()}>
        <TextField
          label={t('fields.currentPassword')}
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          value={currentPassword}
          onChange={setCurrentPassword}
          error={fields.currentPassword}
        />
        <NewPasswordField value={password} onChange={setPassword} error={fields.password} />
        <Button type="submit" isBusy={change.isPending}>
          {t('account.changePasswordSubmit')}
        </Button>
      </Form>
    </section>
  );
}

function OwnSessions() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: ['own-sessions'], queryFn: () => api<{ sessions: OwnSession[] }>('GET', '/api/account/sessions') });
  const end = useMutation({
    mutationFn: (id: string | null) => api('DELETE', id ? `/api/account/sessions/${id}` : '/api/account/sessions'),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['own-sessions'] }),
  });
  const list = sessions.data?.sessions ?? [];
  const others = list.filter((entry) => !entry.isCurrent);
  return (
    <section aria-labelledby="meine-sitzungen" className="kern-stack">
      <h2 id="meine-sitzungen" className="kern-heading-medium">
        {t('account.sessions')}
      </h2>
      <p className="kern-body">{t('account.sessionsLead')}</p>
      <ErrorSummary error={sessions.error ?? end.error} />
      {sessions.isPending ? (
        <Loading />
      ) : (
        <TableRegion labelledBy="sessions-caption">
          <table className="kern-table stacked-table" role="table">
            <caption id="sessions-caption" className="kern-sr-only">{t('account.sessions')}</caption>
            <thead className="kern-table__head" role="rowgroup">
              <tr className="kern-table__row" role="row">
                <th scope="col" className="kern-table__header" role="columnheader">{t('account.browser')}</th>
                <th scope="col" className="kern-table__header" role="columnheader">{t('account.signedInAt')}</th>
                <th scope="col" className="kern-table__header" role="columnheader">{t('account.lastUsedAt')}</th>
                <th scope="col" className="kern-table__header" role="columnheader">{t('account.action')}</th>
              </tr>
            </thead>
            <tbody className="kern-table__body" role="rowgroup">
              {list.map((entry) => (
                <tr key={entry.id} className={`kern-table__row${entry.isCurrent ? ' stacked-table__current' : ''}`} role="row">
                  <th scope="row" className="kern-table__cell" role="rowheader" data-label={t('account.browser')}>
                    {entry.browser ?? t('account.unknownBrowser')}
                    {entry.isCurrent ? (
                      <>
                        {' '}
                        <span className="kern-badge kern-badge--small kern-badge--info">{t('account.thisSession')}</span>
                      </>
                    ) : null}
                  </th>
                  <td className="kern-table__cell" role="cell" data-label={t('account.signedInAt')}>{formatDateTime(entry.createdAt)}</td>
                  <td className="kern-table__cell" role="cell" data-label={t('account.lastUsedAt')}>
                    {entry.isCurrent ? t('account.lastUsedNow') : formatDateTime(entry.lastUsedAt)}
                  </td>
                  <td className="kern-table__cell" role="cell" data-label={t('account.action')}>
                    {entry.isCurrent ? (
                      t('account.currentStays')
                    ) : (
                      <ConfirmButton
                        label={t('account.endSession')}
                        question={t('account.endSessionQuestion', { browser: entry.browser ?? t('account.unknownBrowser'), signedInAt: formatDateTime(entry.createdAt) })}
                        confirmLabel={t('account.endSession')}
                        onConfirm={() => end.mutate(entry.id)}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      <p className="kern-body kern-body--small">{t('account.sessionsNote')}</p>
      {others.length > 0 ? (
        <ConfirmButton
          label={t('account.endOthers')}
          question={t('account.endOthersQuestion', { count: others.length })}
          confirmLabel={t('account.endOthers')}
          onConfirm={() => end.mutate(null)}
        />
      ) : null}
    </section>
  );
}
