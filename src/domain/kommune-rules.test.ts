import { describe, expect, it } from 'vitest';
import {
  checkDialoguesModule,
  checkMemberFieldKeys,
  checkModulesKeepContent,
  checkOffersModule,
  checkRatingReason,
  checkRoundCatalogVersion,
  checkRoundPeriod,
  checkRoundTimes,
  checkWorkshopRounds,
  compareCatalogVersions,
  ratingNeedsReason,
  ratingToStore,
} from './kommune-rules.ts';

describe('a consolidated rating and its reason', () => {
  it.each([
    // rating, derived rating, needs a reason
    ['ja', 'eher_ja', true],
    ['eher_ja', 'eher_ja', false],
    [null, 'eher_ja', false],
    // Nobody answered („offen“): any rating is a decision of its own.
    ['ja', null, true],
    ['keine_einschaetzung', null, true],
    // The answers give no value („–“): choosing „keine Einschätzung möglich“ only confirms it.
    ['keine_einschaetzung', 'keine_einschaetzung', false],
    ['eher_nein', 'keine_einschaetzung', true],
    ['trifft_nicht_zu', 'trifft_nicht_zu', false],
    ['keine_einschaetzung', 'trifft_nicht_zu', true],
  ] as const)('%s where the derived rating is %s: reason needed %s', (rating, derived, needed) => {
    expect(ratingNeedsReason(rating, derived)).toBe(needed);
    expect(checkRatingReason(rating, derived, '') !== null).toBe(needed);
    expect(checkRatingReason(rating, derived, 'Stelle 2026 entfristet')).toBeNull();
  });

  it('a reason of fewer than three characters (spaces aside) is none', () => {
    expect(checkRatingReason('ja', 'nein', '  ab  ')).toMatchObject({ field: 'reason' });
    expect(checkRatingReason('ja', 'nein', ' abc ')).toBeNull();
  });

  it('says what is missing: a reason for the difference, or for a rating without answers', () => {
    expect(checkRatingReason('ja', 'nein', '')!.message).toBe('Bitte begründen Sie, warum die Einschätzung von der errechneten abweicht.');
    expect(checkRatingReason('ja', null, '')!.message).toBe('Zu diesem Kriterium liegt noch keine Antwort vor. Bitte begründen Sie die Einschätzung.');
  });

  it('a confirmation without a reason is stored as none, so it follows later answers; everything else as chosen', () => {
    expect(ratingToStore('eher_ja', 'eher_ja', '')).toBeNull();
    expect(ratingToStore('keine_einschaetzung', 'keine_einschaetzung', ' ')).toBeNull();
    expect(ratingToStore('eher_ja', 'eher_ja', 'im Team bestätigt')).toBe('eher_ja');
    expect(ratingToStore('ja', 'eher_ja', 'Stelle 2026 entfristet')).toBe('ja');
    expect(ratingToStore(null, 'eher_ja', '')).toBeNull();
  });
});

describe('a round', () => {
  const start = new Date('2026-03-01T10:00:00Z');
  it.each([
    ['open without close time', 'open', null, null],
    ['closed after its start', 'closed', new Date('2026-04-01T10:00:00Z'), null],
    ['closed the moment it started', 'closed', start, null],
    ['closed without close time', 'closed', null, 'closedAt'],
    ['open with a close time', 'open', new Date('2026-04-01T10:00:00Z'), 'closedAt'],
    ['closed before it started', 'closed', new Date('2026-02-28T10:00:00Z'), 'closedAt'],
  ] as const)('%s', (_name, status, closedAt, field) => {
    const problem = checkRoundTimes({ status, createdAt: start, closedAt });
    expect(problem?.field ?? null).toBe(field);
  });

  it('has its period in order', () => {
    expect(checkRoundPeriod({ periodStart: '2026-03-01', periodEnd: '2026-02-28' })).toMatchObject({ field: 'periodEnd' });
    expect(checkRoundPeriod({ periodStart: '2026-03-01', periodEnd: '2026-03-01' })).toBeNull();
    expect(checkRoundPeriod({ periodStart: null, periodEnd: '2026-03-01' })).toBeNull();
  });

  it('never uses an older catalog version than the round before it', () => {
    expect(compareCatalogVersions('1.10', '1.9')).toBeGreaterThan(0);
    expect(compareCatalogVersions('1.0', '1.0')).toBe(0);
    expect(checkRoundCatalogVersion('1.0', undefined)).toBeNull();
    expect(checkRoundCatalogVersion('1.1', { number: 1, version: '1.1' })).toBeNull();
    expect(checkRoundCatalogVersion('1.0', { number: 2, version: '1.1' })).toEqual({
      field: 'catalogVersionId',
      message: 'Die Runde 2 lief auf Version 1.1; eine neue Runde braucht dieselbe oder eine neuere Version.',
    });
  });
});

describe('Handlungsfelder of a person', () => {
  it.each([
    ['mitwirkende', ['1', '4'], null],
    ['mitwirkende', null, null],
    ['koordination', null, null],
    [null, null, null],
    ['koordination', ['1'], 'nur Mitwirkenden'],
    [null, ['1'], 'nur Mitwirkenden'],
    ['mitwirkende', [], 'nicht eine leere Liste'],
    ['mitwirkende', ['1', '1'], 'zweimal'],
  ] as const)('%s with %o', (role, fieldKeys, message) => {
    const problem = checkMemberFieldKeys(role, fieldKeys);
    if (message === null) expect(problem).toBeNull();
    else expect(problem?.message).toContain(message);
  });
});

describe('documents and the rest of the Kommune', () => {
  it('a workshop names a round of the Kommune, or none', () => {
    expect(checkWorkshopRounds([{ roundNumber: null }, { roundNumber: 2 }], [1, 2])).toBeNull();
    expect(checkWorkshopRounds([{ roundNumber: 1 }, { roundNumber: 3 }], [2, 1])).toEqual({
      field: 'content.workshops.1.roundNumber',
      message: 'Die Selbstcheck-Runde 3 gibt es in dieser Kommune nicht; es gibt die Runden 1 und 2.',
    });
    expect(checkWorkshopRounds([{ roundNumber: 1 }], [])!.message).toBe('Die Selbstcheck-Runde 1 gibt es in dieser Kommune nicht; sie hat noch keine Runde.');
  });

  it('dialogue events only with Modul 2', () => {
    expect(checkDialoguesModule([], [1])).toBeNull();
    expect(checkDialoguesModule([{ title: 'Dialog' }], [1, 2])).toBeNull();
    expect(checkDialoguesModule([{ title: 'Dialog' }], [1, 3])).toMatchObject({ field: 'content.events', message: expect.stringContaining('Modul 2') });
  });

  it('sign-ups to offers only with Modul 3; „offen“ says nothing and is allowed', () => {
    expect(checkOffersModule([{ status: 'offen' }, { status: 'offen' }], [1])).toBeNull();
    expect(checkOffersModule([{ status: 'offen' }, { status: 'angemeldet' }], [1, 3])).toBeNull();
    expect(checkOffersModule([{ status: 'offen' }, { status: 'teilgenommen' }], [1, 2])).toMatchObject({ field: 'content.statuses.1.status', message: expect.stringContaining('Modul 3') });
  });

  it('a module is kept while the Kommune has events or sign-ups of it; the refusal names them', () => {
    const content = { dialogueTitles: ['Auftakt im Rathaus', 'Engagement-Forum'], signedUpOfferTitles: ['Impuls-Breakfast-Talk'] };
    expect(checkModulesKeepContent([1, 2, 3], content)).toBeNull();
    expect(checkModulesKeepContent([1], { dialogueTitles: [], signedUpOfferTitles: [] })).toBeNull();
    expect(checkModulesKeepContent([1, 3], content)).toEqual({
      field: 'modules',
      message: 'Zur Kommune sind 2 Dialogveranstaltungen aus Modul 2 eingetragen: „Auftakt im Rathaus“ und „Engagement-Forum“. Bitte entfernen Sie diese zuerst, wenn die Kommune Modul 2 nicht mehr nutzt.',
    });
    expect(checkModulesKeepContent([1, 3], { ...content, dialogueTitles: ['Auftakt im Rathaus'] })!.message).toBe(
      'Zur Kommune ist die Dialogveranstaltung „Auftakt im Rathaus“ aus Modul 2 eingetragen. Bitte entfernen Sie sie zuerst, wenn die Kommune Modul 2 nicht mehr nutzt.',
    );
    expect(checkModulesKeepContent([1, 2], content)!.message).toBe(
      'Die Kommune ist für das Angebot „Impuls-Breakfast-Talk“ aus Modul 3 angemeldet oder hat daran teilgenommen. Bitte setzen Sie den Stand zuerst auf „offen“, wenn die Kommune Modul 3 nicht mehr nutzt.',
    );
  });
});
