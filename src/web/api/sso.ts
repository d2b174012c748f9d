import { useQuery } from '@tanstack/react-query';
import { api } from './client.ts';

/** What GET /api/sso says: the directory's button text, and whether passwords are off („nur SSO“). */
export interface SsoOptions {
  sso: { displayName: string } | null;
  isSsoOnly: boolean;
}

/** Whether one can sign in through the town hall's directory; public, asked before sign-in. */
export function useSsoOptions() {
  return useQuery({ queryKey: ['sso'], queryFn: () => api<SsoOptions>('GET', '/api/sso'), staleTime: Infinity });
}

/** The address that starts the sign-in through the directory and comes back to `target`. */
export function ssoStartPath(target: string): string {
  return `/api/sso/start?weiter=${encodeURIComponent(target)}`;
}

/** The sign-in page's error codes from the directory's callback that have a German text of their own. */
export const ssoErrorCodes = [
  'signup_disabled',
  'account_not_linked',
  'email_not_verified',
  'email_does_not_match',
  'sso_subject_changed',
  'issuer_mismatch',
  'issuer_missing',
  'sso_unavailable',
  'access_denied',
] as const;

/** The i18n key of an error code from the callback (`signIn.sso.errors.*`); unknown codes get the general text. */
export function ssoErrorKey(code: string): string {
  if (code === 'email_not_verified') return 'signIn.sso.errors.account_not_linked';
  if (code === 'issuer_missing') return 'signIn.sso.errors.issuer_mismatch';
  return (ssoErrorCodes as readonly string[]).includes(code) ? `signIn.sso.errors.${code}` : 'signIn.sso.errors.other';
}
