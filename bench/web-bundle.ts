import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { launchBrowser } from '../tests/support/browser.ts';
import { runCli, startServerProcess, waitForHealth } from '../tests/support/processes.ts';

/**
 * The questionnaire route as a browser loads it (signed in, cache empty): JS and CSS gzip-compressed
 * (fonts excluded), time from navigation until the first answer's radios can be used, and the JS heap
 * afterwards.
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
    // The demo round is closed; open it, so that the radios are enabled as a contributor sees them.
    await page.request.post('http://127.0.0.1:3981/api/kommunen/musterstadt/rounds/1/reopen', {
      data: { reason: 'Messung' },
      headers: { origin: 'http://127.0.0.1:3981' },
    });

    const fresh = await browser.newContext({ storageState: await context.storageState() });
    const measured = await fresh.newPage();
    // Only what the route needs counts: files requested before the radios are usable. Other pages
    // are fetched afterwards, while the browser is idle.
    const assets: { url: string; gzipBytes: number; kind: 'js' | 'css'; requestedAt: number }[] = [];
    const bodies: Promise<void>[] = [];
    const requestTimes = new Map<string, number>();
    measured.on('request', (request) => {
      if (!requestTimes.has(request.url())) requestTimes.set(request.url(), performance.now());
    });
    measured.on('response', (response) => {
      const url = response.url();
      const kind = url.endsWith('.js') ? 'js' : url.endsWith('.css') ? 'css' : null;
      if (!kind) return;
      const requestedAt = requestTimes.get(url) ?? performance.now();
      bodies.push(
        response
          .body()
          .then((body) => {
            assets.push({ url: new URL(url).pathname, gzipBytes: gzipSync(body, { level: 9 }).length, kind, requestedAt });
          })
          .catch(() => {}),
      );
    });
    const route = '/kommunen/musterstadt/selbstcheck/1/handlungsfeld/2';
    const started = performance.now();
    await measured.goto(`http://127.0.0.1:3981${route}`);
    await measured.locator('input[type=radio]:not([disabled])').first().waitFor();
    const usableAt = performance.now();
    const usableMs = Math.round(usableAt - started);
    // Wait past the delayed prefetch of the other pages, to report what comes later as well.
    await measured.waitForTimeout(3000);
    await measured.waitForLoadState('networkidle');
    await Promise.all(bodies);
    const needed = assets.filter((asset) => asset.requestedAt <= usableAt);
    const session = await fresh.newCDPSession(measured);
    await session.send('HeapProfiler.collectGarbage');
    const heap = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
    const sum = (kind: 'js' | 'css') => needed.filter((asset) => asset.kind === kind).reduce((total, asset) => total + asset.gzipBytes, 0);
    return {
      page: route,
      jsGzipKB: Math.round(sum('js') / 102.4) / 10,
      cssGzipKB: Math.round(sum('css') / 102.4) / 10,
      totalGzipKB: Math.round((sum('js') + sum('css')) / 102.4) / 10,
      files: needed.length,
      prefetchedLaterFiles: assets.length - needed.length,
      radiosUsableAfterMs: usableMs,
      jsHeapMiB: Math.round((heap.usedSize / 1024 / 1024) * 10) / 10,
      bar: { totalGzipKB: 150, radiosUsableAfterMs: 500, jsHeapMiB: 8 },
      aim: { totalGzipKB: 100, radiosUsableAfterMs: 300, jsHeapMiB: 5 },
    };
  } finally {
    await close();
    await server.stop();
  }
}
