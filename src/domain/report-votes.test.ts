import { describe, expect, it } from 'vitest';
import { completeRound } from '../../tests/support/report-inputs.ts';
import { dialoguesSchema } from './dialogue.ts';
import { countOf } from './german.ts';
import { kickoffSchema } from './kickoff.ts';
import { outlookSchema } from './outlook.ts';
import { profileSchema } from './profile.ts';
import { buildReport, outlookRecap, reportTextsSchema, type ReportBlock, type ReportInput } from './report.ts';
import { kommunePhrases } from './german.ts';
import { workshopsSchema } from './workshop.ts';

/** Points from the workshop's Punktabfrage in the Abschlussbericht (issue 16). */

type Need = { text: string; subpoints?: string[]; votes?: number | null };

function input(workshops: { date?: string; fields: { fieldKey: string; actionNeeds: Need[] }[] }[]): ReportInput {
  return {
    kommune: { name: 'Freiberg', kind: 'Stadt', modules: [1] },
    programme: { title: 'Modellprojekt Weltoffene Kommune', text: 'Das Programm.' },
    results: completeRound(),
    chartSvg: null,
    comparison: null,
    profile: profileSchema.parse({}),
    kickoff: kickoffSchema.parse({}),
    workshops: workshopsSchema.parse({ workshops: workshops.map((workshop, index) => ({ id: `workshop-${index + 1}-abcd`, roundNumber: 1, date: workshop.date ?? '2026-05-12', fields: workshop.fields })) }),
    dialogues: dialoguesSchema.parse({}),
    offers: [],
    outlook: outlookSchema.parse({}),
    texts: reportTextsSchema.parse({}),
    generatedOn: '2026-11-30',
  };
}

const workshopBlocks = (value: ReportInput) => buildReport(value).sections.find((section) => section.id === 'workshop')!.blocks;
const inline = (block: ReportBlock) => (block.kind === 'paragraph' ? block.inlines.map((run) => run.text).join('') : '');
const paragraphs = (value: ReportInput) => workshopBlocks(value).map(inline).filter(Boolean);
const needItems = (value: ReportInput) =>
  workshopBlocks(value).flatMap((block) => (block.kind === 'list' && block.items.some((item) => item.children.length || item.inlines.length) ? block.items.map((item) => item.inlines.map((run) => run.text).join('')) : []));
const recap = (value: ReportInput) => outlookRecap(value, kommunePhrases('Stadt', 'Freiberg')).join(' ');

const allPrioritised = 'Die Teilnehmenden haben die Handlungsbedarfe in einer Punktabfrage priorisiert; in Klammern steht, wie viele Punkte ein Handlungsbedarf erhielt.';

describe('points of the Punktabfrage in the Abschlussbericht', () => {
  it('the count follows each need as a digit with its noun in the right number', () => {
    expect(countOf(12, 'Punkt', 'Punkte', { digits: true })).toBe('12\u00a0Punkte');
    expect(countOf(1, 'Punkt', 'Punkte', { digits: true })).toBe('1\u00a0Punkt');
    expect(countOf(0, 'Punkt', 'Punkte', { digits: true })).toBe('0\u00a0Punkte');
    expect(countOf(1200, 'Punkt', 'Punkte', { digits: true })).toBe('1.200\u00a0Punkte');
    // Without the option the words stay as before.
    expect(countOf(12, 'Punkt', 'Punkte')).toBe('zwölf Punkte');
  });

  it('a prioritised workshop: one sentence says how, each need ends with its points, in the documented order, sub-points unchanged', () => {
    const value = input([{ fields: [{ fieldKey: '3', actionNeeds: [{ text: 'Anlaufstelle schaffen', subpoints: ['mehrsprachig'], votes: 12 }, { text: 'Betriebe gewinnen', votes: 1 }, { text: 'Sprachkurse fördern', votes: 0 }] }] }]);
    expect(paragraphs(value).filter((text) => text.includes('Punktabfrage'))).toEqual([
      `Im Folgenden werden die Ergebnisse der Diskussion kurz zusammengefasst, mit einem Fokus auf Entwicklungspotenziale und erforderliche Handlungsbedarfe. ${allPrioritised}`,
    ]);
    expect(needItems(value).slice(-3)).toEqual(['Anlaufstelle schaffen (12\u00a0Punkte)', 'Betriebe gewinnen (1\u00a0Punkt)', 'Sprachkurse fördern (0\u00a0Punkte)']);
    const list = workshopBlocks(value).at(-1)!;
    expect(list.kind === 'list' && list.items[0]!.children).toEqual([[{ kind: 'text', text: 'mehrsprachig' }]]);
  });

  it('the sentence stands once per workshop, also with several prioritised Handlungsfelder', () => {
    const value = input([{ fields: [{ fieldKey: '3', actionNeeds: [{ text: 'A', votes: 3 }] }, { fieldKey: '5', actionNeeds: [{ text: 'B', votes: 2 }] }] }]);
    expect(paragraphs(value).join('\n').split('Punktabfrage').length - 1).toBe(1);
  });

  it('needs without points stay as today and no sentence is said; older data has none', () => {
    const value = input([{ fields: [{ fieldKey: '3', actionNeeds: [{ text: 'Anlaufstelle schaffen' }, { text: 'Betriebe gewinnen', votes: null }] }] }]);
    expect(paragraphs(value).join(' ')).not.toContain('Punkt');
    expect(needItems(value).slice(-2)).toEqual(['Anlaufstelle schaffen', 'Betriebe gewinnen']);
    expect(recap(value)).not.toContain('Punkt');
  });

  it('mixed: only needs with points carry the count, and the sentence says the others were not part of the Punktabfrage', () => {
    const value = input([{ fields: [{ fieldKey: '3', actionNeeds: [{ text: 'Anlaufstelle schaffen', votes: 4 }] }, { fieldKey: '5', actionNeeds: [{ text: 'Ehrenamtsbörse bekannter machen' }] }] }]);
    expect(paragraphs(value).join(' ')).toContain(
      'Die Teilnehmenden haben Handlungsbedarfe in einer Punktabfrage priorisiert; in Klammern steht, wie viele Punkte ein Handlungsbedarf erhielt. Handlungsbedarfe ohne Angabe in Klammern waren nicht Teil der Punktabfrage.',
    );
    expect(needItems(value)).toEqual(expect.arrayContaining(['Anlaufstelle schaffen (4\u00a0Punkte)', 'Ehrenamtsbörse bekannter machen']));
  });

  it('of two workshops only the prioritised one gets the sentence', () => {
    const value = input([
      { date: '2026-05-12', fields: [{ fieldKey: '3', actionNeeds: [{ text: 'A', votes: 5 }] }] },
      { date: '2026-06-20', fields: [{ fieldKey: '7', actionNeeds: [{ text: 'B' }] }] },
    ]);
    const text = paragraphs(value);
    expect(text.filter((entry) => entry.includes(allPrioritised))).toHaveLength(1);
    expect(text.findIndex((entry) => entry.includes(allPrioritised))).toBeLessThan(workshopBlocks(value).findIndex((block) => block.kind === 'heading' && block.text.includes('20. Juni 2026')));
  });

  it('the recap names the one need with the most points, without a trailing full stop of its text', () => {
    const value = input([{ fields: [{ fieldKey: '3', actionNeeds: [{ text: 'Betriebe gewinnen', votes: 7 }, { text: 'Eine Anlaufstelle schaffen.', votes: 12 }] }, { fieldKey: '5', actionNeeds: [{ text: 'Gremien öffnen' }] }] }]);
    expect(recap(value)).toContain('Dabei wurden drei Handlungsbedarfe benannt. Die meisten Punkte in der Punktabfrage erhielt der Handlungsbedarf „Eine Anlaufstelle schaffen“ (12\u00a0Punkte).');
  });

  it('the recap names none when the lead is shared, when all have 0 points, or when two workshops had a Punktabfrage', () => {
    const tie = input([{ fields: [{ fieldKey: '3', actionNeeds: [{ text: 'A', votes: 7 }, { text: 'B', votes: 7 }, { text: 'C', votes: 2 }] }] }]);
    const zero = input([{ fields: [{ fieldKey: '3', actionNeeds: [{ text: 'A', votes: 0 }] }] }]);
    const two = input([
      { date: '2026-05-12', fields: [{ fieldKey: '3', actionNeeds: [{ text: 'A', votes: 9 }] }] },
      { date: '2026-06-20', fields: [{ fieldKey: '7', actionNeeds: [{ text: 'B', votes: 3 }] }] },
    ]);
    for (const value of [tie, zero, two]) expect(recap(value)).not.toContain('Punkte');
  });

  it('a planned workshop (after the report’s day) is not counted for the recap', () => {
    const value = input([
      { date: '2026-05-12', fields: [{ fieldKey: '3', actionNeeds: [{ text: 'A', votes: 9 }] }] },
      { date: '2027-02-01', fields: [{ fieldKey: '7', actionNeeds: [{ text: 'B', votes: 3 }] }] },
    ]);
    expect(recap(value)).toContain('Die meisten Punkte in der Punktabfrage erhielt der Handlungsbedarf „A“ (9\u00a0Punkte).');
  });

  it('of two held workshops, one with a Punktabfrage, the recap says which workshop it was', () => {
    const value = input([
      { date: '2026-05-12', fields: [{ fieldKey: '3', actionNeeds: [{ text: 'A' }] }] },
      { date: '2026-06-20', fields: [{ fieldKey: '7', actionNeeds: [{ text: 'B', votes: 3 }, { text: 'C', votes: 1 }] }] },
    ]);
    expect(recap(value)).toContain('Die meisten Punkte in der Punktabfrage des Selbstcheck-Workshops am 20. Juni 2026 erhielt der Handlungsbedarf „B“ (3\u00a0Punkte).');
  });
});
