/** Limits on failed sign-ins: per e-mail address (guessing one password) and per network address. */
export const signInLimits = [
  { scope: 'email', maxFailures: 5, windowMs: 15 * 60 * 1000 },
  { scope: 'address', maxFailures: 30, windowMs: 15 * 60 * 1000 },
] as const;

export type SignInScope = (typeof signInLimits)[number]['scope'];

/** The key under which attempts of one scope are counted. */
export function signInKey(scope: SignInScope, value: string): string {
  return `${scope}:${value.trim().toLowerCase()}`;
}

/** Whether the failures counted within a scope's window block a further attempt. */
export function isBlocked(failuresInWindow: number, scope: SignInScope): boolean {
  const limit = signInLimits.find((entry) => entry.scope === scope)!;
  return failuresInWindow >= limit.maxFailures;
}

/**
 * Invitations a person may send within an hour. Each sends an e-mail with a link that grants a role,
 * so a stolen session or a runaway script must not flood inboxes or mint links by the thousand.
 */
export const invitationLimit = { maxPerHour: 30, windowMs: 60 * 60 * 1000 } as const;

/** Whether a person who sent this many invitations within the window may send another. */
export function mayInviteAgain(sentInWindow: number): boolean {
  return sentInWindow < invitationLimit.maxPerHour;
}
