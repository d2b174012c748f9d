import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlNamedPdf, pdf } from '../support/evidence-files.ts';
import { expectNoAxeViolations } from '../support/browser.ts';
import { startJourney, type Journey } from '../support/journey.ts';

/**
 * Issue 18 in the browser: the Koordination uploads a council decision as a Beleg (with progress),
 * opens it as a PDF, uploads a new version and releases it for Lesende, who then see it; an HTML file
 * named .pdf is refused with the server's German message at the file field; a broken upload goes on
 * with „Erneut versuchen“ where the server stands. axe on every state; nothing scrolls sideways at 320 px.
 */
let journey: Journey;
/** An upload on two cores may take a few seconds (the server checks the whole file when it is finished). */
const eventually = <T,>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });
const port = 4460;
const screenshotDir = '/tmp/belege-web';
let fileDir = '';
const title = 'Ratsbeschluss Integrationskonzept';

/** A real PDF padded with comment lines after its end to `size` bytes, so it goes up in several slices. */
function paddedPdf(text: string, size: number): Uint8Array {
  const head = pdf(text);
  const bytes = new Uint8Array(size);
  bytes.set(head, 0);
  for (let index = head.length; index < size; index++) bytes[index] = (index - head.length) % 80 === 0 ? 0x25 : (index - head.length) % 80 === 79 ? 0x0a : 0x20;
  return bytes;
}

function writeFile(name: string, bytes: Uint8Array): string {
  const file = path.join(fileDir, name);
  writeFileSync(file, bytes);
  return file;
}

/** Nothing on the page is wider than the window, and every button and link lies inside it. */
async function expectNoSidewaysScrolling(page: Page, width: number, label: string) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth), label).toBeLessThanOrEqual(width);
  const outside = await page.locator('main :is(button, a, input, select, progress)').evaluateAll(
    (nodes, limit) => nodes.filter((node) => node.getBoundingClientRect().width > 1 && node.getBoundingClientRect().right > limit + 1).map((node) => node.outerHTML.slice(0, 80)),
    width,
  );
  expect(outside, label).toEqual([]);
}

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  fileDir = mkdtempSync(path.join(tmpdir(), 'belege-files-'));
  journey = await startJourney({ port, name: 'belege', withDemo: true });
}, 180_000);
afterAll(async () => {
  await journey?.close();
  if (fileDir) rmSync(fileDir, { recursive: true, force: true });
});

describe('Belege in the browser', () => {
  let page: Page;

  it('the Koordination finds „Belege“ on the Kommune page; the empty page says what Belege are and what is accepted', async () => {
    page = await journey.signedIn('integrationsbuero@musterstadt.example');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${journey.origin}/kommunen/musterstadt`);
    await page.getByRole('link', { name: 'Belege', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Belege' }).waitFor();
    await eventually(() => page.getByText('Noch keine Belege').count()).toBe(1);
    await eventually(() => page.getByText(/PDF, Word \(DOCX\), Excel \(XLSX\), OpenDocument \(ODT, ODS\) oder Bild \(PNG, JPEG\) bis 20 MB je Datei/).count()).toBe(1);
    await expectNoAxeViolations(page, 'Belege, leer');
  });

  it('uploads a 2.5 MB PDF in slices with a progress bar, and lists it with its facts', async () => {
    const file = writeFile('Ratsbeschluss 2026-03.pdf', paddedPdf('Ratsbeschluss', 2.5 * 1024 * 1024));
    // Hold the second slice until the progress after the first one has been checked.
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let puts = 0;
    await page.route(/\/belege\/uploads\/[^/]+\?offset=/, async (route) => {
      if (++puts === 2) await gate;
      await route.continue();
    });
    const form = page.getByRole('form', { name: 'Beleg hochladen' });
    await form.getByLabel('Datei', { exact: true }).setInputFiles(file);
    await form.getByLabel('Titel').fill(title);
    await form.getByLabel(/Datum des Dokuments/).fill('2026-03-12');
    await form.getByRole('button', { name: 'Hochladen' }).click();
    await eventually(() => form.getByText('1,0 von 2,5 MB hochgeladen').count()).toBe(1);
    expect(await form.locator('progress').getAttribute('value')).toBe(String(1024 * 1024));
    expect(await form.getByRole('status').textContent()).toBe('Die Datei wird hochgeladen …');
    await form.getByRole('button', { name: 'Hochladen abbrechen' }).waitFor();
    await page.screenshot({ path: `${screenshotDir}/upload-progress.png`, fullPage: true });
    release();
    await eventually(() => form.getByRole('status').textContent()).toBe(`„${title}“ ist hochgeladen.`);
    await page.unroute(/\/belege\/uploads\/[^/]+\?offset=/);
    expect(puts).toBe(3);

    const card = page.getByRole('article', { name: title });
    await card.waitFor();
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('12. März 2026');
    expect(text).toContain('Ratsbeschluss 2026-03.pdf');
    expect(text).toContain('PDF, 2,5 MB');
    expect(text).toContain('Eine Fassung');
    expect(text).toMatch(/Verknüpft mit\s*noch keiner Leitfrage und keinem Kriterium/);
    expect(text).toMatch(/Für Lesende freigegeben\s*Nein/);
    await expectNoAxeViolations(page, 'Belege mit einem Beleg');
  });

  it('opens the PDF in a new tab, served as application/pdf', async () => {
    const card = page.getByRole('article', { name: title });
    const link = card.getByRole('link', { name: /Ratsbeschluss 2026-03\.pdf/ });
    expect(await link.getAttribute('target')).toBe('_blank');
    const response = page.context().waitForEvent('response', (candidate) => /\/versions\/1$/.test(candidate.url()));
    const popup = page.waitForEvent('popup');
    await link.click();
    const opened = await response;
    expect(opened.status()).toBe(200);
    expect(opened.headers()['content-type']).toBe('application/pdf');
    expect(opened.headers()['content-disposition']).toMatch(/^inline;/);
    await (await popup).close();
  });

  it('shows which question and criterion of which round it backs; the delete dialog says from how many it disappears', async () => {
    const origin = journey.origin;
    const started = await page.request.post(`${origin}/api/kommunen/musterstadt/rounds`, { headers: { origin }, data: { workedFieldKeys: ['1', '2'], participants: '' } });
    expect(started.status(), await started.text()).toBe(201);
    const round = ((await started.json()) as { round: { number: number } }).round.number;
    const list = (await (await page.request.get(`${origin}/api/kommunen/musterstadt/belege`)).json()) as { documents: { id: string }[] };
    const id = list.documents[0]!.id;
    for (const link of ['question/1.1.1', 'criterion/1.1']) {
      const linked = await page.request.put(`${origin}/api/kommunen/musterstadt/belege/${id}/links/${round}/${link}`, { headers: { origin } });
      expect(linked.status(), await linked.text()).toBe(200);
    }
    await page.reload();
    const card = page.getByRole('article', { name: title });
    await card.waitFor();
    const backs = await card.locator('dd ul li').allTextContents();
    expect(backs.sort()).toEqual([`Runde ${round}: Kriterium 1.1`, `Runde ${round}: Leitfrage 1.1.1`]);
    await card.getByRole('button', { name: `Löschen: ${title}` }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toContain('Seine 2 Verknüpfungen mit Leitfragen und Kriterien werden entfernt');
    await dialog.getByRole('button', { name: 'Abbrechen' }).click();
    expect(await page.getByRole('article').count()).toBe(1);
  });

  it('uploads a new version; the history shows both, and the Koordination releases it for Lesende', async () => {
    const card = page.getByRole('article', { name: title });
    await card.getByRole('button', { name: 'Neue Fassung hochladen' }).click();
    const form = card.getByRole('form', { name: `Neue Fassung von „${title}“` });
    await form.getByLabel('Datei', { exact: true }).setInputFiles(writeFile('Ratsbeschluss geändert.pdf', pdf('Ratsbeschluss, geaendert')));
    await form.getByRole('button', { name: 'Hochladen' }).click();
    // The form closes, the card says so, and the focus goes back to the button that opened it.
    await eventually(() => card.getByRole('status').last().textContent()).toBe('Die neue Fassung ist hochgeladen.');
    expect(await form.count()).toBe(0);
    expect(await card.getByRole('button', { name: 'Neue Fassung hochladen' }).evaluate((button) => button === document.activeElement)).toBe(true);
    await eventually(() => card.getByText('2 Fassungen', { exact: true }).count()).toBe(1);
    await card.getByText('Verlauf: 2 Fassungen').click();
    const history = await card.locator('.beleg__versions li').allTextContents();
    expect(history).toHaveLength(2);
    expect(history[0]).toMatch(/^Fassung 2 \(PDF, öffnet in einem neuen Fenster\): Ratsbeschluss geändert\.pdf \(PDF, [0-9,]+ Bytes\)/);
    expect(history[1]).toMatch(/^Fassung 1 \(PDF, öffnet in einem neuen Fenster\): Ratsbeschluss 2026-03\.pdf \(PDF, 2,5 MB\)/);
    expect(await card.getByRole('link', { name: /Ratsbeschluss geändert\.pdf/ }).first().getAttribute('href')).toMatch(/\/versions\/2$/);

    await card.getByRole('button', { name: 'Für Lesende freigeben' }).click();
    await card.getByRole('button', { name: 'Freigabe für Lesende aufheben' }).waitFor();
    expect(await card.getByRole('status').last().textContent()).toBe('Der Beleg ist jetzt für Lesende freigegeben.');
    await eventually(async () => card.textContent()).toMatch(/Für Lesende freigegeben\s*Ja/);
    await expectNoAxeViolations(page, 'Belege nach neuer Fassung und Freigabe');
  });

  it('refuses an HTML file named .pdf with the server’s German message at the file field', async () => {
    const form = page.getByRole('form', { name: 'Beleg hochladen' });
    await form.getByLabel('Datei', { exact: true }).setInputFiles(writeFile('Beschluss.pdf', htmlNamedPdf()));
    await form.getByLabel('Titel').fill('Kein PDF');
    await form.getByRole('button', { name: 'Hochladen' }).click();
    const message = /Die Datei „Beschluss\.pdf“ hat kein erlaubtes Format/;
    await eventually(() => page.locator('.kern-form-input--error .kern-error').textContent()).toMatch(message);
    await eventually(() => page.getByRole('alert').filter({ hasText: 'Das hat nicht geklappt' }).textContent()).toMatch(message);
    expect(await form.getByLabel('Datei', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('article').count()).toBe(1);
    await page.screenshot({ path: `${screenshotDir}/refused.png`, fullPage: true });
    await expectNoAxeViolations(page, 'Belege mit abgelehnter Datei');
  });

  it('at 320 px nothing scrolls sideways', async () => {
    await page.goto(`${journey.origin}/kommunen/musterstadt/belege`);
    await page.getByRole('article', { name: title }).waitFor();
    await page.screenshot({ path: `${screenshotDir}/desktop.png`, fullPage: true });
    await page.setViewportSize({ width: 320, height: 800 });
    await page.getByRole('article', { name: title }).getByText('Verlauf: 2 Fassungen').click();
    await expectNoSidewaysScrolling(page, 320, 'Belege bei 320 px');
    await page.screenshot({ path: `${screenshotDir}/narrow-320.png`, fullPage: true });
    await expectNoAxeViolations(page, 'Belege bei 320 px');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('a broken upload goes on with „Erneut versuchen“ from where the server stands', async () => {
    const file = writeFile('Monitoringbericht.pdf', paddedPdf('Monitoring', 3 * 1024 * 1024));
    let puts = 0;
    const offsets: string[] = [];
    await page.route(/\/belege\/uploads\/[^/?]+(\?offset=.*)?$/, async (route) => {
      const request = route.request();
      if (request.method() === 'GET') offsets.push('GET');
      if (request.method() === 'PUT' && ++puts === 2) return route.abort('connectionreset');
      return route.continue();
    });
    const form = page.getByRole('form', { name: 'Beleg hochladen' });
    await form.getByLabel('Datei', { exact: true }).setInputFiles(file);
    await form.getByLabel('Titel').fill('Monitoringbericht 2025');
    await form.getByRole('button', { name: 'Hochladen' }).click();
    await page.getByRole('alert').filter({ hasText: 'Das Hochladen wurde unterbrochen' }).waitFor();
    expect(await form.getByRole('status').textContent()).toBe('Das Hochladen wurde unterbrochen; 1,0 von 3,0 MB sind gespeichert.');
    await page.screenshot({ path: `${screenshotDir}/interrupted.png`, fullPage: true });
    await expectNoAxeViolations(page, 'Belege, Hochladen unterbrochen');
    await form.getByRole('button', { name: 'Erneut versuchen' }).click();
    await eventually(() => form.getByRole('status').textContent()).toBe('„Monitoringbericht 2025“ ist hochgeladen.');
    expect(offsets).toEqual(['GET']);
    expect(puts).toBe(4);
    await page.unrouteAll();
    const card = page.getByRole('article', { name: 'Monitoringbericht 2025' });
    expect(await card.textContent()).toContain('PDF, 3 MB');
    // The whole file arrived once: the stored version has the original's size.
    const list = (await (await page.request.get(`${journey.origin}/api/kommunen/musterstadt/belege`)).json()) as { documents: { title: string; current: { size: number } }[] };
    expect(list.documents.find((entry) => entry.title === 'Monitoringbericht 2025')?.current.size).toBe(3 * 1024 * 1024);
  });

  it('deletes a Beleg after confirming; the dialog says from how many answers it disappears', async () => {
    const card = page.getByRole('article', { name: 'Monitoringbericht 2025' });
    await card.getByRole('button', { name: 'Löschen: Monitoringbericht 2025' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toContain('Er ist mit keiner Leitfrage und keinem Kriterium verknüpft.');
    await dialog.getByRole('button', { name: 'Beleg löschen' }).click();
    await eventually(() => page.getByRole('article').count()).toBe(1);
    await eventually(() => page.getByText('„Monitoringbericht 2025“ ist gelöscht.').count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Ein Beleg' }).evaluate((heading) => heading === document.activeElement)).toBe(true);
  });

  it('the Lesende sees the released Beleg, without upload or actions', async () => {
    const reader = await journey.signedIn('buergermeisterin@musterstadt.example');
    await reader.goto(`${journey.origin}/kommunen/musterstadt/belege`);
    const card = reader.getByRole('article', { name: title });
    await card.waitFor();
    expect(await reader.getByRole('form', { name: 'Beleg hochladen' }).count()).toBe(0);
    expect(await card.getByRole('button').count()).toBe(0);
    await expectNoAxeViolations(reader, 'Belege als Lesende');
    const problems = journey.problems().filter((problem) => !/ERR_CONNECTION_RESET|ERR_FAILED/.test(problem));
    expect(problems).toEqual([]);
  });
});
