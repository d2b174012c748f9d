import { describe, expect, it } from 'vitest';
import { noteChange, withoutNoteText } from './round-change.ts';

// A note's change is logged without its text (issue 14, security review); older entries that held
// the text read as what happened.
describe('withoutNoteText', () => {
  const entry = (kind: string, before: unknown, after: unknown) => ({ kind, subject: '1.2', before, after });

  it.each([
    ['written (no before)', entry('question-note', null, { note: 'Tel. 0151 2345678' }), 'written'],
    ['edited (a before with text)', entry('question-note', { note: 'alt' }, { note: 'neu' }), 'edited'],
    ['deleted', entry('criterion-note', { note: 'Tel. 0151 2345678' }, { status: 'deleted' }), 'deleted'],
    ['already without text', entry('criterion-note', null, { status: 'edited' }), 'edited'],
  ])('an older note entry, %s, keeps only what happened', (_name, change, status) => {
    const result = withoutNoteText(change);
    expect(result).toEqual({ ...change, ...noteChange(status as 'written' | 'edited' | 'deleted') });
    expect(JSON.stringify(result)).not.toMatch(/0151|alt|neu/);
  });

  it('leaves entries of other kinds as they are', () => {
    const answer = entry('answer', { value: 'ja', comment: 'alt' }, { value: 'nein', comment: 'neu' });
    expect(withoutNoteText(answer)).toBe(answer);
    const thread = entry('question-thread', { status: 'open' }, { status: 'settled' });
    expect(withoutNoteText(thread)).toBe(thread);
  });
});
