import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedInvitation } from '../api/types.ts';
import { formatDate } from '../format.ts';
import { Alert } from './page.tsx';

/**
 * What became of a new invitation: mailed, or – for the Programmteam – the link to pass on, said once,
 * with a button that copies it.
 */
export function InvitationResult({ invitation, isRenewal = false }: { invitation: CreatedInvitation; isRenewal?: boolean }) {
  const { t } = useTranslation();
  const [isCopied, setIsCopied] = useState(false);
  const title = isRenewal ? t('invite.renewed', { email: invitation.email }) : t('invite.created', { email: invitation.email });
  const delivery = invitation.isMailed ? t('invite.mailed') : invitation.isMailFailed ? t('invite.mailFailed') : t('invite.noMail');
  const replaced = invitation.replacedCount > 0 ? <p className="kern-body">{t('invite.replaced', { count: invitation.replacedCount })}</p> : null;
  if (!invitation.link) {
    // Only the Programmteam sees links (decision 010): the person gets it by e-mail or from the operator.
    return (
      <Alert tone={invitation.isMailed ? 'success' : 'warning'} title={title} focus>
        <p className="kern-body">
          {delivery} {invitation.isMailed ? t('invite.mailedValidUntil', { date: formatDate(invitation.expiresAt) }) : t('invite.askProgrammteam')}
        </p>
        {replaced}
      </Alert>
    );
  }
  const link = invitation.link;
  return (
    <Alert tone="success" title={title} focus>
      <div className="kern-stack-sm">
        <p className="kern-body">
          {invitation.isMailed ? t('invite.mailed') : `${invitation.isMailFailed ? `${t('invite.mailFailed')} ` : ''}${t('invite.passOn')}`}{' '}
          {t('invite.validUntil', { date: formatDate(invitation.expiresAt) })}
        </p>
        {replaced}
        <label className="kern-label" htmlFor={`link-${invitation.id}`}>
          {t('invite.link')}
        </label>
        <input
          id={`link-${invitation.id}`}
          className="kern-form-input__input invitation-link"
          readOnly
          value={link}
          onFocus={(event) => event.target.select()}
        />
        <div>
          <button
            type="button"
            className="kern-btn kern-btn--secondary kern-btn--x-small"
            onClick={() => void navigator.clipboard?.writeText(link).then(() => setIsCopied(true))}
          >
            <span className="kern-icon kern-icon--content-copy" aria-hidden="true" />
            <span className="kern-label">{t('invite.copy')}</span>
          </button>
          <span role="status" className="kern-body kern-body--small copy-status">
            {isCopied ? t('invite.copied') : ''}
          </span>
        </div>
      </div>
    </Alert>
  );
}
