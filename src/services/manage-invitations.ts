import { randomUUID } from 'node:crypto';
import {
  grantableRoles,
  kommuneRoles,
  roleLabels,
  type Actor,
  type KommuneRole,
  type ProgrammeRole,
  type Role,
} from '../domain/access.ts';
import { invitationDays, invitationEmail } from '../domain/email.ts';
import { DomainError } from '../domain/errors.ts';
import { invitationLimit, mayInviteAgain } from '../domain/sign-in-limit.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { insertUsersWithoutPassword } from '../db/repositories/bundle-repository.ts';
import { cancelPendingEmailJob, cancelPendingPersonalMails } from '../db/repositories/email-job-repository.ts';
import { lockKeyForTransaction } from '../db/repositories/lock-repository.ts';
import {
  claimInvitation,
  countInvitationsBy,
  findInvitationById,
  findInvitationByTokenHash,
  insertInvitation,
  revokeInvitation,
  revokeOpenInvitationsFor,
  type InvitationRow,
} from '../db/repositories/invitation-repository.ts';
import { findKommuneById, findKommunenByIds } from '../db/repositories/kommune-repository.ts';
import {
  findMembership,
  insertMembershipIfAbsent,
  loadActor,
  setProgrammeMember,
  updateMembership,
} from '../db/repositories/member-repository.ts';
import { findUserByEmail, hasPassword, setUserName } from '../db/repositories/user-repository.ts';
import type { ServiceContext } from './context.ts';
import { getCurrentCatalog } from './manage-catalogs.ts';
import { requireGlobal, requireKommune } from './require-kommune.ts';
import { queueEmails, sendQueuedEmailNow } from './send-emails.ts';
import { createToken, hashToken } from './tokens.ts';

/** Invitations expire after seven days. */
export const invitationLifetimeMs = invitationDays * 24 * 60 * 60 * 1000;

export interface CreatedInvitation {
  id: string;
  email: string;
  role: Role;
  /**
   * The link, only for the Programmteam (decision 010). Everyone else's invitations reach the
   * invited person by e-mail, or through the operator, who finds the link in the server log.
   */
  link: string | null;
  expiresAt: Date;
  isMailed: boolean;
  /** SMTP is configured but sending failed; the link is in the server log. */
  isMailFailed: boolean;
  /**
   * How many earlier open links for the same address and Kommune (invitations, whoever sent them, and
   * reminder set-password links) this one withdrew: the newest invitation is the only one that works.
   */
  replacedCount: number;
}

interface InvitationValues {
  email: string;
  role: Role;
  kommuneId: string | null;
  kommuneName: string | null;
  fieldKeys: string[] | null;
  assignedKommuneIds: string[] | null;
}

async function checkFieldKeys(context: ServiceContext, fieldKeys: string[] | null): Promise<void> {
  if (!fieldKeys) return;
  const current = await getCurrentCatalog(context.db);
  const known = new Set(current?.catalog.fields.map((field) => field.key) ?? []);
  const unknown = fieldKeys.filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new DomainError('field-unknown', {
      field: 'fieldKeys',
      message: `Unbekannte Handlungsfelder: ${unknown.join(', ')}.`,
    });
  }
}

/**
 * Whether the inviter may see the link. A link that activates an account must reach only the
 * person who owns the address, or the Programmteam, which is trusted with every Kommune anyway:
 * otherwise a Koordination could invite someone else's address and accept it itself (issue 11).
 */
function isLinkShownTo(actor: Actor): boolean {
  return actor.programmeRole === 'programmteam';
}

/**
 * Creates the invitation under the inviter's limit, in one transaction: the count and the insert
 * hold a lock per inviter, so parallel requests cannot all pass the same count. `replacing` is an
 * open invitation that the new one supersedes (a renewed link).
 */
async function issue(context: ServiceContext, actor: Actor, values: InvitationValues, replacing?: InvitationRow): Promise<CreatedInvitation> {
  const { token, hash } = createToken();
  const expiresAt = new Date(context.now().getTime() + invitationLifetimeMs);
  const link = `${context.publicUrl}/einladung/${token}`;
  const where = values.kommuneName ? `in der Kommune ${values.kommuneName}` : 'im Programmteam von Weltoffen';
  const jobId = randomUUID();
  const result = await context.db.transaction(async (db) => {
    await lockKeyForTransaction(db, `invitation-limit:${actor.userId}`);
    const sent = await countInvitationsBy(db, actor.userId, new Date(context.now().getTime() - invitationLimit.windowMs));
    if (!mayInviteAgain(sent)) throw new DomainError('invitations-limited', { retryAfterSeconds: invitationLimit.windowMs / 1000 });
    if (replacing && !(await revokeInvitation(db, replacing.id, context.now()))) throw new DomainError('invitation-used');
    if (replacing) await cancelPendingEmailJob(db, invitationJobKey(replacing.id), replacedMessage);
    // The newest invitation wins: every other open link for this address here stops working, so an
    // older one (perhaps with a higher role) cannot be accepted after this one or after a removal.
    const replaced = await revokeOpenInvitationsFor(db, values.kommuneId, values.email, context.now());
    for (const id of replaced) await cancelPendingEmailJob(db, invitationJobKey(id), replacedMessage);
    if (values.kommuneId) await cancelPendingPersonalMails(db, values.kommuneId, values.email, replacedMessage, ['reminder']);
    const created = await insertInvitation(db, {
      id: randomUUID(),
      tokenHash: hash,
      email: values.email.toLowerCase(),
      role: values.role,
      kommuneId: values.kommuneId,
      fieldKeys: values.fieldKeys,
      assignedKommuneIds: values.assignedKommuneIds,
      invitedBy: actor.userId,
      expiresAt,
    });
    await recordAudit(db, {
      actorUserId: actor.userId,
      action: replacing ? 'invitation.renewed' : 'invitation.created',
      kommuneId: values.kommuneId,
      details: {
        email: created.email,
        role: values.role,
        ...(replacing ? { replacedInvitationId: replacing.id } : {}),
        ...(replaced.length ? { revokedInvitationIds: replaced } : {}),
      },
    });
    // The mail is queued with the invitation: it exists exactly when the invitation does.
    await queueEmails(db, [
      {
        id: jobId,
        kind: 'invitation',
        kommuneId: values.kommuneId,
        recipient: created.email,
        content: invitationEmail({ roleLabel: roleLabels[values.role], where, url: link }),
        dueAt: context.now(),
        dedupeKey: invitationJobKey(created.id),
        createdBy: actor.userId,
      },
    ]);
    return { created, replacedCount: replaced.length };
  });
  const { created: row, replacedCount } = result;
  const delivery = await deliver(context, jobId, `Einladung als ${roleLabels[values.role]} ${where}`, row.email);
  return { id: row.id, email: row.email, role: values.role, link: isLinkShownTo(actor) ? link : null, expiresAt, ...delivery, replacedCount };
}

/** The dedupe key of an invitation's mail: one mail per link. */
const invitationJobKey = (invitationId: string) => `invitation:${invitationId}`;
const replacedMessage = 'Die Einladung wurde erneuert oder zurückgezogen, bevor die E-Mail gesendet war.';

/**
 * Sends the queued invitation at once, so the inviter learns whether it left. Where no mail could be
 * sent, the queue writes the link to the server log, which only the operator reads; a mailed link is
 * never logged. A failed mail is tried again by the queue. Should another process's mail loop have
 * claimed the job first, that process sends it.
 */
async function deliver(context: ServiceContext, jobId: string, what: string, email: string) {
  const outcome = await sendQueuedEmailNow(context, jobId);
  // The address only where the operator must pass the link on by hand; a mailed invitation is in the Kommune's E-Mail-Protokoll.
  if (outcome === 'sent') context.log(`${what} per E-Mail gesendet.`);
  else if (outcome === 'not-sent') context.log(`${what} für ${email}: kein E-Mail-Versand eingerichtet; der Link steht oben im Server-Log.`);
  else if (outcome === 'failed') context.log(`${what} für ${email}: E-Mail nicht angenommen; der Link steht oben im Server-Log, der Versand wird wiederholt.`);
  return { isMailed: outcome === 'sent' || (outcome === 'elsewhere' && context.mailer.isConfigured), isMailFailed: outcome === 'failed' };
}

/** Programmteam or the Kommune's Koordination invites a person into the Kommune. */
export async function inviteIntoKommune(
  context: ServiceContext,
  actor: Actor,
  slug: string,
  input: { email: string; role: KommuneRole; fieldKeys: string[] | null },
): Promise<CreatedInvitation> {
  const kommune = await requireKommune(context.db, actor, slug, 'members.invite');
  if (!grantableRoles(actor, kommune.id).includes(input.role)) throw new DomainError('forbidden');
  const fieldKeys = input.role === 'mitwirkende' && input.fieldKeys && input.fieldKeys.length > 0 ? input.fieldKeys : null;
  await checkFieldKeys(context, fieldKeys);
  const existing = await findUserByEmail(context.db, input.email);
  // A member without a password (brought in by an import) is invited to get access.
  if (existing && (await findMembership(context.db, kommune.id, existing.id)) && (await hasPassword(context.db, existing.id))) {
    throw new DomainError('already-member', { field: 'email' });
  }
  return issue(context, actor, {
    email: input.email,
    role: input.role,
    kommuneId: kommune.id,
    kommuneName: kommune.name,
    fieldKeys,
    assignedKommuneIds: null,
  });
}

/** Programmteam invites a person into the programme, a Prozessbegleitung with the Kommunen assigned. */
export async function inviteIntoProgramme(
  context: ServiceContext,
  actor: Actor,
  input: { email: string; role: ProgrammeRole; assignedKommuneIds: string[] },
): Promise<CreatedInvitation> {
  requireGlobal(actor, 'programme.manage');
  const assigned = input.role === 'prozessbegleitung' ? [...new Set(input.assignedKommuneIds)] : [];
  const found = await findKommunenByIds(context.db, assigned);
  if (found.length !== assigned.length) throw new DomainError('kommune-unknown', { field: 'assignedKommuneIds' });
  return issue(context, actor, {
    email: input.email,
    role: input.role,
    kommuneId: null,
    kommuneName: null,
    fieldKeys: null,
    assignedKommuneIds: assigned,
  });
}

function checkUsable(row: InvitationRow | undefined, now: Date): InvitationRow {
  if (!row || row.revokedAt) throw new DomainError('invitation-not-found');
  if (row.acceptedAt) throw new DomainError('invitation-used');
  if (row.expiresAt <= now) throw new DomainError('invitation-expired');
  return row;
}

/** What the invitation page shows before accepting: role, Kommune, whether an account exists. */
export async function describeInvitation(context: ServiceContext, token: string) {
  const row = checkUsable(await findInvitationByTokenHash(context.db, hashToken(token)), context.now());
  refuseSetPasswordLinkWhenSsoOnly(context, row.purpose);
  const kommune = row.kommuneId ? await findKommuneById(context.db, row.kommuneId) : undefined;
  const existing = await findUserByEmail(context.db, row.email);
  return {
    email: row.email,
    role: row.role as Role,
    kommuneName: kommune?.name ?? null,
    kommuneSlug: kommune?.slug ?? null,
    expiresAt: row.expiresAt,
    hasAccount: existing !== undefined && (await hasPassword(context.db, existing.id)),
  };
}

/** In „nur SSO“ nobody sets a password: an older reminder's set-password link is refused, pointing to the directory. */
function refuseSetPasswordLinkWhenSsoOnly(context: ServiceContext, purpose: string) {
  if (context.isSsoOnly && purpose === 'set-password') {
    throw new DomainError('invitation-used', {
      message: 'Passwörter werden hier nicht mehr verwendet. Bitte melden Sie sich über den Anmeldedienst Ihrer Verwaltung an; Ihre offenen Fragen finden Sie danach in Ihrer Kommune.',
    });
  }
}

const noLongerMemberMessage =
  'Sie sind nicht mehr Mitglied dieser Kommune. Dieser Link gilt deshalb nicht mehr; bitte wenden Sie sich an die Koordination.';

/**
 * Accepts an invitation: a new person sets name and password; a person with an account must be
 * signed in as that account. Works once; the role is granted in the same transaction as the claim.
 * Where the person is a member already, the invitation's role applies only to a membership older than
 * the invitation (the inviter knew it when deciding); a newer one stays as it is. Every removal or role
 * change revokes the person's open invitations, so a later removal always wins.
 * A set-password link (a reminder's) only sets the password, and only while the membership exists.
 * In „nur SSO“ (context.isSsoOnly) a new person gives only a name and the account has no password
 * (they sign in through the directory), and set-password links are refused.
 */
export async function acceptInvitation(
  context: ServiceContext,
  token: string,
  input: { signedInUserId: string | null; name?: string; password?: string },
): Promise<{ userId: string; email: string; kommuneSlug: string | null; isNewAccount: boolean }> {
  const row = checkUsable(await findInvitationByTokenHash(context.db, hashToken(token)), context.now());
  refuseSetPasswordLinkWhenSsoOnly(context, row.purpose);
  const existing = await findUserByEmail(context.db, row.email);
  const setsPasswordOnly = row.purpose === 'set-password';
  const isPasswordless = context.isSsoOnly === true;
  const missingInput = () =>
    isPasswordless
      ? new DomainError('invalid-input', { field: 'name', message: 'Bitte geben Sie Ihren Namen an.' })
      : new DomainError('invalid-input', { field: 'password', message: 'Bitte Namen und Passwort angeben.' });
  if (setsPasswordOnly && (!existing || (await hasPassword(context.db, existing.id)))) {
    // The link was for a first password: the person has one by now (or the account is gone).
    throw new DomainError('invitation-used', {
      message: existing ? 'Sie haben bereits ein Passwort. Bitte melden Sie sich an.' : noLongerMemberMessage,
    });
  }
  let userId: string;
  let isNewAccount = false;
  let firstAccess: { name: string; password: string | null } | null = null;
  if (existing && !(await hasPassword(context.db, existing.id))) {
    // Known from an import, without a password yet: the invitation gives them one, once it is
    // claimed (below), so that two accepts of the same link at once cannot both set a password.
    // In „nur SSO“ they keep having none and sign in through the directory.
    if (!input.name || (!isPasswordless && !input.password)) throw missingInput();
    firstAccess = { name: input.name, password: isPasswordless ? null : input.password! };
    userId = existing.id;
    isNewAccount = true;
  } else if (existing) {
    if (input.signedInUserId !== existing.id) {
      throw new DomainError('invitation-wrong-account', {
        message: `Diese Einladung gilt für ${row.email}. Bitte melden Sie sich mit diesem Konto an und öffnen Sie den Link erneut.`,
      });
    }
    userId = existing.id;
  } else {
    if (!input.name || (!isPasswordless && !input.password)) throw missingInput();
    try {
      if (isPasswordless) {
        // Like a person from an import: an account without a password; the directory signs them in.
        const [created] = await insertUsersWithoutPassword(context.db, [{ id: randomUUID(), email: row.email.toLowerCase(), name: input.name }]);
        if (!created) throw new DomainError('invitation-account-created');
        userId = created;
      } else {
        userId = (await context.accounts.createUser({ email: row.email, name: input.name, password: input.password! })).id;
      }
    } catch (error) {
      // Another accept for this address (this link in a second tab, or another invitation) created
      // the account a moment ago: unique e-mail. That is a conflict the person can resolve, not a crash.
      if (isUniqueViolation(error)) throw new DomainError('invitation-account-created');
      throw error;
    }
    isNewAccount = true;
  }
  const kommune = await context.db.transaction(async (db) => {
    if (!(await claimInvitation(db, row.id, userId, context.now()))) throw new DomainError('invitation-used');
    const role = row.role as Role;
    if (setsPasswordOnly) {
      // Carries no role: the membership as it is now, or nothing at all.
      if (!(await findMembership(db, row.kommuneId!, userId))) throw new DomainError('invitation-used', { message: noLongerMemberMessage });
    } else if ((kommuneRoles as readonly string[]).includes(role)) {
      const values = { kommuneId: row.kommuneId!, userId, role: role as KommuneRole, fieldKeys: row.fieldKeys };
      const current = await findMembership(db, row.kommuneId!, userId);
      if (!current) await insertMembershipIfAbsent(db, values);
      else if (current.createdAt <= row.createdAt) await updateMembership(db, row.kommuneId!, userId, values);
    } else {
      await setProgrammeMember(db, userId, role as ProgrammeRole, row.assignedKommuneIds ?? []);
    }
    await recordAudit(db, {
      actorUserId: userId,
      action: 'invitation.accepted',
      kommuneId: row.kommuneId,
      details: { role: setsPasswordOnly ? null : role, invitationId: row.id, ...(setsPasswordOnly ? { setPasswordOnly: true } : {}) },
    });
    return row.kommuneId ? findKommuneById(db, row.kommuneId) : undefined;
  });
  if (firstAccess) {
    if (firstAccess.password !== null) await context.accounts.setFirstPassword(userId, firstAccess.password);
    // The name entered here may replace the imported one only where nobody else knows the person by
    // it: not for a member of another Kommune or of the programme (another Kommune's invitation must
    // not rename people for everyone).
    const roles = await loadActor(context.db, userId);
    if (!roles.programmeRole && roles.memberships.every((membership) => membership.kommuneId === row.kommuneId)) {
      await setUserName(context.db, userId, firstAccess.name);
    }
  }
  return { userId, email: row.email, kommuneSlug: kommune?.slug ?? null, isNewAccount };
}

/** Withdraws an open invitation of a Kommune (members.manage) or of the programme (programme.manage). */
export async function withdrawInvitation(context: ServiceContext, actor: Actor, invitationId: string): Promise<void> {
  const row = await findInvitationById(context.db, invitationId);
  if (!row) throw new DomainError('invitation-not-found');
  if (row.kommuneId) {
    const kommune = await findKommuneById(context.db, row.kommuneId);
    await requireKommune(context.db, actor, kommune!.slug, 'members.manage');
  } else {
    requireGlobal(actor, 'programme.manage');
  }
  await context.db.transaction(async (db) => {
    if (!(await revokeInvitation(db, row.id, context.now()))) throw new DomainError('invitation-used');
    await cancelPendingEmailJob(db, invitationJobKey(row.id), replacedMessage);
  });
  await recordAudit(context.db, {
    actorUserId: actor.userId,
    action: 'invitation.revoked',
    kommuneId: row.kommuneId,
    details: { email: row.email },
  });
}

/**
 * Sends a new link for an open invitation (the old link stops working): by e-mail, and shown to the
 * Programmteam only. The Koordination may renew its Kommune's invitations, e.g. when a mail got lost.
 */
export async function renewInvitation(context: ServiceContext, actor: Actor, invitationId: string): Promise<CreatedInvitation> {
  const row = await findInvitationById(context.db, invitationId);
  if (!row) throw new DomainError('invitation-not-found');
  let kommuneName: string | null = null;
  // Renewing would turn a link that only sets a password into an invitation with a role.
  if (row.purpose === 'set-password') {
    throw new DomainError('conflict', {
      message: 'Ein persönlicher Link aus einer Erinnerung kann nicht erneuert werden. Bitte senden Sie der Person eine neue Erinnerung oder laden Sie sie ein.',
    });
  }
  if (row.kommuneId) {
    const kommune = await findKommuneById(context.db, row.kommuneId);
    await requireKommune(context.db, actor, kommune!.slug, 'members.invite');
    if (!grantableRoles(actor, kommune!.id).includes(row.role as Role)) throw new DomainError('forbidden');
    kommuneName = kommune!.name;
  } else {
    requireGlobal(actor, 'programme.manage');
  }
  checkUsable(row, context.now());
  return issue(
    context,
    actor,
    {
      email: row.email,
      role: row.role as Role,
      kommuneId: row.kommuneId,
      kommuneName,
      fieldKeys: row.fieldKeys,
      assignedKommuneIds: row.assignedKommuneIds,
    },
    row,
  );
}

const replacedByNewReminderMessage = 'Eine neuere Erinnerung mit einem neuen persönlichen Link ersetzt diese E-Mail.';

/**
 * A personal link for a member without a password (brought in by an import) that a reminder carries:
 * single use, expiring after seven days, it sets a password while the person is still a member and
 * then opens `next` (the person's open questions); it never grants or changes a membership. A new
 * one revokes the previous one. Call it in the transaction that queues the mail.
 */
export async function createSetPasswordLink(
  context: ServiceContext,
  db: ServiceContext['db'],
  member: { email: string; role: KommuneRole; fieldKeys: string[] | null; kommuneId: string },
  createdBy: string | null,
  next: string,
): Promise<string> {
  const { token, hash } = createToken();
  // One open set-password link per person and Kommune: the previous one stops working, and a queued
  // reminder that still carries it is cancelled (this reminder replaces it).
  await revokeOpenInvitationsFor(db, member.kommuneId, member.email, context.now(), 'set-password');
  await cancelPendingPersonalMails(db, member.kommuneId, member.email, replacedByNewReminderMessage, ['reminder']);
  const created = await insertInvitation(db, {
    id: randomUUID(),
    tokenHash: hash,
    email: member.email.toLowerCase(),
    purpose: 'set-password',
    // For the list of open links only: accepting never reads it.
    role: member.role,
    kommuneId: member.kommuneId,
    fieldKeys: member.fieldKeys,
    assignedKommuneIds: null,
    // Nobody's invitation limit: the person is a member already (who sent the reminder is in the audit).
    invitedBy: null,
    expiresAt: new Date(context.now().getTime() + invitationLifetimeMs),
  });
  await recordAudit(db, {
    actorUserId: createdBy,
    action: 'invitation.created',
    kommuneId: member.kommuneId,
    details: { email: created.email, role: member.role, withReminder: true },
  });
  return `${context.publicUrl}/einladung/${token}?weiter=${encodeURIComponent(next)}`;
}
