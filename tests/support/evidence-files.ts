/**
 * Small real files for the Belege tests: each allowed type as its program would write it, and the hostile
 * ones the issue names (HTML named .pdf, an SVG with script, a zip bomb named .docx).
 */
import { strToU8, zipSync } from 'fflate';
import { Document, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';

export function pdf(text = 'Ratsbeschluss'): Uint8Array {
  const body = `%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj
4 0 obj << /Length ${44 + text.length} >> stream
BT /F1 24 Tf 72 760 Td (${text}) Tj ET
endstream endobj
5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
trailer << /Root 1 0 R >>
%%EOF
`;
  return strToU8(body);
}

export const png = (): Uint8Array => Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
export const jpeg = (): Uint8Array =>
  Buffer.from('/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=', 'base64');

/** A DOCX as the docx library (the app's own report writer) makes it. */
export async function docx(text = 'Integrationskonzept'): Promise<Uint8Array> {
  return new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph(text)] }] })));
}

/** An XLSX as exceljs (the app's own table writer) makes it. */
export async function xlsx(): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('Monitoring').addRow(['Jahr', 'Einbürgerungen']);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

/** An OpenDocument file: `mimetype` first and stored, then the content, as LibreOffice writes it. */
export function openDocument(kind: 'odt' | 'ods'): Uint8Array {
  const mediaType = kind === 'odt' ? 'application/vnd.oasis.opendocument.text' : 'application/vnd.oasis.opendocument.spreadsheet';
  return zipSync({
    mimetype: [strToU8(mediaType), { level: 0 }],
    'content.xml': strToU8('<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>'),
    'META-INF/manifest.xml': strToU8('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'),
  });
}

export const htmlNamedPdf = (): Uint8Array => strToU8('<!doctype html><html><body><script>fetch("/api/session",{method:"DELETE"})</script>%PDF-1.4</body></html>');
export const svgWithScript = (): Uint8Array => strToU8('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>');

/** A DOCX-shaped archive whose one entry unpacks from about 10 KB to 10 MB. */
export function zipBombDocx(): Uint8Array {
  return zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    'word/document.xml': new Uint8Array(10 * 1024 * 1024),
  });
}

/** A DOCX with a picture of `megabytes` MB that does not pack: most of the file is one entry's data. */
export function docxWithPicture(megabytes: number): Uint8Array {
  const picture = new Uint8Array(megabytes * 1024 * 1024);
  for (let offset = 0; offset < picture.length; offset += 65_536) crypto.getRandomValues(picture.subarray(offset, offset + 65_536));
  return zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    'word/document.xml': strToU8('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'),
    'word/media/image1.png': [picture, { level: 0 }],
  });
}

/** A plain archive: a ZIP that is no office document. */
export const plainZip = (): Uint8Array => zipSync({ 'liesmich.txt': strToU8('Hallo') });

/** The reader the check takes, over bytes in memory. */
export function readerOf(bytes: Uint8Array): (offset: number, length: number) => Promise<Uint8Array> {
  return async (offset, length) => bytes.subarray(offset, offset + length);
}
