import { describe, expect, it } from 'vitest';
import { changedByOf, differingParts, mergeVersions } from './conflict.ts';

describe('changedByOf', () => {
  it('names the person themself as „you“ without a name', () => {
    expect(changedByOf('u1', { id: 'u1', name: 'Anna Beispiel' })).toEqual({ isYou: true, name: null });
  });

  it('names another person by their name', () => {
    expect(changedByOf('u1', { id: 'u2', name: 'Bernd Muster' })).toEqual({ isYou: false, name: 'Bernd Muster' });
  });

  it('keeps a removed account nameless and never calls it „you“', () => {
    expect(changedByOf('u1', { id: null, name: null })).toEqual({ isYou: false, name: null });
  });
});

describe('differingParts', () => {
  const keys = ['value', 'comment', 'evidence'] as const;

  it('lists only the parts that differ, in the order of the keys', () => {
    const mine = { value: 'ja', comment: 'Meine Fassung', evidence: 'Ratsbeschluss' };
    const theirs = { value: 'nein', comment: 'Andere Fassung', evidence: 'Ratsbeschluss' };
    expect(differingParts(mine, theirs, keys)).toEqual(['value', 'comment']);
  });

  it('finds nothing when both versions are the same', () => {
    const version = { value: null, comment: '', evidence: '' };
    expect(differingParts(version, { ...version }, keys)).toEqual([]);
  });

  it('treats a missing part like an empty choice', () => {
    expect(differingParts({ value: null }, { value: undefined }, ['value'])).toEqual([]);
  });
});

describe('mergeVersions', () => {
  const keys = ['value', 'comment', 'evidence'] as const;
  const base = { value: null as string | null, comment: 'Stand 2024', evidence: '' };

  it('keeps a part nobody changed', () => {
    expect(mergeVersions(base, { ...base }, { ...base }, keys)).toEqual({ merged: base, clashes: [], takenOver: [] });
  });

  it('keeps one\'s own change of a part the other version left as it was', () => {
    const mine = { ...base, comment: 'Stand 2025' };
    expect(mergeVersions(base, mine, { ...base }, keys)).toEqual({ merged: mine, clashes: [], takenOver: [] });
  });

  it('takes over the other version\'s change of a part one left as it was', () => {
    const theirs = { ...base, value: 'ja' };
    expect(mergeVersions(base, { ...base }, theirs, keys)).toEqual({ merged: theirs, clashes: [], takenOver: ['value'] });
  });

  it('needs no choice when both changed a part the same way', () => {
    const changed = { ...base, comment: 'Stand 2025' };
    expect(mergeVersions(base, { ...changed }, { ...changed }, keys)).toEqual({ merged: changed, clashes: [], takenOver: [] });
  });

  it('offers a choice only for a part both changed differently, keeping one\'s own there', () => {
    const mine = { ...base, comment: 'Beschluss des Rates' };
    const theirs = { ...base, comment: 'Steuerungsgruppe tagt monatlich' };
    expect(mergeVersions(base, mine, theirs, keys)).toEqual({ merged: mine, clashes: ['comment'], takenOver: [] });
  });

  it('counts emptying a part as a change', () => {
    const mine = { ...base, comment: '' };
    const theirs = { ...base, comment: 'Stand 2025' };
    expect(mergeVersions(base, mine, theirs, keys).clashes).toEqual(['comment']);
    expect(mergeVersions(base, { ...base }, { ...base, comment: '' }, keys)).toEqual({ merged: { ...base, comment: '' }, clashes: [], takenOver: ['comment'] });
  });

  it('merges the reviewer\'s case: a rating in one window, a comment only in the other', () => {
    const start = { value: null as string | null, comment: '', evidence: '' };
    const firstTab = { value: 'ja', comment: '', evidence: '' };
    const secondTab = { value: null, comment: 'Siehe Sozialbericht', evidence: '' };
    expect(mergeVersions(start, secondTab, firstTab, keys)).toEqual({
      merged: { value: 'ja', comment: 'Siehe Sozialbericht', evidence: '' },
      clashes: [],
      takenOver: ['value'],
    });
  });

  it('handles every part on its own: taken over, kept and clashing side by side', () => {
    const mine = { value: 'nein', comment: 'Meine Notiz', evidence: '' };
    const theirs = { value: 'ja', comment: 'Stand 2024', evidence: 'Ratsbeschluss' };
    expect(mergeVersions(base, mine, theirs, keys)).toEqual({
      merged: { value: 'nein', comment: 'Meine Notiz', evidence: 'Ratsbeschluss' },
      clashes: ['value'],
      takenOver: ['evidence'],
    });
  });

  it('merges the consolidation\'s rating and reason the same way', () => {
    const start = { rating: '', reason: '' };
    const mine = { rating: '', reason: 'Nach Rücksprache mit dem Sozialamt' };
    const theirs = { rating: 'eher_nein', reason: '' };
    expect(mergeVersions(start, mine, theirs, ['rating', 'reason'])).toEqual({
      merged: { rating: 'eher_nein', reason: 'Nach Rücksprache mit dem Sozialamt' },
      clashes: [],
      takenOver: ['rating'],
    });
  });

  it('treats a missing part like an empty choice', () => {
    expect(mergeVersions({ value: null }, { value: undefined }, { value: null }, ['value'])).toEqual({ merged: { value: undefined }, clashes: [], takenOver: [] });
  });
});
