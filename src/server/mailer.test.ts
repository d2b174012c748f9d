import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaptureSmtp, type CapturedMail } from '../../tests/support/smtp.ts';
import { createMailer } from './mailer.ts';
import { createTestRuntime, type TestRuntime } from '../../tests/support/database.ts';
import { makeKommune, makePerson } from '../../tests/support/factories.ts';

let smtp: Awaited<ReturnType<typeof startCaptureSmtp>> | undefined;
let port: number;
let received: CapturedMail[] = [];
let runtime: TestRuntime;

beforeAll(async () => {
  // A real SMTP server on loopback that keeps what it receives.
  smtp = await startCaptureSmtp();
  received = smtp.received;
  port = smtp.port;
  runtime = await createTestRuntime();
});
afterAll(async () => {
  await runtime?.close();
  await smtp?.close();
});

describe('invitations by e-mail', () => {
  it('with SMTP_URL set, the invitation link is mailed in German', async () => {
    runtime.services.mailer = createMailer(`smtp://127.0.0.1:${port}`, 'Weltoffen <weltoffen@example.org>');
    const programmteam = await makePerson(runtime, { programme: 'programmteam' });
    const kommune = await makeKommune(runtime, 'Mailstadt');
    const response = await programmteam.client.post(`/api/kommunen/${kommune.slug}/invitations`, {
      email: 'koordination@mailstadt.example',
      role: 'koordination',
    });
    expect(response.status).toBe(201);
    expect(response.body.invitation.isMailed).toBe(true);
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual(['koordination@mailstadt.example']);
    const text = received[0]!.data.replace(/=\r?\n/g, '');
    expect(text).toContain(response.body.invitation.link.slice(0, 60));
    expect(text).toMatch(/Einladung zum Selbstcheck Weltoffene Kommune/);
  });

  it('a mail server that is down does not lose the invitation: the link is still shown and logged', async () => {
    runtime.services.mailer = createMailer('smtp://127.0.0.1:1', 'Weltoffen <weltoffen@example.org>');
    const programmteam = await makePerson(runtime, { programme: 'programmteam' });
    const kommune = await makeKommune(runtime, 'Ausfallstadt');
    const response = await programmteam.client.post(`/api/kommunen/${kommune.slug}/invitations`, {
      email: 'lesende@ausfallstadt.example',
      role: 'lesende',
    });
    expect(response.status).toBe(201);
    expect(response.body.invitation.isMailed).toBe(false);
    expect(response.body.invitation.isMailFailed).toBe(true);
    expect(runtime.logs.some((line) => line.includes('konnte nicht gesendet werden'))).toBe(true);
  });

  it('a Koordination\'s invitation is mailed to the invited address only: not shown to the inviter, not logged', async () => {
    runtime.services.mailer = createMailer(`smtp://127.0.0.1:${port}`, 'Weltoffen <weltoffen@example.org>');
    const kommune = await makeKommune(runtime, 'Koordinationsstadt');
    const koordination = await makePerson(runtime, { kommune: { id: kommune.id, role: 'koordination' } });
    const before = received.length;
    const response = await koordination.client.post(`/api/kommunen/${kommune.slug}/invitations`, {
      email: 'fachbereich@koordinationsstadt.example',
      role: 'mitwirkende',
    });
    expect(response.status).toBe(201);
    expect(response.body.invitation.isMailed).toBe(true);
    expect(response.body.invitation.link).toBeNull();
    expect(JSON.stringify(response.body)).not.toContain('/einladung/');
    const mail = received[before]!;
    expect(mail.to).toEqual(['fachbereich@koordinationsstadt.example']);
    const token = mail.data.replace(/=\r?\n/g, '').match(/\/einladung\/([A-Za-z0-9_-]+)/)![1]!;
    expect(runtime.logs.some((line) => line.includes(token))).toBe(false);
    // A mailed invitation is logged without the address (issue 15: no addresses in the log).
    expect(runtime.logs.some((line) => line.includes('Einladung als') && line.includes('per E-Mail gesendet'))).toBe(true);
    expect(runtime.logs.some((line) => line.includes('fachbereich@koordinationsstadt.example'))).toBe(false);
  });
});
