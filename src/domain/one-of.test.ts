import { describe, expect, it } from 'vitest';
import { oneOf } from './one-of.ts';

describe('oneOf', () => {
  const statuses = ['open', 'closed'] as const;

  it('gives back a value of the set', () => {
    expect(oneOf(statuses, 'closed', 'Status der Runde')).toBe('closed');
  });

  it('refuses a value outside the set and names what it is', () => {
    expect(() => oneOf(statuses, 'archived', 'Status der Runde')).toThrow('Unbekannter Wert für Status der Runde: „archived“');
  });
});
