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

/** A department's name as stored: Unicode NFC, trimmed, every run of white space (also non-breaking) one space. */
export function normalDepartmentName(name: string): string {
  return name.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** What makes two names one department: neither case nor white space counts („ordnungsamt“ is „Ordnungsamt“). */
export function departmentKey(name: string): string {
  return normalDepartmentName(name).toLocaleLowerCase('de-DE').replace(/ß/g, 'ss');
}

/**
 * The spelling an answer for a department is stored under: the first spelling already used for the
 * same department (`known`, in order of first use), else the name normalised. The one rule for the
 * paper entry form, the answer API and the Kommune bundle import.
 */
export function departmentSpelling(name: string, known: readonly string[]): string {
  const key = departmentKey(name);
  return known.find((entry) => departmentKey(entry) === key) ?? normalDepartmentName(name);
}

/** One spelling per department for names in order of first use: each name mapped to the first spelling of its department. */
export function departmentSpellings(namesInOrder: readonly string[]): Map<string, string> {
  const first = new Map<string, string>();
  const result = new Map<string, string>();
  for (const name of namesInOrder) {
    const key = departmentKey(name);
    if (!first.has(key)) first.set(key, normalDepartmentName(name));
    result.set(name, first.get(key)!);
  }
  return result;
}
