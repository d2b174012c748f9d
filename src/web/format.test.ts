import { describe, expect, it } from 'vitest';
import { formatNumber, parseGermanNumber } from './format.ts';

describe('German numbers', () => {
  it.each([
    ['80.674', 80674],
    ['80674', 80674],
    ['1.234.567', 1234567],
    ['5,8', 5.8],
    ['5.8', 5.8],
    ['18,92', 18.92],
    ['1.234,5', 1234.5],
    [' 0 ', 0],
    ['', null],
    ['zehn', null],
    ['5,8 %', null],
  ])('„%s“ → %s', (text, value) => {
    expect(parseGermanNumber(text)).toBe(value);
  });

  it('formats with a decimal comma and thousands dots', () => {
    expect(formatNumber(80674)).toBe('80.674');
    expect(formatNumber(5.8)).toBe('5,8');
    expect(formatNumber(18.925)).toBe('18,93');
  });
});
