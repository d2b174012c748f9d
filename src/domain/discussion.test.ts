import { describe, expect, it } from 'vitest';
import { can, canDiscussField, type Action, type Actor } from './access.ts';
import type { Catalog } from './catalog.ts';
import { noteBody, noteBodyMax, noteChangeRefusal, openThreadsOfCriterion, subjectFieldKey, summarizeThreads } from './discussion.ts';

const own = 'kommune-a';
const other = 'kommune-b';
const actors: Record<string, Actor> = {
  programmteam: { userId: 'p', programmeRole: 'programmteam', assignedKommuneIds: [], memberships: [] },
  prozessbegleitung: { userId: 'b', programmeRole: 'prozessbegleitung', assignedKommuneIds: [own], memberships: [] },
  koordination: { userId: 'k', programmeRole: null, assignedKommuneIds: [], memberships: [{ kommuneId: own, role: 'koordination', fieldKeys: null }] },
  mitwirkende: { userId: 'm', programmeRole: null, assignedKommuneIds: [], memberships: [{ kommuneId: own, role: 'mitwirkende', fieldKeys: ['2'] }] },
  lesende: { userId: 'l', programmeRole: null, assignedKommuneIds: [], memberships: [{ kommuneId: own, role: 'lesende', fieldKeys: null }] },
};

describe('who may take part in the discussion', () => {
  const expected: Record<string, Action[]> = {
    programmteam: ['discussion.read', 'discussion.write', 'discussion.settle'],
    prozessbegleitung: ['discussion.read', 'discussion.write'],
    koordination: ['discussion.read', 'discussion.write', 'discussion.settle'],
    mitwirkende: ['discussion.read', 'discussion.write'],
    // Notes name people, like the answers by name: working material, not results.
    lesende: [],
  };
  for (const [name, actor] of Object.entries(actors)) {
    it.each(['discussion.read', 'discussion.write', 'discussion.settle'] as Action[])(`${name} – %s in own and other Kommune`, (action) => {
      expect(can(actor, action, own)).toBe(expected[name]!.includes(action));
      expect(can(actor, action, other)).toBe(name === 'programmteam');
    });
  }

  it('Mitwirkende write only on the fields they answer; Koordination, Prozessbegleitung and Programmteam on all; Lesende nowhere', () => {
    expect(canDiscussField(actors.mitwirkende!, own, '2')).toBe(true);
    expect(canDiscussField(actors.mitwirkende!, own, '3')).toBe(false);
    expect(canDiscussField(actors.koordination!, own, '7')).toBe(true);
    expect(canDiscussField(actors.prozessbegleitung!, own, '1')).toBe(true);
    expect(canDiscussField(actors.programmteam!, other, '1')).toBe(true);
    expect(canDiscussField(actors.lesende!, own, '1')).toBe(false);
    expect(canDiscussField(actors.koordination!, other, '1')).toBe(false);
    expect(canDiscussField(actors.prozessbegleitung!, other, '1')).toBe(false);
  });
});

describe('the text of a note', () => {
  it('is trimmed', () => {
    expect(noteBody().parse('  Wer ist zuständig?\n')).toBe('Wer ist zuständig?');
  });

  it('keeps line breaks and tabs', () => {
    expect(noteBody().parse('Erstens\n\tZweitens')).toBe('Erstens\n\tZweitens');
  });

  it.each([
    ['empty', ''],
    ['only spaces and line breaks', ' \n\t '],
  ])('%s is refused with a German message', (_name, value) => {
    const result = noteBody().safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toBe('bitte einen Text eingeben');
  });

  it(`${noteBodyMax} characters pass, one more is refused`, () => {
    expect(noteBody().safeParse('a'.repeat(noteBodyMax)).success).toBe(true);
    const tooLong = noteBody().safeParse('a'.repeat(noteBodyMax + 1));
    expect(tooLong.success).toBe(false);
    expect(tooLong.error!.issues[0]!.message).toBe('höchstens 2.000 Zeichen');
  });

  it('spaces around a text of the longest length do not count', () => {
    expect(noteBody().safeParse(`  ${'a'.repeat(noteBodyMax)}  `).success).toBe(true);
  });

  it('control characters other than line breaks and tabs are refused', () => {
    expect(noteBody().safeParse('Text\u0000mit NUL').success).toBe(false);
    expect(noteBody().safeParse('Text\u0007').success).toBe(false);
  });
});

describe('who may edit or delete a note', () => {
  const note = { authorId: 'm', deletedAt: null };
  const open = { isSettled: false, isRoundOpen: true };

  it('its author, while thread and round are open', () => {
    expect(noteChangeRefusal('m', note, open)).toBeNull();
  });

  it('nobody else, not even the Koordination', () => {
    expect(noteChangeRefusal('k', note, open)).toBe('not-author');
  });

  it('nobody, once the author’s account is gone', () => {
    expect(noteChangeRefusal('m', { authorId: null, deletedAt: null }, open)).toBe('not-author');
  });

  it('not a deleted note', () => {
    expect(noteChangeRefusal('m', { authorId: 'm', deletedAt: new Date() }, open)).toBe('deleted');
  });

  it('not in a settled thread', () => {
    expect(noteChangeRefusal('m', note, { isSettled: true, isRoundOpen: true })).toBe('settled');
  });

  it('not in a closed round (settled or not)', () => {
    expect(noteChangeRefusal('m', note, { isSettled: false, isRoundOpen: false })).toBe('round-closed');
    expect(noteChangeRefusal('m', note, { isSettled: true, isRoundOpen: false })).toBe('round-closed');
  });
});

describe('thread summaries', () => {
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 10, minute));

  it('count the notes that are not deleted and know the latest', () => {
    const [summary] = summarizeThreads(
      [
        { kind: 'question', key: '1.1.1', deletedAt: null, createdAt: at(1) },
        { kind: 'question', key: '1.1.1', deletedAt: at(5), createdAt: at(3) },
        { kind: 'question', key: '1.1.1', deletedAt: null, createdAt: at(2) },
      ],
      [],
    );
    expect(summary).toEqual({ kind: 'question', key: '1.1.1', noteCount: 2, isSettled: false, isOpen: true, lastNoteAt: at(2).toISOString() });
  });

  it('a settled thread is not open', () => {
    const [summary] = summarizeThreads([{ kind: 'criterion', key: '1.1', deletedAt: null, createdAt: at(1) }], [{ kind: 'criterion', key: '1.1' }]);
    expect(summary).toMatchObject({ isSettled: true, isOpen: false, noteCount: 1 });
  });

  it('a thread whose notes were all deleted is not open', () => {
    const [summary] = summarizeThreads([{ kind: 'question', key: '1.1.2', deletedAt: at(2), createdAt: at(1) }], []);
    expect(summary).toMatchObject({ noteCount: 0, isOpen: false, lastNoteAt: null });
  });

  it('a question and a criterion with the same digits are different threads', () => {
    const summaries = summarizeThreads(
      [
        { kind: 'criterion', key: '1.1', deletedAt: null, createdAt: at(1) },
        { kind: 'question', key: '1.1.1', deletedAt: null, createdAt: at(1) },
      ],
      [{ kind: 'question', key: '1.1.1' }],
    );
    expect(summaries.map((summary) => [summary.kind, summary.key, summary.isOpen])).toEqual([
      ['criterion', '1.1', true],
      ['question', '1.1.1', false],
    ]);
  });

  it('a criterion counts its own open thread and those of its questions, not those of 1.10', () => {
    const summaries = summarizeThreads(
      [
        { kind: 'criterion', key: '1.1', deletedAt: null, createdAt: at(1) },
        { kind: 'question', key: '1.1.1', deletedAt: null, createdAt: at(1) },
        { kind: 'question', key: '1.1.2', deletedAt: null, createdAt: at(1) },
        { kind: 'question', key: '1.10.1', deletedAt: null, createdAt: at(1) },
        { kind: 'criterion', key: '1.10', deletedAt: null, createdAt: at(1) },
      ],
      [{ kind: 'question', key: '1.1.2' }],
    );
    expect(openThreadsOfCriterion(summaries, '1.1')).toBe(2);
    expect(openThreadsOfCriterion(summaries, '1.10')).toBe(2);
  });
});

describe('the subject of a thread', () => {
  const catalog = {
    fields: [
      { key: '1', criteria: [{ key: '1.1', questions: [{ key: '1.1.1' }, { key: '1.1.2' }] }] },
      { key: '2', criteria: [{ key: '2.1', questions: [{ key: '2.1.1' }] }] },
    ],
  } as unknown as Catalog;

  it('is found with its Handlungsfeld', () => {
    expect(subjectFieldKey(catalog, 'question', '2.1.1')).toBe('2');
    expect(subjectFieldKey(catalog, 'criterion', '1.1')).toBe('1');
  });

  it('is unknown when the catalog has no such question or criterion, or the kind does not fit', () => {
    expect(subjectFieldKey(catalog, 'question', '1.1.9')).toBeUndefined();
    expect(subjectFieldKey(catalog, 'criterion', '3.1')).toBeUndefined();
    expect(subjectFieldKey(catalog, 'criterion', '1.1.1')).toBeUndefined();
    expect(subjectFieldKey(catalog, 'question', '1.1')).toBeUndefined();
  });
});
