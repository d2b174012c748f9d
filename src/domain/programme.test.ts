import { describe, expect, it } from 'vitest';
import type { Catalog } from './catalog.ts';
import { changeOf, comparePeers, counterpartIn, minimumPeers, progressOf, quartiles, scoreChange, sizeClassOf, stageOf } from './programme.ts';

describe('process stage and progress', () => {
  it.each([
    [{ roundStatus: null, hasWorkshop: false, hasReport: false }, 'aufnahme'],
    [{ roundStatus: 'open', hasWorkshop: true, hasReport: true }, 'fragebogen-in-arbeit'],
    [{ roundStatus: 'closed', hasWorkshop: false, hasReport: false }, 'fragebogen-abgeschlossen'],
    [{ roundStatus: 'closed', hasWorkshop: true, hasReport: false }, 'workshop-dokumentiert'],
    [{ roundStatus: 'closed', hasWorkshop: true, hasReport: true }, 'bericht-erstellt'],
  ] as const)('%j → %s', (state, stage) => expect(stageOf(state)).toBe(stage));

  it('progress counts answered questions while the questionnaire runs, then the stages', () => {
    expect(progressOf('aufnahme', 0, 0)).toBe(0);
    expect(progressOf('fragebogen-in-arbeit', 51, 102)).toBe(25);
    expect(progressOf('fragebogen-in-arbeit', 102, 102)).toBe(50);
    expect(progressOf('fragebogen-abgeschlossen', 0, 0)).toBe(60);
    expect(progressOf('bericht-erstellt', 0, 0)).toBe(100);
  });
});

describe('size classes of the peer comparison', () => {
  it.each([
    ['Stadt', 19_999, 'unter-20000'],
    ['Gemeinde', 20_000, '20000-100000'],
    ['Stadt', 100_000, '20000-100000'],
    ['Stadt', 100_001, 'ueber-100000'],
    ['Landkreis', 250_000, 'landkreis'],
    ['Landkreis', null, 'landkreis'],
    ['Stadt', null, null],
  ] as const)('%s with %s inhabitants → %s', (kind, population, sizeClass) => expect(sizeClassOf(kind, population)).toBe(sizeClass));
});

describe('peer comparison', () => {
  it('quartiles interpolate between ranks', () => {
    expect(quartiles([10, 20, 30, 40, 50])).toEqual({ q1: 20, median: 30, q3: 40 });
    expect(quartiles([1, 2, 3, 4])).toEqual({ q1: 1.75, median: 2.5, q3: 3.25 });
  });

  it(`needs at least ${minimumPeers} other Kommunen per field, and gives only counts and quartiles`, () => {
    const others = [{ '1': 40, '2': 10 }, { '1': 50, '2': null }, { '1': 60, '2': 30 }, { '1': 70, '2': 40 }, { '1': 80, '2': 50 }];
    const result = comparePeers(['1', '2'], { '1': 65, '2': 20 }, others);
    expect(result[0]).toEqual({ key: '1', own: 65, group: { count: 5, q1: 50, median: 60, q3: 70 } });
    // Field 2: only four others have a score, too few to show anything.
    expect(result[1]).toEqual({ key: '2', own: 20, group: null });
    expect(comparePeers(['1'], { '1': 65 }, others.slice(0, 4))[0]!.group).toBeNull();
  });
});

const catalog = (version: string, criteria: { key: string; previousKeys?: string[] }[]) =>
  ({
    id: 'weltoffene-kommune',
    version,
    answerScale: [
      { key: 'ja', value: 3 },
      { key: 'eher_ja', value: 2 },
      { key: 'eher_nein', value: 1 },
      { key: 'nein', value: 0 },
      { key: 'keine_einschaetzung', value: null },
    ],
    fields: [{ key: '1', criteria }],
  }) as unknown as Catalog;

describe('round comparison', () => {
  const older = catalog('1.0', [{ key: '1.1' }, { key: '1.2' }, { key: '1.3' }]);

  it('the same catalog version compares the same criteria', () => {
    expect(counterpartIn(older, older, '1.2')).toBe('1.2');
    expect(counterpartIn(older, older, '1.9')).toBeNull();
  });

  it('a newer version maps a renumbered criterion to the older one; unmapped keys fall back to the same key', () => {
    const newer = catalog('2.0', [{ key: '1.1' }, { key: '1.2', previousKeys: ['1.3'] }, { key: '1.4', previousKeys: ['1.9', '1.2'] }, { key: '1.5' }]);
    expect(counterpartIn(older, newer, '1.1')).toBe('1.1');
    expect(counterpartIn(older, newer, '1.2')).toBe('1.3');
    expect(counterpartIn(older, newer, '1.4')).toBe('1.2');
    expect(counterpartIn(older, newer, '1.5')).toBeNull();
  });

  it('better, same or worse by the value of the ratings; no value, no verdict', () => {
    expect(changeOf(older, 'eher_nein', 'eher_ja')).toBe('besser');
    expect(changeOf(older, 'ja', 'ja')).toBe('gleich');
    expect(changeOf(older, 'ja', 'nein')).toBe('schlechter');
    expect(changeOf(older, 'keine_einschaetzung', 'ja')).toBeNull();
    expect(changeOf(older, null, 'ja')).toBeNull();
    expect(scoreChange(50, 50.5)).toBe('gleich');
    expect(scoreChange(50, 60)).toBe('besser');
    expect(scoreChange(null, 60)).toBeNull();
  });
});
