import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkup, plainText } from './markdown.ts';

describe('text markup', () => {
  it('paragraphs are separated by blank lines; single line breaks stay inside a paragraph', () => {
    expect(parseMarkup('Erster Absatz\nzweite Zeile\n\nZweiter Absatz')).toEqual([
      { kind: 'paragraph', lines: [[{ kind: 'text', text: 'Erster Absatz' }], [{ kind: 'text', text: 'zweite Zeile' }]] },
      { kind: 'paragraph', lines: [[{ kind: 'text', text: 'Zweiter Absatz' }]] },
    ]);
  });

  it('bullet lists with -, • or *, numbered lists with 1. or 1)', () => {
    const blocks = parseMarkup('- eins\n• zwei\n* drei\n\n1. erstens\n2) zweitens');
    expect(blocks.map((block) => block.kind)).toEqual(['bullets', 'numbers']);
    expect(blocks[0]).toMatchObject({ items: [[{ text: 'eins' }], [{ text: 'zwei' }], [{ text: 'drei' }]] });
    expect(blocks[1]).toMatchObject({ items: [[{ text: 'erstens' }], [{ text: 'zweitens' }]] });
  });

  it('quotes keep their lines, e.g. what workshop participants said', () => {
    expect(parseMarkup('> „Wir müssen mehr miteinander reden.“\n> Teilnehmerin')).toEqual([
      { kind: 'quote', lines: [[{ kind: 'text', text: '„Wir müssen mehr miteinander reden.“' }], [{ kind: 'text', text: 'Teilnehmerin' }]] },
    ]);
  });

  it('a list directly after a paragraph starts a new block', () => {
    expect(parseMarkup('Folgende Punkte:\n- a\n- b').map((block) => block.kind)).toEqual(['paragraph', 'bullets']);
  });

  it('emphasis and strong; unmatched markers stay text', () => {
    expect(parseInline('ein *kleiner* und **großer** Schritt, 3 * 4')).toEqual([
      { kind: 'text', text: 'ein ' },
      { kind: 'emphasis', text: 'kleiner' },
      { kind: 'text', text: ' und ' },
      { kind: 'strong', text: 'großer' },
      { kind: 'text', text: ' Schritt, 3 * 4' },
    ]);
  });

  it('HTML stays text: nothing in the tree is markup', () => {
    const blocks = parseMarkup('<script>alert(1)</script>\n<img src=x onerror=alert(1)>');
    expect(blocks).toEqual([
      {
        kind: 'paragraph',
        lines: [[{ kind: 'text', text: '<script>alert(1)</script>' }], [{ kind: 'text', text: '<img src=x onerror=alert(1)>' }]],
      },
    ]);
  });

  it('Windows line endings, trailing spaces and empty text', () => {
    expect(parseMarkup('a  \r\n\r\nb')).toHaveLength(2);
    expect(parseMarkup('')).toEqual([]);
    expect(parseMarkup('\n\n  \n')).toEqual([]);
  });

  it('plain text drops the markers', () => {
    expect(plainText(parseInline('**Wichtig:** *bald*'))).toBe('Wichtig: bald');
  });
});
