import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findKommuneBySlug } from '../../../db/repositories/kommune-repository.ts';
import { findUserByEmail } from '../../../db/repositories/user-repository.ts';
import { auditEvent } from '../../../db/schema.ts';
import { loadDemo } from '../../../services/load-demo.ts';
import { createTestRuntime, testDatabaseKind, type TestRuntime } from '../../../../tests/support/database.ts';
import { TestClient } from '../../../../tests/support/http.ts';
import { fillDialogues } from '../../../../tests/support/report-documents.ts';

/**
 * The attacks of issue 11, finding 3: a Lesende asking for many PDFs at once, a report filled up to
 * the documents' limits, and a long report holding up everyone else's requests.
 */

let runtime: TestRuntime;
let lesende: TestClient;
let koordination: TestClient;
let mitwirkende: TestClient;
let kommuneId: string;
let authorId: string;

beforeAll(async () => {
  runtime = await createTestRuntime();
  const demo = await loadDemo(runtime.services);
  lesende = new TestClient(runtime, '198.51.100.41');
  koordination = new TestClient(runtime, '198.51.100.42');
  expect((await lesende.signIn('buergermeisterin@musterstadt.example', demo.password!)).status).toBe(200);
  expect((await koordination.signIn('integrationsbuero@musterstadt.example', demo.password!)).status).toBe(200);
  mitwirkende = new TestClient(runtime, '198.51.100.43');
  expect((await mitwirkende.signIn('sozialamt@musterstadt.example', demo.password!)).status).toBe(200);
  kommuneId = (await findKommuneBySlug(runtime.services.db, 'musterstadt'))!.id;
  authorId = (await findUserByEmail(runtime.services.db, 'integrationsbuero@musterstadt.example'))!.id;
});
afterAll(() => runtime?.close());

const path = '/api/kommunen/musterstadt/report';

/** Reports generated so far (the audit entry is written just before the file is rendered). */
async function reportsGenerated() {
  const [row] = await runtime.services.db
    .select({ total: count() })
    .from(auditEvent)
    .where(and(eq(auditEvent.action, 'report.generated'), eq(auditEvent.kommuneId, kommuneId)));
  return Number(row!.total);
}

describe('report generation under load', () => {
  it('ten PDFs asked at once by one Lesende: one renders at a time, the others get 429 with a German message and Retry-After', async () => {
    // Renders of this person at the same moment, seen where the service hands the file to the renderer.
    let rendering = 0;
    let mostAtOnce = 0;
    const renderer = runtime.services.reports;
    runtime.services.reports = {
      ...renderer,
      async render(format, report) {
        mostAtOnce = Math.max(mostAtOnce, ++rendering);
        try {
          return await renderer.render(format, report);
        } finally {
          rendering--;
        }
      },
    };
    try {
      const trials = testDatabaseKind === 'postgres' ? 20 : 5;
      for (let trial = 0; trial < trials; trial++) {
        const responses = await Promise.all(Array.from({ length: 10 }, () => lesende.get(`${path}?format=pdf`)));
        const statuses = responses.map((response) => response.status);
        expect(statuses.every((status) => status === 200 || status === 429), statuses.join()).toBe(true);
        expect(statuses.filter((status) => status === 200).length, statuses.join()).toBeGreaterThanOrEqual(1);
        expect(statuses.filter((status) => status === 429).length, statuses.join()).toBeGreaterThanOrEqual(1);
        for (const response of responses.filter((response) => response.status === 429)) {
          expect(response.body.error.code).toBe('report-busy');
          expect(response.body.error.message).toMatch(/Ihr vorheriger Bericht wird noch erzeugt/);
          expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        }
        for (const response of responses.filter((response) => response.status === 200)) expect(response.headers.get('content-type')).toBe('application/pdf');
      }
      expect(mostAtOnce).toBe(1);
      // Once the burst is over, the next report is served again.
      expect((await lesende.get(`${path}?format=pdf`)).status).toBe(200);
    } finally {
      runtime.services.reports = renderer;
    }
  });

  it('someone without the right to the report hears 403 for every one of many requests at once, never that they are busy', async () => {
    const responses = await Promise.all(Array.from({ length: 5 }, () => mitwirkende.get(`${path}?format=pdf`)));
    expect(responses.map((response) => response.status)).toEqual([403, 403, 403, 403, 403]);
  });

  it('while a long report renders, other requests are answered: the health check returns before the report', async () => {
    // About 60 pages: within the size limit, long enough to render for a while.
    await fillDialogues(runtime.services.db, kommuneId, authorId, 200_000);
    const before = await reportsGenerated();
    const finished: string[] = [];
    const report = koordination.get(`${path}?format=pdf`).then((response) => {
      finished.push('report');
      return response;
    });
    // Wait until the service has passed its checks and hands the report to the renderer.
    while ((await reportsGenerated()) === before) await new Promise((resolve) => setTimeout(resolve, 2));
    const health = await lesende.get('/api/health');
    finished.push('health');
    expect(health.status).toBe(200);
    const response = await report;
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(finished).toEqual(['health', 'report']);
  });

  it('a report filled up to the documents’ limits is refused with 422 and a German message, before any rendering; the preview still works', async () => {
    // A million characters, as much as one 1 MB request can carry: each event within its own limits,
    // together about 225 pages that took 2.4 s of the event loop and hundreds of MB to render.
    await fillDialogues(runtime.services.db, kommuneId, authorId, 1_000_000);
    const before = await reportsGenerated();
    for (const format of ['pdf', 'docx', 'html']) {
      const response = await lesende.get(`${path}?format=${format}`);
      expect(response.status, format).toBe(422);
      expect(response.body.error.code).toBe('report-too-large');
      expect(response.body.error.message).toMatch(/^Der Bericht ist zu umfangreich, um ihn als Datei zu erzeugen: Er enthält [\d.]+ Zeichen Text; möglich sind höchstens 300\.000/);
      expect(response.body.error.message).toMatch(/Bitte kürzen Sie/);
    }
    expect(await reportsGenerated()).toBe(before);
    const preview = await lesende.get(path);
    expect(preview.status).toBe(200);
    expect(preview.body.report.sections).toHaveLength(6);
  });
});
