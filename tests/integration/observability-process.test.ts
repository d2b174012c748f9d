import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl } from '../support/database.ts';
import { startServerProcess, waitForHealth, type ServerProcess } from '../support/processes.ts';

const port = 4310;
const origin = `http://127.0.0.1:${port}`;

/** `weltoffen serve` as an operator runs it behind a log collector: stdout is a pipe, so JSON lines. */
describe('a running server: its log on stdout, /metrics and the health endpoints', () => {
  let base: string;
  let database: Awaited<ReturnType<typeof createTestDatabaseUrl>>;
  let server: ServerProcess;

  beforeAll(async () => {
    base = mkdtempSync(path.join(tmpdir(), 'weltoffen-obs-'));
    database = await createTestDatabaseUrl();
    server = startServerProcess({ DATA_DIR: path.join(base, 'daten'), PORT: String(port), ...(database.url ? { DATABASE_URL: database.url } : {}) });
    expect(await waitForHealth(port, 90_000), server.output()).toBe(true);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  const entries = () =>
    server
      .output()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('every line is one JSON object with time, level, message and process id; the setup link is there for the operator', () => {
    const lines = entries();
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      expect(typeof line.time).toBe('string');
      expect(['info', 'warn', 'error']).toContain(line.level);
      expect(typeof line.msg).toBe('string');
      expect(line.pid).toBe(server.child.pid);
    }
    // The address this process listens on (HOST=127.0.0.1 here), the public one (PUBLIC_URL's default) and the release.
    const started = lines.find((line) => String(line.msg).startsWith('Weltoffen läuft auf'));
    expect(String(started?.msg)).toMatch(new RegExp(`^Weltoffen läuft auf http://127\\.0\\.0\\.1:${port} \\(öffentliche Adresse http://localhost:${port}, Datenbank: (PGlite in .+|PostgreSQL), Version \\d+\\.\\d+\\.\\d+\\)$`));
    expect(lines.some((line) => /\/einrichtung\/[A-Za-z0-9_-]{20,}/.test(String(line.msg)))).toBe(true);
  });

  it('the request id of the proxy comes back in X-Request-Id and stands in the access line, with the route pattern and no path', async () => {
    const response = await fetch(`${origin}/api/kommunen/stadt-mit-namen?filter=geheim-7781`, { headers: { 'x-request-id': 'nginx-7781' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-request-id')).toBe('nginx-7781');
    await expect.poll(() => entries().find((line) => line.requestId === 'nginx-7781')).toMatchObject({ method: 'GET', route: '/api/kommunen/:slug', status: 401, msg: 'Anfrage beantwortet' });
    expect(server.output()).not.toContain('stadt-mit-namen');
    expect(server.output()).not.toContain('geheim-7781');
  });

  it('/metrics answers this machine with text that promtool accepts; through a proxy it is refused', async () => {
    const local = await fetch(`${origin}/metrics`);
    expect(local.status).toBe(200);
    expect(local.headers.get('content-type')).toContain('text/plain');
    const text = await local.text();
    expect(text).toContain('weltoffen_http_request_duration_seconds_bucket{');
    expect(text).toContain('route="/api/kommunen/:slug"');
    expect(text).toContain('weltoffen_db_query_duration_seconds_count');
    expect(text).toContain('process_resident_memory_bytes');
    // The real promtool (Debian's prometheus package; CI installs it): a missing one fails the test.
    expect(() => execFileSync('promtool', ['check', 'metrics'], { input: text, stdio: ['pipe', 'pipe', 'pipe'] })).not.toThrow();

    const proxied = await fetch(`${origin}/metrics`, { headers: { 'x-forwarded-for': '192.0.2.44' } });
    expect(proxied.status).toBe(401);
    expect(await proxied.text()).not.toContain('weltoffen_');
  });

  it('live and ready answer 200 while the server runs', async () => {
    const live = await fetch(`${origin}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${origin}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok' });
  });

  // Last: it stops the server.
  it('on SIGTERM it says „wird beendet“ and „ist beendet“ in the same JSON format and exits with 0', async () => {
    await server.stop();
    const messages = entries().map((line) => line.msg);
    expect(messages).toContain('Weltoffen wird beendet …');
    expect(messages.at(-1)).toBe('Weltoffen ist beendet.');
    expect(server.child.exitCode).toBe(0);
  });
});
