import { describe, expect, it } from 'vitest';
import { changedByOf, differingParts } from './conflict.ts';

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
