import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSetupLinkIfNeeded } from '../../../services/manage-first-account.ts';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { testPassword } from '../../../../tests/support/factories.ts';
import { TestClient } from '../../../../tests/support/http.ts';

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await createTestRuntime();
});
afterAll(() => runtime?.close());

describe('first account through the one-time setup link', () => {
  it('is printed while there is no account, creates a Programmteam account once, then is gone', async () => {
    const link = await issueSetupLinkIfNeeded(runtime.services);
    expect(link).toMatch(/\/einrichtung\/[A-Za-z0-9_-]{40,}$/);
    expect(runtime.logs.at(-1)).toContain(link);
    const token = link!.split('/einrichtung/')[1];
    const browser = new TestClient(runtime);
    expect((await browser.get(`/api/setup/${token}`)).status).toBe(200);

    const weak = await browser.post(`/api/setup/${token}`, { name: 'Paula', email: 'paula@example.org', password: 'kurz' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.fields.password).toMatch(/mindestens 12 Zeichen/);

    const created = await browser.post(`/api/setup/${token}`, { name: 'Paula Programm', email: 'paula@example.org', password: testPassword });
    expect(created.status).toBe(201);
    expect((await browser.signIn('paula@example.org', testPassword)).status).toBe(200);
    expect((await browser.get('/api/session')).body.programmeRole).toBe('programmteam');

    const again = await new TestClient(runtime).post(`/api/setup/${token}`, { name: 'Mallory', email: 'm@example.org', password: testPassword });
    expect(again.status).toBe(410);
    expect(await issueSetupLinkIfNeeded(runtime.services)).toBeNull();
  });

  it('an unknown token is 404 or, once an account exists, 410', async () => {
    const response = await new TestClient(runtime).get(`/api/setup/${'b'.repeat(43)}`);
    expect([404, 410]).toContain(response.status);
    expect(response.body.error.message).toMatch(/Einrichtung|Einrichtungslink/);
  });
});
