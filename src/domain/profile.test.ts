import { describe, expect, it } from 'vitest';
import { profileSchema } from './profile.ts';

describe('a fact of the Ausgangslage', () => {
  it('can carry a qualifying sentence, as the reference report’s „jedoch 10,5 %“', () => {
    const fact = {
      label: 'Kinder mit Migrationshintergrund in Kindertageseinrichtungen',
      value: 6.9,
      unit: '%',
      source: 'wegweiser-kommune.de',
      referenceDate: '06/2019',
      note: 'jedoch 10,5 % in der Altersgruppe der unter Sechsjährigen',
    };
    expect(profileSchema.parse({ facts: [fact] }).facts).toEqual([fact]);
  });

  it('stored facts without it read with an empty note', () => {
    expect(profileSchema.parse({ facts: [{ label: 'Arbeitslosenquote', value: 7.1 }] }).facts[0]!.note).toBe('');
  });

  it.each([
    ['longer than 500 characters', 'x'.repeat(501)],
    ['with a line break', 'jedoch\n10,5 %'],
  ])('a note %s is refused at its path', (_name, note) => {
    const result = profileSchema.safeParse({ facts: [{ label: 'Anteil', value: 1, note }] });
    expect(result.error?.issues[0]?.path).toEqual(['facts', 0, 'note']);
  });
});
