import { describe, expect, it } from 'vitest';
import { safeTarget } from './safe-target.ts';

describe('where the app goes after sign-in or accepting an invitation', () => {
  it('follows a path inside the app, with its anchor (a reminder\'s link to the open question)', () => {
    expect(safeTarget('/kommunen/musterstadt/selbstcheck/2/handlungsfeld/1#frage-1-1-1')).toBe('/kommunen/musterstadt/selbstcheck/2/handlungsfeld/1#frage-1-1-1');
  });

  it('never leaves for another site, and falls back to the given page', () => {
    for (const outside of ['https://example.org/', '//example.org/kommunen', '/\\example.org', 'javascript:alert(1)', '', null]) {
      expect(safeTarget(outside, '/kommunen/musterstadt')).toBe('/kommunen/musterstadt');
    }
    expect(safeTarget(null)).toBe('/kommunen');
  });
});
