import type { Mailer } from '../services/context.ts';

/** Sends mail through SMTP_URL; without it, invitations are only shown and logged. */
export function createMailer(smtpUrl: string | undefined, from: string): Mailer {
  if (!smtpUrl) return { isConfigured: false, send: async () => {} };
  let transport: Promise<{ sendMail(mail: object): Promise<unknown> }> | undefined;
  return {
    isConfigured: true,
    async send(mail) {
      // nodemailer is loaded only when mail is really sent, to keep it off start-up.
      transport ??= import('nodemailer').then((module) => module.default.createTransport(smtpUrl));
      await (await transport).sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html ? { html: mail.html } : {}) });
    },
  };
}
