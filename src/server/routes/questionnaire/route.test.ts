import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../../services/load-demo.ts';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../../../tests/support/factories.ts';
import { TestClient } from '../../../../tests/support/http.ts';

let runtime: TestRuntime;
let lesende: TestClient;
let mitwirkende: TestClient;
let otherKoordination: Person;
let folder: string;

beforeAll(async () => {
  runtime = await createTestRuntime();
  const demo = await loadDemo(runtime.services);
  lesende = new TestClient(runtime, '198.51.100.41');
  mitwirkende = new TestClient(runtime, '198.51.100.42');
  expect((await lesende.signIn('buergermeisterin@musterstadt.example', demo.password!)).status).toBe(200);
  expect((await mitwirkende.signIn('sozialamt@musterstadt.example', demo.password!)).status).toBe(200);
  const other = await makeKommune(runtime);
  otherKoordination = await makePerson(runtime, { kommune: { id: other.id, role: 'koordination' } });
  folder = mkdtempSync(path.join(tmpdir(), 'weltoffen-fragebogen-'));
});
afterAll(async () => {
  if (folder) rmSync(folder, { recursive: true, force: true });
  await runtime?.close();
});

const path1 = '/api/kommunen/musterstadt/rounds/1/questionnaire';

/** The raw bytes of a download (the test client reads bodies as text). */
async function download(client: TestClient, url: string) {
  const response = await runtime.app.request(`http://localhost:3000${url}`, { headers: { cookie: client.cookieHeader } });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

const pdfText = (body: Buffer, name: string) => {
  const file = path.join(folder, name);
  writeFileSync(file, body);
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
};

describe('GET /api/kommunen/:slug/rounds/:n/questionnaire', () => {
  it('one Handlungsfeld as PDF/UA: cover with Kommune, round and period, then every question with its key, „Ein ‚ja‘ heißt“, Belege, boxes and space to write', async () => {
    const response = await download(lesende, `${path1}?format=pdf&field=3`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="fragebogen-musterstadt-runde-1-handlungsfeld-3.pdf"');
    expect(response.body.subarray(0, 5).toString()).toBe('%PDF-');
    // Tagged PDF for PDF/UA: the document says it is marked and names the standard.
    expect(response.body.toString('latin1')).toMatch(/\/Marked true/);
    expect(response.body.toString('latin1')).toMatch(/pdfuaid:part>1</);

    const text = pdfText(response.body, 'feld-3.pdf');
    const order = ['Fragebogen', 'Stadt Musterstadt', 'Runde 1, vom 1. September bis 30. Oktober 2026', 'Handlungsfeld 3:', 'Ausgefüllt von', 'Die Antworten und was sie bedeuten', 'eher ja', 'Handlungsfeld 3:', 'Kriterium 3.1', '3.1.1', 'Ein ‚ja‘ heißt:', 'Typische Belege:', '☐ ja', '☐ eher ja', '☐ trifft nicht zu', 'Kommentar', 'Beleg:'];
    let from = 0;
    for (const part of order) {
      const at = text.indexOf(part, from);
      expect(at, `„${part}“ after position ${from}`).toBeGreaterThanOrEqual(0);
      from = at + part.length;
    }
    expect(text).not.toContain('Handlungsfeld 2:');
    expect(text).not.toContain('Kriterium 4.1');
  });

  it('the whole round as DOCX: every worked field as a heading, each question a heading with ☐ boxes, German as language', async () => {
    const response = await download(mitwirkende, `${path1}?format=docx`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="fragebogen-musterstadt-runde-1.docx"');
    const zip = await JSZip.loadAsync(response.body);
    const xml = await zip.file('word/document.xml')!.async('string');
    const styles = await zip.file('word/styles.xml')!.async('string');
    expect(styles).toContain('w:lang w:val="de-DE"');
    const paragraphs = [...xml.matchAll(/<w:p>(.*?)<\/w:p>|<w:p [^>]*>(.*?)<\/w:p>/gs)].map((match) => {
      const inner = match[1] ?? match[2] ?? '';
      return { style: /<w:pStyle w:val="([^"]+)"/.exec(inner)?.[1] ?? null, text: [...inner.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((run) => run[1]).join('') };
    });
    const fieldHeadings = paragraphs.filter((entry) => entry.style === 'Heading1').map((entry) => entry.text);
    expect(fieldHeadings.map((entry) => entry.replace(/:.*$/, ''))).toEqual(['1', '2', '3', '4', '5', '6', '7'].map((key) => `Handlungsfeld ${key}`));
    const questions = paragraphs.filter((entry) => entry.style === 'Heading3');
    expect(questions[0]!.text).toMatch(/^1\.1\.1 {2}\S/);
    const boxes = paragraphs.filter((entry) => entry.text.startsWith('☐ '));
    // Six answers of catalog 1.1 (or five of 1.0) per question.
    expect(boxes.length % questions.length).toBe(0);
    expect(boxes.length / questions.length).toBeGreaterThanOrEqual(5);
    expect(paragraphs.filter((entry) => entry.text.startsWith('Beleg:'))).toHaveLength(questions.length);
    expect(paragraphs.some((entry) => entry.text.startsWith('Ausgefüllt von'))).toBe(true);
  });

  it('the questions are as the Kommune’s kind sees them: no placeholder left', async () => {
    const response = await download(lesende, `${path1}?format=pdf&field=1`);
    expect(pdfText(response.body, 'feld-1.pdf')).not.toMatch(/\{[a-z]+\}/i);
  });

  it.each([
    ['?format=exe', 400, /Format.*pdf oder docx/],
    ['?field=abc', 400, /Handlungsfeld/],
    ['?field=42', 400, /Handlungsfeld/],
  ])('%s → %i with a German message', async (query, status, message) => {
    const response = await lesende.get(`${path1}${query}`);
    expect(response.status).toBe(status);
    expect(JSON.stringify(response.body.error)).toMatch(message);
  });

  it('a field the round does not work on → 409', async () => {
    const own = await makeKommune(runtime);
    const koordination = await makePerson(runtime, { kommune: { id: own.id, role: 'koordination' } });
    const started = await koordination.client.post(`/api/kommunen/${own.slug}/rounds`, { workedFieldKeys: ['1', '2'] });
    expect(started.status).toBe(201);
    const response = await koordination.client.get(`/api/kommunen/${own.slug}/rounds/${started.body.round.number}/questionnaire?field=5`);
    expect(response.status).toBe(409);
    expect(response.body.error.message).toMatch(/nicht bearbeitet/);
  });

  it('unknown round → 404, unknown Kommune → 404, another Kommune’s Koordination → 403, signed out → 401', async () => {
    expect((await lesende.get('/api/kommunen/musterstadt/rounds/99/questionnaire')).status).toBe(404);
    expect((await lesende.get('/api/kommunen/nirgendwo/rounds/1/questionnaire')).status).toBe(404);
    expect((await otherKoordination.client.get(path1)).status).toBe(403);
    expect((await new TestClient(runtime).get(path1)).status).toBe(401);
  });
});
