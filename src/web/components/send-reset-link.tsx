import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { ConfirmButton } from './confirm-button.tsx';
import { ErrorSummary } from './form.tsx';

/**
 * The Programmteam sends a person a link for a new password. The link goes to the person's address
 * (or, without a mail server, to the server log); it is never shown here.
 */
export function SendResetLink({ userId, name }: { userId: string; name: string }) {
  const { t } = useTranslation();
  const send = useMutation({
    mutationFn: () => api<{ isMailed: boolean }>('POST', `/api/account/people/${userId}/password-reset`),
  });
  return (
    <>
      <ConfirmButton
        label={t('resetLink.send')}
        question={t('resetLink.question', { name })}
        confirmLabel={t('resetLink.confirm')}
        onConfirm={() => send.mutate()}
      />
      <span role="status" className="kern-body kern-body--small">
        {send.data ? (send.data.isMailed ? t('resetLink.mailed', { name }) : t('resetLink.logged', { name })) : null}
      </span>
      <ErrorSummary error={send.error} />
    </>
  );
}
