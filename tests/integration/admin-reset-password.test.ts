import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl } from '../support/database.ts';
import { runCli, startServerProcess, waitForHealth } from '../support/processes.ts';

// `weltoffen admin reset-password`: the operator gets a one-time link (never sets or sees a password).

const port = 4111;
let base: string;
let env: Record<string, string>;
let drop: () => Promise<void>;
const email = 'vergesslich@example.org';

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'weltoffen-reset-cli-'));
  const database = await createTestDatabaseUrl();
  drop = database.drop;
  env = { DATA_DIR: path.join(base, 'daten'), PUBLIC_URL: `http://localhost:${port}`, ...(database.url ? { DATABASE_URL: database.url } : {}) };
  const created = await runCli(['admin', 'create', '--email', email, '--name', 'Vera Vergesslich', '--password-stdin'], env, 'das-alte-Passwort-2026\n');
  expect(created.code, created.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  rmSync(base, { recursive: true, force: true });
  await drop?.();
});

describe('weltoffen admin reset-password', () => {
  it('without --email or with an unknown address: a German message and no link', async () => {
    const missing = await runCli(['admin', 'reset-password'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Bitte --email angeben/);
    const unknown = await runCli(['admin', 'reset-password', '--email', 'niemand@example.org'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/Ein Konto mit der E-Mail-Adresse niemand@example.org gibt es nicht/);
    expect(unknown.stdout).not.toMatch(/passwort-neu/);
  });

  it('prints a link that sets a new password once; the old password no longer works', async () => {
    const result = await runCli(['admin', 'reset-password', '--email', email.toUpperCase()], env);
    expect(result.code, result.stderr).toBe(0);
    const link = /(http:\/\/localhost:\d+\/passwort-neu#([A-Za-z0-9_-]+))/.exec(result.stdout);
    expect(link, result.stdout).not.toBeNull();
    const server = startServerProcess({ ...env, PORT: String(port) });
    try {
      expect(await waitForHealth(port, 90_000), server.output()).toBe(true);
      const post = (url: string, body: unknown) =>
        fetch(`http://localhost:${port}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: `http://localhost:${port}` }, body: JSON.stringify(body) });
      expect((await post('/api/account/password-reset', { token: link![2], password: 'das-neue-Passwort-2027' })).status).toBe(200);
      expect((await post('/api/account/password-reset', { token: link![2], password: 'noch-ein-Passwort-2028' })).status).toBe(400);
      expect((await post('/api/session', { email, password: 'das-alte-Passwort-2026' })).status).toBe(401);
      expect((await post('/api/session', { email, password: 'das-neue-Passwort-2027' })).status).toBe(200);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
