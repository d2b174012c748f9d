import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shortLabel } from './short-label.ts';

describe('shortLabel', () => {
  it('keeps a text that fits, trimmed', () => {
    expect(shortLabel('  Sprachkurse für Eltern ')).toBe('Sprachkurse für Eltern');
  });

  it('cuts a long text after a whole word, never inside one', () => {
    const text = 'Zu wenige Plätze in Sprachkursen für Kitas und Schulen';
    const label = shortLabel(text);
    expect(label).toBe('Zu wenige Plätze in Sprachkursen für …');
    expect(label).not.toContain('Schul');
  });

  it('drops a comma or dash left at the cut', () => {
    expect(shortLabel('Beratung, Begleitung, Vermittlung, Unterstützung', 32)).toBe('Beratung, Begleitung …');
  });

  it('marks a single overlong word as cut', () => {
    expect(shortLabel('Donaudampfschifffahrtsgesellschaftskapitänsmütze', 20)).toBe('Donaudampfschifffahr …');
  });

  it('every shortened label is a prefix of the text made of whole words', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-zäöüß]{1,12}$/), { minLength: 1, maxLength: 15 }), (words) => {
        const text = words.join(' ');
        const label = shortLabel(text);
        if (text.length <= 40) {
          expect(label).toBe(text);
          return;
        }
        expect(label.endsWith(' …')).toBe(true);
        const kept = label.slice(0, -2);
        expect(text.startsWith(kept)).toBe(true);
        if (words[0]!.length < 40) expect(text[kept.length]).toBe(' ');
        expect(kept.length).toBeLessThanOrEqual(40);
      }),
    );
  });
});
