import { describe, expect, it, vi } from 'vitest';
import { bundleFormat, bundleFormatVersion, bundleSchema, validateBundle, type Bundle } from '../domain/bundle.ts';
import { readBundleUpload } from './read-bundle-upload.ts';

/** A bundle of the right shape with `answerCount` answers and `changeCount` change-log entries (references are not checked here). */
function bundleWith(answerCount: number, changeCount: number): Bundle {
  const documents = bundleSchema.shape.documents.parse({ profile: {}, kickoff: {}, workshops: {}, dialogues: {}, outlook: {} });
  return {
    format: bundleFormat,
    formatVersion: bundleFormatVersion,
    exportedAt: '2026-03-01T10:00:00.000Z',
    kommune: { slug: 'scheibenstadt', name: 'Scheibenstadt', kind: 'Stadt', designation: null, gemeindeschluessel: null, bundesland: 'Hessen', modules: [1], archived: false },
    people: [{ email: 'person@scheibenstadt.example', name: 'Eine Person', role: 'koordination', fieldKeys: null }],
    documents,
    offers: [],
    rounds: [1, 2].map((number) => ({
      number,
      catalog: { id: 'weltoffene-kommune', version: '1.0' },
      status: number === 1 ? ('closed' as const) : ('open' as const),
      workedFieldKeys: ['1'],
      periodStart: null,
      periodEnd: null,
      periodPrecision: 'day' as const,
      participants: '',
      deadline: null,
      reminderDaysBefore: null,
      createdAt: '2026-01-01T10:00:00.000Z',
      createdBy: null,
      closedAt: number === 1 ? '2026-02-01T10:00:00.000Z' : null,
      answers: Array.from({ length: answerCount }, (_, index) => ({
        person: 'person@scheibenstadt.example',
        question: `${1 + (index % 9)}.${1 + (Math.floor(index / 9) % 9)}.${1 + (Math.floor(index / 81) % 99)}`,
        value: index % 7 === 0 ? null : ('ja' as const),
        comment: `Antwort ${number}/${index}`,
        evidence: '',
        updatedAt: '2026-03-01T10:00:00.000Z',
      })),
      ratings: [],
      changes: Array.from({ length: changeCount }, (_, index) => ({ at: '2026-03-01T10:00:00.000Z', by: null, kind: 'answer' as const, subject: `1.1.${index}`, before: null, after: { index } })),
      notes: [],
      settledThreads: [],
      residentSurvey: null,
    })),
    belege: [],
  };
}

const bytesOf = (text: string) => new TextEncoder().encode(text);

describe('an uploaded bundle is parsed and validated in a worker thread', () => {
  it('never parses the body on the server thread, and gives back exactly what validation in place gives, slices in order', async () => {
    const bundle = bundleWith(4_500, 2_100);
    const text = JSON.stringify(bundle);
    const expected = await validateBundle(JSON.parse(text));
    expect(expected, JSON.stringify(expected).slice(0, 300)).toMatchObject({ success: true });
    const parse = vi.spyOn(JSON, 'parse');
    let parsedHere = -1;
    const outcome = await readBundleUpload(bytesOf(text)).finally(() => {
      parsedHere = parse.mock.calls.length;
      parse.mockRestore();
    });
    // JSON.parse of a 50 MB body cannot be split: on this thread it would stop every other request.
    expect(parsedHere).toBe(0);
    expect(outcome.kind).toBe('read');
    if (outcome.kind !== 'read') return;
    expect(outcome.bundle.parsed).toEqual(expected);
  });

  it('tells apart no JSON, JSON that is no object, a file that is no bundle, and a bundle with a wrong value at a path', async () => {
    expect(await readBundleUpload(bytesOf('{"format": '))).toEqual({ kind: 'not-json' });
    // As before: a byte order mark is not JSON.
    expect(await readBundleUpload(bytesOf(`\uFEFF${JSON.stringify(bundleWith(1, 0))}`))).toEqual({ kind: 'not-json' });
    expect(await readBundleUpload(bytesOf('[1, 2]'))).toEqual({ kind: 'not-object' });
    expect(await readBundleUpload(bytesOf('42'))).toEqual({ kind: 'not-object' });
    const notBundle = await readBundleUpload(bytesOf('{"format": "etwas-anderes"}'));
    expect(notBundle.kind === 'read' && notBundle.bundle.parsed).toMatchObject({ success: false, path: ['format'], isNotBundle: true });
    const broken = bundleWith(3_000, 0);
    (broken.rounds[1]!.answers[2_500] as { value: unknown }).value = 42;
    const wrong = await readBundleUpload(bytesOf(JSON.stringify(broken)));
    expect(wrong.kind === 'read' && wrong.bundle.parsed).toMatchObject({ success: false, path: ['rounds', 1, 'answers', 2_500, 'value'] });
  });
});
