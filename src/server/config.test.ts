import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.ts';

describe('TRUST_PROXY', () => {
  it.each([
    [undefined, 0],
    ['false', 0],
    ['0', 0],
    ['true', 1],
    ['1', 1],
    ['2', 2],
    [' 3 ', 3],
  ])('%s means %i trusted proxies', (value, hops) => {
    expect(readConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy).toBe(hops);
  });

  it.each(['ja', 'yes', '-1', '10', '1.5', ''])('refuses %j at start with a German message', (value) => {
    expect(() => readConfig({ TRUST_PROXY: value })).toThrow(ConfigError);
    expect(() => readConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY: muss false, true oder die Zahl der Proxys vor Weltoffen \(0 bis 9\) sein/);
  });
});
