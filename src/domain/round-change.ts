/**
 * Every key the before and after values of a change-log entry (`round_change`) may hold. The
 * Änderungsverlauf labels each in German (`changes.keys.*`); `insertChange` accepts no other key, so
 * a service that logs a new key must add it here, and the label test then asks for its label.
 */
export const changeValueKeys = [
  // Answers (saveAnswerWithChange writes these four in SQL).
  'value',
  'comment',
  'evidence',
  'onBehalfOf',
  // Ratings of the consolidation.
  'rating',
  'reason',
  // The round: start, settings, close, reopen.
  'catalogVersionId',
  'periodStart',
  'periodEnd',
  'periodPrecision',
  'workedFieldKeys',
  'participants',
  'removedAnswers',
  'removedRatings',
  'status',
  'openQuestions',
  // Notes log no text (noteChange below); discussions log their status.
] as const;

export type ChangeValueKey = (typeof changeValueKeys)[number];

/** The before or after value of a change. */
export type ChangeValues = { [key in ChangeValueKey]?: unknown };

/**
 * A stored before or after value as the Änderungsverlauf shows it: an object of values, or null.
 * insertChange and the bundle import store only these; anything else would be broken data and shows
 * as no value (–).
 */
export function loggedValuesOf(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** A change value with exactly the known keys: any other key (also one spread in) is a type error. */
export type ExactChangeValues<T> = T & { [key in Exclude<keyof T, ChangeValueKey>]: never };

/** The catalog version of a stored id (`weltoffene-kommune@2` → `2`), for showing it to people. */
export function catalogVersionOf(catalogVersionId: string): string {
  const at = catalogVersionId.lastIndexOf('@');
  return at >= 0 ? catalogVersionId.slice(at + 1) : catalogVersionId;
}

/** The change-log kinds of notes on a question or a criterion. */
export const noteChangeKinds = ['question-note', 'criterion-note'] as const;

/** Every kind of change-log entry: an answer, a rating, the round, a note, a discussion settled or reopened. */
export const roundChangeKinds = ['answer', 'rating', 'round', ...noteChangeKinds, 'question-thread', 'criterion-thread'] as const;
export type RoundChangeKind = (typeof roundChangeKinds)[number];

/** What happened to a note, as the change log keeps it. */
export type NoteChangeStatus = 'written' | 'edited' | 'deleted';

/**
 * A note's change as the log keeps it: who and when (the row), which question or criterion (its
 * subject) and what happened, never the text. A person who deletes her note means it: the text is
 * then gone everywhere, also from the log and the Kommune bundle, and an edit that removed a phone
 * number leaves no copy of it either. The thread itself shows the current text.
 */
export function noteChange(status: NoteChangeStatus): { before: null; after: { status: NoteChangeStatus } } {
  return { before: null, after: { status } };
}

/**
 * An entry of a note's change in the shape noteChange gives, also one logged before notes were
 * logged without text (`{ note: … }`, e.g. in an older Kommune bundle): written when there was no
 * before, deleted when its after says so, else edited. Entries of other kinds come back unchanged.
 */
export function withoutNoteText<T extends { kind: string; before: unknown; after: unknown }>(change: T): T {
  if (!(noteChangeKinds as readonly string[]).includes(change.kind)) return change;
  const after = typeof change.after === 'object' && change.after !== null && !Array.isArray(change.after) ? (change.after as Record<string, unknown>) : {};
  const hadBefore = typeof change.before === 'object' && change.before !== null;
  const status: NoteChangeStatus =
    after.status === 'written' || after.status === 'edited' || after.status === 'deleted' ? after.status : hadBefore ? 'edited' : 'written';
  return { ...change, ...noteChange(status) };
}
