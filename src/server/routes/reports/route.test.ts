import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../../services/load-demo.ts';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { TestClient } from '../../../../tests/support/http.ts';

let runtime: TestRuntime;
let lesende: TestClient;
let mitwirkende: TestClient;

beforeAll(async () => {
  runtime = await createTestRuntime();
  const demo = await loadDemo(runtime.services);
  lesende = new TestClient(runtime, '198.51.100.31');
  mitwirkende = new TestClient(runtime, '198.51.100.32');
  expect((await lesende.signIn('buergermeisterin@musterstadt.example', demo.password!)).status).toBe(200);
  expect((await mitwirkende.signIn('sozialamt@musterstadt.example', demo.password!)).status).toBe(200);
});
afterAll(() => runtime?.close());

const path = '/api/kommunen/musterstadt/report';

describe('GET /api/kommunen/:slug/report', () => {
  it('Lesende get the model as JSON for the preview', async () => {
    const response = await lesende.get(path);
    expect(response.status).toBe(200);
    expect(response.body.roundNumber).toBe(1);
    expect(response.body.report.sections).toHaveLength(6);
  });

  it('Mitwirkende answer the questionnaire but do not get the report', async () => {
    expect((await mitwirkende.get(path)).status).toBe(403);
  });

  it.each([
    ['pdf', 'application/pdf', /\.pdf"$/],
    ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', /\.docx"$/],
    ['html', 'text/html; charset=utf-8', /\.html"$/],
  ])('format=%s downloads a file', async (format, type, name) => {
    const response = await lesende.get(`${path}?format=${format}&round=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('content-disposition')).toMatch(name);
  });

  it.each([
    ['?format=exe', 400, /json, html, pdf oder docx/],
    ['?round=eins', 400, /Rundennummer/],
    ['?round=0', 400, /Rundennummer/],
    ['?round=99', 404, /Runde/],
  ])('%s → %i with a German message', async (query, status, message) => {
    const response = await lesende.get(`${path}${query}`);
    expect(response.status).toBe(status);
    expect(JSON.stringify(response.body.error)).toMatch(message);
  });

  it('a Kommune that does not exist → 404', async () => {
    expect((await lesende.get('/api/kommunen/nirgendwo/report')).status).toBe(404);
  });
});
