import { can, type Actor } from '../domain/access.ts';
import { DomainError } from '../domain/errors.ts';
import { findUserByEmail, findUserById } from '../db/repositories/user-repository.ts';
import type { Database } from '../db/client.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import { lockKeyForTransaction } from '../db/repositories/lock-repository.ts';
import { countFailedAndRunning, recordAttempts } from '../db/repositories/login-attempt-repository.ts';
import { deleteResetTokensOfUser, revokeSetPasswordLinks } from '../db/repositories/password-link-repository.ts';
import type { Mail, ServiceContext } from './context.ts';

/** Reset requests allowed per hour: per e-mail address, and per client address. */
export const resetRequestLimits = { email: 3, address: 10, windowMs: 60 * 60 * 1000 } as const;

/** The page that sets the new password; the token sits in the fragment, so it never reaches a server log or a Referer. */
export function resetLink(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/passwort-neu#${token}`;
}

/**
 * Counts a reset request against the limits and records it, under advisory locks, so parallel
 * requests cannot pass together. Known and unknown addresses count alike: a refusal says nothing
 * about whether an account exists.
 */
export async function admitResetRequest(db: Database, email: string, address: string, now: Date): Promise<void> {
  const keys = [
    { key: `password-reset:email:${email.toLowerCase()}`, max: resetRequestLimits.email },
    { key: `password-reset:address:${address}`, max: resetRequestLimits.address },
  ];
  const since = new Date(now.getTime() - resetRequestLimits.windowMs);
  const admitted = await db.transaction(async (tx) => {
    for (const { key } of keys) await lockKeyForTransaction(tx, key);
    for (const { key, max } of keys) {
      // Requests are recorded as not succeeded, so they count like failed sign-ins do.
      const { failures } = await countFailedAndRunning(tx, key, `unused:${key}`, since);
      if (failures >= max) return false;
    }
    await recordAttempts(tx, keys.map(({ key }) => key), false, now);
    return true;
  });
  if (!admitted) {
    await recordAudit(db, { actorUserId: null, action: 'auth.password-reset-blocked', details: { email: email.toLowerCase(), address } });
    throw new DomainError('reset-rate-limited', { retryAfterSeconds: resetRequestLimits.windowMs / 1000 });
  }
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!);

/**
 * The German e-mail with the reset link, as plain text and simple HTML. `sentBy`: the member of the
 * Programmteam who sent it; the mail then says so instead of „a new password was requested“, and
 * names whom to ask.
 */
export function resetMail(input: { email: string; name: string; link: string; sentBy?: { name: string; email: string } }): Mail {
  const html = escapeHtml;
  const intro = input.sentBy
    ? {
        text: `${input.sentBy.name} (Programmteam) hat Ihnen einen Link geschickt, mit dem Sie ein neues Passwort für Ihr Konto bei Weltoffen festlegen.`,
        html: `${html(input.sentBy.name)} (Programmteam) hat Ihnen einen Link geschickt, mit dem Sie ein neues Passwort für Ihr Konto bei Weltoffen festlegen.`,
      }
    : { text: 'für Ihr Konto bei Weltoffen wurde ein neues Passwort angefordert. Über diesen Link legen Sie es fest:', html: 'für Ihr Konto bei Weltoffen wurde ein neues Passwort angefordert.' };
  const ignore = input.sentBy
    ? {
        text: `Wenn Sie kein neues Passwort brauchen, können Sie diese E-Mail ignorieren; Ihr bisheriges Passwort bleibt gültig. Fragen dazu beantwortet ${input.sentBy.name} (${input.sentBy.email}).`,
        html: `Wenn Sie kein neues Passwort brauchen, können Sie diese E-Mail ignorieren; Ihr bisheriges Passwort bleibt gültig. Fragen dazu beantwortet ${html(input.sentBy.name)} (${html(input.sentBy.email)}).`,
      }
    : {
        text: 'Wenn Sie kein neues Passwort angefordert haben, können Sie diese E-Mail ignorieren; Ihr bisheriges Passwort bleibt gültig.',
        html: 'Wenn Sie kein neues Passwort angefordert haben, können Sie diese E-Mail ignorieren; Ihr bisheriges Passwort bleibt gültig.',
      };
  const validity = 'Der Link gilt eine Stunde und nur einmal. Danach sind alle Ihre Sitzungen beendet und Sie melden sich mit dem neuen Passwort an.';
  const link = html(input.link);
  return {
    to: input.email,
    subject: 'Weltoffen: Neues Passwort festlegen',
    html: [
      '<!doctype html><html lang="de"><body>',
      `<p>Guten Tag ${html(input.name)},</p>`,
      `<p>${intro.html}</p>`,
      `<p><a href="${link}">Neues Passwort festlegen</a></p>`,
      `<p>Oder kopieren Sie diese Adresse in Ihren Browser:<br>${link}</p>`,
      `<p>${validity}</p>`,
      `<p>${ignore.html}</p>`,
      '</body></html>',
    ].join('\n'),
    text: [`Guten Tag ${input.name},`, '', intro.text, '', input.link, '', validity, '', ignore.text].join('\n'),
  };
}

/**
 * Sends the reset link by e-mail, or without SMTP writes it to the server log only: never into a
 * response, so nobody but the person (or the operator) sees it. Not awaited by the request, so a
 * known address answers as fast as an unknown one; a failure is logged without the link.
 */
export function deliverResetLink(
  services: Pick<ServiceContext, 'mailer' | 'publicUrl' | 'log'>,
  input: { email: string; name: string; token: string; sentBy?: { name: string; email: string } },
): Promise<void> {
  const link = resetLink(services.publicUrl, input.token);
  if (!services.mailer.isConfigured) {
    services.log(`Link zum Festlegen eines neuen Passworts für ${input.email} (gilt eine Stunde, einmal): ${link}`);
    return Promise.resolve();
  }
  return services.mailer.send(resetMail({ email: input.email, name: input.name, link, ...(input.sentBy ? { sentBy: input.sentBy } : {}) })).catch((error: unknown) => {
    services.log(`E-Mail zum Zurücksetzen des Passworts an ${input.email} konnte nicht gesendet werden (${error instanceof Error ? error.name : 'Fehler'}).`);
  });
}

/**
 * Closes every open password link of a person: all reset links (better-auth's tokens) and all
 * set-password links of reminders. Called once a password was set (reset, change, first password
 * through an invitation) and before the Programmteam or the operator issues a new reset link, so
 * an older link, e.g. one lying in a mailbox someone else can read, never sets a password afterwards.
 */
export async function closePasswordLinks(db: Database, userId: string, now: Date): Promise<{ resetLinks: number; setPasswordLinks: number }> {
  return db.transaction(async (tx) => ({
    resetLinks: await deleteResetTokensOfUser(tx, userId),
    setPasswordLinks: await revokeSetPasswordLinks(tx, userId, now),
  }));
}

/** Records a password event in the audit log (never the password or the token). */
export async function recordPasswordEvent(
  db: Database,
  entry: { actorUserId: string | null; action: 'auth.password-reset-requested' | 'auth.password-reset' | 'auth.password-changed' | 'auth.password-reset-sent'; details?: Record<string, unknown> },
): Promise<void> {
  await recordAudit(db, entry);
}

/**
 * The Programmteam sends a person a reset link (decision 010's reasoning: the link goes to the
 * person by e-mail, or without SMTP to the server log, never to the Programmteam's screen).
 */
export async function sendResetLinkToPerson(
  services: Pick<ServiceContext, 'db' | 'mailer' | 'publicUrl' | 'log' | 'now'>,
  actor: Actor,
  userId: string,
  issueToken: (userId: string) => Promise<string>,
): Promise<{ isMailed: boolean }> {
  if (!can(actor, 'programme.manage')) throw new DomainError('forbidden');
  const person = await findUserById(services.db, userId);
  if (!person) throw new DomainError('user-not-found');
  // The new link replaces every earlier one.
  await closePasswordLinks(services.db, person.id, services.now());
  const sender = await findUserById(services.db, actor.userId);
  const token = await issueToken(person.id);
  await deliverResetLink(services, { email: person.email, name: person.name, token, ...(sender ? { sentBy: { name: sender.name, email: sender.email } } : {}) });
  await recordPasswordEvent(services.db, { actorUserId: actor.userId, action: 'auth.password-reset-sent', details: { userId: person.id } });
  return { isMailed: services.mailer.isConfigured };
}

/**
 * The operator's reset (`weltoffen admin reset-password`): a one-hour, single-use link for the
 * person with this address. A link rather than a password typed on the command line, so no
 * password lands in a shell history and only the person chooses it.
 */
export async function createResetLinkForEmail(
  services: Pick<ServiceContext, 'db' | 'publicUrl' | 'now'>,
  email: string,
  issueToken: (userId: string) => Promise<string>,
): Promise<{ link: string; name: string }> {
  const person = await findUserByEmail(services.db, email);
  if (!person) throw new DomainError('user-not-found', { message: `Ein Konto mit der E-Mail-Adresse ${email} gibt es nicht.` });
  // The operator's link replaces every earlier one.
  await closePasswordLinks(services.db, person.id, services.now());
  const token = await issueToken(person.id);
  await recordPasswordEvent(services.db, { actorUserId: null, action: 'auth.password-reset-sent', details: { userId: person.id, by: 'cli' } });
  return { link: resetLink(services.publicUrl, token), name: person.name };
}
