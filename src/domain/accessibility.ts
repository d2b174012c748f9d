/**
 * The Erklärung zur Barrierefreiheit must say when it was last reviewed (BITV 2.0 § 7, model of the
 * EU implementing decision 2018/1523). Whoever reviews the statement, or changes what it says about
 * the app, sets this date.
 */
export const accessibilityReviewedOn = '2026-11-30';
