#!/usr/bin/env node
// The production path of docs/operations.md, from a clean clone of this checkout (its HEAD commit):
// `npm ci`, `npm run build`, `npm prune --omit=dev`, then the server on production dependencies only
// (no tsx, no vite) with a fresh data directory: health, `weltoffen admin create`, sign-in over HTTP
// and a signed-in API call. Runs on the Node found on PATH (.ci/run picks the line); exits non-zero
// with the reason on the first thing that is not as it must be. Plain JavaScript: it runs before any
// dependency is installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const port = Number(process.env.PRODUCTION_CHECK_PORT ?? 4300);
const checkout = path.resolve(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'weltoffen-production-'));
const app = path.join(work, 'app');
const dataDir = path.join(work, 'data');
const times = {};
let server;

function fail(message) {
  throw new Error(message);
}

/** Runs a command in the clone; its output is shown only when it fails (or asked for). */
function run(label, command, args, { input, env, show = false, cwd = app } = {}) {
  const started = performance.now();
  const result = spawnSync(command, args, {
    cwd,
    input,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  times[label] = Math.round(performance.now() - started);
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error) fail(`${label} ließ sich nicht starten: ${result.error.message}`);
  if (result.status !== 0) fail(`${label} ist fehlgeschlagen (Exit-Code ${result.status ?? result.signal}):\n${output}`);
  if (show && output.trim()) console.log(output.trim());
  console.log(`   ${label}: ${(times[label] / 1000).toFixed(1)} s`);
  return output;
}

async function waitForHealth(deadline) {
  while (Date.now() < deadline) {
    if (server.exitCode !== null) fail(`Der Server hat sich beendet (Exit-Code ${server.exitCode}):\n${serverOutput}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  fail(`Der Server meldet sich nicht gesund:\n${serverOutput}`);
}

let serverOutput = '';

async function main() {
  console.log(`== production check on Node ${process.version} in ${work}`);
  if (!process.features.typescript) fail(`Node ${process.version} entfernt keine Typen; die Prüfung braucht Node 22.18+ oder 24.3+.`);

  run('git clone', 'git', ['clone', '--quiet', '--no-hardlinks', checkout, app], { cwd: work });
  const install = run('npm ci', 'npm', ['ci', '--no-audit', '--no-fund']);
  if (/EBADENGINE/.test(install)) fail(`npm ci warnt auf Node ${process.version} (EBADENGINE):\n${install}`);
  run('npm run build', 'npm', ['run', 'build', '--', '--logLevel', 'warn']);
  // --legacy-peer-deps: without it npm keeps development tools that a production dependency names as an
  // optional peer (better-auth: vitest, drizzle-kit, react), and with them vite and tsx (npm/cli#7772).
  // --no-save: package-lock.json stays as checked out, so the next update pulls cleanly.
  run('npm prune --omit=dev', 'npm', ['prune', '--omit=dev', '--legacy-peer-deps', '--no-save', '--no-audit', '--no-fund']);
  const changed = spawnSync('git', ['status', '--porcelain'], { cwd: app, encoding: 'utf8' }).stdout.trim();
  if (changed) fail(`Installation, Bau und Bereinigung haben Dateien des Checkouts verändert:\n${changed}`);

  for (const devOnly of ['tsx', 'vite', 'esbuild', 'typescript', 'vitest']) {
    if (existsSync(path.join(app, 'node_modules', devOnly))) fail(`node_modules/${devOnly} ist nach „npm prune --omit=dev“ noch da.`);
  }
  const resolvable = spawnSync(process.execPath, ['-e', 'import("tsx/esm/api").then(() => process.exit(1), () => process.exit(0))'], { cwd: app });
  if (resolvable.status !== 0) fail('tsx lässt sich nach dem Entfernen der Entwicklungsabhängigkeiten noch laden.');
  console.log('   tsx, vite, esbuild, typescript, vitest: nicht installiert');

  const env = { NODE_ENV: 'production', DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, TZ: 'UTC' };
  // The first account, as an operator creates it with the CLI on the fresh data directory (which the
  // CLI migrates); the embedded database takes one process at a time, so before the server starts.
  const email = 'programmteam@weltoffen.example';
  const password = 'ein-langes-Passwort-2026';
  run('weltoffen admin create', process.execPath, ['bin/weltoffen.js', 'admin', 'create', '--email', email, '--name', 'Pia Programm', '--password-stdin'], { input: `${password}\n`, env });

  const started = performance.now();
  // `npm start` as the operator runs it; with dist/web built and no vite it must only serve.
  server = spawn('npm', ['start', '--silent'], { cwd: app, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  server.stdout.on('data', (chunk) => (serverOutput += chunk));
  server.stderr.on('data', (chunk) => (serverOutput += chunk));
  await waitForHealth(Date.now() + 60_000);
  times['npm start to health'] = Math.round(performance.now() - started);
  console.log(`   npm start to health: ${(times['npm start to health'] / 1000).toFixed(1)} s`);
  if (/ExperimentalWarning|Web-App wird (neu )?gebaut|\btsx\b/.test(serverOutput)) fail(`Unerwartete Ausgabe beim Start:\n${serverOutput}`);

  const page = await fetch(`http://127.0.0.1:${port}/`);
  if (page.status !== 200 || !(await page.text()).includes('<div id="root">')) fail(`Die Startseite antwortet nicht mit der gebauten Web-App (Status ${page.status}).`);

  const origin = `http://127.0.0.1:${port}`;
  const signIn = await fetch(`${origin}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email, password }),
  });
  if (signIn.status !== 200) fail(`Anmeldung über HTTP: Status ${signIn.status}: ${await signIn.text()}`);
  const cookie = signIn.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
  if (!cookie) fail('Die Anmeldung hat kein Sitzungs-Cookie gesetzt.');

  const session = await fetch(`${origin}/api/session`, { headers: { cookie } });
  const body = session.status === 200 ? await session.json() : null;
  if (body?.user?.email !== email) fail(`GET /api/session nach der Anmeldung: Status ${session.status}, ${JSON.stringify(body)}`);
  const kommunen = await fetch(`${origin}/api/kommunen`, { headers: { cookie } });
  if (kommunen.status !== 200) fail(`GET /api/kommunen angemeldet: Status ${kommunen.status}`);
  const anonymous = await fetch(`${origin}/api/kommunen`);
  if (anonymous.status !== 401) fail(`GET /api/kommunen ohne Anmeldung: Status ${anonymous.status} statt 401`);
  console.log(`   signed in as ${email}: /api/session and /api/kommunen answer 200 (401 without the cookie)`);
  await stopServer();

  // The report renderers run in worker threads, which load TypeScript on their own (render-worker.mjs).
  const demoEnv = { ...env, DATA_DIR: path.join(work, 'demo-data') };
  run('weltoffen demo', process.execPath, ['bin/weltoffen.js', 'demo'], { env: demoEnv });
  for (const format of ['pdf', 'docx']) {
    const file = path.join(work, `bericht.${format}`);
    run(`weltoffen report (${format})`, process.execPath, ['bin/weltoffen.js', 'report', 'musterstadt', '--format', format, '-o', file], { env: demoEnv });
    if (!existsSync(file) || statSync(file).size < 10_000) fail(`Der Abschlussbericht (${format}) fehlt oder ist leer.`);
  }
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  // npm runs the server as its child: signal the whole group, as systemd stops a service.
  const exited = new Promise((resolve) => server.once('exit', resolve));
  process.kill(-server.pid, 'SIGTERM');
  const killer = setTimeout(() => process.kill(-server.pid, 'SIGKILL'), 20_000);
  await exited;
  clearTimeout(killer);
}

let failed = false;
try {
  await main();
} catch (error) {
  failed = true;
  console.error(`\nPRODUCTION CHECK FAILED: ${error.message}`);
  if (serverOutput) console.error(`--- server output ---\n${serverOutput}`);
} finally {
  await stopServer();
  rmSync(work, { recursive: true, force: true });
}
console.log(`production check: ${failed ? 'FAILED' : 'passed'} ${JSON.stringify(times)}`);
process.exitCode = failed ? 1 : 0;
