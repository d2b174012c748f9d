import type { Context } from 'hono';

export type TableCell = string | number | null;

/** A table the programme or a Kommune downloads: CSV for any program, XLSX for Excel. */
export interface DownloadTable {
  /** File name with its ending, e.g. `weltoffen-einschaetzungen-2026-11-30.csv`. */
  fileName: string;
  /** Name of the worksheet in the XLSX file. */
  sheetName: string;
  header: readonly string[];
  lines: readonly (readonly TableCell[])[];
  /** Column widths in the XLSX file (characters); columns beyond get 14. */
  widths: readonly number[];
}

/** A CSV cell: quoted where needed, and never read as a formula by a spreadsheet. */
export function csvCell(value: TableCell): string {
  if (value === null) return '';
  const text = String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[";\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The whole CSV text: semicolons and a byte-order mark, so German Excel and LibreOffice keep Umlaute. */
export function csvText(header: readonly string[], lines: readonly (readonly TableCell[])[]): string {
  return `\ufeff${[header, ...lines].map((line) => line.map(csvCell).join(';')).join('\r\n')}\r\n`;
}

/** Answers the table as a download in the requested format. */
export async function sendTable(context: Context, format: 'csv' | 'xlsx', table: DownloadTable): Promise<Response> {
  context.header('Content-Disposition', `attachment; filename="${table.fileName}"`);
  if (format === 'csv') {
    context.header('Content-Type', 'text/csv; charset=utf-8');
    return context.body(csvText(table.header, table.lines));
  }
  // exceljs is heavy: loaded by the export routes only, never at start-up.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Weltoffen';
  const sheet = workbook.addWorksheet(table.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow([...table.header]).font = { bold: true };
  for (const line of table.lines) sheet.addRow([...line]);
  sheet.columns.forEach((column, index) => (column.width = table.widths[index] ?? 14));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.header.length } };
  const buffer = await workbook.xlsx.writeBuffer();
  context.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  return context.body(new Uint8Array(buffer as ArrayBuffer));
}
