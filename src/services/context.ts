import type { Database } from '../db/client.ts';
import type { ReportRenderer } from '../report/render-pool.ts';

/** Creates accounts with a password; implemented with better-auth by the server, usable from the CLI. */
export interface Accounts {
  createUser(input: { email: string; name: string; password: string }): Promise<{ id: string }>;
  /** Gives a person who has no password yet (created by an import) their first one. */
  setFirstPassword(userId: string, password: string): Promise<void>;
  /** Ends every session of a user, e.g. after their last role was taken away. */
  endSessions(userId: string): Promise<void>;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** An HTML alternative to the text (the queued notifications have one). */
  html?: string;
}

/** Sends e-mail when SMTP is configured; otherwise does nothing. */
export interface Mailer {
  isConfigured: boolean;
  send(mail: Mail): Promise<void>;
}

/** What every service receives: the database and the outside world, as parameters. */
export interface ServiceContext {
  db: Database;
  accounts: Accounts;
  mailer: Mailer;
  /** Base URL for links in invitations and setup, e.g. http://localhost:3000 */
  publicUrl: string;
  now: () => Date;
  /** One line for the operator's log (never personal data, tokens or secrets); `info` unless said. */
  log: (message: string, level?: 'info' | 'warn' | 'error') => void;
  /** Counts for the server's /metrics (server/metrics.ts); absent in the CLI and most tests. */
  counters?: { emailFinished(kind: string, outcome: 'sent' | 'failed' | 'not_sent'): void };
  /** Renders report files in worker threads (one per person at a time, a bounded queue). */
  reports: ReportRenderer;
  /**
   * „nur SSO“ (OIDC_ONLY=true): people sign in only through the directory, so invitations create
   * accounts without a password and reminders carry no set-password links. Absent: passwords in use.
   */
  isSsoOnly?: boolean;
  /**
   * Signs the proof-of-work challenges of the resident survey (derived from the installation's
   * secret, so every process verifies what another issued). Absent: the survey takes no responses.
   */
  surveySecret?: string;
  /** Belege: the largest file and the space per Kommune in bytes; absent: 20 MB and 500 MB. */
  evidenceLimits?: { maxBytes: number; quotaBytes: number };
}
