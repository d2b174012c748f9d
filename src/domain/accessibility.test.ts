import { describe, expect, it } from 'vitest';
import { accessibilityReviewedOn } from './accessibility.ts';
import { germanDate } from './german.ts';

describe('date of the accessibility statement', () => {
  it('is a real calendar day, written in German', () => {
    expect(accessibilityReviewedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Date(`${accessibilityReviewedOn}T00:00:00Z`).toISOString().slice(0, 10)).toBe(accessibilityReviewedOn);
    expect(germanDate(accessibilityReviewedOn)).toMatch(/^\d{1,2}\. [A-ZÄ][a-zä]+ \d{4}$/);
  });

  it('does not lie in the future', () => {
    expect(accessibilityReviewedOn <= new Date().toISOString().slice(0, 10)).toBe(true);
  });
});
