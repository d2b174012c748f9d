import { afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.ts';
import { buildReport, defaultProgrammeText, defaultProgrammeTitle, type Report } from '../../src/domain/report.ts';
import { createReportRenderPool, type ReportRenderPool } from '../../src/report/render-pool.ts';
import { parseStoredDocument } from '../../src/services/manage-documents.ts';

/** A small report of a Kommune without any round or document: every section with its empty-state text. */
function smallReport(name = 'Teststadt'): Report {
  return buildReport({
    kommune: { name, kind: 'Stadt', modules: [1] },
    programme: { title: defaultProgrammeTitle, text: defaultProgrammeText },
    results: null,
    chartSvg: null,
    profile: parseStoredDocument('profile', undefined),
    kickoff: parseStoredDocument('kickoff', undefined),
    workshops: parseStoredDocument('workshops', undefined),
    dialogues: parseStoredDocument('dialogues', undefined),
    offers: [],
    outlook: parseStoredDocument('outlook', undefined),
    texts: parseStoredDocument('report', undefined),
    generatedOn: '2026-03-01',
  });
}

const pools: ReportRenderPool[] = [];
const poolOf = (options: Parameters<typeof createReportRenderPool>[0]) => {
  const pool = createReportRenderPool(options);
  pools.push(pool);
  return pool;
};
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return error instanceof DomainError ? error.code : (error as Error).message;
  }
};

describe('report render pool', () => {
  it('renders every format in a worker thread and gives the same PDF as often as asked', async () => {
    const pool = poolOf({ workers: 1 });
    const report = smallReport();
    const [first, docx, html] = [await pool.render('pdf', report), await pool.render('docx', report), await pool.render('html', report)];
    expect(first.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(docx.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(html.toString('utf8')).toContain('<title>Abschlussbericht Stadt Teststadt</title>');
    expect(Buffer.compare(first, await pool.render('pdf', report))).toBe(0);
    expect(pool.stats()).toMatchObject({ workersStarted: 1, rendered: 4, running: 0, queued: 0 });
  });

  it('replaces a worker after `recycleAfter` renders, so whatever it held goes back; output stays the same', async () => {
    const pool = poolOf({ workers: 1, recycleAfter: 2 });
    const report = smallReport();
    const files: Buffer[] = [];
    for (let index = 0; index < 5; index++) files.push(await pool.render('pdf', report));
    // Renders 1–2, 3–4 and 5 each on a worker of their own.
    expect(pool.stats()).toMatchObject({ workersStarted: 3, rendered: 5 });
    for (const file of files) expect(Buffer.compare(file, files[0]!)).toBe(0);
  });

  it('never runs more renders than workers; beyond the queue bound a render is refused at once with reports-busy', async () => {
    const pool = poolOf({ workers: 1, queueLimit: 2 });
    const report = smallReport();
    // Four renders asked in one go: one runs, two wait, the fourth is refused before any work.
    const renders = [0, 1, 2, 3].map(() => pool.render('pdf', report));
    expect(pool.stats()).toMatchObject({ workers: 1, running: 1, queued: 2 });
    expect(await Promise.all(renders.map(codeOf))).toEqual(['ok', 'ok', 'ok', 'reports-busy']);
    const refused = await renders[3]!.catch((error: unknown) => error);
    expect((refused as DomainError).detail?.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('one report per person at a time: a second one meanwhile is refused with report-busy, other people are not held up, the slot is freed after a failure', async () => {
    const pool = poolOf({ workers: 1 });
    let release!: () => void;
    const held = pool.exclusiveFor('person-a', () => new Promise<string>((resolve) => (release = () => resolve('done'))));
    expect(await codeOf(pool.exclusiveFor('person-a', async () => 'second'))).toBe('report-busy');
    expect(await pool.exclusiveFor('person-b', async () => 'other')).toBe('other');
    release();
    expect(await held).toBe('done');
    expect(await codeOf(pool.exclusiveFor('person-a', async () => Promise.reject(new Error('kaputt'))))).toBe('kaputt');
    expect(await pool.exclusiveFor('person-a', async () => 'again')).toBe('again');
  });

  it('a render that fails in the worker fails only that render; the next one works', async () => {
    const pool = poolOf({ workers: 1 });
    const broken = { ...smallReport(), sections: [{ id: 'preamble', number: null, title: 'Kaputt', blocks: [{ kind: 'paragraph', inlines: 5 }] }] } as unknown as Report;
    expect(await codeOf(pool.render('pdf', broken))).toMatch(/PDF-Bericht ließ sich nicht setzen/);
    expect((await pool.render('pdf', smallReport())).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('close() ends the workers and fails what is still waiting; later renders are refused', async () => {
    const pool = createReportRenderPool({ workers: 1 });
    const report = smallReport();
    await pool.render('pdf', report);
    const running = codeOf(pool.render('pdf', report));
    const waiting = codeOf(pool.render('pdf', report));
    await pool.close();
    expect(await waiting).toMatch(/beendet/);
    expect(await running).toMatch(/beendet|ok/);
    expect(await codeOf(pool.render('pdf', report))).toMatch(/beendet/);
    expect(pool.stats().workers).toBe(0);
  });
});
