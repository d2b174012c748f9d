import { describe, expect, it } from 'vitest';
import { csvCell, csvText } from './table-download.ts';

describe('table downloads', () => {
  it('never lets a spreadsheet read a cell as a formula and quotes separators', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM')).toBe("'@SUM");
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('Zeile\nzwei')).toBe('"Zeile\nzwei"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(12)).toBe('12');
  });

  it('writes a byte-order mark, semicolons and CRLF', () => {
    expect(csvText(['Ä', 'B'], [['ö', 3]])).toBe('\ufeffÄ;B\r\nö;3\r\n');
  });
});
