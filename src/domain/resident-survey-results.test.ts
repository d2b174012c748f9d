import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agreementKeys, agreementValues, statementSetSchema, withoutControlCharacters, type AgreementKey } from './resident-survey.ts';
import {
  checkResponse,
  exclusionTooSmall,
  goalTitleOfStatement,
  lowAgreement,
  lowAgreementStatements,
  minimumResponses,
  respondentsInResults,
  responseBodySchema,
  surveyPhase,
  surveyResults,
  surveySettingsSchema,
  surveyStatements,
  unknownFields,
  type CountedResponse,
} from './resident-survey-results.ts';

const set = statementSetSchema.parse(JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../catalog/aussensicht/aussensicht-1.0.json'), 'utf8')));
const settings = {
  fields: ['6', '2'],
  openQuestions: [{ text: 'Was sollte sich hier ändern?' }],
  opensOn: '2026-12-01',
  closesOn: '2026-12-31',
  retentionMonths: 6,
  controller: 'Stadt Musterstadt, Koordinierungsstelle, Rathausplatz 1',
};

describe('survey settings', () => {
  it('accepts a survey of some fields with an open question, and fills in defaults', () => {
    const parsed = surveySettingsSchema.parse(settings);
    expect(parsed.openQuestions[0]!.translations).toEqual({});
    expect(unknownFields(parsed, set)).toEqual([]);
    expect(surveyStatements(set, parsed.fields).map((statement) => statement.field)).toEqual(['2', '2', '2', '6', '6', '6']);
  });

  it.each([
    ['no field', { fields: [] }, 'fields'],
    ['a field twice', { fields: ['6', '6'] }, 'fields'],
    ['four open questions', { openQuestions: Array.from({ length: 4 }, () => ({ text: 'Was sollte sich ändern?' })) }, 'openQuestions'],
    ['an end before the start', { closesOn: '2026-11-30' }, 'closesOn'],
    ['more than a year', { closesOn: '2028-01-01' }, 'closesOn'],
    ['no retention', { retentionMonths: 0 }, 'retentionMonths'],
    ['a retention of years', { retentionMonths: 48 }, 'retentionMonths'],
    ['no controller', { controller: '  ' }, 'controller'],
    ['a date in German form', { opensOn: '01.12.2026' }, 'opensOn'],
  ])('refuses %s, at its field', (_, change, pathStart) => {
    const result = surveySettingsSchema.safeParse({ ...settings, ...change });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path[0])).toContain(pathStart);
  });

  it('knows a field without statements', () => {
    expect(unknownFields({ fields: ['6', '8'] }, set)).toEqual(['8']);
  });

  it('is open from its first through its last day', () => {
    expect(surveyPhase(settings, '2026-11-30')).toBe('not-yet');
    expect(surveyPhase(settings, '2026-12-01')).toBe('open');
    expect(surveyPhase(settings, '2026-12-31')).toBe('open');
    expect(surveyPhase(settings, '2027-01-01')).toBe('closed');
  });
});

describe('a resident’s response', () => {
  const survey = { statementKeys: ['6.1', '6.2', '2.1'], openQuestionCount: 1, languages: ['de', 'ar'] as const };
  const check = (body: unknown) => {
    const parsed = responseBodySchema.safeParse(body);
    if (!parsed.success) return { ok: false as const, refusal: 'schema' };
    return checkResponse(parsed.data, survey, set);
  };

  it('is taken with answers, a trimmed open answer and a group', () => {
    const result = check({ language: 'ar', answers: { '6.1': 'zu', '2.1': 'weiss-nicht' }, open: ['  Mehr Begegnung  '], groups: { wohndauer: 'unter-5' } });
    expect(result).toEqual({ ok: true, response: { language: 'ar', answers: { '6.1': 'zu', '2.1': 'weiss-nicht' }, open: ['Mehr Begegnung'], groups: { wohndauer: 'unter-5' } } });
  });

  it('keeps an open question nobody wrote to as null', () => {
    const result = check({ language: 'de', answers: { '6.1': 'zu' } });
    expect(result.ok && result.response.open).toEqual([null]);
  });

  it.each([
    ['no answer', { language: 'de', answers: {} }, 'error.empty'],
    ['a statement the survey does not ask', { language: 'de', answers: { '7.1': 'zu' } }, 'error.invalid'],
    ['a language the survey does not offer', { language: 'en', answers: { '6.1': 'zu' } }, 'error.invalid'],
    ['a second open answer to one question', { language: 'de', answers: { '6.1': 'zu' }, open: ['a', 'b'] }, 'error.invalid'],
    ['a group option that does not exist', { language: 'de', answers: { '6.1': 'zu' }, groups: { wohndauer: 'seit-gestern' } }, 'error.invalid'],
    ['a group that does not exist', { language: 'de', answers: { '6.1': 'zu' }, groups: { herkunft: 'unter-5' } }, 'error.invalid'],
    ['an open answer over 1,000 characters', { language: 'de', answers: { '6.1': 'zu' }, open: ['x'.repeat(1001)] }, 'error.tooLong'],
  ])('is refused with %s', (_, body, refusal) => {
    expect(check(body)).toEqual({ ok: false, refusal });
  });

  it('is refused by the schema with an unknown answer option or a giant text', () => {
    expect(check({ language: 'de', answers: { '6.1': 'vielleicht' } })).toEqual({ ok: false, refusal: 'schema' });
    expect(check({ language: 'de', answers: { '6.1': 'zu' }, open: ['x'.repeat(5000)] })).toEqual({ ok: false, refusal: 'schema' });
  });
});

describe('survey results', () => {
  const fields = ['6', '2'];
  const response = (answers: Record<string, AgreementKey>, groups: Record<string, string> = {}, language: CountedResponse['language'] = 'de'): CountedResponse => ({ language, answers, groups });

  it('tells only the number below the minimum, and everything from it on', () => {
    const nine = Array.from({ length: minimumResponses - 1 }, () => response({ '6.1': 'zu' }));
    expect(surveyResults(set, fields, nine)).toEqual({ shown: false, responses: minimumResponses - 1, minimum: minimumResponses });
    const ten = [...nine, response({ '6.1': 'nicht-zu' })];
    const results = surveyResults(set, fields, ten);
    expect(results.shown).toBe(true);
  });

  it('counts options, leaves „weiß nicht“ out of share and score, and weighs each statement the same in its field', () => {
    const responses = [
      ...Array.from({ length: 6 }, () => response({ '6.1': 'zu', '6.2': 'eher-nicht-zu' })),
      ...Array.from({ length: 3 }, () => response({ '6.1': 'eher-zu', '6.2': 'weiss-nicht' })),
      response({ '6.1': 'weiss-nicht', '2.1': 'nicht-zu' }),
    ];
    const results = surveyResults(set, fields, responses);
    if (!results.shown) throw new Error('shown');
    const s61 = results.statements.find((statement) => statement.key === '6.1')!;
    expect(s61.counts).toEqual({ zu: 6, 'eher-zu': 3, 'eher-nicht-zu': 0, 'nicht-zu': 0, 'weiss-nicht': 1 });
    expect(s61.rated).toBe(9);
    expect(s61.agreement).toBe(100);
    expect(s61.score).toBeCloseTo(((6 * 3 + 3 * 2) / 9 / 3) * 100);
    const s62 = results.statements.find((statement) => statement.key === '6.2')!;
    expect(s62.agreement).toBe(0);
    expect(s62.score).toBeCloseTo((1 / 3) * 100);
    const s63 = results.statements.find((statement) => statement.key === '6.3')!;
    expect([s63.rated, s63.score, s63.agreement]).toEqual([0, null, null]);
    const field6 = results.fields.find((field) => field.field === '6')!;
    expect(field6.score).toBeCloseTo((s61.score! + s62.score!) / 2);
    expect(field6.statements).toBe(3);
    // In the catalog's order, whatever order they were chosen in.
    expect(results.fields.map((field) => field.field)).toEqual(['2', '6']);
    expect(results.languages).toEqual([{ language: 'de', responses: 10 }]);
  });

  it('shows a group only when it and the rest each have the minimum', () => {
    const young = Array.from({ length: 10 }, () => response({ '6.1': 'zu' }, { alter: 'unter-30' }, 'ar'));
    const old = Array.from({ length: 9 }, () => response({ '6.1': 'nicht-zu' }, { alter: 'ab-65' }));
    const results = surveyResults(set, fields, [...young, ...old]);
    if (!results.shown) throw new Error('shown');
    const group = (option: string) => results.groups.find((entry) => entry.group === 'alter' && entry.option === option)!;
    // 10 young against 9 others: the rest is too small, else „all minus young“ would show the nine.
    expect(group('unter-30')).toMatchObject({ responses: 10, fields: null });
    expect(group('ab-65')).toMatchObject({ responses: 9, fields: null });
    const more = surveyResults(set, fields, [...young, ...old, response({ '6.1': 'eher-zu' })]);
    if (!more.shown) throw new Error('shown');
    const shownGroup = more.groups.find((entry) => entry.group === 'alter' && entry.option === 'unter-30')!;
    expect(shownGroup.fields!.find((field) => field.field === '6')!.score).toBeCloseTo(100);
    expect(more.languages).toEqual([
      { language: 'de', responses: 10 },
      { language: 'ar', responses: 10 },
    ]);
  });

  it('keeps every score between 0 and 100 and the counts equal to the answers given, for any responses', () => {
    const answer = fc.constantFrom(...agreementKeys);
    const responses = fc.array(fc.record({ '6.1': answer, '6.2': answer, '2.1': answer }, { requiredKeys: [] }), { minLength: 10, maxLength: 60 });
    fc.assert(
      fc.property(responses, (list) => {
        const results = surveyResults(set, fields, list.map((answers) => response(answers)));
        if (!results.shown) return false;
        for (const statement of results.statements) {
          const given = list.filter((answers) => (answers as Record<string, AgreementKey>)[statement.key] !== undefined).length;
          expect(Object.values(statement.counts).reduce((sum, count) => sum + count, 0)).toBe(given);
          expect(statement.rated).toBe(given - statement.counts['weiss-nicht']);
          for (const value of [statement.score, statement.agreement]) {
            if (value === null) continue;
            expect(value).toBeGreaterThanOrEqual(0);
            expect(value).toBeLessThanOrEqual(100);
          }
        }
        return true;
      }),
    );
    expect(agreementValues['weiss-nicht']).toBeNull();
  });
});

describe('statements with low agreement for the Ausblick', () => {
  it('offers those under the threshold with a rating, least agreement first, and names the goal after the statement', () => {
    const statements = [
      { key: 'a', rated: 20, agreement: lowAgreement - 1 },
      { key: 'b', rated: 20, agreement: lowAgreement },
      { key: 'c', rated: 0, agreement: null },
      { key: 'd', rated: 12, agreement: 10 },
    ];
    expect(lowAgreementStatements(statements).map((statement) => statement.key)).toEqual(['d', 'a']);
    expect(goalTitleOfStatement('Ich fühle mich hier willkommen.')).toBe('Mehr Zustimmung in der Außensicht zu „Ich fühle mich hier willkommen“');
  });
});

describe('privacy by difference', () => {
  it('results use whole steps of the minimum, so one newcomer never shows as the difference', () => {
    expect([0, 9, 10, 11, 19, 20, 134].map(respondentsInResults)).toEqual([0, 9, 10, 10, 10, 20, 130]);
  });

  it('an exclusion leaves out none or at least the minimum', () => {
    expect([0, 1, 9, 10, 50].map(exclusionTooSmall)).toEqual([false, true, true, false, false]);
  });

  it('control characters a database cannot store or a screen would hide are taken out of an Anmerkung; line breaks stay', () => {
    expect(withoutControlCharacters('Hallo\u0000 Welt\u0007\nzweite Zeile\tmit Tab')).toBe('Hallo Welt\nzweite Zeile\tmit Tab');
  });

  it('a language with fewer than the minimum is not named, only said to exist', () => {
    const responses: CountedResponse[] = [...Array.from({ length: 12 }, () => ({ language: 'de' as const, answers: { '6.1': 'zu' as const }, groups: {} })), { language: 'fa', answers: { '6.1': 'zu' }, groups: {} }];
    const results = surveyResults(set, ['6'], responses);
    if (!results.shown) throw new Error('shown');
    expect(results.languages).toEqual([{ language: 'de', responses: 12 }]);
    expect(results.hasOtherLanguages).toBe(true);
  });
});
