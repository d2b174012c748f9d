import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { launchBrowser } from '../tests/support/browser.ts';
import { runCli, startServerProcess, waitForHealth } from '../tests/support/processes.ts';

/**
 * What a browser loads for a signed-in page (JS and CSS, gzip-compressed, fonts excluded), and the
 * JS heap after it is usable. The questionnaire route does not exist yet; the Kommune page stands in.
 */
export async function measureWebBundle(work: string) {
  const env = { DATA_DIR: path.join(work, 'web-data'), HOST: '127.0.0.1' };
  const demo = await runCli(['demo'], env);
  const password = /Passwort: (\S+)/.exec(demo.stdout)?.[1];
  if (!password) throw new Error(`Demo konnte nicht geladen werden:\n${demo.stderr}`);
  const server = startServerProcess({ ...env, PORT: '3981' });
  const { browser, close } = await launchBrowser();
  try {
    if (!(await waitForHealth(3981))) throw new Error(server.output());
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('http://127.0.0.1:3981/anmelden');
    await page.getByLabel('E-Mail-Adresse').fill('integrationsbuero@musterstadt.example');
    await page.getByLabel('Passwort').fill(password);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForURL('**/kommunen');

    const fresh = await browser.newContext({ storageState: await context.storageState() });
    const measured = await fresh.newPage();
    const assets: { url: string; gzipBytes: number; kind: 'js' | 'css' }[] = [];
    measured.on('response', async (response) => {
      const url = response.url();
      const kind = url.endsWith('.js') ? 'js' : url.endsWith('.css') ? 'css' : null;
      if (!kind) return;
      const body = await response.body().catch(() => null);
      if (body) assets.push({ url: new URL(url).pathname, gzipBytes: gzipSync(body, { level: 9 }).length, kind });
    });
    const started = performance.now();
    await measured.goto('http://127.0.0.1:3981/kommunen/musterstadt');
    await measured.getByRole('heading', { level: 2, name: 'Mitglieder' }).waitFor();
    const usableMs = Math.round(performance.now() - started);
    await measured.waitForLoadState('networkidle');
    const session = await fresh.newCDPSession(measured);
    await session.send('HeapProfiler.collectGarbage');
    const heap = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
    const sum = (kind: 'js' | 'css') => assets.filter((asset) => asset.kind === kind).reduce((total, asset) => total + asset.gzipBytes, 0);
    return {
      page: '/kommunen/musterstadt',
      jsGzipKB: Math.round(sum('js') / 102.4) / 10,
      cssGzipKB: Math.round(sum('css') / 102.4) / 10,
      totalGzipKB: Math.round((sum('js') + sum('css')) / 102.4) / 10,
      files: assets.length,
      usableAfterMs: usableMs,
      jsHeapMiB: Math.round((heap.usedSize / 1024 / 1024) * 10) / 10,
      bar: { totalGzipKB: 150, jsHeapMiB: 8 },
      aim: { totalGzipKB: 100, jsHeapMiB: 5 },
    };
  } finally {
    await close();
    await server.stop();
  }
}
