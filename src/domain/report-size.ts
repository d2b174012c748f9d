import { germanNumber } from './german.ts';
import type { Block as MarkupBlock, Inline } from './markdown.ts';
import type { Report, ReportBlock } from './report.ts';

/**
 * How large a report may be to be rendered as a file. The demo Abschlussbericht (10 pages) holds
 * about 11,000 characters in 190 blocks; these bounds leave a real Kommune fifteen to twenty-five
 * times that (about 80 pages of running text or of table rows) and keep one render to a few seconds
 * and a few hundred MB, while a report filled up to the documents' own limits (the 975 pages of the
 * audit) is refused before any work.
 */
export const reportLimits = {
  /** Characters of text: headings, paragraphs, list items, table cells, captions. */
  characters: 300_000,
  /** Blocks that each take at least a line: headings, paragraphs, list items, table rows. */
  blocks: 3_000,
} as const;

export interface ReportSize {
  characters: number;
  blocks: number;
}

const length = (runs: readonly Inline[]) => runs.reduce((sum, run) => sum + run.text.length, 0);

function addMarkup(size: ReportSize, block: MarkupBlock) {
  if (block.kind === 'heading') {
    size.blocks += 1;
    size.characters += block.text.length;
    return;
  }
  const lines = 'lines' in block ? block.lines : block.items;
  size.blocks += 'lines' in block ? 1 : block.items.length;
  for (const line of lines) size.characters += length(line);
}

function addBlock(size: ReportSize, block: ReportBlock) {
  switch (block.kind) {
    case 'heading':
      size.blocks += 1;
      size.characters += block.text.length;
      return;
    case 'paragraph':
    case 'quote':
      size.blocks += 1;
      size.characters += length(block.inlines);
      return;
    case 'text':
      for (const inner of block.blocks) addMarkup(size, inner);
      return;
    case 'list':
      for (const item of block.items) {
        size.blocks += 1 + item.children.length;
        size.characters += length(item.inlines) + item.children.reduce((sum, child) => sum + length(child), 0);
      }
      return;
    case 'table':
      size.blocks += 1 + block.rows.length;
      size.characters += block.caption.length;
      for (const row of block.rows) size.characters += row.kind === 'group' ? row.text.length : row.cells.reduce((sum, cell) => sum + cell.length, 0);
      return;
    case 'legend':
      size.blocks += block.items.length;
      size.characters += block.title.length + block.items.reduce((sum, item) => sum + item.label.length, 0);
      return;
    case 'chart':
      size.blocks += 1;
      size.characters += block.alt.length;
      return;
  }
}

/** The text characters and line-taking blocks of a report (the chart's drawing not counted). */
export function measureReport(report: Report): ReportSize {
  const size: ReportSize = { characters: 0, blocks: 0 };
  for (const section of report.sections) {
    size.blocks += 1;
    size.characters += section.title.length;
    for (const block of section.blocks) addBlock(size, block);
  }
  return size;
}

/** A German explanation when the report exceeds `limits`, naming what to shorten; null when it fits. */
export function reportSizeProblem(size: ReportSize, limits: ReportSize = reportLimits): string | null {
  const over =
    size.characters > limits.characters
      ? `${germanNumber(size.characters)} Zeichen Text; möglich sind höchstens ${germanNumber(limits.characters)} (etwa 80 Seiten)`
      : size.blocks > limits.blocks
        ? `${germanNumber(size.blocks)} Absätze, Listenpunkte und Tabellenzeilen; möglich sind höchstens ${germanNumber(limits.blocks)} (etwa 80 Seiten)`
        : null;
  if (!over) return null;
  return (
    `Der Bericht ist zu umfangreich, um ihn als Datei zu erzeugen: Er enthält ${over}. ` +
    'Bitte kürzen Sie die längsten Texte, etwa bei den Dialogveranstaltungen, Workshops oder im Ausblick. Die Vorschau zeigt den Bericht weiterhin vollständig.'
  );
}
