import { describe, expect, it } from 'vitest';
import { evidenceTypes, judgeZip, sanitiseFileName, typicalBelegeOf, zipLimits, type ZipEntryFacts } from './evidence-file.ts';

const entry = (fileName: string, overrides: Partial<ZipEntryFacts> = {}): ZipEntryFacts => ({
  fileName,
  compressedSize: 100,
  uncompressedSize: 300,
  localHeaderOffset: 0,
  fileNameLength: fileName.length,
  encrypted: false,
  ...overrides,
});

/** Entries laid out one after another, as a writer puts them. */
function laidOut(entries: ZipEntryFacts[]): ZipEntryFacts[] {
  let offset = 0;
  return entries.map((item) => {
    const placed = { ...item, localHeaderOffset: offset };
    offset += 30 + item.fileNameLength + item.compressedSize;
    return placed;
  });
}

const docxEntries = () => laidOut([entry('[Content_Types].xml'), entry('word/document.xml')]);

describe('sanitiseFileName', () => {
  it('keeps the last path part, removes what is unsafe and sets the extension of the content', () => {
    expect(sanitiseFileName('C:\\Users\\amt\\Ratsbeschluss.PDF', evidenceTypes.pdf)).toBe('Ratsbeschluss.pdf');
    expect(sanitiseFileName('../../etc/passwd', evidenceTypes.pdf)).toBe('passwd.pdf');
    expect(sanitiseFileName('Rechnung\u202Efdp.exe', evidenceTypes.pdf)).toBe('Rechnung_fdp.exe.pdf');
    expect(sanitiseFileName('a<b>:"c|?*.pdf', evidenceTypes.pdf)).toBe('a_b___c___.pdf');
    expect(sanitiseFileName('...', evidenceTypes.png)).toBe('Beleg.png');
    expect(sanitiseFileName('Foto.jpeg', evidenceTypes.jpeg)).toBe('Foto.jpg');
    expect(sanitiseFileName('Beschluss vom 12.03.2025', evidenceTypes.pdf)).toBe('Beschluss vom 12.03.2025.pdf');
  });

  it('composes umlauts (NFC) and shortens to 120 characters before the extension', () => {
    expect(sanitiseFileName('Einbu\u0308rgerung.pdf', evidenceTypes.pdf)).toBe('Einbürgerung.pdf');
    expect(sanitiseFileName(`${'ä'.repeat(300)}.pdf`, evidenceTypes.pdf)).toBe(`${'ä'.repeat(120)}.pdf`);
  });
});

describe('judgeZip', () => {
  it('tells DOCX, XLSX, ODT and ODS apart by their required entries', () => {
    expect(judgeZip('a.docx', 2, docxEntries())).toEqual({ ok: true, kind: 'docx' });
    expect(judgeZip('a.xlsx', 2, laidOut([entry('[Content_Types].xml'), entry('xl/workbook.xml')]))).toEqual({ ok: true, kind: 'xlsx' });
    const odf = laidOut([entry('mimetype'), entry('content.xml')]);
    expect(judgeZip('a.odt', 2, odf, evidenceTypes.odt.mediaType)).toEqual({ ok: true, kind: 'odt' });
    expect(judgeZip('a.ods', 2, odf, evidenceTypes.ods.mediaType)).toEqual({ ok: true, kind: 'ods' });
    expect(judgeZip('a.odt', 2, odf, 'application/epub+zip')).toMatchObject({ ok: false, status: 415 });
  });

  it('refuses too many entries, too much unpacked, a bomb-shaped entry, and overlapping entries', () => {
    expect(judgeZip('a.docx', zipLimits.entries + 1, [])).toMatchObject({ ok: false, message: expect.stringContaining('10.001 Teile') });
    const big = laidOut([entry('[Content_Types].xml'), ...Array.from({ length: 3 }, (_, index) => entry(`word/media/${index}.png`, { compressedSize: 70_000_000, uncompressedSize: 70_000_000 }))]);
    expect(judgeZip('a.docx', big.length, big)).toMatchObject({ ok: false, message: expect.stringContaining('mehr als 200 MB') });
    const bomb = laidOut([entry('[Content_Types].xml'), entry('word/document.xml', { compressedSize: 20_000, uncompressedSize: 2_000_001 + zipLimits.ratioFromBytes })]);
    expect(judgeZip('a.docx', 2, bomb)).toMatchObject({ ok: false, message: expect.stringContaining('100-mal so groß') });
    // A small entry may pack very well without being refused.
    const small = laidOut([entry('[Content_Types].xml', { compressedSize: 10, uncompressedSize: 50_000 }), entry('word/document.xml')]);
    expect(judgeZip('a.docx', 2, small)).toEqual({ ok: true, kind: 'docx' });
    const overlapping = docxEntries().map((item) => ({ ...item, localHeaderOffset: 0 }));
    expect(judgeZip('a.docx', 2, overlapping)).toMatchObject({ ok: false, message: expect.stringContaining('überlappen') });
  });

  it('refuses paths out of the archive, encrypted entries, macros and doubled names', () => {
    expect(judgeZip('a.docx', 3, laidOut([...docxEntries(), entry('../../evil')]))).toMatchObject({ ok: false, message: expect.stringContaining('zeigt aus dem Archiv hinaus') });
    expect(judgeZip('a.docx', 2, laidOut([entry('[Content_Types].xml'), entry('word/document.xml', { encrypted: true })]))).toMatchObject({ ok: false, message: expect.stringContaining('mit einem Kennwort geschützt') });
    expect(judgeZip('a.xlsx', 3, laidOut([entry('[Content_Types].xml'), entry('xl/workbook.xml'), entry('xl/vbaProject.bin')]))).toMatchObject({ ok: false, message: expect.stringContaining('Makros') });
    expect(judgeZip('a.docx', 3, laidOut([...docxEntries(), entry('word/document.xml')]))).toMatchObject({ ok: false, message: expect.stringContaining('zweimal') });
  });
});

describe('typicalBelegeOf', () => {
  it('lists each typical Beleg of the catalog once, in German order, without placeholders', () => {
    const catalog = {
      fields: [
        { criteria: [{ questions: [{ evidence: ['Organigramm', 'Ratsbeschluss'] }, {}] }] },
        { criteria: [{ questions: [{ evidence: ['Organigramm', 'Änderungsbeschluss', 'Bericht der {verwaltung}'] }] }] },
      ],
    };
    expect(typicalBelegeOf(catalog)).toEqual(['Änderungsbeschluss', 'Organigramm', 'Ratsbeschluss']);
  });
});
