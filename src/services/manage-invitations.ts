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
import { DomainError } from '../domain/errors.ts';
import { invitationLimit, mayInviteAgain } from '../domain/sign-in-limit.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import {
  claimInvitation,
  countInvitationsBy,
  findInvitationById,
  findInvitationByTokenHash,
  insertInvitation,
  revokeInvitation,
  type InvitationRow,
} from '../db/repositories/invitation-repository.ts';
import { findKommuneById, findKommunenByIds } from '../db/repositories/kommune-repository.ts';
import { findMembership, setProgrammeMember, upsertMembership } from '../db/repositories/member-repository.ts';
import { findUserByEmail, hasPassword, setUserName } from '../db/repositories/user-repository.ts';
import type { ServiceContext } from './context.ts';
import { getCurrentCatalog } from './manage-catalogs.ts';
import { requireGlobal, requireKommune } from './require-kommune.ts';
import { createToken, hashToken } from './tokens.ts';

/** Invitations expire after seven days. */
export const invitationLifetimeMs = 7 * 24 * 60 * 60 * 1000;

export interface CreatedInvitation {
  id: string;
  email: string;
  role: Role;
  link: string;
  expiresAt: Date;
  isMailed: boolean;
  /** SMTP is configured but sending failed; the link must be passed on by hand. */
  isMailFailed: boolean;
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

async function issue(
  context: ServiceContext,
  actor: Actor,
  values: {
    email: string;
    role: Role;
    kommuneId: string | null;
    kommuneName: string | null;
    fieldKeys: string[] | null;
    assignedKommuneIds: string[] | null;
  },
): Promise<CreatedInvitation> {
  const sent = await countInvitationsBy(context.db, actor.userId, new Date(context.now().getTime() - invitationLimit.windowMs));
  if (!mayInviteAgain(sent)) throw new DomainError('invitations-limited', { retryAfterSeconds: invitationLimit.windowMs / 1000 });
  const { token, hash } = createToken();
  const expiresAt = new Date(context.now().getTime() + invitationLifetimeMs);
  const row = await context.db.transaction(async (db) => {
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
      action: 'invitation.created',
      kommuneId: values.kommuneId,
      details: { email: created.email, role: values.role },
    });
    return created;
  });
  const link = `${context.publicUrl}/einladung/${token}`;
  const where = values.kommuneName ? `in der Kommune ${values.kommuneName}` : 'im Programmteam von Weltoffen';
  context.log(`Einladung für ${row.email} als ${roleLabels[values.role]} ${where}: ${link}`);
  let isMailed = false;
  let isMailFailed = false;
  if (context.mailer.isConfigured) {
    try {
      await context.mailer.send({
        to: row.email,
        subject: 'Einladung zum Selbstcheck Weltoffene Kommune',
        text:
          `Guten Tag,\n\nSie wurden eingeladen, ${where} als ${roleLabels[values.role]} mitzuarbeiten.\n\n` +
          `Bitte öffnen Sie diesen Link innerhalb von 7 Tagen, um Ihr Konto anzulegen:\n${link}\n\n` +
          'Der Link funktioniert nur einmal. Wenn Sie diese Einladung nicht erwartet haben, können Sie diese E-Mail ignorieren.\n',
      });
      isMailed = true;
    } catch (error) {
      isMailFailed = true;
      context.log(`E-Mail an ${row.email} konnte nicht gesendet werden: ${(error as Error).message}`);
    }
  }
  return { id: row.id, email: row.email, role: values.role, link, expiresAt, isMailed, isMailFailed };
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

/**
 * Accepts an invitation: a new person sets name and password; a person with an account must be
 * signed in as that account. Works once; the role is granted in the same transaction as the claim.
 */
export async function acceptInvitation(
  context: ServiceContext,
  token: string,
  input: { signedInUserId: string | null; name?: string; password?: string },
): Promise<{ userId: string; email: string; kommuneSlug: string | null; isNewAccount: boolean }> {
  const row = checkUsable(await findInvitationByTokenHash(context.db, hashToken(token)), context.now());
  const existing = await findUserByEmail(context.db, row.email);
  let userId: string;
  let isNewAccount = false;
  let firstPassword: { name: string; password: string } | null = null;
  if (existing && !(await hasPassword(context.db, existing.id))) {
    // Known from an import, without a password yet: the invitation gives them one, once it is
    // claimed (below), so that two accepts of the same link at once cannot both set a password.
    if (!input.name || !input.password) {
      throw new DomainError('invalid-input', { field: 'password', message: 'Bitte Namen und Passwort angeben.' });
    }
    firstPassword = { name: input.name, password: input.password };
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
    if (!input.name || !input.password) {
      throw new DomainError('invalid-input', { field: 'password', message: 'Bitte Namen und Passwort angeben.' });
    }
    userId = (await context.accounts.createUser({ email: row.email, name: input.name, password: input.password })).id;
    isNewAccount = true;
  }
  const kommune = await context.db.transaction(async (db) => {
    if (!(await claimInvitation(db, row.id, userId, context.now()))) throw new DomainError('invitation-used');
    const role = row.role as Role;
    if ((kommuneRoles as readonly string[]).includes(role)) {
      await upsertMembership(db, {
        kommuneId: row.kommuneId!,
        userId,
        role: role as KommuneRole,
        fieldKeys: row.fieldKeys,
      });
    } else {
      await setProgrammeMember(db, userId, role as ProgrammeRole, row.assignedKommuneIds ?? []);
    }
    await recordAudit(db, {
      actorUserId: userId,
      action: 'invitation.accepted',
      kommuneId: row.kommuneId,
      details: { role, invitationId: row.id },
    });
    return row.kommuneId ? findKommuneById(db, row.kommuneId) : undefined;
  });
  if (firstPassword) {
    await context.accounts.setFirstPassword(userId, firstPassword.password);
    await setUserName(context.db, userId, firstPassword.name);
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
  if (!(await revokeInvitation(context.db, row.id, context.now()))) throw new DomainError('invitation-used');
  await recordAudit(context.db, {
    actorUserId: actor.userId,
    action: 'invitation.revoked',
    kommuneId: row.kommuneId,
    details: { email: row.email },
  });
}
