import { describe, expect, it } from 'vitest';
import { automaticReminderDay, checkNewDeadline, daysBetween, deadlineState, germanDateTime, germanDay, isAutomaticReminderDue, wasRemindedRecently } from './deadline.ts';

describe('the deadline of a round', () => {
  it('a new deadline is today or later and at most three years ahead; the current one may stay, none is fine', () => {
    expect(checkNewDeadline('2026-11-29', null, '2026-11-30')).toBe('Die Frist liegt in der Vergangenheit. Bitte wählen Sie heute oder einen späteren Tag.');
    expect(checkNewDeadline('1900-01-01', '2026-12-01', '2026-11-30')).toContain('Vergangenheit');
    expect(checkNewDeadline('9999-12-31', null, '2026-11-30')).toBe('Die Frist liegt mehr als 3 Jahre in der Zukunft. Bitte prüfen Sie das Jahr.');
    expect(checkNewDeadline('2029-12-01', null, '2026-11-30')).toContain('3 Jahre');
    expect(checkNewDeadline('2026-11-30', null, '2026-11-30')).toBeNull();
    expect(checkNewDeadline('2029-11-30', null, '2026-11-30')).toBeNull();
    expect(checkNewDeadline('2026-11-01', '2026-11-01', '2026-11-30')).toBeNull();
    expect(checkNewDeadline(null, '2026-11-01', '2026-11-30')).toBeNull();
  });

  it('is shown with the days left or as over', () => {
    expect(deadlineState('2026-12-05', '2026-11-30')).toEqual({ daysLeft: 5, isOver: false, text: 'noch 5 Tage' });
    expect(deadlineState('2026-12-01', '2026-11-30').text).toBe('noch 1 Tag');
    expect(deadlineState('2026-11-30', '2026-11-30').text).toBe('endet heute');
    expect(deadlineState('2026-11-29', '2026-11-30')).toEqual({ daysLeft: -1, isOver: true, text: 'abgelaufen' });
    // Across the change to summer time the days still count whole.
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
  });

  it('plans the automatic reminder N days before it, due until the deadline', () => {
    expect(automaticReminderDay('2026-03-02', 3)).toBe('2026-02-27');
    expect(automaticReminderDay('2026-03-02', null)).toBeNull();
    expect(automaticReminderDay(null, 3)).toBeNull();
    expect(isAutomaticReminderDue('2026-05-31', 3, '2026-05-27')).toBe(false);
    expect(isAutomaticReminderDue('2026-05-31', 3, '2026-05-28')).toBe(true);
    expect(isAutomaticReminderDue('2026-05-31', 3, '2026-06-01')).toBe(false);
  });

  it('counts a person as just reminded for 24 hours', () => {
    const now = new Date('2026-11-30T10:00:00Z');
    expect(wasRemindedRecently(null, now)).toBe(false);
    expect(wasRemindedRecently(new Date('2026-11-29T10:01:00Z'), now)).toBe(true);
    expect(wasRemindedRecently(new Date('2026-11-29T10:00:00Z'), now)).toBe(false);
  });

  it('gives days and moments as in Germany', () => {
    expect(germanDay(new Date('2026-11-30T23:30:00Z'))).toBe('2026-12-01');
    expect(germanDateTime(new Date('2026-11-30T08:05:00Z'))).toBe('30.11.2026, 9:05 Uhr');
    expect(germanDateTime(new Date('2026-07-01T12:30:00Z'))).toBe('01.07.2026, 14:30 Uhr');
  });
});
