import { describe, expect, it } from 'vitest';
import { catalogVersionOf, changeValueKeys } from '../../../domain/round-change.ts';
import de from '../../i18n/de.json';

const labels = de.changes.keys as Record<string, string | undefined>;

describe('Änderungsverlauf labels', () => {
  // changeValueKeys is the type of what insertChange accepts: a key a service can log is in it.
  it.each(changeValueKeys)('the change key „%s“ has a German label', (key) => {
    expect(labels[key], `changes.keys.${key} fehlt in de.json`).toBeTypeOf('string');
    expect(labels[key]!.trim()).not.toBe('');
    expect(labels[key]).not.toMatch(/changes\.|[A-Z][a-z]+[A-Z]/);
  });

  it('a catalog version id shows as its version, not as the stored id', () => {
    expect(catalogVersionOf('weltoffene-kommune@1.0')).toBe('1.0');
    expect(catalogVersionOf('weltoffene-kommune@2.1')).toBe('2.1');
  });
});
