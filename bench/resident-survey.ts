import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { launchBrowser } from '../tests/support/browser.ts';
import { runCli, startServerProcess, waitForHealth } from '../tests/support/processes.ts';
import { cpuMs, percentile } from './save-answers.ts';

const port = Number(process.env.BENCH_PORT ?? 3985) + 7;
const base = `http://127.0.0.1:${port}`;

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('VmRSS:'));
  return Math.round(Number(/\d+/.exec(line ?? '')?.[0] ?? 0) / 1024);
}

/** What the bench reads of the survey routes' answers. */
interface SurveyBody {
  survey: { version: number; url: string; statements: { key: string }[]; responses: { all: number } };
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: Math.round(percentile(sorted, 0.5) * 10) / 10, p99: Math.round(percentile(sorted, 0.99) * 10) / 10, max: Math.round((sorted.at(-1) ?? 0) * 10) / 10 };
};

/**
 * The resident survey (issue 17) against PGlite: the page's weight (HTML, script and styles,
 * gzip-compressed as a proxy or the server sends them) and the time until it is usable in Chromium;
 * then BENCH_SURVEY_RESIDENTS residents (default 1,000) answering within BENCH_SURVEY_SECONDS
 * (default 600), each from its own address: page, challenge, proof of work (solved in the bench's
 * process, as a phone would), response. Reports the submit's latencies and checks that every
 * accepted response is counted (none lost).
 */
export async function measureResidentSurvey(work: string) {
  const residents = Number(process.env.BENCH_SURVEY_RESIDENTS ?? 1000);
  const seconds = Number(process.env.BENCH_SURVEY_SECONDS ?? 600);
  const env = { DATA_DIR: path.join(work, 'survey-data'), HOST: '127.0.0.1' };
  const demo = await runCli(['demo'], env);
  const password = /Passwort: (\S+)/.exec(demo.stdout)?.[1];
  if (!password) throw new Error(demo.stderr);
  const server = startServerProcess({ ...env, PORT: String(port), TRUST_PROXY: 'true' });
  try {
    if (!(await waitForHealth(port))) throw new Error(server.output());
    const signedIn = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ email: 'integrationsbuero@musterstadt.example', password }) });
    const cookie = signedIn.headers.getSetCookie().map((entry) => entry.split(';')[0]).join('; ');
    const office = (method: string, url: string, body?: unknown) =>
      fetch(`${base}${url}`, { method, headers: { cookie, origin: base, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).then(async (response) => ({ status: response.status, body: (await response.json()) as SurveyBody }));
    const settings = { fields: ['1', '2', '3', '4', '5', '6', '7'], openQuestions: [{ text: 'Was sollte sich hier ändern?' }], opensOn: day(-1), closesOn: day(30), retentionMonths: 6, controller: 'Stadt Musterstadt, Integrationsbüro' };
    const created = await office('POST', '/api/kommunen/musterstadt/rounds/1/survey', { settings });
    if (created.status !== 201) throw new Error(JSON.stringify(created.body));
    await office('POST', '/api/kommunen/musterstadt/rounds/1/survey/publish', { version: created.body.survey.version });
    const token = created.body.survey.url.split('/umfrage/')[1]!;
    const statements = created.body.survey.statements.map((statement) => statement.key);

    // Arabic reviewed by the Programmteam, so that the right-to-left page with its font is measured too.
    const programme = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ email: 'programmteam@musterstadt.example', password }) });
    const programmeCookie = programme.headers.getSetCookie().map((entry) => entry.split(';')[0]).join('; ');
    const arabic = (await (await fetch(`${base}/api/survey-texts/ar`, { headers: { cookie: programmeCookie } })).json()) as { texts: { key: string }[] };
    await fetch(`${base}/api/survey-texts/ar/review`, { method: 'POST', headers: { cookie: programmeCookie, origin: base, 'content-type': 'application/json' }, body: JSON.stringify({ keys: arabic.texts.map((text) => text.key) }) });
    // The page in Chromium, cache empty, on a server that has rendered it once (as it has after the first resident).
    await (await fetch(`${base}/umfrage/${token}`)).text();
    const { browser, close } = await launchBrowser();
    const page: Record<string, Record<string, number>> = {};
    try {
      for (const language of ['de', 'ar']) {
        const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
        const tab = await context.newPage();
        const sizes: Promise<number>[] = [];
        tab.on('response', (response) => {
          const kind = response.request().resourceType();
          // Fonts are compressed already (woff2); the rest as a proxy or the server sends it.
          if (kind === 'font') sizes.push(response.body().then((body) => body.length, () => 0));
          else if (kind === 'document' || /\.(js|css)$/.test(response.url())) sizes.push(response.body().then((body) => gzipSync(body).length, () => 0));
        });
        await tab.goto(`${base}/umfrage/${token}?sprache=${language}`, { waitUntil: 'networkidle' });
        const timing = await tab.evaluate(() => {
          const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
          return { domContentLoaded: navigation!.domContentLoadedEventEnd, load: navigation!.loadEventEnd };
        });
        const bytes = (await Promise.all(sizes)).reduce((sum, size) => sum + size, 0);
        page[language] = { compressedKb: Math.round((bytes / 1024) * 10) / 10, domContentLoadedMs: Math.round(timing.domContentLoaded), usableMs: Math.round(timing.load) };
        await context.close();
      }
    } finally {
      await close();
    }

    const answerOptions = ['zu', 'eher-zu', 'eher-nicht-zu', 'nicht-zu', 'weiss-nicht'];
    const pageMs: number[] = [];
    const challengeMs: number[] = [];
    const submitMs: number[] = [];
    const refused: Record<string, number> = {};
    let accepted = 0;
    const started = performance.now();
    const cpuBefore = cpuMs(server.child.pid!);
    await Promise.all(
      Array.from({ length: residents }, async (_, index) => {
        // Residents arrive spread over the window, in random order.
        await pause(Math.random() * seconds * 1000);
        const address = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
        const headers = { 'x-forwarded-for': address, origin: base };
        let at = performance.now();
        const html = await fetch(`${base}/umfrage/${token}`, { headers });
        await html.text();
        pageMs.push(performance.now() - at);
        at = performance.now();
        const issued = await fetch(`${base}/api/umfrage/${token}/challenge`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' });
        challengeMs.push(performance.now() - at);
        const device = issued.headers.getSetCookie().map((entry) => entry.split(';')[0]).join('; ');
        const { challenge } = (await issued.json()) as { challenge: Parameters<typeof solveChallenge>[0]['challenge'] };
        const solution = await solveChallenge({ challenge, deriveKey });
        const answers = Object.fromEntries(statements.filter(() => Math.random() < 0.9).map((key) => [key, answerOptions[Math.floor(Math.random() * answerOptions.length)]!]));
        if (Object.keys(answers).length === 0) answers[statements[0]!] = 'zu';
        at = performance.now();
        const response = await fetch(`${base}/api/umfrage/${token}/responses`, {
          method: 'POST',
          headers: { ...headers, cookie: device, 'content-type': 'application/json' },
          body: JSON.stringify({ language: 'de', answers, open: [index % 5 === 0 ? 'Mehr Begegnung im Stadtteil' : ''], groups: { wohndauer: index % 2 ? 'ab-5' : 'unter-5' }, challenge, solution }),
        });
        submitMs.push(performance.now() - at);
        if (response.status === 201) accepted++;
        else {
          const code = ((await response.json()) as { error?: { code: string } }).error?.code ?? String(response.status);
          refused[code] = (refused[code] ?? 0) + 1;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const cpuAfter = cpuMs(server.child.pid!);
    const counted = (await office('GET', '/api/kommunen/musterstadt/rounds/1/survey')).body.survey.responses.all;
    return {
      database: 'pglite',
      page,
      residents,
      seconds: Math.round(elapsed),
      accepted,
      refused,
      counted,
      lost: accepted - counted,
      pageMs: summary(pageMs),
      challengeMs: summary(challengeMs),
      submitMs: summary(submitMs),
      serverCpuMsPerResident: Math.round(((cpuAfter - cpuBefore) / residents) * 10) / 10,
      serverRssMb: rssMb(server.child.pid!),
    };
  } finally {
    await server.stop();
  }
}
