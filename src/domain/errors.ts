/**
 * Error codes the domain and services raise. The server maps each code to an HTTP status and a
 * German message in one table (src/server/errors.ts).
 */
export const errorCodes = [
  'unauthenticated',
  'forbidden',
  'not-found',
  'kommune-not-found',
  'user-not-found',
  'invitation-not-found',
  'invitation-expired',
  'invitation-used',
  'invitation-wrong-account',
  'invitation-account-created',
  'membership-not-found',
  'email-taken',
  'already-member',
  'invalid-credentials',
  'rate-limited',
  'setup-done',
  'setup-token-invalid',
  'invalid-input',
  'last-programmteam',
  'field-unknown',
  'kommune-unknown',
  'round-not-found',
  'round-open-exists',
  'round-closed',
  'round-not-closed',
  'question-unknown',
  'criterion-unknown',
  'field-not-worked',
  'field-not-assigned',
  'stale-version',
  'reason-required',
  'catalog-missing',
  'bundle-invalid',
  'kommune-not-empty',
  'slug-taken',
  'invitations-limited',
  'kommune-importing',
  'kommune-already-imported',
  'import-busy',
  'conflict',
  'report-too-large',
  'report-busy',
  'reports-busy',
  'sign-in-busy',
  'round-has-open-questions',
  'answer-not-in-scale',
  'gemeindeschluessel-taken',
  'field-has-answers',
  'reset-rate-limited',
  'reset-link-invalid',
  'wrong-password',
  'session-not-found',
  'discussion-subject-unknown',
  'note-not-found',
  'note-not-yours',
  'thread-settled',
  'thread-empty',
  'notes-limited',
  'deadline-invalid',
  'reminded-recently',
  'live-session-not-found',
  'live-session-open-exists',
  'live-session-closed',
  'live-code-unknown',
  'live-locked',
  'live-not-joined',
  'live-participation-ended',
  'live-not-now',
  'live-limited',
  'live-card-not-found',
  'live-group-not-found',
  'live-participant-not-found',
  'workshop-not-found',
  'survey-text-invalid',
  'survey-not-found',
  'survey-exists',
  'survey-published',
  'survey-fields-unknown',
  'survey-no-language',
  'survey-draft',
  'survey-exclusion-small',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** A failure the user can act on; `field` names the input that caused it, where one did. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly detail?: { field?: string; message?: string; retryAfterSeconds?: number; current?: unknown };

  constructor(code: ErrorCode, detail?: { field?: string; message?: string; retryAfterSeconds?: number; current?: unknown }) {
    super(detail?.message ?? code);
    this.name = 'DomainError';
    this.code = code;
    this.detail = detail;
  }
}
