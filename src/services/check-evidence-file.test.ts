import { describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { checkEvidenceFile } from './check-evidence-file.ts';
import { docx, docxWithPicture, htmlNamedPdf, jpeg, openDocument, pdf, plainZip, png, readerOf, svgWithScript, xlsx, zipBombDocx } from '../../tests/support/evidence-files.ts';

function check(name: string, bytes: Uint8Array, claimedType?: string) {
  return checkEvidenceFile({ name, size: bytes.length, claimedType, read: readerOf(bytes) });
}

describe('checkEvidenceFile: the type comes from the content', () => {
  it('takes each allowed type as its program writes it, with the stored name and type', async () => {
    const cases: [string, Uint8Array, string, string][] = [
      ['Ratsbeschluss 2025.pdf', pdf(), 'application/pdf', 'Ratsbeschluss 2025.pdf'],
      ['Logo.PNG', png(), 'image/png', 'Logo.png'],
      ['Foto.jpeg', jpeg(), 'image/jpeg', 'Foto.jpg'],
      ['Integrationskonzept.docx', await docx(), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'Integrationskonzept.docx'],
      ['Monitoring.xlsx', await xlsx(), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Monitoring.xlsx'],
      ['Bericht.odt', openDocument('odt'), 'application/vnd.oasis.opendocument.text', 'Bericht.odt'],
      ['Zahlen.ods', openDocument('ods'), 'application/vnd.oasis.opendocument.spreadsheet', 'Zahlen.ods'],
    ];
    for (const [name, bytes, mediaType, fileName] of cases) {
      expect(await check(name, bytes), name).toMatchObject({ ok: true, mediaType, fileName });
    }
  });

  it('gives a file without extension the one of its content', async () => {
    expect(await check('Beschluss vom 12.03.2025', pdf())).toMatchObject({ ok: true, fileName: 'Beschluss vom 12.03.2025.pdf' });
  });

  it('refuses HTML named .pdf and an SVG with script, naming the file and what is allowed', async () => {
    const html = await check('Ratsbeschluss.pdf', htmlNamedPdf(), 'application/pdf');
    expect(html).toEqual({ ok: false, status: 415, message: expect.stringContaining('„Ratsbeschluss.pdf“ hat kein erlaubtes Format. Erlaubt sind PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT, ODS) oder Bild (PNG, JPEG)') });
    const svg = await check('Logo.svg', svgWithScript(), 'image/svg+xml');
    expect(svg).toMatchObject({ ok: false, status: 415 });
  });

  it('refuses a zip bomb named .docx without unpacking it', async () => {
    const bomb = zipBombDocx();
    expect(bomb.length).toBeLessThan(200_000);
    const result = await check('Konzept.docx', bomb);
    expect(result).toEqual({ ok: false, status: 422, message: expect.stringContaining('mehr als 100-mal so groß') });
  });

  it('refuses a ZIP that is no office document, and an office document with macros', async () => {
    expect(await check('Unterlagen.docx', plainZip())).toMatchObject({ ok: false, status: 415, message: expect.stringContaining('ZIP-Archiv, aber kein Word-') });
    const macro = zipSync({
      '[Content_Types].xml': strToU8('<Types/>'),
      'word/document.xml': strToU8('<w:document/>'),
      'word/vbaProject.bin': strToU8('Attribute VB_Name'),
    });
    expect(await check('Konzept.docx', macro)).toMatchObject({ ok: false, status: 422, message: expect.stringContaining('enthält Makros') });
  });

  it('refuses a ZIP whose directory is cut off', async () => {
    const whole = await docx();
    const cut = whole.subarray(0, whole.length - 40);
    expect(await check('Konzept.docx', cut)).toMatchObject({ ok: false, status: 422, message: expect.stringContaining('kein lesbares Word-, Excel- oder OpenDocument-Dokument') });
  });

  it('refuses a name or claimed type that contradicts the content', async () => {
    expect(await check('Konzept.docx', pdf())).toMatchObject({ ok: false, status: 422, message: expect.stringContaining('endet auf „.docx“, ist dem Inhalt nach aber ein PDF') });
    expect(await check('Konzept.exe', pdf())).toMatchObject({ ok: false, status: 415, message: expect.stringContaining('Endung „.exe“') });
    expect(await check('Konzept.pdf', pdf(), 'text/html')).toMatchObject({ ok: false, status: 422, message: expect.stringContaining('Ihr Browser meldet aber ein anderes Format') });
    expect(await check('Konzept.pdf', pdf(), 'application/octet-stream')).toMatchObject({ ok: true });
  });

  it('refuses an empty file', async () => {
    expect(await check('leer.pdf', new Uint8Array())).toEqual({ ok: false, status: 422, message: 'Die Datei „leer.pdf“ ist leer. Bitte wählen Sie eine andere Datei.' });
  });

  it('reads only the ranges it needs: the signature and the directory, never the packed data', async () => {
    const bytes = docxWithPicture(4);
    let read = 0;
    const result = await checkEvidenceFile({
      name: 'Konzept.docx',
      size: bytes.length,
      read: async (offset, length) => {
        read += length;
        return bytes.subarray(offset, offset + length);
      },
    });
    expect(result.ok).toBe(true);
    // yauzl looks for the directory's end in the last 64 KB; the 4 MB picture is never read.
    expect(read).toBeLessThan(100 * 1024);
  });
});
