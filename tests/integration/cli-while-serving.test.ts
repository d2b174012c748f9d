import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandSocketPath } from '../../src/cli/command-protocol.ts';
import { createTestDatabaseUrl, testDatabaseKind } from '../support/database.ts';
import { runCli, startServerProcess, waitForHealth, type CliResult, type ServerProcess } from '../support/processes.ts';
import { bundleJsonOf } from '../support/http.ts';

/**
 * Every CLI command while the server runs, and the same commands after it stopped: the same output
 * and exit codes. On PGlite the server holds the data directory, so a command that works while it runs
 * went through its command socket; on PostgreSQL (no lock) the CLI opens the database itself.
 */
const port = 4341;
const origin = `http://127.0.0.1:${port}`;
const isEmbedded = testDatabaseKind === 'pglite';
// Every call is a process of its own (a few seconds each, more on a busy machine); the comparisons run about twenty of them in a row.
const timeout = 900_000;

let base: string;
let env: Record<string, string>;
let socketPath: string;
let server: ServerProcess | undefined;
const databases: { drop(): Promise<void> }[] = [];

/** Runs `weltoffen …` as an operator would, in a working directory of its own (relative paths are the CLI's). */
function run(args: string[], options: { cwd: string; stdin?: string; env?: Record<string, string> }): Promise<CliResult> {
  return runCli(args, options.env ?? env, options.stdin, options.cwd);
}

async function startServer(): Promise<ServerProcess> {
  const started = startServerProcess(env);
  if (!(await waitForHealth(port, 120_000))) throw new Error(`Der Server startete nicht:\n${started.output()}`);
  // The command socket opens right after HTTP.
  for (let attempt = 0; isEmbedded && attempt < 100 && !existsSync(socketPath); attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
  return started;
}

/** A fresh database: a PGlite folder, or a new PostgreSQL database. */
async function freshEnv(name: string): Promise<Record<string, string>> {
  const database = await createTestDatabaseUrl();
  databases.push(database);
  // PUBLIC_URL set as in the service's settings: a CLI without it adds a note on stderr to its links.
  return { DATA_DIR: path.join(base, name), PORT: String(port), PUBLIC_URL: `http://localhost:${port}`, ...(database.url ? { DATABASE_URL: database.url } : {}) };
}

function dir(name: string): string {
  const folder = path.join(base, name);
  mkdirSync(folder, { recursive: true });
  return folder;
}

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'weltoffen-cli-laufend-'));
  // A bundle of another Kommune than the demo's (its own people, no Gemeindeschlüssel), made on a scratch database.
  const scratch = await freshEnv('vorrat');
  const demo = await run(['demo'], { cwd: base, env: scratch });
  expect(demo.code, demo.stderr).toBe(0);
  const exported = await run(['export', 'musterstadt', '-o', 'paket.zip'], { cwd: base, env: scratch });
  expect(exported.code, exported.stderr).toBe(0);
  const other = JSON.parse(JSON.stringify(bundleJsonOf(readFileSync(path.join(base, 'paket.zip')))).replaceAll('@musterstadt.example', '@anderstadt.example'));
  other.kommune = { ...other.kommune, name: 'Anderstadt', slug: 'anderstadt', gemeindeschluessel: null };
  writeFileSync(path.join(base, 'andere.json'), JSON.stringify(other));

  env = await freshEnv('daten');
  socketPath = commandSocketPath(env.DATA_DIR!);
  const imported = await run(['import', 'andere.json', '--slug', 'anderstadt'], { cwd: base });
  expect(imported.code, imported.stderr).toBe(0);
  server = await startServer();
}, timeout);

afterAll(async () => {
  await server?.stop();
  rmSync(base, { recursive: true, force: true });
  for (const database of databases) await database.drop();
});

/** The calls compared between the running and the stopped server; `name` keeps state-changing ones apart. */
function calls(name: 'laufend' | 'gestoppt'): [string, string[], string?][] {
  return [
    ['demo again', ['demo']],
    ['export to a file', ['export', 'musterstadt', '-o', 'export.zip']],
    ['export without a file', ['export', 'musterstadt']],
    ['results --json', ['results', 'musterstadt', '--json']],
    ['results as text', ['results', 'musterstadt']],
    ['report html', ['report', 'musterstadt', '--format', 'html', '-o', 'bericht.html']],
    ['report pdf', ['report', 'musterstadt', '--format', 'pdf', '-o', 'bericht.pdf']],
    ['questionnaire', ['questionnaire', 'musterstadt', '--round', '1', '--format', 'pdf', '-o', 'fragebogen.pdf', '--field', '3']],
    ['admin create', ['admin', 'create', '--email', `betrieb-${name}@example.org`, '--name', 'Bea Betrieb', '--password-stdin'], 'ein-langes-sicheres-Passwort\n'],
    ['admin create twice', ['admin', 'create', '--email', 'programmteam@musterstadt.example', '--password-stdin'], 'ein-langes-sicheres-Passwort\n'],
    ['admin reset-password', ['admin', 'reset-password', '--email', `betrieb-${name}@example.org`]],
    ['import with --slug', ['import', path.join('..', 'andere.json'), '--slug', `kopie-${name}`]],
    ['import of a Kommune already there (the ZIP file)', ['import', '../paket.zip', '--slug', 'doppelt']],
    ['import of a missing file', ['import', 'fehlt.json']],
    ['unknown Kommune', ['export', 'gibt-es-nicht', '-o', 'nie.zip']],
    ['report into a missing folder', ['report', 'musterstadt', '--format', 'html', '-o', 'fehlt/bericht.html']],
    ['wrong call', ['results', 'musterstadt', '--round', 'null']],
  ];
}

/** What may differ between the two runs: the slug, e-mail and link token of the state-changing calls, the export time. */
function normalise(text: string, name: string): string {
  return text
    .replaceAll(`betrieb-${name}@`, 'betrieb-X@')
    .replaceAll(`kopie-${name}`, 'kopie-X')
    .replace(/(nur einmal:\n)\S+/g, '$1LINK')
    .replace(/"exportedAt": "[^"]+"/g, '"exportedAt": "…"')
    // The import's chunks grow and shrink with the time each takes, so which progress lines appear
    // depends on the machine's load; the last line (100 %) is the same and is kept.
    .replace(/^Eingespielt: (?!(\S+) von \1 ).*\n/gm, '');
}

const outcomes: Record<'laufend' | 'gestoppt', Map<string, CliResult>> = { laufend: new Map(), gestoppt: new Map() };
/** The refusal of the demo while the server runs, compared with the one of a stopped database. */
let runningRefusal: CliResult | undefined;

describe(`weltoffen commands while the server runs (${testDatabaseKind})`, () => {
  it('the server offers its command socket only on the embedded database, with mode 0600', () => {
    expect(server!.child.exitCode).toBeNull();
    expect(existsSync(socketPath)).toBe(isEmbedded);
    if (isEmbedded) {
      const stat = statSync(socketPath);
      expect(stat.isSocket()).toBe(true);
      expect(stat.mode & 0o777).toBe(0o600);
    }
  });

  it('demo says where it writes and refuses a database with other Kommunen; with --allow-other-kommunen it loads', async () => {
    const cwd = dir('laufend');
    const refused = await run(['demo'], { cwd });
    runningRefusal = refused;
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(isEmbedded ? `Datenbank: eingebettete Datenbank (PGlite) in ${env.DATA_DIR}` : 'Datenbank: PostgreSQL-Datenbank „weltoffen_test_');
    expect(refused.stderr).toContain('Diese Datenbank enthält bereits eine Kommune; die Demo wurde nicht geladen.');
    expect(refused.stderr).toContain('  DATA_DIR=./demo-daten weltoffen demo\n');
    expect(refused.stderr).toContain('(in einem Entwicklungs-Checkout: DATA_DIR=./demo-daten npx weltoffen demo)');
    expect(refused.stderr).toContain('weltoffen demo --allow-other-kommunen');

    const loaded = await run(['demo', '--allow-other-kommunen'], { cwd });
    expect(loaded.stderr).toBe('');
    expect(loaded.code).toBe(0);
    expect(loaded.stdout).toMatch(/Passwort: [A-Za-z0-9_-]{16}/);
    expect(loaded.stdout).toContain('/kommunen/musterstadt');
  }, timeout);

  it('every command works while the server runs, with files relative to the CLI’s working directory', async () => {
    const cwd = dir('laufend');
    for (const [label, args, stdin] of calls('laufend')) outcomes.laufend.set(label, await run(args, { cwd, stdin }));
    const result = (label: string) => outcomes.laufend.get(label)!;
    expect(result('export to a file').code, result('export to a file').stderr).toBe(0);
    expect((bundleJsonOf(readFileSync(path.join(cwd, 'export.zip'))) as { format: string }).format).toBe('weltoffen-kommune-bundle');
    expect(result('export without a file').code).toBe(2);
    expect(result('import of a Kommune already there (the ZIP file)').stderr).toContain('Gemeindeschlüssel');
    expect(JSON.parse(result('results --json').stdout).round.status).toBe('closed');
    expect(readFileSync(path.join(cwd, 'bericht.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readFileSync(path.join(cwd, 'fragebogen.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect(result('admin create').code, result('admin create').stderr).toBe(0);
    expect(result('admin reset-password').stdout).toContain('gültig eine Stunde');
    expect(result('import with --slug').code, result('import with --slug').stderr).toBe(0);
    expect(result('import with --slug').stdout).toContain('/kommunen/kopie-laufend');
    expect(result('unknown Kommune').code).toBe(1);
    expect(result('wrong call').code).toBe(2);
  }, timeout);

  it('migrate says the running server migrated; serve says the server already runs (PGlite: one process per data directory)', async () => {
    const cwd = dir('laufend');
    const migrated = await run(['migrate'], { cwd });
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain('Die Datenbank ist auf dem neuesten Stand');
    if (isEmbedded) {
      expect(migrated.stdout).toContain(`Der laufende Server (PID ${server!.child.pid})`);
      const second = await run(['serve'], { cwd });
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`Weltoffen läuft bereits auf dem Datenverzeichnis ${env.DATA_DIR} (PID ${server!.child.pid}`);
    } else {
      // On PostgreSQL there is no lock: several processes are the way to grow (docs/operations.md), so serve is not refused.
      expect(migrated.stdout).toBe('Die Datenbank ist auf dem neuesten Stand.\n');
    }
  }, timeout);

  it('a CLI command and HTTP requests at the same time both work', async () => {
    const cwd = dir('laufend');
    const report = run(['report', 'musterstadt', '--format', 'docx', '-o', 'gleichzeitig.docx'], { cwd });
    const session = await fetch(`${origin}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ email: 'betrieb-laufend@example.org', password: 'ein-langes-sicheres-Passwort' }),
    });
    expect(session.status).toBe(200);
    const cookie = session.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ');
    const lists = await Promise.all(Array.from({ length: 5 }, () => fetch(`${origin}/api/kommunen`, { headers: { cookie } })));
    expect(lists.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    const done = await report;
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(readFileSync(path.join(cwd, 'gleichzeitig.docx')).subarray(0, 2).toString()).toBe('PK');
  }, timeout);

  it('after the server stopped, the same commands give the same output and exit codes', async () => {
    await server!.stop();
    server = undefined;
    // A stopped server leaves no socket behind.
    expect(existsSync(socketPath)).toBe(false);
    const cwd = dir('gestoppt');
    for (const [label, args, stdin] of calls('gestoppt')) outcomes.gestoppt.set(label, await run(args, { cwd, stdin }));
    for (const [label] of calls('gestoppt')) {
      const running = outcomes.laufend.get(label)!;
      const stopped = outcomes.gestoppt.get(label)!;
      expect({ label, code: stopped.code, stdout: normalise(stopped.stdout, 'gestoppt'), stderr: normalise(stopped.stderr, 'gestoppt') }).toEqual({
        label,
        code: running.code,
        stdout: normalise(running.stdout, 'laufend'),
        stderr: normalise(running.stderr, 'laufend'),
      });
    }
    // The same bundle, but for the time of the export; the HTML report is the same file.
    const exportedJson = (folder: string) => normalise(JSON.stringify(bundleJsonOf(readFileSync(path.join(folder, 'export.zip'))), null, 2), '');
    expect(exportedJson(cwd)).toBe(exportedJson(path.join(base, 'laufend')));
    expect(readFileSync(path.join(cwd, 'bericht.html')).equals(readFileSync(path.join(base, 'laufend', 'bericht.html')))).toBe(true);
  }, timeout);

  it('demo refuses the same way on a stopped database with another Kommune', async () => {
    const other = await freshEnv('andere-daten');
    const cwd = dir('gestoppt');
    expect((await run(['import', '../andere.json'], { cwd, env: other })).code).toBe(0);
    const refused = await run(['demo'], { cwd, env: other });
    expect(refused.code).toBe(runningRefusal!.code);
    expect(refused.stderr).toBe(runningRefusal!.stderr);
  }, timeout);

  it('a server killed with SIGKILL leaves a stale socket: commands then open the database themselves, and the next start replaces it', async () => {
    const cwd = dir('neustart');
    const killed = await startServer();
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(existsSync(socketPath)).toBe(isEmbedded);
    const alone = await run(['results', 'musterstadt', '--json'], { cwd });
    expect(alone.stderr).toBe('');
    expect(alone.stdout).toBe(outcomes.gestoppt.get('results --json')!.stdout);

    server = await startServer();
    const through = await run(['results', 'musterstadt', '--json'], { cwd });
    expect(through.stderr).toBe('');
    expect(through.stdout).toBe(alone.stdout);
  }, timeout);
});

