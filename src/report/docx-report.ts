import { Resvg } from '@resvg/resvg-js';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  LineRuleType,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  ShadingType,
  TableOfContents,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx';
import type { Inline } from '../domain/markdown.ts';
import type { Report, ReportBlock } from '../domain/report.ts';
import { reportFontFiles } from './fonts.ts';

/**
 * Renders the report model to an editable Word document: real heading styles (the navigation pane
 * works), tables with a repeated header row and fixed column widths, the chart as a PNG with alt
 * text, German as the language of every run. Word users get Arial, which every office has.
 */

const font = 'Arial';
const accent = '1A5C8B';
const band = 'EEF2F6';
// A4 with 2.4 cm margins: the width the tables get, in twentieths of a point.
const contentWidth = 11_906 - 2 * 1_361;

const runsOf = (inlines: readonly Inline[]): TextRun[] =>
  inlines.map((run) => new TextRun({ text: run.text, bold: run.kind === 'strong', italics: run.kind === 'emphasis' }));

/** Lines of a paragraph with line breaks between them. */
function linesOf(lines: readonly Inline[][]): TextRun[] {
  return lines.flatMap((line, index) => [...(index > 0 ? [new TextRun({ break: 1 })] : []), ...runsOf(line)]);
}

const paragraph = (children: ParagraphChild[], options: { style?: string; keepNext?: boolean } = {}) =>
  new Paragraph({ children, style: options.style, keepNext: options.keepNext });

function list(items: { inlines: Inline[]; children: Inline[][] }[], style: 'bullets' | 'numbers', instance: number): Paragraph[] {
  return items.flatMap((item) => [
    style === 'numbers'
      ? new Paragraph({ children: runsOf(item.inlines), numbering: { reference: 'report-numbers', level: 0, instance } })
      : new Paragraph({ children: runsOf(item.inlines), bullet: { level: 0 } }),
    ...item.children.map((child) => new Paragraph({ children: runsOf(child), bullet: { level: 1 } })),
  ]);
}

function cell(text: string, options: { isHeader?: boolean; fill?: string; span?: number; width: number; isBold?: boolean; keepNext?: boolean }) {
  return new TableCell({
    columnSpan: options.span,
    width: { size: options.width, type: WidthType.DXA },
    shading: options.fill ? { type: ShadingType.CLEAR, color: 'auto', fill: options.fill } : undefined,
    margins: { top: 60, bottom: 60, left: 100, right: 100 },
    children: [
      new Paragraph({
        // A header or group row stays with the row after it (Word's "keep with next" works across rows).
        keepNext: options.isHeader || options.keepNext,
        spacing: { after: 0 },
        children: text.split('\n').flatMap((line, index) => [
          ...(index > 0 ? [new TextRun({ break: 1 })] : []),
          new TextRun({ text: line, bold: options.isHeader || options.isBold, color: options.isHeader ? 'FFFFFF' : undefined, size: 19 }),
        ]),
      }),
    ],
  });
}

function table(block: Extract<ReportBlock, { kind: 'table' }>): (Paragraph | Table)[] {
  const widths = block.columns.map((column) => Math.round(column.width * contentWidth));
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: block.columns.map((column, index) => cell(column.label, { isHeader: true, fill: accent, width: widths[index]! })),
  });
  const rows = block.rows.map(
    (row) =>
      new TableRow({
        cantSplit: true,
        children:
          row.kind === 'group'
            ? [cell(row.text, { span: block.columns.length, fill: band, isBold: true, width: contentWidth, keepNext: true })]
            : row.cells.map((text, index) => cell(text, { width: widths[index]!, isBold: row.isHighlighted, fill: row.isHighlighted ? 'DCE9F5' : undefined })),
      }),
  );
  const line = { style: BorderStyle.SINGLE, size: 4, color: 'C5CCD4' };
  return [
    new Paragraph({ style: 'Caption', keepNext: true, children: [new TextRun(block.caption)] }),
    new Table({
      width: { size: contentWidth, type: WidthType.DXA },
      columnWidths: widths,
      rows: [header, ...rows],
      borders: { top: line, bottom: line, left: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' }, right: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' }, insideHorizontal: line, insideVertical: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' } },
    }),
    new Paragraph({ children: [] }),
  ];
}

function chart(block: Extract<ReportBlock, { kind: 'chart' }>): Paragraph[] {
  const rendered = new Resvg(block.svg, {
    fitTo: { mode: 'width', value: 1280 },
    font: { fontFiles: reportFontFiles, loadSystemFonts: false, defaultFontFamily: 'Source Sans 3' },
    background: 'white',
  }).render();
  const png = rendered.asPng();
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [
        new ImageRun({
          type: 'png',
          data: png,
          // The chart's height varies (bar chart, the note on fields without value): keep its proportions.
          transformation: { width: 480, height: Math.round((480 * rendered.height) / rendered.width) },
          altText: { name: block.caption, title: 'Ergebnisse je Handlungsfeld', description: block.alt },
        }),
      ],
    }),
    new Paragraph({ style: 'Caption', children: [new TextRun(block.caption)] }),
  ];
}

const headingStyles = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4] as const;

function blocks(report: Report): (Paragraph | Table)[] {
  let listInstance = 0;
  const result: (Paragraph | Table)[] = [];
  for (const [index, section] of report.sections.entries()) {
    result.push(
      new Paragraph({
        heading: HeadingLevel.HEADING_1,
        pageBreakBefore: index > 1,
        children: [new TextRun(section.number === null ? section.title : `${section.number}. ${section.title}`)],
      }),
    );
    // The user's sub-headings sit one level below the heading above them: the section's (1) or a block heading.
    let above = 1;
    for (const block of section.blocks) {
      if (block.kind === 'heading') {
        above = block.level;
        result.push(new Paragraph({ heading: block.level === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_3, children: [new TextRun(block.text)] }));
      } else if (block.kind === 'paragraph') result.push(paragraph(runsOf(block.inlines)));
      else if (block.kind === 'quote') result.push(paragraph(runsOf(block.inlines), { style: 'Result' }));
      else if (block.kind === 'list') result.push(...list(block.items, block.style, ++listInstance));
      else if (block.kind === 'table') result.push(...table(block));
      else if (block.kind === 'chart') result.push(...chart(block));
      else if (block.kind === 'legend') {
        result.push(paragraph([new TextRun({ text: block.title, bold: true })], { keepNext: true }));
        for (const item of block.items) result.push(paragraph([new TextRun({ text: item.symbol, font: 'Segoe UI Symbol' }), new TextRun(`\t${item.label}`)], { keepNext: true }));
      } else if (block.kind === 'text') {
        for (const part of block.blocks) {
          if (part.kind === 'heading') result.push(new Paragraph({ heading: headingStyles[Math.min(above, headingStyles.length - 1)], children: [new TextRun(part.text)] }));
          else if (part.kind === 'paragraph') result.push(paragraph(linesOf(part.lines)));
          else if (part.kind === 'quote') result.push(paragraph(linesOf(part.lines), { style: 'Quote' }));
          else result.push(...list(part.items.map((inlines) => ({ inlines, children: [] })), part.kind === 'numbers' ? 'numbers' : 'bullets', ++listInstance));
        }
      }
    }
  }
  return result;
}

export async function renderReportDocx(report: Report): Promise<Buffer> {
  const titlePage = [
    new Paragraph({ spacing: { before: 1200, after: 2400 }, children: [new TextRun({ text: report.titlePage.programme, color: '55606E' })] }),
    new Paragraph({ style: 'Title', children: [new TextRun(report.titlePage.title)] }),
    new Paragraph({ style: 'Subtitle', children: [new TextRun(report.titlePage.kommune)] }),
    new Paragraph({ spacing: { before: 200 }, children: [new TextRun({ text: report.titlePage.subtitle, color: '55606E' })] }),
    new Paragraph({ spacing: { before: 4800 }, children: [new TextRun({ text: `Stand: ${report.titlePage.date}`, color: '55606E' }), new PageBreak()] }),
  ];
  // A real TOC field over the section and sub-section headings: written with its entries (linked to
  // the headings), so it reads in LibreOffice too; Word fills in the page numbers when it updates it.
  const contents = [
    new Paragraph({ spacing: { after: 200 }, children: [new TextRun({ text: 'Inhalt', bold: true, size: 34, color: accent })] }),
    new TableOfContents('Inhalt', { hyperlink: true, headingStyleRange: '1-2' }),
    new Paragraph({ children: [new PageBreak()] }),
  ];
  const document = new Document({
    title: report.title,
    creator: report.titlePage.programme,
    description: `${report.titlePage.title} ${report.titlePage.kommune}, ${report.titlePage.subtitle}`,
    styles: {
      default: {
        document: { run: { font, size: 22, language: { value: 'de-DE' } }, paragraph: { spacing: { after: 120, line: 276, lineRule: LineRuleType.AUTO } } },
        heading1: { run: { font, size: 34, bold: true, color: accent, language: { value: 'de-DE' } }, paragraph: { spacing: { before: 240, after: 200 }, keepNext: true } },
        heading2: { run: { font, size: 26, bold: true, color: accent, language: { value: 'de-DE' } }, paragraph: { spacing: { before: 280, after: 120 }, keepNext: true } },
        heading3: { run: { font, size: 23, bold: true, color: accent, language: { value: 'de-DE' } }, paragraph: { spacing: { before: 220, after: 100 }, keepNext: true } },
        heading4: { run: { font, size: 22, bold: true, italics: true, color: accent, language: { value: 'de-DE' } }, paragraph: { spacing: { before: 200, after: 80 }, keepNext: true } },
        title: { run: { font, size: 60, bold: true, color: accent, language: { value: 'de-DE' } } },
      },
      paragraphStyles: [
        { id: 'Subtitle', name: 'Subtitle', basedOn: 'Normal', run: { size: 40, bold: true } },
        { id: 'Caption', name: 'caption', basedOn: 'Normal', run: { size: 18, color: '55606E' }, paragraph: { spacing: { before: 120, after: 60 } } },
        { id: 'Quote', name: 'Quote', basedOn: 'Normal', run: { italics: true }, paragraph: { indent: { left: 400 }, border: { left: { style: BorderStyle.SINGLE, size: 18, color: accent, space: 8 } } } },
        { id: 'Result', name: 'Ergebnis', basedOn: 'Normal', run: { bold: true, color: accent, size: 24 }, paragraph: { shading: { type: ShadingType.CLEAR, color: 'auto', fill: band }, spacing: { before: 120, after: 160 } } },
      ],
    },
    numbering: {
      config: [
        {
          reference: 'report-numbers',
          levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START, style: { paragraph: { indent: { left: 400, hanging: 300 } } } }],
        },
      ],
    },
    sections: [
      {
        properties: { page: { size: { width: 11_906, height: 16_838 }, margin: { left: 1_361, right: 1_361, top: 1_361, bottom: 1_474 } }, titlePage: true },
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ children: ['Seite ', PageNumber.CURRENT, ' von ', PageNumber.TOTAL_PAGES], size: 17, color: '55606E' })] })],
          }),
          first: new Footer({ children: [] }),
        },
        children: [...titlePage, ...contents, ...blocks(report)],
      },
    ],
  });
  return Packer.toBuffer(document);
}
