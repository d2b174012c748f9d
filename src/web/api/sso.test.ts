import { describe, expect, it } from 'vitest';
import de from '../i18n/de.json' with { type: 'json' };
import { ssoErrorCodes, ssoErrorKey, ssoStartPath } from './sso.ts';

function lookup(key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], de);
}

describe('the sign-in page’s texts for errors from the directory', () => {
  it.each([...ssoErrorCodes, 'state_mismatch', 'invalid_code', 'etwas_neues'])('%s has a German text', (code) => {
    expect(typeof lookup(ssoErrorKey(code))).toBe('string');
  });

  it('codes without a text of their own get the general one, never the code itself', () => {
    expect(ssoErrorKey('unable_to_get_user_info')).toBe('signIn.sso.errors.other');
    expect(ssoErrorKey('constructor')).toBe('signIn.sso.errors.other');
  });
});

describe('ssoStartPath', () => {
  it('passes the target encoded, with its query and anchor', () => {
    expect(ssoStartPath('/kommunen/musterstadt?runde=1#frage-a1')).toBe('/api/sso/start?weiter=%2Fkommunen%2Fmusterstadt%3Frunde%3D1%23frage-a1');
  });
});
