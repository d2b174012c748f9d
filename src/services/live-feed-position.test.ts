import { describe, expect, it } from 'vitest';
import { firstAfter } from './run-live-session.ts';

const kept = (...seqs: number[]) => seqs.map((seq) => ({ seq }));

describe('firstAfter: where a stream goes on in the kept events', () => {
  it('starts right after the last event sent', () => {
    const events = kept(11, 12, 13, 14, 15);
    expect(firstAfter(events, 10)).toBe(0);
    expect(firstAfter(events, 11)).toBe(1);
    expect(firstAfter(events, 13)).toBe(3);
    expect(firstAfter(events, 14)).toBe(4);
  });

  it('is past the end when everything was sent, and for nothing kept', () => {
    expect(firstAfter(kept(11, 12, 13), 13)).toBe(3);
    expect(firstAfter(kept(11, 12, 13), 99)).toBe(3);
    expect(firstAfter([], 5)).toBe(0);
  });

  it('agrees with walking the whole list, also where numbers are missing', () => {
    const events = kept(3, 4, 7, 8, 9, 20, 21, 40);
    for (let sent = 0; sent <= 42; sent++) {
      const walked = events.findIndex((event) => event.seq > sent);
      expect(firstAfter(events, sent)).toBe(walked === -1 ? events.length : walked);
    }
  });
});
