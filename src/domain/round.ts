/**
 * How precisely a round's period of work is given: by day (the dates as entered) or by month, as the
 * reference report says „in den Monaten März und April“. With months the dates may still be exact;
 * only their month and year are shown.
 */
export const periodPrecisions = ['day', 'month'] as const;
export type PeriodPrecision = (typeof periodPrecisions)[number];

/** A round is open (the questionnaire is being answered) or closed; at most one per Kommune is open. */
export const roundStatuses = ['open', 'closed'] as const;
export type RoundStatus = (typeof roundStatuses)[number];
