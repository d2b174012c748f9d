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

  it('a line starting with „## “ is a sub-heading of its own, even without blank lines around it', () => {
    expect(parseMarkup('Einleitung\n## Engagement und Beteiligung\nDas Vorhaben …\n- erster Punkt')).toEqual([
      { kind: 'paragraph', lines: [[{ kind: 'text', text: 'Einleitung' }]] },
      { kind: 'heading', text: 'Engagement und Beteiligung' },
      { kind: 'paragraph', lines: [[{ kind: 'text', text: 'Das Vorhaben …' }]] },
      { kind: 'bullets', items: [[{ kind: 'text', text: 'erster Punkt' }]] },
    ]);
  });

  it('one to six „#“ give the same sub-heading; a closing „##“ and emphasis markers are dropped', () => {
    for (const line of ['# Ausblick', '## Ausblick', '###### Ausblick', '## **Ausblick** ##', '  ##   *Ausblick*  ']) {
      expect(parseMarkup(line), line).toEqual([{ kind: 'heading', text: 'Ausblick' }]);
    }
  });

  it('a heading is text only: HTML in it stays text', () => {
    expect(parseMarkup('## <img src=x onerror=alert(1)>')).toEqual([{ kind: 'heading', text: '<img src=x onerror=alert(1)>' }]);
  });

  it('„#“ without a space, or with nothing after it, is no heading', () => {
    expect(parseMarkup('#Hashtag').map((block) => block.kind)).toEqual(['paragraph']);
    expect(parseMarkup('##').map((block) => block.kind)).toEqual(['paragraph']);
    expect(parseMarkup('## ##')).toEqual([{ kind: 'paragraph', lines: [[{ kind: 'text', text: '## ##' }]] }]);
    expect(parseMarkup('Platz #1 in C#').map((block) => block.kind)).toEqual(['paragraph']);
  });
});
