import { describe, expect, it } from 'vitest';
import { addToOutbox, isRetryable, outboxKey, readOutbox, removeFromOutbox, type PendingCard } from './outbox.ts';

/** A Storage stand-in holding what the browser would keep. */
function memoryStore(entries: Record<string, string> = {}) {
  return {
    entries,
    getItem: (key: string) => entries[key] ?? null,
    setItem: (key: string, value: string) => {
      entries[key] = value;
    },
    removeItem: (key: string) => {
      delete entries[key];
    },
  };
}

const card = (clientId: string, text = 'Mehr Sprachkurse'): PendingCard => ({ clientId, fieldKey: '4', questionIndex: 2, text, writtenAt: '2026-11-30T10:00:00.000Z' });

describe('the outbox of unsent cards', () => {
  it('keeps a card per session until the server confirms it', () => {
    const store = memoryStore();
    addToOutbox('session-a', card('c1'), store);
    addToOutbox('session-a', card('c2'), store);
    addToOutbox('session-b', card('c3'), store);
    expect(readOutbox('session-a', store).map((kept) => kept.clientId)).toEqual(['c1', 'c2']);
    expect(removeFromOutbox('session-a', ['c1'], store).map((kept) => kept.clientId)).toEqual(['c2']);
    expect(readOutbox('session-b', store).map((kept) => kept.clientId)).toEqual(['c3']);
  });

  it('never holds the same clientId twice: adding it again replaces the first', () => {
    const store = memoryStore();
    addToOutbox('s', card('c1', 'erste Fassung'), store);
    addToOutbox('s', card('c1', 'zweite Fassung'), store);
    expect(readOutbox('s', store)).toEqual([card('c1', 'zweite Fassung')]);
  });

  it('leaves no key behind once everything is sent', () => {
    const store = memoryStore();
    addToOutbox('s', card('c1'), store);
    removeFromOutbox('s', ['c1'], store);
    expect(store.entries).toEqual({});
  });

  it('reads unreadable or foreign content as empty instead of failing', () => {
    expect(readOutbox('s', memoryStore({ [outboxKey('s')]: '{"kaputt' }))).toEqual([]);
    expect(readOutbox('s', memoryStore({ [outboxKey('s')]: '{"clientId": "c1"}' }))).toEqual([]);
    expect(readOutbox('s', memoryStore({ [outboxKey('s')]: JSON.stringify([card('c1'), { clientId: 5 }]) }))).toEqual([card('c1')]);
    const blocked = {
      getItem: () => {
        throw new DOMException('Der Zugriff ist nicht erlaubt.', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('Der Zugriff ist nicht erlaubt.', 'SecurityError');
      },
      removeItem: () => {},
    };
    expect(readOutbox('s', blocked)).toEqual([]);
    expect(() => addToOutbox('s', card('c1'), blocked)).not.toThrow();
  });

  it('retries after a lost connection or a busy server, not after a refusal', () => {
    expect([0, 429, 500, 503].map(isRetryable)).toEqual([true, true, true, true]);
    expect([400, 401, 404, 409, 410, 423].map(isRetryable)).toEqual([false, false, false, false, false, false]);
  });
});
