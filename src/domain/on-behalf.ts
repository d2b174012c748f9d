import { personName } from './text-fields.ts';

/**
 * Answers entered on behalf of a department: the Koordination types in a returned paper
 * questionnaire for a named department („Sozialamt“). The answer is stored under her account with
 * the department's name, shown as „Sozialamt (eingetragen von …)“ and counted as its own respondent.
 */

/** The department's name: free text by the rule for names (2 to 120 characters, no control characters). */
export const onBehalfName = () => personName();

/**
 * Who counts as one respondent: a person for their own answers, and each department a Koordination
 * entered on behalf of, separately. Used wherever respondents are counted or answers are scored.
 */
export function respondentKey(answer: { userId: string; onBehalfOf?: string | null }): string {
  return answer.onBehalfOf ? `${answer.userId}\u0000${answer.onBehalfOf}` : answer.userId;
}
