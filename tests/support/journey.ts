import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchBrowser, watchPage } from './browser.ts';
import { runCli, startServerProcess, waitForHealth, type ServerProcess } from './processes.ts';
import { startCaptureSmtp, type CapturedMail } from './smtp.ts';

/** A server of its own on a fresh data directory (optionally with the demo), and a browser. */
export interface Journey {
  origin: string;
  env: Record<string, string>;
  server: ServerProcess;
  browser: Browser;
  /** The one-time password of the demo accounts, when the demo was loaded. */
  password: string;
  /** What the journey's SMTP server received (with `smtp: true`; otherwise the server sends no mail and this stays empty). */
  mails: CapturedMail[];
  /** Console errors and failed loads of every page opened through the journey. */
  problems(): string[];
  newPage(): Promise<Page>;
  /** Fills in the sign-in form on `page` and submits it (without waiting for the outcome). */
  signIn(page: Page, email: string, password?: string): Promise<void>;
  /** A new page, signed in (with the demo password unless another is given), on „Kommunen“. */
  signedIn(email: string, password?: string): Promise<Page>;
  closeBrowser(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `smtp: true` starts a real SMTP server that keeps what it receives (Journey.mails) and gives the
 * server its SMTP_URL; `env` adds settings such as MAIL_INTERVAL_SECONDS; `prepare` runs on the data
 * directory after the demo, before the server starts (e.g. to add people the demo lacks).
 */
export async function startJourney(options: {
  port: number;
  name: string;
  withDemo: boolean;
  smtp?: boolean;
  env?: Record<string, string>;
  prepare?: (dataDir: string) => Promise<void>;
}): Promise<Journey> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `weltoffen-e2e-${options.name}-`));
  const env = { DATA_DIR: dataDir, HOST: 'localhost' };
  const password = options.withDemo ? (/Passwort: (\S+)/.exec((await runCli(['demo'], env)).stdout)?.[1] ?? '') : '';
  await options.prepare?.(dataDir);
  const smtp = options.smtp ? await startCaptureSmtp() : undefined;
  const mailEnv: Record<string, string> = smtp ? { SMTP_URL: smtp.url, MAIL_FROM: 'Weltoffen <weltoffen@example.org>' } : {};
  const server = startServerProcess({ ...env, ...mailEnv, ...options.env, PORT: String(options.port) });
  expect(await waitForHealth(options.port, 90_000), server.output()).toBe(true);
  const { browser, close: closeBrowser } = await launchBrowser();
  const origin = `http://localhost:${options.port}`;
  const watchers: { problems: string[] }[] = [];
  const newPage = async () => {
    const page = await (await browser.newContext({ locale: 'de-DE' })).newPage();
    watchers.push(watchPage(page));
    return page;
  };
  const signIn = async (page: Page, email: string, withPassword = password) => {
    await page.goto(`${origin}/anmelden`);
    await page.getByLabel('E-Mail-Adresse').fill(email);
    await page.getByLabel('Passwort', { exact: true }).fill(withPassword);
    await page.getByRole('button', { name: 'Anmelden' }).click();
  };
  return {
    origin,
    env,
    server,
    browser,
    password,
    mails: smtp?.received ?? [],
    problems: () => watchers.flatMap((watcher) => watcher.problems),
    newPage,
    signIn,
    async signedIn(email, withPassword) {
      const page = await newPage();
      await signIn(page, email, withPassword);
      await page.getByRole('heading', { level: 1, name: 'Kommunen' }).waitFor();
      return page;
    },
    closeBrowser,
    async close() {
      await closeBrowser();
      await server.stop();
      await smtp?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
