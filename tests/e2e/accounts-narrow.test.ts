import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, launchBrowser, watchPage } from '../support/browser.ts';
import { runCli, startServerProcess, type ServerProcess } from '../support/processes.ts';

// Issue 14 review: at 320 px the sessions table („Mein Konto“) and the E-Mail-Protokoll had their
// Aktion and Stand columns only sideways. Now each row is a card (every value under its column's
// name), nothing scrolls sideways, and this session is marked. axe on both pages, narrow and wide.
// (A server of its own like tests/support/journey.ts, with a longer start on a busy machine.)

const koordination = 'integrationsbuero@musterstadt.example';
const port = 4193;
const origin = `http://localhost:${port}`;

let dataDir: string;
let server: ServerProcess | undefined;
let browser: Browser;
let closeBrowser: (() => Promise<void>) | undefined;
let password = '';
const watchers: { problems: string[] }[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'weltoffen-e2e-accounts-narrow-'));
  const env = { DATA_DIR: dataDir, HOST: 'localhost' };
  password = /Passwort: (\S+)/.exec((await runCli(['demo'], env)).stdout)?.[1] ?? '';
  server = startServerProcess({ ...env, PORT: String(port) });
  expect(await healthy(port, 240_000), server.output()).toBe(true);
  ({ browser, close: closeBrowser } = await launchBrowser());
}, 400_000);

afterAll(async () => {
  await closeBrowser?.();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Waits for the server's health check; each try gives up after 5 s, so one stuck request does not eat the wait. */
async function healthy(onPort: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${onPort}/api/health`, { signal: AbortSignal.timeout(5_000) })).status === 200) return true;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/** A new browser context signed in as `email`, on „Kommunen“. */
async function signedIn(email: string): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'de-DE' })).newPage();
  watchers.push(watchPage(page));
  await page.goto(`${origin}/anmelden`);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByRole('heading', { level: 1, name: 'Kommunen' }).waitFor();
  return page;
}

/** Nothing on the page is wider than the window, and every cell, button and link lies inside it (the header row is hidden visually on narrow screens). */
async function expectNoSidewaysScrolling(page: Page, width: number, label: string) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth), label).toBeLessThanOrEqual(width);
  const outside = await page.locator('main :is(button, a, td, tbody th)').evaluateAll((nodes, limit) =>
    nodes.filter((node) => node.getBoundingClientRect().width > 1 && node.getBoundingClientRect().right > limit + 1).map((node) => node.textContent),
  width);
  expect(outside, label).toEqual([]);
}

describe('accounts at 320 px', () => {
  it('„Meine Sitzungen“: one card per session, this one first and marked, „Sitzung beenden“ without scrolling sideways', async () => {
    // A second session of the same person, in another browser context.
    const other = await signedIn(koordination);
    const page = await signedIn(koordination);
    await page.setViewportSize({ width: 320, height: 800 });
    await page.goto(`${origin}/konto`);
    await page.getByRole('heading', { level: 1, name: 'Mein Konto' }).waitFor();
    const table = page.getByRole('table', { name: 'Meine Sitzungen' });
    await expect.poll(() => table.getByRole('row').count()).toBe(3);
    await page.waitForLoadState('networkidle');
    const rows = table.getByRole('row');
    // The header row is hidden visually (still read by screen readers); the first card is this session.
    await expect.poll(() => rows.nth(1).getByText('diese Sitzung').isVisible()).toBe(true);
    await expect.poll(() => rows.nth(2).getByRole('button', { name: 'Sitzung beenden' }).isVisible()).toBe(true);
    // Each value stands under its column's name: the cells are stacked, not side by side.
    const boxes = await rows.nth(2).locator('td, th').evaluateAll((cells) => cells.map((cell) => cell.getBoundingClientRect().top));
    expect(boxes).toEqual([...boxes].sort((a, b) => a - b));
    expect(new Set(boxes).size).toBe(boxes.length);
    await expectNoSidewaysScrolling(page, 320, 'Mein Konto bei 320 px');
    await expectNoAxeViolations(page, 'Mein Konto bei 320 px');

    await page.setViewportSize({ width: 1280, height: 800 });
    await table.getByRole('columnheader', { name: 'Aktion' }).waitFor({ state: 'visible' });
    await expectNoAxeViolations(page, 'Mein Konto breit');

    // Ending the other session from here, after the question: it is gone from the list and signed out there.
    await rows.nth(2).getByRole('button', { name: 'Sitzung beenden' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await expectNoAxeViolations(page, 'Sitzung beenden: Rückfrage');
    await dialog.getByRole('button', { name: 'Sitzung beenden' }).click();
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    expect((await other.request.get(`${origin}/api/account/sessions`)).status()).toBe(401);
    expect((await page.request.get(`${origin}/api/account/sessions`)).status()).toBe(200);
  }, 120_000);

  it('E-Mail-Protokoll: one card per mail with Stand, no sideways scrolling', async () => {
    const page = await signedIn(koordination);
    // An invitation puts a mail on the queue, shown in the protocol (without SMTP: not sent).
    for (const email of ['eine-sehr-lange-adresse-fuer-das-protokoll@verwaltung.musterstadt.example', 'kurz@musterstadt.example']) {
      const invited = await page.request.post(`${origin}/api/kommunen/musterstadt/invitations`, { headers: { origin }, data: { email, role: 'lesende' } });
      expect(invited.status(), await invited.text()).toBe(201);
    }
    await page.setViewportSize({ width: 320, height: 800 });
    await page.goto(`${origin}/kommunen/musterstadt/e-mail-protokoll`);
    await page.getByRole('heading', { level: 1, name: 'E-Mail-Protokoll' }).waitFor();
    const table = page.getByRole('table', { name: 'E-Mail-Protokoll' });
    await expect.poll(() => table.getByRole('row').count()).toBeGreaterThanOrEqual(3);
    await page.waitForLoadState('networkidle');
    const card = table.getByRole('row').filter({ hasText: 'eine-sehr-lange-adresse' });
    const state = card.getByRole('cell').last();
    await expect.poll(() => state.isVisible()).toBe(true);
    const box = (await state.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(320);
    await expectNoSidewaysScrolling(page, 320, 'E-Mail-Protokoll bei 320 px');
    await expectNoAxeViolations(page, 'E-Mail-Protokoll bei 320 px');

    await page.setViewportSize({ width: 1280, height: 800 });
    await table.getByRole('columnheader', { name: 'Stand' }).waitFor({ state: 'visible' });
    await expectNoAxeViolations(page, 'E-Mail-Protokoll breit');
    expect(watchers.flatMap((watcher) => watcher.problems)).toEqual([]);
  }, 120_000);
});
