import { describe, expect, it } from 'vitest';
import { isBlocked, signInKey } from './sign-in-limit.ts';

describe('sign-in limit', () => {
  it.each([
    [4, 'email', false],
    [5, 'email', true],
    [29, 'address', false],
    [30, 'address', true],
  ] as const)('%i failures per %s → blocked: %s', (failures, scope, blocked) => {
    expect(isBlocked(failures, scope)).toBe(blocked);
  });

  it('counts an e-mail address case-insensitively', () => {
    expect(signInKey('email', ' Anna@Example.org ')).toBe(signInKey('email', 'anna@example.org'));
  });
});
