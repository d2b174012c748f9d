import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { CreatedInvitation, OpenInvitation } from '../api/types.ts';
import { formatDate } from '../format.ts';
import { ConfirmButton } from './confirm-button.tsx';
import { ErrorSummary } from './form.tsx';
import { InvitationResult } from './invitation-result.tsx';

/**
 * The open invitations of a Kommune or of the programme: withdraw one, or send a new link (the old
 * one stops working). The new link is mailed, and shown to the Programmteam only.
 */
export function OpenInvitations({
  invitations,
  canManage,
  canRenew,
  refreshKey,
}: {
  invitations: OpenInvitation[];
  canManage: boolean;
  canRenew: boolean;
  refreshKey: readonly unknown[];
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: refreshKey });
  const withdraw = useMutation({
    mutationFn: (id: string) => api('DELETE', `/api/invitations/${id}`),
    onSuccess: refresh,
  });
  const renew = useMutation({
    mutationFn: (id: string) => api<{ invitation: CreatedInvitation }>('POST', `/api/invitations/${id}/renew`),
    onSuccess: refresh,
  });
  if (invitations.length === 0 && !renew.data) return null;
  return (
    <section aria-labelledby="open-invitations-heading" className="kern-stack-sm">
      <h2 id="open-invitations-heading" className="kern-heading kern-title">{t('invite.open')}</h2>
      {renew.data ? <InvitationResult invitation={renew.data.invitation} isRenewal /> : null}
      <ErrorSummary error={withdraw.error ?? renew.error} />
      <ul className="kern-list">
        {invitations.map((invitation) => (
          <li key={invitation.id} className="invitation-item">
            {invitation.purpose === 'set-password'
              ? t('invite.openSetPassword', { email: invitation.email, date: formatDate(invitation.expiresAt) })
              : t('invite.openItem', {
                  email: invitation.email,
                  role: t(`roles.${invitation.role}`),
                  date: formatDate(invitation.expiresAt),
                })}{' '}
            {canManage ? (
              <span className="invitation-actions">
                {canRenew && invitation.purpose !== 'set-password' ? (
                  <button
                    type="button"
                    className="kern-btn kern-btn--tertiary kern-btn--x-small"
                    aria-label={t('invite.renewFor', { email: invitation.email })}
                    disabled={renew.isPending}
                    onClick={() => renew.mutate(invitation.id)}
                  >
                    <span className="kern-label">{t('invite.renew')}</span>
                  </button>
                ) : null}
                <ConfirmButton
                  label={t('invite.withdraw')}
                  question={t('invite.withdrawQuestion', { email: invitation.email })}
                  confirmLabel={t('invite.withdrawConfirm')}
                  onConfirm={() => withdraw.mutate(invitation.id)}
                />
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
