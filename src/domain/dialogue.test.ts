import { describe, expect, it } from 'vitest';
import { dialoguesSchema } from './dialogue.ts';

describe('a dialogue event', () => {
  const event = { id: 'dialog-2020-11-16', title: 'Dialogveranstaltung Weltoffene Kommune Dessau-Roßlau', participants: 40 };

  it('can say its count is approximate („ca. 40“)', () => {
    expect(dialoguesSchema.parse({ events: [{ ...event, participantsApproximate: true }] }).events[0]).toMatchObject({ participants: 40, participantsApproximate: true });
  });

  it('stored events without it read as an exact count', () => {
    expect(dialoguesSchema.parse({ events: [event] }).events[0]!.participantsApproximate).toBe(false);
  });

  it('only true or false is accepted', () => {
    const result = dialoguesSchema.safeParse({ events: [{ ...event, participantsApproximate: 'ca.' }] });
    expect(result.error?.issues[0]).toMatchObject({ path: ['events', 0, 'participantsApproximate'], message: 'true oder false' });
  });
});
