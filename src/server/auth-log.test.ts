import { describe, expect, it } from 'vitest';
import { authLogLine } from './auth-log.ts';

describe('better-auth log lines', () => {
  it('a refused directory sign-in is an info line with its code, not an error', () => {
    expect(authLogLine('error', 'account_not_linked', [])).toEqual({ text: 'Anmeldung über den Verzeichnisdienst abgelehnt: account_not_linked', level: 'info' });
    expect(authLogLine('error', 'signup_disabled', []).level).toBe('info');
  });

  it('a directory that does not answer at start is a German warning that says it is tried again', () => {
    for (const message of [
      'Discovery fetch failed for "oidc": TypeError: fetch failed',
      'Provider "oidc": discovery left no usable authorization endpoint or token exchange. Provider skipped.',
    ]) {
      const line = authLogLine('error', message, []);
      expect(line.level).toBe('warn');
      expect(line.text).toMatch(/^Der Verzeichnisdienst \(OIDC_ISSUER\) antwortet nicht.*nächsten Anmeldung erneut\.$/);
    }
  });

  it('anything else keeps its level and leaves out details that are not errors', () => {
    expect(authLogLine('error', 'Failed to validate authorization code', [{ token: 'geheim' }])).toEqual({
      text: 'Anmeldedienst (error): Failed to validate authorization code\n(Details ausgelassen)',
      level: 'error',
    });
    expect(authLogLine('debug', 'x y', []).level).toBe('info');
  });
});
