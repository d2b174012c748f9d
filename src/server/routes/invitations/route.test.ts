import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { makeKommune, makePerson, testPassword, type Person } from '../../../../tests/support/factories.ts';
import { TestClient } from '../../../../tests/support/http.ts';

let runtime: TestRuntime;
let programmteam: Person;
let kommune: { id: string; slug: string };
beforeAll(async () => {
  runtime = await createTestRuntime();
  programmteam = await makePerson(runtime, { programme: 'programmteam' });
  kommune = await makeKommune(runtime);
});
afterAll(() => runtime?.close());

const tokenOf = (link: string) => link.split('/einladung/')[1]!;

async function invite(email: string, role = 'koordination', fieldKeys: string[] | null = null) {
  const response = await programmteam.client.post(`/api/kommunen/${kommune.slug}/invitations`, { email, role, fieldKeys });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.invitation as { id: string; link: string; expiresAt: string; isMailed: boolean };
}

describe('invitations', () => {
  it('the Programmteam sees the link, which is also printed to the log; without SMTP nothing is mailed', async () => {
    const invitation = await invite('koordination@example.org');
    expect(invitation.link).toMatch(/^http:\/\/localhost:3000\/einladung\/[A-Za-z0-9_-]{40,}$/);
    expect(invitation.isMailed).toBe(false);
    expect(runtime.logs.some((line) => line.includes(invitation.link))).toBe(true);
    const days = (new Date(invitation.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
  });

  it('a new person accepts with name and password, is signed in and sees only that Kommune', async () => {
    const invitation = await invite('neue.koordination@example.org');
    const browser = new TestClient(runtime, '198.18.0.1');
    const info = await browser.get(`/api/invitations/by-token/${tokenOf(invitation.link)}`);
    expect(info.body.invitation).toMatchObject({ email: 'neue.koordination@example.org', role: 'koordination', kommuneName: kommune.slug ? expect.any(String) : '', hasAccount: false });
    const accepted = await browser.post(`/api/invitations/by-token/${tokenOf(invitation.link)}/accept`, { name: 'Nora Neu', password: testPassword });
    expect(accepted.status).toBe(201);
    expect(accepted.body.kommuneSlug).toBe(kommune.slug);
    const list = await browser.get('/api/kommunen');
    expect(list.body.kommunen.map((entry: { slug: string }) => entry.slug)).toEqual([kommune.slug]);
    expect(list.body.kommunen[0].myRole).toBe('koordination');
  });

  it('works once: a second accept gets 410 and a German message', async () => {
    const invitation = await invite('einmal@example.org', 'lesende');
    const token = tokenOf(invitation.link);
    expect((await new TestClient(runtime).post(`/api/invitations/by-token/${token}/accept`, { name: 'Eins', password: testPassword })).status).toBe(201);
    const again = await new TestClient(runtime).post(`/api/invitations/by-token/${token}/accept`, { name: 'Zwei', password: testPassword });
    expect(again.status).toBe(410);
    expect(again.body.error.message).toMatch(/bereits angenommen/);
  });

  it('works once even when two people accept at the same moment', async () => {
    const existing = await makePerson(runtime, { programme: 'prozessbegleitung' });
    const response = await programmteam.client.post(`/api/kommunen/${kommune.slug}/invitations`, { email: existing.email, role: 'lesende' });
    const token = tokenOf(response.body.invitation.link);
    const results = await Promise.all([
      existing.client.post(`/api/invitations/by-token/${token}/accept`, {}),
      existing.client.post(`/api/invitations/by-token/${token}/accept`, {}),
      existing.client.post(`/api/invitations/by-token/${token}/accept`, {}),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual([201, 410, 410]);
  });

  it('expires after 7 days', async () => {
    const invitation = await invite('spaet@example.org', 'lesende');
    const realNow = runtime.services.now;
    runtime.services.now = () => new Date(Date.now() + 7 * 86_400_000 + 1000);
    try {
      const response = await new TestClient(runtime).post(`/api/invitations/by-token/${tokenOf(invitation.link)}/accept`, { name: 'Spät', password: testPassword });
      expect(response.status).toBe(410);
      expect(response.body.error.message).toMatch(/abgelaufen/);
      expect((await new TestClient(runtime).get(`/api/invitations/by-token/${tokenOf(invitation.link)}`)).status).toBe(410);
    } finally {
      runtime.services.now = realNow;
    }
  });

  it('a withdrawn invitation no longer works', async () => {
    const invitation = await invite('zurueck@example.org', 'lesende');
    expect((await programmteam.client.delete(`/api/invitations/${invitation.id}`)).status).toBe(200);
    const response = await new TestClient(runtime).get(`/api/invitations/by-token/${tokenOf(invitation.link)}`);
    expect(response.status).toBe(404);
  });

  it('an existing account must be signed in as itself to accept', async () => {
    const existing = await makePerson(runtime, { programme: 'prozessbegleitung' });
    const response = await programmteam.client.post(`/api/kommunen/${kommune.slug}/invitations`, { email: existing.email, role: 'mitwirkende', fieldKeys: ['2', '5'] });
    const token = tokenOf(response.body.invitation.link);
    const stranger = await makePerson(runtime, { programme: 'prozessbegleitung' });
    const wrong = await stranger.client.post(`/api/invitations/by-token/${token}/accept`, {});
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.message).toContain(existing.email);
    expect((await existing.client.post(`/api/invitations/by-token/${token}/accept`, {})).status).toBe(201);
    const session = await existing.client.get('/api/session');
    expect(session.body.memberships).toContainEqual({ kommuneId: kommune.id, role: 'mitwirkende', fieldKeys: ['2', '5'] });
  });

  it('Koordination may invite into its own Kommune but not into the programme', async () => {
    const koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
    expect((await koordination.client.post(`/api/kommunen/${kommune.slug}/invitations`, { email: 'm@example.org', role: 'mitwirkende', fieldKeys: ['1'] })).status).toBe(201);
    expect((await koordination.client.post('/api/programme/invitations', { email: 'p@example.org', role: 'programmteam' })).status).toBe(403);
  });

  it('rejects unknown Handlungsfelder and members already in the Kommune', async () => {
    const unknown = await programmteam.client.post(`/api/kommunen/${kommune.slug}/invitations`, { email: 'x@example.org', role: 'mitwirkende', fieldKeys: ['9'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/Unbekannte Handlungsfelder: 9/);
    const member = await makePerson(runtime, { kommune: { id: kommune.id, role: 'lesende' } });
    const twice = await programmteam.client.post(`/api/kommunen/${kommune.slug}/invitations`, { email: member.email, role: 'lesende' });
    expect(twice.status).toBe(409);
  });

  it('a Prozessbegleitung invited with Kommunen is assigned exactly those', async () => {
    const response = await programmteam.client.post('/api/programme/invitations', { email: 'pb@example.org', role: 'prozessbegleitung', assignedKommuneIds: [kommune.id] });
    const browser = new TestClient(runtime, '198.18.0.7');
    await browser.post(`/api/invitations/by-token/${tokenOf(response.body.invitation.link)}/accept`, { name: 'Paul Begleiter', password: testPassword });
    const list = await browser.get('/api/kommunen');
    expect(list.body.kommunen.map((entry: { id: string }) => entry.id)).toEqual([kommune.id]);
    expect(list.body.kommunen[0].myRole).toBe('prozessbegleitung');
  });

  it('a bad token is rejected without touching the database', async () => {
    expect((await new TestClient(runtime).get('/api/invitations/by-token/kurz')).status).toBe(400);
    expect((await new TestClient(runtime).get(`/api/invitations/by-token/${'a'.repeat(43)}`)).status).toBe(404);
  });
});

describe('invitation limit', () => {
  it('30 invitations an hour per person; the 31st gets 429 in German with Retry-After, nothing is created', async () => {
    const sender = await makePerson(runtime, { programme: 'programmteam' });
    const kommune = await makeKommune(runtime);
    for (let index = 0; index < 30; index++) {
      const response = await sender.client.post(`/api/kommunen/${kommune.slug}/invitations`, { email: `limit-${index}@example.org`, role: 'lesende' });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
    }
    const refused = await sender.client.post(`/api/kommunen/${kommune.slug}/invitations`, { email: 'limit-31@example.org', role: 'lesende' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3600');
    expect(refused.body.error.message).toMatch(/30 Einladungen/);
    const overview = await sender.client.get(`/api/kommunen/${kommune.slug}`);
    expect(overview.body.invitations.map((entry: { email: string }) => entry.email)).not.toContain('limit-31@example.org');
    // Another person is not held back by it.
    const other = await makePerson(runtime, { programme: 'programmteam' });
    expect((await other.client.post(`/api/kommunen/${kommune.slug}/invitations`, { email: 'limit-32@example.org', role: 'lesende' })).status).toBe(201);
  });
});
