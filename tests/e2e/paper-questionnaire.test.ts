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

  it('the Koordination enters a returned paper questionnaire for the Sozialamt; consolidation and change log name it', async () => {
    const page = await journey.signedIn('integrationsbuero@musterstadt.example');
    const origin = journey.origin;
    const started = await page.request.post(`${origin}/api/kommunen/musterstadt/rounds`, { headers: { origin }, data: { workedFieldKeys: ['1', '2'], participants: '' } });
    expect(started.status()).toBe(201);
    const number = (await started.json()).round.number as number;
    await page.goto(`${origin}/kommunen/musterstadt/selbstcheck/${number}`);
    await page.getByRole('heading', { level: 2, name: 'Papierbogen eintragen' }).waitFor();
    await expectNoAxeViolations(page, 'Runde mit Papierbogen-Eintrag');
    // Without a name the form says what is missing.
    await page.getByRole('button', { name: 'Eintragen beginnen' }).click();
    await page.getByText('Bitte nennen Sie die Stelle mit 2 bis 120 Zeichen.').first().waitFor();
    await page.getByLabel('Stelle, deren Fragebogen Sie eintragen').fill('Sozialamt');
    await page.getByRole('button', { name: 'Eintragen beginnen' }).click();
    await page.getByRole('heading', { level: 1, name: /^Handlungsfeld 1: .* – Papierbogen Sozialamt$/ }).waitFor();
    await page.getByText('Sie tragen die Antworten des Papierbogens für „Sozialamt“ ein.', { exact: false }).waitFor();
    await expectNoAxeViolations(page, 'Papierbogen eintragen');
    const group = page.getByRole('group', { name: /^1\.1\.1 / });
    await group.getByRole('radio', { name: 'eher ja', exact: true }).check();
    await group.getByText(/Gespeichert um/).waitFor();

    // Her own answer page stays empty: the paper answer is the Sozialamt's.
    await page.goto(`${origin}/kommunen/musterstadt/selbstcheck/${number}/handlungsfeld/1`);
    const own = page.getByRole('group', { name: /^1\.1\.1 / });
    await own.waitFor();
    expect(await own.getByRole('radio', { name: 'eher ja', exact: true }).isChecked()).toBe(false);

    await page.goto(`${origin}/kommunen/musterstadt/selbstcheck/${number}`);
    await page.getByRole('link', { name: 'Sozialamt' }).waitFor();
    await page.getByText('1 Antwort eingetragen').waitFor();

    await page.goto(`${origin}/kommunen/musterstadt/selbstcheck/${number}/konsolidierung`);
    await page.getByText('Sozialamt (Papierbogen, eingetragen von Ayşe Yılmaz)').first().waitFor();
    await expectNoAxeViolations(page, 'Konsolidierung mit Papierbogen');
    await page.goto(`${origin}/kommunen/musterstadt/selbstcheck/${number}/aenderungen`);
    await page.getByText(/eingetragen für: Sozialamt/).first().waitFor();
    await expectNoAxeViolations(page, 'Änderungen mit Papierbogen');
    expect(journey.problems()).toEqual([]);
  });
});
