import { mkdirSync } from 'node:fs';
import type { APIRequestContext, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, watchPage } from '../support/browser.ts';
import { startJourney, type Journey } from '../support/journey.ts';

/**
 * Issue 17 in the browser: residents answer the survey in German, Leichte Sprache and Arabic on a
 * phone, with the keyboard; the Arabic page is right to left (by `dir` and by a screenshot); axe passes
 * in every language; a second answer from the same phone is refused in its language.
 */
let journey: Journey;
const port = 4450;
const screenshotDir = '/tmp/web17';
let token = '';

const headers = () => ({ origin: journey.origin });
async function signedInRequest(context: BrowserContext, email: string): Promise<APIRequestContext> {
  const response = await context.request.post(`${journey.origin}/api/session`, { headers: headers(), data: { email, password: journey.password } });
  expect(response.status()).toBe(200);
  return context.request;
}

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  journey = await startJourney({ port, name: 'survey', withDemo: true });
  const office = await journey.browser.newContext({ locale: 'de-DE' });
  const koordination = await signedInRequest(office, 'integrationsbuero@musterstadt.example');
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  // The demo's round 1 has a closed survey; this journey needs an open one.
  expect((await koordination.delete(`${journey.origin}/api/kommunen/musterstadt/rounds/1/survey`, { headers: headers() })).status()).toBeLessThan(300);
  const created = await koordination.post(`${journey.origin}/api/kommunen/musterstadt/rounds/1/survey`, {
    headers: headers(),
    data: { settings: { fields: ['2', '6', '7'], openQuestions: [{ text: 'Was sollte sich hier ändern?' }], opensOn: day(-1), closesOn: day(30), retentionMonths: 6, controller: 'Stadt Musterstadt, Integrationsbüro, Marktplatz 1' } },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { survey } = (await created.json()) as { survey: { url: string; version: number } };
  token = survey.url.split('/umfrage/')[1]!;
  expect((await koordination.post(`${journey.origin}/api/kommunen/musterstadt/rounds/1/survey/publish`, { headers: headers(), data: { version: survey.version } })).status()).toBe(200);
  // The Programmteam reviews Leichte Sprache and Arabic; the other translations stay drafts.
  const programme = await signedInRequest(await journey.browser.newContext(), 'programmteam@musterstadt.example');
  for (const language of ['de-x-ls', 'ar']) {
    const texts = (await (await programme.get(`${journey.origin}/api/survey-texts/${language}`)).json()) as { texts: { key: string }[] };
    const reviewed = await programme.post(`${journey.origin}/api/survey-texts/${language}/review`, { headers: headers(), data: { keys: texts.texts.map((text) => text.key) } });
    expect(reviewed.status()).toBe(200);
  }
  await office.close();
}, 180_000);
afterAll(() => journey?.close());

async function phone(locale: string): Promise<{ page: Page; problems: string[]; fonts: string[] }> {
  const context = await journey.browser.newContext({ locale, viewport: { width: 360, height: 740 }, hasTouch: true });
  const page = await context.newPage();
  const fonts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'font') fonts.push(new URL(request.url()).pathname);
  });
  return { page, problems: watchPage(page).problems, fonts };
}

/** Answers with the keyboard only: Tab to each statement's group, arrow keys to the option, space. */
async function chooseWithKeyboard(page: Page, statement: string, optionIndex: number): Promise<void> {
  const first = page.locator(`input[name="a-${statement}"]`).first();
  await first.focus();
  await page.keyboard.press('Space');
  for (let step = 0; step < optionIndex; step++) await page.keyboard.press('ArrowDown');
  await expect.poll(() => page.locator(`input[name="a-${statement}"]:checked`).evaluate((input) => (input as HTMLInputElement).value)).toBeTruthy();
}

describe('the resident survey in the browser', () => {
  it('German: answered with the keyboard, the open question and a group, sent; the thanks take the focus', async () => {
    const { page, problems, fonts } = await phone('de-DE');
    const started = Date.now();
    await page.goto(`${journey.origin}/umfrage/${token}`);
    await page.waitForLoadState('networkidle');
    // Latin text keeps the system's font: no font file for a German page.
    expect(fonts).toEqual([]);
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');
    await page.getByRole('heading', { level: 1, name: 'Umfrage zum Zusammenleben – Musterstadt' }).waitFor();
    await expectNoAxeViolations(page, 'Umfrage, Deutsch');
    await page.screenshot({ path: `${screenshotDir}/de.png`, fullPage: true });
    await chooseWithKeyboard(page, '6.1', 0);
    await chooseWithKeyboard(page, '2.1', 2);
    await page.getByRole('group', { name: /Die Vereine hier stehen allen Menschen offen/ }).getByText('Weiß nicht').click();
    await page.getByLabel('Was sollte sich hier ändern?').fill('Mehr Sprechstunden am Abend');
    await page.getByRole('group', { name: 'Wie lange wohnen Sie schon hier?' }).getByText('Weniger als 5 Jahre').click();
    await page.getByRole('button', { name: 'Antworten absenden' }).click();
    const thanks = page.getByRole('heading', { level: 2, name: 'Vielen Dank!' });
    await thanks.waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('danke');
    // Far under the three minutes the issue allows, including the proof of work.
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(problems).toEqual([]);
  }, 120_000);

  it('Leichte Sprache: chosen on the page, keeps what was already chosen, sent', async () => {
    const { page, problems } = await phone('de-DE');
    await page.goto(`${journey.origin}/umfrage/${token}`);
    await chooseWithKeyboard(page, '6.2', 1);
    await page.getByLabel('Sprache', { exact: true }).selectOption('de-x-ls');
    await page.getByRole('button', { name: 'Sprache wechseln' }).click();
    await page.waitForURL(/sprache=de-x-ls/);
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    expect(await page.locator('input[name="a-6.2"]:checked').count()).toBe(1);
    // Leichte Sprache: one sentence per line.
    const intro = page.locator('.kopf > p').first();
    expect(await intro.locator('br').count()).toBeGreaterThan(3);
    await expectNoAxeViolations(page, 'Umfrage, Leichte Sprache');
    await page.screenshot({ path: `${screenshotDir}/leichte-sprache.png`, fullPage: true });
    await page.locator('form#umfrage button[type="submit"]').click();
    await page.locator('#danke').waitFor({ state: 'visible', timeout: 60_000 });
    expect(problems).toEqual([]);
  }, 120_000);

  it('Arabic: chosen by the browser, right to left, sent; a second answer from the phone is refused in Arabic', async () => {
    const { page, problems, fonts } = await phone('ar');
    await page.goto(`${journey.origin}/umfrage/${token}`);
    await page.waitForLoadState('networkidle');
    // Arabic glyphs from the npm font package, served by the app itself.
    expect(fonts).toEqual([expect.stringMatching(/^\/assets\/noto-sans-arabic-arabic-400-normal-[\w-]+\.woff2$/)]);
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    // Right to left: the first answer option sits right of the second one.
    const [first, second] = await Promise.all([0, 1].map((index) => page.locator('input[name="a-6.1"]').nth(index).boundingBox()));
    expect(first!.x).toBeGreaterThan(second!.x);
    await expectNoAxeViolations(page, 'Umfrage, Arabisch');
    await page.screenshot({ path: `${screenshotDir}/ar.png`, fullPage: true });
    await chooseWithKeyboard(page, '7.1', 3);
    await page.locator('form#umfrage button[type="submit"]').click();
    await page.locator('#danke').waitFor({ state: 'visible', timeout: 60_000 });
    await page.reload();
    await chooseWithKeyboard(page, '7.2', 0);
    await page.locator('form#umfrage button[type="submit"]').click();
    const error = page.locator('#fehler');
    await expect.poll(() => error.textContent(), { timeout: 60_000 }).toMatch(/[\u0600-\u06FF]/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('fehler');
    await page.screenshot({ path: `${screenshotDir}/ar-schon-geantwortet.png`, fullPage: true });
    expect(problems).toEqual([]);
  }, 120_000);

  it('a page in a language the Programmteam has not reviewed is not offered: German instead', async () => {
    const { page } = await phone('tr');
    await page.goto(`${journey.origin}/umfrage/${token}?sprache=tr`);
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    const options = await page.locator('#sprache option').evaluateAll((nodes) => nodes.map((node) => (node as HTMLOptionElement).value));
    expect(options).toEqual(['de', 'de-x-ls', 'ar']);
  }, 60_000);
  it('every language, once reviewed: its own lang and direction, the Kommune named, no axe violation', async () => {
    const programme = await signedInRequest(await journey.browser.newContext(), 'programmteam@musterstadt.example');
    const directions: Record<string, string> = { en: 'ltr', tr: 'ltr', uk: 'ltr', ru: 'ltr', fa: 'rtl' };
    for (const language of Object.keys(directions)) {
      const texts = (await (await programme.get(`${journey.origin}/api/survey-texts/${language}`)).json()) as { texts: { key: string }[] };
      expect((await programme.post(`${journey.origin}/api/survey-texts/${language}/review`, { headers: headers(), data: { keys: texts.texts.map((text) => text.key) } })).status()).toBe(200);
    }
    for (const [language, direction] of Object.entries(directions)) {
      const { page, problems, fonts } = await phone('de-DE');
      await page.goto(`${journey.origin}/umfrage/${token}?sprache=${language}`);
      expect(await page.getAttribute('html', 'lang')).toBe(language);
      expect(await page.getAttribute('html', 'dir')).toBe(direction);
      expect(await page.locator('h1').textContent()).toContain('Musterstadt');
      await page.waitForLoadState('networkidle');
      if (language === 'uk' || language === 'ru') expect(fonts.some((font) => font.includes('source-sans-3-cyrillic-400-normal'))).toBe(true);
      if (language === 'fa') expect(fonts.some((font) => font.includes('noto-sans-arabic-arabic-400-normal'))).toBe(true);
      await expectNoAxeViolations(page, `Umfrage, ${language}`);
      if (language === 'fa') await page.screenshot({ path: `${screenshotDir}/fa.png`, fullPage: true });
      expect(problems).toEqual([]);
      await page.context().close();
    }
  }, 120_000);
});
