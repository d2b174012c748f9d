import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import { appendedText, basisKey, isPending, pendingCounts, readBasis, readDraft, retriesWhenOnline, saveFailure, type SaveState } from './autosave-rules.ts';

/** A Storage stand-in holding what the browser would have kept. */
function storage(entries: Record<string, string>): Pick<Storage, 'getItem'> {
  return { getItem: (key) => entries[key] ?? null };
}

describe('the draft kept in the browser', () => {
  it('is read back under its own key only', () => {
    const kept = storage({
      'weltoffen:entwurf:7:musterstadt:2:1.2.1': JSON.stringify({ value: 'ja', comment: 'Siehe Leitbild', evidence: '' }),
      'weltoffen:einschaetzung:7:musterstadt:2:1.2': JSON.stringify({ rating: 'eher_ja', reason: '' }),
    });
    expect(readDraft('weltoffen:entwurf:7:musterstadt:2:1.2.1', kept)).toEqual({ value: 'ja', comment: 'Siehe Leitbild', evidence: '' });
    expect(readDraft('weltoffen:einschaetzung:7:musterstadt:2:1.2', kept)).toEqual({ rating: 'eher_ja', reason: '' });
    expect(readDraft('weltoffen:entwurf:7:musterstadt:2:1.2.2', kept)).toBeNull();
  });

  it('is no draft when it cannot be read', () => {
    expect(readDraft('key', storage({ key: '{"value": "ja"' }))).toBeNull();
    expect(readDraft('key', storage({ key: '' }))).toBeNull();
    const blocked = { getItem: () => { throw new DOMException('Der Zugriff ist nicht erlaubt.', 'SecurityError'); } };
    expect(readDraft('key', blocked)).toBeNull();
  });
});

describe('the basis kept beside a draft', () => {
  const draftKey = 'weltoffen:entwurf:7:musterstadt:2:2.1.2';

  it('is read back under its own key with the version and the saved parts it was based on', () => {
    const basis = { version: 3, draft: { value: null, comment: '', evidence: '' } };
    expect(basisKey(draftKey)).toBe(`${draftKey}:basis`);
    expect(readBasis(basisKey(draftKey), storage({ [basisKey(draftKey)]: JSON.stringify(basis) }))).toEqual(basis);
  });

  it('is none for a draft kept without one or when it cannot be read', () => {
    expect(readBasis(basisKey(draftKey), storage({}))).toBeNull();
    expect(readBasis('key', storage({ key: '{"version": 2' }))).toBeNull();
    expect(readBasis('key', storage({ key: JSON.stringify({ version: '2', draft: {} }) }))).toBeNull();
    expect(readBasis('key', storage({ key: JSON.stringify({ version: 2 }) }))).toBeNull();
    expect(readBasis('key', storage({ key: JSON.stringify({ version: 2, draft: null }) }))).toBeNull();
    expect(readBasis('key', storage({ key: '"ja"' }))).toBeNull();
  });
});

describe('a failed save', () => {
  it('is a conflict only for a stale version, with the server\'s current version', () => {
    const current = { value: 'nein', version: 3 };
    expect(saveFailure(new ApiError(409, 'stale-version', 'Inzwischen geändert.', {}, current))).toEqual({ kind: 'stale', current });
    expect(saveFailure(new ApiError(409, 'round-closed', 'Die Runde ist abgeschlossen.'))).toEqual({ kind: 'refused', message: 'Die Runde ist abgeschlossen.' });
  });

  it('after the session expired waits for the sign-in instead of retrying', () => {
    expect(saveFailure(new ApiError(401, 'unauthenticated', 'Bitte melden Sie sich an.'))).toEqual({ kind: 'signed-out' });
    expect(retriesWhenOnline('error', true)).toBe(false);
  });

  it('without a network (or without an answer the app understands) is retried when the browser is online again', () => {
    expect(saveFailure(new ApiError(0, 'network', 'offline'))).toEqual({ kind: 'offline' });
    expect(saveFailure(new TypeError('Failed to fetch'))).toEqual({ kind: 'offline' });
    expect(retriesWhenOnline('error', false)).toBe(true);
  });

  it('refused by the server keeps its German message', () => {
    expect(saveFailure(new ApiError(400, 'invalid', 'Der Kommentar ist zu lang.'))).toEqual({ kind: 'refused', message: 'Der Kommentar ist zu lang.' });
  });

  it('is retried on reconnect only while it is a failure', () => {
    const others: SaveState[] = ['saved', 'unsaved', 'saving', 'conflict', 'incomplete'];
    for (const state of others) expect(retriesWhenOnline(state, false)).toBe(false);
  });
});

describe('pending entries', () => {
  it('are all but the saved ones', () => {
    const states: SaveState[] = ['saved', 'unsaved', 'saving', 'error', 'conflict', 'incomplete'];
    expect(states.filter(isPending)).toEqual(['unsaved', 'saving', 'error', 'conflict', 'incomplete']);
  });
});

describe('what the pending entries of a page wait for', () => {
  it('counts an open conflict as waiting for the person\'s choice, not as being saved', () => {
    expect(pendingCounts(['conflict'])).toEqual({ saving: 0, deciding: 1, notSaved: 0 });
  });

  it('counts each entry by its own state', () => {
    const states: SaveState[] = ['saved', 'unsaved', 'saving', 'conflict', 'conflict', 'error', 'incomplete'];
    expect(pendingCounts(states)).toEqual({ saving: 2, deciding: 2, notSaved: 2 });
  });

  it('is nothing when every entry is saved', () => {
    expect(pendingCounts(['saved', 'saved'])).toEqual({ saving: 0, deciding: 0, notSaved: 0 });
    expect(pendingCounts([])).toEqual({ saving: 0, deciding: 0, notSaved: 0 });
  });
});

describe('appending the other version in a conflict', () => {
  it('puts the other text below one\'s own, once', () => {
    expect(appendedText('Beschluss des Rates von 2024', 'Steuerungsgruppe tagt monatlich', '\n')).toBe('Beschluss des Rates von 2024\nSteuerungsgruppe tagt monatlich');
    expect(appendedText('Beschluss des Rates von 2024\n', 'Steuerungsgruppe', '\n')).toBe('Beschluss des Rates von 2024\nSteuerungsgruppe');
    expect(appendedText('Leitbild', 'Protokoll', '; ')).toBe('Leitbild; Protokoll');
    // Appended already, or nothing to append, or nothing of one's own.
    expect(appendedText('Leitbild; Protokoll', 'Protokoll', '; ')).toBe('Leitbild; Protokoll');
    expect(appendedText('Leitbild', '  ', '\n')).toBe('Leitbild');
    expect(appendedText('', 'Protokoll', '\n')).toBe('Protokoll');
  });
});
