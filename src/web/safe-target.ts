/** Only paths inside the app are followed after sign-in or accepting an invitation, never another site. */
export function safeTarget(value: string | null, fallback = '/kommunen'): string {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : fallback;
}
