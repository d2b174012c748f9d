import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl, testDatabaseKind } from '../support/database.ts';
import { runCli } from '../support/processes.ts';

let base: string;
let env: Record<string, string>;
let drop: () => Promise<void>;

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'weltoffen-cli-'));
  const database = await createTestDatabaseUrl();
  drop = database.drop;
  // A data directory that does not exist yet, two levels deep: every command must create it.
  env = { DATA_DIR: path.join(base, 'neu', 'daten'), ...(database.url ? { DATABASE_URL: database.url } : {}) };
});
afterAll(async () => {
  rmSync(base, { recursive: true, force: true });
  await drop?.();
});

describe('weltoffen CLI', () => {
  it('--help lists the subcommands', async () => {
    const result = await runCli(['--help'], env);
    expect(result.code).toBe(0);
    for (const command of ['serve', 'migrate', 'admin create', 'demo']) expect(result.stdout).toContain(command);
  });

  it.each([
    [['frobnicate'], /Unbekannter Befehl „frobnicate“/],
    [['admin', 'delete'], /admin create/],
    [['admin', 'create'], /Bitte --email angeben/],
    [['admin', 'create', '--email', 'kein-mail'], /E-Mail-Adresse/],
    [['migrate', '--schnell'], /Unbekannte Option „--schnell“/],
  ])('%j → exit 2 with a German message', async (args, message) => {
    const result = await runCli(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('bad configuration → exit 2 naming the variable', async () => {
    const result = await runCli(['migrate'], { ...env, PORT: 'achtzig' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/PORT/);
  });

  it('admin create refuses a short password and creates nothing', async () => {
    const result = await runCli(['admin', 'create', '--email', 'admin@example.org', '--password-stdin'], env, 'zu-kurz\n');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/mindestens 12 Zeichen/);
  });

  it('migrate, admin create, demo: honour DATA_DIR/DATABASE_URL and create the data directory', async () => {
    const migrated = await runCli(['migrate'], env);
    expect(migrated.stderr).toBe('');
    expect(migrated.code).toBe(0);
    if (testDatabaseKind === 'pglite') expect(existsSync(path.join(env.DATA_DIR!, 'pglite'))).toBe(true);

    const admin = await runCli(
      ['admin', 'create', '--email', 'admin@example.org', '--name', 'Ada Admin', '--password-stdin'],
      env,
      'ein-langes-sicheres-Passwort\n',
    );
    expect(admin.stderr).toBe('');
    expect(admin.code).toBe(0);
    expect(admin.stdout).toContain('admin@example.org');

    const twice = await runCli(['admin', 'create', '--email', 'admin@example.org', '--password-stdin'], env, 'ein-langes-sicheres-Passwort\n');
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/bereits ein Konto/);

    const demo = await runCli(['demo'], env);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain('/kommunen/musterstadt');
    expect(demo.stdout).toMatch(/Passwort: [A-Za-z0-9_-]{16}/);
    for (const role of ['programmteam', 'prozessbegleitung', 'koordination', 'mitwirkende', 'lesende']) {
      expect(demo.stdout).toContain(role);
    }
    const demoAgain = await runCli(['demo'], env);
    expect(demoAgain.code).toBe(0);
    expect(demoAgain.stdout).toContain('bereits geladen');
  });
});
