import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogForKind, parseCatalog } from './catalog.ts';
import { buildPaperQuestionnaire, paperQuestionnaireFileName, paperReturnNote } from './questionnaire.ts';

const parsed = parseCatalog(JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../catalog/weltoffene-kommune-1.1.json'), 'utf8')));
if (!parsed.ok) throw new Error('catalog 1.1 does not parse');
const raw = parsed.catalog;
const round = { number: 2, periodStart: '2027-03-01', periodEnd: '2027-04-30', periodPrecision: 'day', workedFieldKeys: ['2', '5'], deadline: null };

describe('buildPaperQuestionnaire', () => {
  it('holds only the worked fields, in catalog order, with every question of the kind', () => {
    const catalog = catalogForKind(raw, 'Landkreis');
    const model = buildPaperQuestionnaire({ catalog, kommuneTitle: 'Landkreis Harz', koordination: [], round: { ...round, workedFieldKeys: ['5', '2'] }, today: '2027-03-02' });
    expect(model.fields.map((field) => field.key)).toEqual(['2', '5']);
    const expected = catalog.fields.filter((field) => ['2', '5'].includes(field.key)).flatMap((field) => field.criteria.flatMap((criterion) => criterion.questions.map((question) => question.key)));
    expect(model.fields.flatMap((field) => field.criteria.flatMap((criterion) => criterion.questions.map((question) => question.key)))).toEqual(expected);
    expect(model.questionCount).toBe(expected.length);
    expect(model.scope).toBeNull();
    expect(model.period).toBe('vom 1. März bis 30. April 2027');
    expect(model.generatedOn).toBe('2. März 2027');
  });

  it('one field: the scope names it, the title too', () => {
    const model = buildPaperQuestionnaire({ catalog: catalogForKind(raw, 'Stadt'), kommuneTitle: 'Stadt Musterstadt', koordination: [], round, fieldKey: '5', today: '2027-03-02' });
    const field = raw.fields.find((entry) => entry.key === '5')!;
    expect(model.fields).toHaveLength(1);
    expect(model.scope).toBe(`Handlungsfeld 5: ${field.name}`);
    expect(model.title).toMatch(/Stadt Musterstadt, Runde 2, Handlungsfeld 5$/);
  });

  it('carries the answer anchors, „Ein ‚ja‘ heißt“ and the Belege of catalog 1.1', () => {
    const model = buildPaperQuestionnaire({ catalog: catalogForKind(raw, 'Gemeinde'), kommuneTitle: 'Gemeinde Beispiel', koordination: [], round, today: '2027-03-02' });
    expect(model.options.map((option) => option.label)).toEqual(raw.answerScale.map((option) => option.label));
    expect(model.options.every((option) => option.meaning)).toBe(true);
    const questions = model.fields.flatMap((field) => field.criteria.flatMap((criterion) => criterion.questions));
    expect(questions.every((question) => question.yesMeans && question.evidence.length > 0)).toBe(true);
    expect(JSON.stringify(model)).not.toMatch(/\{[a-zA-Z]+\}/);
  });

  it('a period by months reads as months; none is null', () => {
    const catalog = catalogForKind(raw, 'Stadt');
    expect(buildPaperQuestionnaire({ catalog, kommuneTitle: 'Stadt A', koordination: [], round: { ...round, periodPrecision: 'month' }, today: '2027-03-02' }).period).toBe('im März und April 2027');
    expect(buildPaperQuestionnaire({ catalog, kommuneTitle: 'Stadt A', koordination: [], round: { ...round, periodStart: null, periodEnd: null }, today: '2027-03-02' }).period).toBeNull();
  });

  it('says by when and to whom the form goes back; a deadline already past is left out', () => {
    const ayse = { name: 'Ayşe Yılmaz', email: 'integrationsbuero@musterstadt.example' };
    const model = buildPaperQuestionnaire({ catalog: catalogForKind(raw, 'Stadt'), kommuneTitle: 'Stadt A', koordination: [ayse], round: { ...round, deadline: '2027-04-30' }, today: '2027-03-02' });
    expect(model.returnNote).toBe('Geben Sie den ausgefüllten Fragebogen bis zum 30. April 2027 an die Koordination zurück (Ayşe Yılmaz, integrationsbuero@musterstadt.example). Sie trägt Ihre Antworten für Sie in die Anwendung ein.');
    expect(paperReturnNote('2027-03-01', [ayse], '2027-03-02')).not.toContain('bis zum');
    expect(paperReturnNote('2027-03-02', [], '2027-03-02')).toBe('Geben Sie den ausgefüllten Fragebogen bis zum 2. März 2027 an die Koordination zurück. Sie trägt Ihre Antworten für Sie in die Anwendung ein.');
    expect(paperReturnNote(null, [ayse, { name: 'Jan Berg', email: 'jan@musterstadt.example' }], '2027-03-02')).toContain('(Ayşe Yılmaz, integrationsbuero@musterstadt.example; Jan Berg, jan@musterstadt.example)');
  });

  it('file names', () => {
    expect(paperQuestionnaireFileName('musterstadt', 2, undefined, 'pdf')).toBe('fragebogen-musterstadt-runde-2.pdf');
    expect(paperQuestionnaireFileName('musterstadt', 2, '3', 'docx')).toBe('fragebogen-musterstadt-runde-2-handlungsfeld-3.docx');
  });
});
