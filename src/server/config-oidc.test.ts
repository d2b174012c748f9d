import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.ts';

/** The OIDC_* variables: all or nothing, checked at start with a German line per variable. */
const complete = { OIDC_ISSUER: 'https://login.example.de/realms/rathaus', OIDC_CLIENT_ID: 'weltoffen', OIDC_CLIENT_SECRET: 'geheim' };

describe('OIDC_* variables', () => {
  it('without any of them there is no sign-in through the directory', () => {
    expect(readConfig({}).oidc).toBeUndefined();
    expect(readConfig({ OIDC_ISSUER: '', OIDC_CLIENT_ID: '', OIDC_CLIENT_SECRET: '' }).oidc).toBeUndefined();
  });

  it('issuer, client id and secret together switch it on; the display name defaults to „Verwaltungskonto“', () => {
    expect(readConfig(complete).oidc).toEqual({
      issuer: 'https://login.example.de/realms/rathaus',
      clientId: 'weltoffen',
      clientSecret: 'geheim',
      displayName: 'Verwaltungskonto',
      isOnly: false,
    });
    expect(readConfig({ ...complete, OIDC_DISPLAY_NAME: 'Rathauskonto', OIDC_ONLY: 'true' }).oidc).toMatchObject({ displayName: 'Rathauskonto', isOnly: true });
  });

  it('keeps the issuer exactly as given (a trailing slash is part of it)', () => {
    expect(readConfig({ ...complete, OIDC_ISSUER: 'https://login.example.de/' }).oidc?.issuer).toBe('https://login.example.de/');
  });

  it('allows http only for a provider on this machine', () => {
    expect(readConfig({ ...complete, OIDC_ISSUER: 'http://localhost:8080/realms/test' }).oidc?.issuer).toBe('http://localhost:8080/realms/test');
    expect(() => readConfig({ ...complete, OIDC_ISSUER: 'http://login.example.de' })).toThrow(/OIDC_ISSUER: muss mit https:\/\/ beginnen/);
  });

  it.each(['kein-url', 'ftp://login.example.de', 'https://login.example.de/?realm=x', 'https://login.example.de/#x'])('refuses the issuer %j with a German message', (issuer) => {
    expect(() => readConfig({ ...complete, OIDC_ISSUER: issuer })).toThrow(ConfigError);
    expect(() => readConfig({ ...complete, OIDC_ISSUER: issuer })).toThrow(/OIDC_ISSUER: muss/);
  });

  it.each(['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'])('refuses a start with %s missing and names it', (name) => {
    const partial: Record<string, string> = { ...complete };
    delete partial[name];
    expect(() => readConfig(partial)).toThrow(new RegExp(`${name}: fehlt`));
  });

  it.each([
    [{ OIDC_DISPLAY_NAME: 'Rathauskonto' }, 'OIDC_DISPLAY_NAME'],
    [{ OIDC_ONLY: 'true' }, 'OIDC_ONLY'],
  ])('refuses %j without the provider', (environment, name) => {
    expect(() => readConfig(environment)).toThrow(new RegExp(`${name}: wirkt nur zusammen mit OIDC_ISSUER`));
  });

  it.each(['ja', '1', 'TRUE '])('refuses OIDC_ONLY=%j', (value) => {
    expect(() => readConfig({ ...complete, OIDC_ONLY: value })).toThrow(/OIDC_ONLY: muss true oder false sein/);
  });
});
