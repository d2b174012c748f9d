/**
 * What an open link is for: an invitation someone sent, or a reminder's personal link that only sets a
 * password for a membership that exists already (decision 016; it cannot be renewed).
 */
export const invitationPurposes = ['invitation', 'set-password'] as const;
export type InvitationPurpose = (typeof invitationPurposes)[number];
