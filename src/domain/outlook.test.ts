import { describe, expect, it } from 'vitest';
import { checkOutlook, measureFromActionNeed, outlookSchema } from './outlook.ts';

describe('Ausblick and measures', () => {
  it('a Handlungsbedarf becomes a planned measure in its Handlungsfeld, linked to where it came from', () => {
    const measure = measureFromActionNeed({ workshopId: 'workshop-2026-07-01', fieldKey: '4', actionNeed: 'Diversitätstrainings für alle Dezernent:innen' });
    expect(measure).toMatchObject({
      title: 'Diversitätstrainings für alle Dezernent:innen',
      fieldKey: '4',
      status: 'geplant',
      source: { workshopId: 'workshop-2026-07-01', fieldKey: '4', actionNeed: 'Diversitätstrainings für alle Dezernent:innen' },
    });
  });

  it.each([
    ['end before start', { start: '2027-01-01', end: '2026-12-31' }, 'content.goals.0.measures.0.end'],
    ['unknown Handlungsfeld', { fieldKey: '9' }, 'content.goals.0.measures.0.fieldKey'],
  ])('%s is refused', (_name, change, field) => {
    const outlook = outlookSchema.parse({ goals: [{ title: 'Ziel', measures: [{ title: 'Maßnahme', ...change }] }] });
    expect(checkOutlook(outlook, ['1', '2', '3', '4', '5', '6', '7'])?.field).toBe(field);
  });

  it('a valid plan passes', () => {
    const outlook = outlookSchema.parse({ goals: [{ title: 'Ziel', measures: [{ title: 'Maßnahme', start: '2027-01-01', end: '2027-06-30', fieldKey: '5' }] }] });
    expect(checkOutlook(outlook, ['5'])).toBeNull();
  });
});
