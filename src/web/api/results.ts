import { offersSuggestions } from '../../domain/catalog.ts';
import type { RoundResults } from './types.ts';

/** The worked fields with their criteria whose „Anregungen zur Weiterarbeit“ are offered, in catalog order. */
export function criteriaWithSuggestions(fields: RoundResults['fields']) {
  return fields
    .filter((field) => field.isWorked)
    .map((field) => ({ field, criteria: field.criteria.filter((criterion) => offersSuggestions(criterion.rating) && criterion.suggestions.length > 0) }))
    .filter((entry) => entry.criteria.length > 0);
}
