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
  // Notes and discussions.
  'note',
] as const;

export type ChangeValueKey = (typeof changeValueKeys)[number];

/** The before or after value of a change. */
export type ChangeValues = { [key in ChangeValueKey]?: unknown };

/** A change value with exactly the known keys: any other key (also one spread in) is a type error. */
export type ExactChangeValues<T> = T & { [key in Exclude<keyof T, ChangeValueKey>]: never };

/** The catalog version of a stored id (`weltoffene-kommune@2` → `2`), for showing it to people. */
export function catalogVersionOf(catalogVersionId: string): string {
  const at = catalogVersionId.lastIndexOf('@');
  return at >= 0 ? catalogVersionId.slice(at + 1) : catalogVersionId;
}
