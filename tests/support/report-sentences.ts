import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Inline } from '../../src/domain/markdown.ts';
import type { Report } from '../../src/domain/report.ts';

/**
 * Golden texts of the Abschlussbericht (`tests/golden/report/*.txt`): the report's sentences in
 * reading order, compared with a file a person has read and approved. A changed text fails;
 * `GOLDEN_UPDATE=1` writes the new text with the first line `# ungeprüft`, and such a file fails
 * until a person has read it and set the line to `# geprüft`.
 */

const goldenDir = new URL('../golden/report/', import.meta.url);

/** The report's sentences in reading order: headings, paragraphs, lists, the chart's text; of the criteria table only its group rows. */
export function sentencesOf(report: Report): string {
  const inline = (runs: readonly Inline[]) => runs.map((run) => run.text).join('');
  const lines: string[] = [`[Titel] ${report.title}`, `[Titelseite] ${report.titlePage.programme} / ${report.titlePage.title} / ${report.titlePage.kommune} / ${report.titlePage.subtitle}`];
  for (const section of report.sections) {
    lines.push('', `## ${section.number === null ? section.title : `${section.number}. ${section.title}`}`);
    for (const block of section.blocks) {
      if (block.kind === 'heading') lines.push(`${'#'.repeat(block.level + 1)} ${block.text}`);
      else if (block.kind === 'paragraph') lines.push(inline(block.inlines));
      else if (block.kind === 'quote') lines.push(`> ${inline(block.inlines)}`);
      else if (block.kind === 'text') {
        for (const part of block.blocks) {
          if (part.kind === 'heading') lines.push(`[Überschrift im Text] ${part.text}`);
          else if ('lines' in part) lines.push(...part.lines.map(inline));
          else lines.push(...part.items.map((item) => `- ${inline(item)}`));
        }
      } else if (block.kind === 'list') {
        block.items.forEach((item, index) => {
          lines.push(`${block.style === 'numbers' ? `${index + 1}.` : '-'} ${inline(item.inlines)}`);
          lines.push(...item.children.map((child) => `  - ${inline(child)}`));
        });
      } else if (block.kind === 'table') {
        lines.push(`[Tabelle: ${block.caption}] ${block.columns.map((column) => column.label).join(' | ')}`);
        const onlyGroups = block.caption === 'Einschätzung je Kriterium';
        for (const row of block.rows) {
          if (row.kind === 'group') lines.push(`  [${row.text}]`);
          else if (!onlyGroups) lines.push(`  ${row.cells.map((cell) => cell.replaceAll('\n', ' / ')).join(' | ')}`);
        }
      } else if (block.kind === 'chart') lines.push(`[${block.caption}] ${block.alt}`);
      else if (block.kind === 'legend') lines.push(`[${block.title}] ${block.items.map((item) => `${item.symbol} = ${item.label}`).join('; ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Compares a report's sentences with its approved golden file (see above). */
export function checkGolden(name: string, about: string, actual: string): void {
  const file = new URL(`${name}.txt`, goldenDir);
  const stored = existsSync(file) ? readFileSync(file, 'utf8') : null;
  const storedBody = stored?.replace(/^# [^\n]*\n\n/, '') ?? null;
  if (storedBody !== actual && process.env.GOLDEN_UPDATE === '1') {
    writeFileSync(file, `# ungeprüft · ${about}\n\n${actual}`);
    throw new Error(`${name}.txt neu geschrieben: bitte lesen und die erste Zeile auf „# geprüft“ setzen.`);
  }
  expect(stored, `${name}.txt fehlt: GOLDEN_UPDATE=1 schreibt ihn, dann lesen und freigeben.`).not.toBeNull();
  expect(stored!.startsWith('# geprüft'), `${name}.txt ist noch nicht geprüft (erste Zeile „# ungeprüft“).`).toBe(true);
  expect(actual).toBe(storedBody);
}
