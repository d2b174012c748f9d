import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../support/browser.ts';
import { startJourney, type Journey } from '../support/journey.ts';

// The questionnaire on paper (issue 14): from the round page, one Handlungsfeld as PDF and the whole
// round as DOCX; the PDF's pages are rendered to PNG (the pictures a person looks at when the
// template changes: WELTOFFEN_KEEP_PAGES=<folder> keeps them).

let journey: Journey;
const port = 4130;
let folder: string;

beforeAll(async () => {
  journey = await startJourney({ port, name: 'paper-questionnaire', withDemo: true });
  folder = process.env.WELTOFFEN_KEEP_PAGES ?? mkdtempSync(path.join(tmpdir(), 'weltoffen-paper-'));
});
afterAll(async () => {
  if (folder && !process.env.WELTOFFEN_KEEP_PAGES) rmSync(folder, { recursive: true, force: true });
  await journey?.close();
});

describe('paper questionnaire', () => {
  it('the Koordination downloads one Handlungsfeld as PDF and the whole round as DOCX from the round page', async () => {
    const page = await journey.signedIn('integrationsbuero@musterstadt.example');
    await page.goto(`${journey.origin}/kommunen/musterstadt/selbstcheck/1`);
    await page.getByRole('heading', { level: 2, name: 'Fragebogen auf Papier' }).waitFor();
    await expectNoAxeViolations(page, 'Runde mit Fragebogen auf Papier');

    await page.getByLabel('Umfang').selectOption('3');
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Fragebogen als PDF herunterladen' }).click()]);
    expect(pdf.suggestedFilename()).toBe('fragebogen-musterstadt-runde-1-handlungsfeld-3.pdf');
    const pdfFile = (await pdf.path())!;
    expect(readFileSync(pdfFile).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = execFileSync('pdftotext', [pdfFile, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Ausgefüllt von');
    expect(text).toContain('Kriterium 3.1');
    expect(text).not.toContain('Kriterium 2.1');
    execFileSync('pdftoppm', ['-r', '50', '-png', pdfFile, path.join(folder, 'handlungsfeld-3')]);
    const pages = readdirSync(folder).filter((name) => name.startsWith('handlungsfeld-3') && name.endsWith('.png'));
    const count = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdfFile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))?.[1]);
    expect(pages).toHaveLength(count);
    expect(count).toBeGreaterThan(2);

    await page.getByLabel('Umfang').selectOption('');
    const [docx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Fragebogen als Word-Datei (DOCX) herunterladen' }).click()]);
    expect(docx.suggestedFilename()).toBe('fragebogen-musterstadt-runde-1.docx');
    expect(readFileSync((await docx.path())!).subarray(0, 2).toString('latin1')).toBe('PK');
    await expectNoAxeViolations(page, 'Runde nach den Downloads');
    expect(journey.problems()).toEqual([]);
  });

  it('Mitwirkende get the paper questionnaire of the round too', async () => {
    const page = await journey.signedIn('sozialamt@musterstadt.example');
    await page.goto(`${journey.origin}/kommunen/musterstadt/selbstcheck/1`);
    await page.getByRole('heading', { level: 2, name: 'Fragebogen auf Papier' }).waitFor();
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Fragebogen als PDF herunterladen' }).click()]);
    expect(pdf.suggestedFilename()).toBe('fragebogen-musterstadt-runde-1.pdf');
    await expectNoAxeViolations(page, 'Runde für Mitwirkende');
    expect(journey.problems()).toEqual([]);
  });
});
