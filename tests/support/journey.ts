import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchBrowser, watchPage } from './browser.ts';
import { runCli, startServerProcess, waitForHealth, type ServerProcess } from './processes.ts';

/** A server of its own on a fresh data directory (optionally with the demo), and a browser. */
export interface Journey {
  origin: string;
  env: Record<string, string>;
  server: ServerProcess;
  browser: Browser;
  /** The one-time password of the demo accounts, when the demo was loaded. */
  password: string;
  /** Console errors and failed loads of every page opened through the journey. */
  problems(): string[];
  newPage(): Promise<Page>;
  signedIn(email: string): Promise<Page>;
  closeBrowser(): Promise<void>;
  close(): Promise<void>;
}

export async function startJourney(options: { port: number; name: string; withDemo: boolean }): Promise<Journey> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `weltoffen-e2e-${options.name}-`));
  const env = { DATA_DIR: dataDir, HOST: 'localhost' };
  const password = options.withDemo ? (/Passwort: (\S+)/.exec((await runCli(['demo'], env)).stdout)?.[1] ?? '') : '';
  const server = startServerProcess({ ...env, PORT: String(options.port) });
  expect(await waitForHealth(options.port, 90_000), server.output()).toBe(true);
  const { browser, close: closeBrowser } = await launchBrowser();
  const origin = `http://localhost:${options.port}`;
  const watchers: { problems: string[] }[] = [];
  const newPage = async () => {
    const page = await (await browser.newContext({ locale: 'de-DE' })).newPage();
    watchers.push(watchPage(page));
    return page;
  };
  return {
    origin,
    env,
    server,
    browser,
    password,
    problems: () => watchers.flatMap((watcher) => watcher.problems),
    newPage,
    async signedIn(email) {
      const page = await newPage();
      await page.goto(`${origin}/anmelden`);
      await page.getByLabel('E-Mail-Adresse').fill(email);
      await page.getByLabel('Passwort').fill(password);
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await page.getByRole('heading', { level: 1, name: 'Kommunen' }).waitFor();
      return page;
    },
    closeBrowser,
    async close() {
      await closeBrowser();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
