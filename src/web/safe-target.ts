/** Only paths inside the app are followed after sign-in or accepting an invitation, never another site. */
export function safeTarget(value: string | null, fallback = '/kommunen'): string {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : fallback;
}

/**
 * The sign-in page that leads back to where one was: path, query and the `#frage-…` anchor (a
 * reminder's link to the open question keeps it through the sign-in; safeTarget lets it through).
 */
export function signInPath(location: { pathname: string; search: string; hash: string }): string {
  return `/anmelden?weiter=${encodeURIComponent(location.pathname + location.search + location.hash)}`;
}
