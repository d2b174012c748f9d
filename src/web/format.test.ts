import { describe, expect, it } from 'vitest';
import { formatBytes, formatNumber, formatProgress, parseGermanNumber } from './format.ts';

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

describe('file sizes', () => {
  it.each([
    [1, '1 Byte'],
    [600, '600 Bytes'],
    [12_595, '12,3 KB'],
    [3_355_443, '3,2 MB'],
    [20 * 1024 * 1024, '20 MB'],
    [500 * 1024 * 1024, '500 MB'],
  ])('%s bytes → „%s“', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('shows progress in the unit of the whole file', () => {
    expect(formatProgress(3_355_443, 20 * 1024 * 1024)).toEqual({ done: '3,2', total: '20,0', unit: 'MB' });
    expect(formatProgress(300, 600)).toEqual({ done: '0,3', total: '0,6', unit: 'KB' });
  });
});
