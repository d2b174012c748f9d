import { describe, expect, it } from 'vitest';
import { safeTarget, signInPath } from './safe-target.ts';

describe('where the app goes after sign-in or accepting an invitation', () => {
  it('follows a path inside the app, with its anchor (a reminder\'s link to the open question)', () => {
    expect(safeTarget('/kommunen/musterstadt/selbstcheck/2/handlungsfeld/1#frage-1-1-1')).toBe('/kommunen/musterstadt/selbstcheck/2/handlungsfeld/1#frage-1-1-1');
  });

  it('never leaves for another site, and falls back to the given page', () => {
    for (const outside of ['https://example.org/', '//example.org/kommunen', '/\\example.org', 'javascript:alert(1)', '', null]) {
      expect(safeTarget(outside, '/kommunen/musterstadt')).toBe('/kommunen/musterstadt');
    }
    expect(safeTarget(null)).toBe('/kommunen');
  });

  it('the way to sign in keeps path, query and the question anchor, and leads back to them', () => {
    const path = signInPath({ pathname: '/kommunen/musterstadt/selbstcheck/2/handlungsfeld/1', search: '?fuer=Ordnungsamt', hash: '#frage-1-1-2' });
    expect(path).toBe('/anmelden?weiter=%2Fkommunen%2Fmusterstadt%2Fselbstcheck%2F2%2Fhandlungsfeld%2F1%3Ffuer%3DOrdnungsamt%23frage-1-1-2');
    const back = new URL(path, 'http://localhost').searchParams.get('weiter');
    expect(safeTarget(back)).toBe('/kommunen/musterstadt/selbstcheck/2/handlungsfeld/1?fuer=Ordnungsamt#frage-1-1-2');
  });
});
