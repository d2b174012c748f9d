import { describe, expect, it } from 'vitest';
import { checkGemeindeschluessel, normaliseModules, slugify } from './kommune.ts';

describe('Amtlicher Gemeindeschlüssel', () => {
  it.each([
    ['15001000', 'Sachsen-Anhalt', null],
    ['09162000', 'Bayern', null],
    ['1500100', 'Sachsen-Anhalt', /genau 8 Ziffern/],
    ['150010000', 'Sachsen-Anhalt', /genau 8 Ziffern/],
    ['1500100a', 'Sachsen-Anhalt', /genau 8 Ziffern/],
    ['17001000', 'Sachsen-Anhalt', /01 bis 16/],
    ['00001000', 'Sachsen-Anhalt', /01 bis 16/],
    ['15001000', 'Bayern', /gehört zu Sachsen-Anhalt, nicht zu Bayern/],
  ] as const)('%s in %s', (ags, land, expected) => {
    const problem = checkGemeindeschluessel(ags, land);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});

describe('slugs', () => {
  it.each([
    ['Dessau-Roßlau', 'dessau-rosslau'],
    ['Mülheim an der Ruhr', 'muelheim-an-der-ruhr'],
    ['Landkreis Görlitz', 'landkreis-goerlitz'],
    ['  Frankfurt (Oder) ', 'frankfurt-oder'],
    ['Île-de-Été', 'ile-de-ete'],
    ['!!!', ''],
  ])('%s → %s', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });
});

describe('modules', () => {
  it('always include Modul 1, sorted, without repeats', () => {
    expect(normaliseModules([3, 2, 3])).toEqual([1, 2, 3]);
    expect(normaliseModules([])).toEqual([1]);
  });
});
