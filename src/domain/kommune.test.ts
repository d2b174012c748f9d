import { describe, expect, it } from 'vitest';
import {
  checkDesignation,
  checkGemeindeschluessel,
  checkKommuneName,
  designationOf,
  kommuneDesignations,
  kommuneKinds,
  kommuneTitle,
  leadingDesignation,
  normaliseModules,
  slugify,
  storedDesignation,
} from './kommune.ts';

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

describe('designations', () => {
  it('every kind lists itself first, and no word belongs to two kinds', () => {
    for (const kind of kommuneKinds) expect(kommuneDesignations[kind][0], kind).toBe(kind);
    const words = Object.values(kommuneDesignations).flat();
    expect(new Set(words).size).toBe(words.length);
  });

  it.each([
    [{ kind: 'Stadt', designation: null, name: 'Musterstadt' }, 'Stadt', 'Stadt Musterstadt'],
    [{ kind: 'Stadt', designation: 'Hansestadt', name: 'Rostock' }, 'Hansestadt', 'Hansestadt Rostock'],
    [{ kind: 'Landkreis', designation: 'Kreis', name: 'Paderborn' }, 'Kreis', 'Kreis Paderborn'],
    [{ kind: 'Gemeinde', designation: 'Markt', name: 'Indersdorf' }, 'Markt', 'Markt Indersdorf'],
  ] as const)('%o is called „%s“, titled „%s“', (kommune, designation, title) => {
    expect(designationOf(kommune)).toBe(designation);
    expect(kommuneTitle(kommune)).toBe(title);
  });

  it('is stored as null when it is the kind or none, kept when it belongs to the kind', () => {
    expect(storedDesignation('Stadt', 'Stadt')).toBeNull();
    expect(storedDesignation('Stadt', '')).toBeNull();
    expect(storedDesignation('Stadt', undefined)).toBeNull();
    expect(storedDesignation('Stadt', 'Hansestadt')).toBe('Hansestadt');
    expect(storedDesignation('Landkreis', 'Hansestadt')).toBeUndefined();
  });

  it('must belong to the kind; the message lists the kind\'s designations', () => {
    expect(checkDesignation('Landkreis', 'Region')).toBeNull();
    expect(checkDesignation('Landkreis', null)).toBeNull();
    expect(checkDesignation('Landkreis', 'Hansestadt')).toBe('„Hansestadt“ ist keine Bezeichnung für die Art „Landkreis“; möglich sind „Landkreis“, „Kreis“ und „Region“.');
    expect(checkDesignation('Amt', 'Markt')).toBe('„Markt“ ist keine Bezeichnung für die Art „Amt“; möglich ist „Amt“.');
  });
});

describe('a Kommune name without its designation', () => {
  it.each([
    ['Landkreis Beispielkreis', 'Landkreis', 'Landkreis'],
    ['Stadt Musterstadt', 'Stadt', 'Stadt'],
    ['Hansestadt Rostock', 'Stadt', 'Hansestadt'],
    ['Große Kreisstadt Radebeul', 'Stadt', 'Große Kreisstadt'],
    ['Kreisstadt Olpe', 'Stadt', 'Kreisstadt'],
    ['Kreis Paderborn', 'Landkreis', 'Kreis'],
    ['Region Hannover', 'Landkreis', 'Region'],
    ['landkreis  Görlitz', 'Landkreis', 'Landkreis'],
    // A word of another kind: the kind was chosen wrong, or the name doubles anyway.
    ['Landkreis Görlitz', 'Stadt', 'Landkreis'],
    ['Amt Neuhaus', 'Stadt', 'Amt'],
    ['Gemeinde Musterdorf', 'Gemeinde', 'Gemeinde'],
    ['Ortsgemeinde Musterdorf', 'Gemeinde', 'Ortsgemeinde'],
    ['Verbandsgemeinde Musterland', 'Verbandsgemeinde', 'Verbandsgemeinde'],
  ] as const)('„%s“ (%s) begins with „%s“', (name, kind, word) => {
    expect(leadingDesignation(name, kind)).toBe(word);
    expect(checkKommuneName(name, kind)).toBe(`Bitte geben Sie den Namen ohne „${word}“ ein; die Bezeichnung wählen Sie darunter.`);
  });

  it.each([
    ['Musterstadt', 'Stadt'],
    ['Stadtallendorf', 'Stadt'],
    ['Kreisstadt', 'Stadt'],
    ['Regionalverband', 'Landkreis'],
    ['Dessau-Roßlau', 'Stadt'],
    // Real names that begin with a designation.
    ['Markt Indersdorf', 'Gemeinde'],
    ['Flecken Zechlin', 'Gemeinde'],
    ['Amt Neuhaus', 'Gemeinde'],
  ] as const)('„%s“ (%s) is a name', (name, kind) => {
    expect(leadingDesignation(name, kind)).toBeNull();
    expect(checkKommuneName(name, kind)).toBeNull();
  });
});
