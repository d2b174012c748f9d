import type { Actor, KommuneRole, ProgrammeRole } from '../domain/access.ts';
import { DomainError } from '../domain/errors.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import { findKommunenByIds } from '../db/repositories/kommune-repository.ts';
import {
  countProgrammteam,
  deleteMembership,
  deleteProgrammeMember,
  findMembership,
  listProgrammeMembers,
  setProgrammeMember,
  updateMembership,
} from '../db/repositories/member-repository.ts';
import { cancelPendingPersonalMails } from '../db/repositories/email-job-repository.ts';
import { listOpenInvitations, revokeOpenInvitationsFor } from '../db/repositories/invitation-repository.ts';
import { findUserById } from '../db/repositories/user-repository.ts';
import type { Database } from '../db/client.ts';
import type { ServiceContext } from './context.ts';
import { getCurrentCatalog } from './manage-catalogs.ts';
import { requireGlobal, requireKommune } from './require-kommune.ts';

const linkEndedMessage = 'Die Person wurde entfernt oder ihre Rolle geändert, bevor die E-Mail gesendet war; ihr Link gilt nicht mehr.';

/**
 * When a member is removed or their role changes, every open invitation and set-password link of this
 * Kommune for their address stops working (whoever sent it), and queued mails carrying such a link are
 * cancelled: otherwise an older link would bring the person back, perhaps with a higher role.
 * Call it in the transaction of the change, before the membership is touched (an accept at the same
 * moment then either claimed its link first, and the change comes after it, or finds it revoked).
 */
async function endOpenLinks(context: ServiceContext, db: Database, kommuneId: string | null, userId: string) {
  const person = await findUserById(db, userId);
  if (!person) return { revokedInvitations: 0, cancelledMails: 0 };
  const revoked = await revokeOpenInvitationsFor(db, kommuneId, person.email, context.now());
  const cancelled = await cancelPendingPersonalMails(db, kommuneId, person.email, linkEndedMessage);
  return { revokedInvitations: revoked.length, cancelledMails: cancelled };
}

function refuseOwnChange(actor: Actor, userId: string): void {
  // A Koordination that demotes or removes itself could lock the Kommune out; the Programmteam can do it.
  if (actor.userId === userId && actor.programmeRole !== 'programmteam') {
    throw new DomainError('forbidden', { message: 'Ihre eigene Rolle kann nur das Programmteam ändern.' });
  }
}

/** Changes the role (and, for Mitwirkende, the Handlungsfelder) of a member of a Kommune. */
export async function changeMemberRole(
  context: ServiceContext,
  actor: Actor,
  slug: string,
  userId: string,
  input: { role: KommuneRole; fieldKeys: string[] | null },
): Promise<void> {
  const kommune = await requireKommune(context.db, actor, slug, 'members.manage');
  refuseOwnChange(actor, userId);
  const fieldKeys = input.role === 'mitwirkende' && input.fieldKeys?.length ? input.fieldKeys : null;
  if (fieldKeys) {
    const known = new Set((await getCurrentCatalog(context.db))?.catalog.fields.map((field) => field.key));
    if (fieldKeys.some((key) => !known.has(key))) throw new DomainError('field-unknown', { field: 'fieldKeys' });
  }
  const previous = await findMembership(context.db, kommune.id, userId);
  if (!previous) throw new DomainError('membership-not-found');
  await context.db.transaction(async (db) => {
    const ended = await endOpenLinks(context, db, kommune.id, userId);
    if (!(await updateMembership(db, kommune.id, userId, { role: input.role, fieldKeys }))) throw new DomainError('membership-not-found');
    await recordAudit(db, {
      actorUserId: actor.userId,
      action: 'member.role-changed',
      kommuneId: kommune.id,
      details: { userId, from: previous.role, to: input.role, fieldKeys, ...ended },
    });
  });
}

/** Removes a person from a Kommune; their account stays. */
export async function removeMember(context: ServiceContext, actor: Actor, slug: string, userId: string): Promise<void> {
  const kommune = await requireKommune(context.db, actor, slug, 'members.manage');
  refuseOwnChange(actor, userId);
  await context.db.transaction(async (db) => {
    const ended = await endOpenLinks(context, db, kommune.id, userId);
    if (!(await deleteMembership(db, kommune.id, userId))) throw new DomainError('membership-not-found');
    await recordAudit(db, { actorUserId: actor.userId, action: 'member.removed', kommuneId: kommune.id, details: { userId, ...ended } });
  });
}

/** The people of the programme and the open programme invitations. */
export async function getProgrammeTeam(context: ServiceContext, actor: Actor) {
  requireGlobal(actor, 'programme.manage');
  const [members, invitations] = await Promise.all([
    listProgrammeMembers(context.db),
    listOpenInvitations(context.db, null, context.now()),
  ]);
  return { members, invitations };
}

async function guardLastProgrammteam(context: ServiceContext, actor: Actor, userId: string): Promise<void> {
  if (actor.userId === userId) {
    throw new DomainError('forbidden', { message: 'Ihre eigene Programmrolle kann nur eine andere Person ändern.' });
  }
  const members = await listProgrammeMembers(context.db);
  const target = members.find((member) => member.userId === userId);
  if (!target) throw new DomainError('membership-not-found');
  if (target.role === 'programmteam' && (await countProgrammteam(context.db)) <= 1) {
    throw new DomainError('last-programmteam');
  }
}

/** Changes a programme member's role or the Kommunen assigned to a Prozessbegleitung. */
export async function changeProgrammeMember(
  context: ServiceContext,
  actor: Actor,
  userId: string,
  input: { role: ProgrammeRole; assignedKommuneIds: string[] },
): Promise<void> {
  requireGlobal(actor, 'programme.manage');
  const assigned = input.role === 'prozessbegleitung' ? [...new Set(input.assignedKommuneIds)] : [];
  if ((await findKommunenByIds(context.db, assigned)).length !== assigned.length) {
    throw new DomainError('kommune-unknown', { field: 'assignedKommuneIds' });
  }
  if (input.role !== 'programmteam') await guardLastProgrammteam(context, actor, userId);
  else if (!(await listProgrammeMembers(context.db)).some((member) => member.userId === userId)) {
    throw new DomainError('membership-not-found');
  }
  await context.db.transaction(async (db) => {
    // Open programme invitations of the person end too: an older one must not undo this change.
    const ended = await endOpenLinks(context, db, null, userId);
    await setProgrammeMember(db, userId, input.role, assigned);
    await recordAudit(db, {
      actorUserId: actor.userId,
      action: 'programme.role-changed',
      details: { userId, role: input.role, assignedKommuneIds: assigned, ...ended },
    });
  });
}

/** Takes a person out of the programme; their account and Kommune memberships stay. */
export async function removeProgrammeMember(context: ServiceContext, actor: Actor, userId: string): Promise<void> {
  requireGlobal(actor, 'programme.manage');
  await guardLastProgrammteam(context, actor, userId);
  await context.db.transaction(async (db) => {
    const ended = await endOpenLinks(context, db, null, userId);
    await deleteProgrammeMember(db, userId);
    await recordAudit(db, { actorUserId: actor.userId, action: 'programme.member-removed', details: { userId, ...ended } });
  });
}
