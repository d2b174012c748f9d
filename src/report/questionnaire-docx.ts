import { AlignmentType, BorderStyle, Document, Footer, HeadingLevel, Packer, PageBreak, PageNumber, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { PaperQuestionnaire } from '../domain/questionnaire.ts';

/**
 * Renders the paper questionnaire as an editable Word document: real heading styles (Handlungsfeld,
 * Kriterium, Leitfrage), the answer options as ☐ boxes to tick or overwrite, and empty lines for
 * comment and Beleg. German is the language of every run.
 */

const font = 'Arial';
const accent = '1A5C8B';
const muted = '55606E';
// A4 with 2.2 cm margins, in twentieths of a point.
const contentWidth = 11_906 - 2 * 1_247;
const line = { style: BorderStyle.SINGLE, size: 4, color: '9AA4AF' } as const;
const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' } as const;

const text = (value: string, options: { bold?: boolean; italics?: boolean; color?: string; size?: number } = {}) => new TextRun({ text: value, ...options });

/** A line to write on: a paragraph with only a bottom border, after its label. */
const writeLine = (label: string) =>
  new Paragraph({ children: [text(`${label} `, { color: muted })], border: { bottom: line }, spacing: { before: 160, after: 120 } });

/** A framed box of a few empty lines, for a comment. */
function writeBox(label: string, lines: number): (Paragraph | Table)[] {
  return [
    new Paragraph({ children: [text(label, { color: muted, size: 19 })], spacing: { before: 80, after: 40 }, keepNext: true }),
    new Table({
      width: { size: contentWidth, type: WidthType.DXA },
      columnWidths: [contentWidth],
      rows: [
        new TableRow({
          cantSplit: true,
          children: [
            new TableCell({
              width: { size: contentWidth, type: WidthType.DXA },
              borders: { top: line, bottom: line, left: line, right: line },
              children: Array.from({ length: lines }, () => new Paragraph({ children: [] })),
            }),
          ],
        }),
      ],
    }),
  ];
}

/** The answer options as ☐ boxes, three per row, in a table without borders. */
function tickBoxes(options: PaperQuestionnaire['options']): Table {
  const width = Math.floor(contentWidth / 3);
  const rows: PaperQuestionnaire['options'][] = [];
  for (let index = 0; index < options.length; index += 3) rows.push(options.slice(index, index + 3));
  return new Table({
    width: { size: width * 3, type: WidthType.DXA },
    columnWidths: [width, width, width],
    borders: { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none },
    rows: rows.map(
      (row) =>
        new TableRow({
          cantSplit: true,
          children: [0, 1, 2].map(
            (index) =>
              new TableCell({
                width: { size: width, type: WidthType.DXA },
                children: [new Paragraph({ children: row[index] ? [text('☐ ', { size: 24 }), text(row[index].label)] : [], keepNext: true })],
              }),
          ),
        }),
    ),
  });
}

/** The answers and their anchors as a two-column table. */
function optionTable(options: PaperQuestionnaire['options']): Table {
  const first = 2_600;
  const second = contentWidth - first;
  const cell = (value: string, width: number, isHeader = false) =>
    new TableCell({
      width: { size: width, type: WidthType.DXA },
      shading: isHeader ? { fill: accent } : undefined,
      children: [new Paragraph({ children: [text(value, { bold: isHeader || width === first, color: isHeader ? 'FFFFFF' : undefined })] })],
    });
  return new Table({
    width: { size: contentWidth, type: WidthType.DXA },
    columnWidths: [first, second],
    rows: [
      new TableRow({ tableHeader: true, children: [cell('Antwort', first, true), cell('Bedeutung', second, true)] }),
      ...options.map((option) => new TableRow({ cantSplit: true, children: [cell(option.label, first), cell(option.meaning ?? '', second)] })),
    ],
  });
}

/** The questionnaire model as the bytes of a .docx file. */
export async function renderQuestionnaireDocx(questionnaire: PaperQuestionnaire): Promise<Buffer> {
  const cover: (Paragraph | Table)[] = [
    new Paragraph({ children: [text(`${questionnaire.catalogTitle} · Katalog ${questionnaire.catalogVersion}`, { color: muted })] }),
    new Paragraph({ heading: HeadingLevel.TITLE, children: [text('Fragebogen')] }),
    new Paragraph({ children: [text(questionnaire.kommune, { bold: true, size: 32 })] }),
    new Paragraph({ children: [text(`Runde ${questionnaire.roundNumber}${questionnaire.period ? `, ${questionnaire.period}` : ''}`)] }),
    ...(questionnaire.scope ? [new Paragraph({ children: [text(questionnaire.scope)] })] : []),
    writeLine('Ausgefüllt von (Name, Stelle oder Fachbereich):'),
    writeLine('Datum:'),
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [text('So füllen Sie den Fragebogen aus')] }),
    ...[
      'Kreuzen Sie zu jeder Leitfrage genau eine Antwort an (in Word: ☐ durch ☒ ersetzen).',
      '„Ein ‚ja‘ heißt“ sagt, wann eine Frage ganz erfüllt ist. Die typischen Belege helfen bei der Einschätzung.',
      'Im Feld „Kommentar“ können Sie Ihre Antwort begründen; unter „Beleg“ nennen Sie Dokumente, Beschlüsse oder Daten.',
      questionnaire.returnNote,
    ].map((entry) => new Paragraph({ children: [text(entry)], bullet: { level: 0 } })),
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [text('Die Antworten und was sie bedeuten')] }),
    optionTable(questionnaire.options),
    new Paragraph({ children: [text(`${questionnaire.questionCount} Leitfragen · erstellt am ${questionnaire.generatedOn}`, { color: muted, size: 18 })], spacing: { before: 240 } }),
  ];

  const body: (Paragraph | Table)[] = questionnaire.fields.flatMap((field) => [
    new Paragraph({ children: [new PageBreak()] }),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [text(`Handlungsfeld ${field.key}: ${field.name}`)] }),
    new Paragraph({ children: [text(field.description, { color: muted })] }),
    ...field.criteria.flatMap((criterion) => [
      new Paragraph({ heading: HeadingLevel.HEADING_2, children: [text(`Kriterium ${criterion.key}: ${criterion.name}`)], keepNext: true }),
      new Paragraph({ children: [text(criterion.description, { color: muted, size: 19 })], keepNext: true }),
      ...criterion.questions.flatMap((question) => [
        new Paragraph({ heading: HeadingLevel.HEADING_3, children: [text(`${question.key}  ${question.text}`)], keepNext: true }),
        ...(question.yesMeans ? [new Paragraph({ children: [text('Ein ‚ja‘ heißt: ', { italics: true }), text(question.yesMeans)], keepNext: true })] : []),
        ...(question.evidence.length ? [new Paragraph({ children: [text('Typische Belege: ', { italics: true }), text(question.evidence.join(', '))], keepNext: true })] : []),
        tickBoxes(questionnaire.options),
        ...writeBox('Kommentar', 3),
        writeLine('Beleg:'),
      ]),
    ]),
  ]);

  const document = new Document({
    creator: questionnaire.catalogTitle,
    title: questionnaire.title,
    styles: {
      default: {
        document: { run: { font, size: 21, language: { value: 'de-DE' } } },
        title: { run: { font, size: 48, bold: true, color: accent, language: { value: 'de-DE' } } },
        heading1: { run: { font, size: 32, bold: true, color: accent, language: { value: 'de-DE' } }, paragraph: { spacing: { after: 160 } } },
        heading2: { run: { font, size: 25, bold: true, color: accent, language: { value: 'de-DE' } }, paragraph: { spacing: { before: 280, after: 100 } } },
        heading3: { run: { font, size: 21, bold: true, color: '171A1F', language: { value: 'de-DE' } }, paragraph: { spacing: { before: 280, after: 80 } } },
      },
    },
    sections: [
      {
        properties: { page: { margin: { top: 1_247, bottom: 1_247, left: 1_247, right: 1_247 } } },
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [text('Seite '), new TextRun({ children: [PageNumber.CURRENT] }), text(' von '), new TextRun({ children: [PageNumber.TOTAL_PAGES] })] })],
          }),
        },
        children: [...cover, ...body],
      },
    ],
  });
  return Packer.toBuffer(document);
}
