import { describeError } from './log-redaction.ts';

type Level = 'info' | 'warn' | 'error';

/**
 * What better-auth reports, as the server's log line: a refused directory sign-in is a normal event
 * of a person (info, with its code, never an alert), a directory that does not answer is a warning
 * in German (Weltoffen tries again at the next sign-in), everything else keeps its level.
 */
export function authLogLine(level: string, message: unknown, args: unknown[]): { text: string; level: Level } {
  const text = typeof message === 'string' ? message : describeError(message);
  if (/^[a-z][a-z_]{2,60}$/.test(text)) {
    return { text: `Anmeldung über den Verzeichnisdienst abgelehnt: ${text}`, level: 'info' };
  }
  if (/^Discovery fetch failed/.test(text) || /discovery .*Provider skipped\.$/.test(text)) {
    return {
      text: 'Der Verzeichnisdienst (OIDC_ISSUER) antwortet nicht oder sein Discovery-Dokument ist unvollständig. Weltoffen versucht es bei der nächsten Anmeldung erneut.',
      level: 'warn',
    };
  }
  const details = args.map((arg) => `\n${arg instanceof Error ? describeError(arg) : '(Details ausgelassen)'}`).join('');
  return { text: `Anmeldedienst (${level}): ${text}${details}`, level: level === 'error' || level === 'warn' ? level : 'info' };
}
