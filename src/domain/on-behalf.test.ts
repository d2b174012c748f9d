import { describe, expect, it } from 'vitest';
import { departmentKey, departmentSpelling, departmentSpellings, normalDepartmentName, respondentKey } from './on-behalf.ts';

describe('department names entered on behalf', () => {
  it('trims, collapses white space (also non-breaking and tabs) and keeps the letters as typed', () => {
    expect(normalDepartmentName('  Amt \u00a0 für\tSoziales  ')).toBe('Amt für Soziales');
    expect(normalDepartmentName('Ordnungsamt')).toBe('Ordnungsamt');
  });

  it('compares without case, white space and ß/ss, and nothing else', () => {
    expect(departmentKey('ordnungsamt')).toBe(departmentKey(' Ordnungsamt '));
    expect(departmentKey('ORDNUNGSAMT')).toBe(departmentKey('Ordnungsamt'));
    expect(departmentKey('Amt für  Straßenbau')).toBe(departmentKey('amt für strassenbau'));
    expect(departmentKey('Ordnungsamt')).not.toBe(departmentKey('Ordnungsamt Nord'));
    // Decomposed and composed umlauts are one name.
    expect(departmentKey('Bu\u0308rgeramt')).toBe(departmentKey('Bürgeramt'));
  });

  it('keeps the first spelling of a department', () => {
    expect(departmentSpelling('ordnungsamt', ['Sozialamt', 'Ordnungsamt'])).toBe('Ordnungsamt');
    expect(departmentSpelling('  Neues   Amt ', ['Sozialamt'])).toBe('Neues Amt');
    const spellings = departmentSpellings(['Ordnungsamt', 'ordnungsamt', ' ORDNUNGSAMT', 'Sozialamt']);
    expect([...new Set(spellings.values())]).toEqual(['Ordnungsamt', 'Sozialamt']);
  });

  it('one department entered in two spellings counts as one respondent', () => {
    const known = ['Ordnungsamt'];
    const stored = ['Ordnungsamt', 'ordnungsamt ', 'ORDNUNGSAMT'].map((name) => respondentKey({ userId: 'k', onBehalfOf: departmentSpelling(name, known) }));
    expect(new Set(stored).size).toBe(1);
  });
});
