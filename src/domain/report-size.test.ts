import { describe, expect, it } from 'vitest';
import type { Report } from './report.ts';
import { measureReport, reportLimits, reportSizeProblem } from './report-size.ts';

const reportOf = (blocks: Report['sections'][number]['blocks']): Report => ({
  title: 'Abschlussbericht',
  language: 'de-DE',
  generatedOn: '2026-03-01',
  titlePage: { programme: 'P', title: 'T', kommune: 'K', subtitle: 'S', date: '1. März 2026' },
  sections: [{ id: 'ausblick', number: 5, title: 'Ausblick', blocks }],
});

describe('measureReport', () => {
  it('counts the text of every kind of block and one block per line-taking element, not the chart drawing', () => {
    const size = measureReport(
      reportOf([
        { kind: 'heading', level: 2, text: 'Ziel' },
        { kind: 'paragraph', inlines: [{ kind: 'text', text: 'Ein ' }, { kind: 'strong', text: 'Satz' }] },
        { kind: 'text', blocks: [{ kind: 'paragraph', lines: [[{ kind: 'text', text: 'abc' }]] }, { kind: 'bullets', items: [[{ kind: 'text', text: 'x' }], [{ kind: 'text', text: 'yz' }]] }] },
        { kind: 'list', style: 'bullets', items: [{ inlines: [{ kind: 'text', text: 'Punkt' }], children: [[{ kind: 'text', text: 'Unterpunkt' }]] }] },
        { kind: 'quote', inlines: [{ kind: 'emphasis', text: 'Zitat' }] },
        { kind: 'table', caption: 'Tabelle', columns: [{ label: 'A', width: 1 }], rows: [{ kind: 'group', text: 'G' }, { kind: 'row', cells: ['ab', 'cd'] }] },
        { kind: 'chart', svg: '<svg>' + 'x'.repeat(10_000) + '</svg>', alt: 'Netz', caption: 'Ergebnisse je Handlungsfeld (Netzdiagramm)', bars: [] },
        { kind: 'legend', title: 'Legende', items: [{ symbol: '✓', label: 'ja' }] },
      ]),
    );
    // Section title 8; heading 4; paragraph 8; text 3 + 1 + 2; list 5 + 10; quote 5; table 7 + 1 + 4; chart 4; legend 7 + 2.
    expect(size.characters).toBe(8 + 4 + 8 + 6 + 15 + 5 + 12 + 4 + 9);
    // Section 1; heading 1; paragraph 1; text 1 + 2; list 2; quote 1; table 1 + 2; chart 1; legend 1.
    expect(size.blocks).toBe(1 + 1 + 1 + 3 + 2 + 1 + 3 + 1 + 1);
  });
});

describe('reportSizeProblem', () => {
  it.each([
    ['at the character limit', { characters: reportLimits.characters, blocks: 10 }, null],
    ['one character over', { characters: reportLimits.characters + 1, blocks: 10 }, /Er enthält 300\.001 Zeichen Text; möglich sind höchstens 300\.000/],
    ['at the block limit', { characters: 10, blocks: reportLimits.blocks }, null],
    ['one block over', { characters: 10, blocks: reportLimits.blocks + 1 }, /Er enthält 3\.001 Absätze, Listenpunkte und Tabellenzeilen; möglich sind höchstens 3\.000/],
  ])('%s', (_name, size, expected) => {
    const problem = reportSizeProblem(size);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});
