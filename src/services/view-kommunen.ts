import {
  can,
  canSeeKommune,
  globalPermissions,
  kommunePermissions,
  roleInKommune,
  type Actor,
} from '../domain/access.ts';
import { isEmptyWorkshop, workshopsSchema } from '../domain/workshop.ts';
import { listOpenInvitations } from '../db/repositories/invitation-repository.ts';
import { listKommunen, type KommuneRow } from '../db/repositories/kommune-repository.ts';
import { listAssignedProzessbegleitung, listKommuneMembers } from '../db/repositories/member-repository.ts';
import { hasKommuneContent } from '../db/repositories/bundle-repository.ts';
import { findDocument } from '../db/repositories/document-repository.ts';
import { listRounds } from '../db/repositories/round-repository.ts';
import { listOpenRoundDeadlines } from '../db/repositories/reminder-repository.ts';
import type { ServiceContext } from './context.ts';
import { requireKommune } from './require-kommune.ts';

export interface KommuneSummary {
  id: string;
  slug: string;
  name: string;
  kind: string;
  /** How the report calls it („Hansestadt“); null: the kind itself. */
  designation: string | null;
  bundesland: string;
  gemeindeschluessel: string | null;
  modules: number[];
  isArchived: boolean;
  myRole: ReturnType<typeof roleInKommune>;
}

function summarise(actor: Actor, row: KommuneRow): KommuneSummary {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    kind: row.kind,
    designation: row.designation,
    bundesland: row.bundesland,
    gemeindeschluessel: row.gemeindeschluessel,
    modules: row.modules,
    isArchived: row.archivedAt !== null,
    myRole: roleInKommune(actor, row.id),
  };
}

/** The Kommunen the actor may see, in German alphabetical order. */
export async function listVisibleKommunen(
  context: ServiceContext,
  actor: Actor,
  options: { includeArchived: boolean },
): Promise<(KommuneSummary & { openRoundDeadline: { number: number; deadline: string } | null })[]> {
  const ids =
    actor.programmeRole === 'programmteam'
      ? undefined
      : [...new Set([...actor.assignedKommuneIds, ...actor.memberships.map((membership) => membership.kommuneId)])];
  const rows = await listKommunen(context.db, { ids, includeArchived: options.includeArchived });
  const deadlines = await listOpenRoundDeadlines(context.db);
  // The open round's deadline, for those who may read the round (everyone who sees the Kommune's rounds).
  return rows
    .filter((row) => canSeeKommune(actor, row.id))
    .map((row) => ({ ...summarise(actor, row), openRoundDeadline: can(actor, 'round.read', row.id) ? (deadlines.get(row.id) ?? null) : null }));
}

/** Next steps shown on a Kommune's home page, by what is already in place; the page links each to where it is done. */
export type NextStep =
  | { key: 'invite-koordination' | 'invite-mitwirkende' | 'await-selbstcheck' | 'document-workshop' | 'plan-outlook' | 'see-report' }
  | { key: 'answer-selbstcheck' | 'consolidate-selbstcheck' | 'see-results'; roundNumber: number };

/** Whether the workshops document holds at least one workshop with something entered. */
function hasDocumentedWorkshop(content: unknown): boolean {
  const parsed = workshopsSchema.safeParse(content ?? {});
  return parsed.success && parsed.data.workshops.some((workshop) => !isEmptyWorkshop(workshop));
}

/** Everything a Kommune's home page shows, trimmed to what the actor may read. */
export async function getKommuneOverview(context: ServiceContext, actor: Actor, slug: string) {
  const row = await requireKommune(context.db, actor, slug, 'kommune.read');
  const permissions = kommunePermissions(actor, row.id);
  const [members, facilitators, invitations, rounds, hasContent, workshops, outlook] = await Promise.all([
    listKommuneMembers(context.db, row.id),
    listAssignedProzessbegleitung(context.db, row.id),
    permissions['members.read'] ? listOpenInvitations(context.db, row.id, context.now()) : Promise.resolve([]),
    listRounds(context.db, row.id),
    permissions['kommune.import'] ? hasKommuneContent(context.db, row.id) : Promise.resolve(true),
    permissions['process.document'] ? findDocument(context.db, row.id, 'workshops') : Promise.resolve(undefined),
    permissions['process.edit'] ? findDocument(context.db, row.id, 'outlook') : Promise.resolve(undefined),
  ]);
  const koordination = members.filter((member) => member.role === 'koordination');
  const latest = rounds[0];
  const nextSteps: NextStep[] = [];
  if (koordination.length === 0) nextSteps.push({ key: 'invite-koordination' });
  if (!members.some((member) => member.role === 'mitwirkende')) nextSteps.push({ key: 'invite-mitwirkende' });
  if (!latest) nextSteps.push({ key: 'await-selbstcheck' });
  else if (latest.status === 'open') {
    nextSteps.push({ key: 'answer-selbstcheck', roundNumber: latest.number });
    if (permissions['round.manage']) nextSteps.push({ key: 'consolidate-selbstcheck', roundNumber: latest.number });
  } else {
    // After a closed round the process goes on: workshop, Ausblick and measures, the Abschlussbericht.
    nextSteps.push({ key: 'see-results', roundNumber: latest.number });
    if (permissions['process.document'] && !hasDocumentedWorkshop(workshops?.content)) nextSteps.push({ key: 'document-workshop' });
    if (permissions['process.edit'] && !outlook) nextSteps.push({ key: 'plan-outlook' });
    if (permissions['report.read']) nextSteps.push({ key: 'see-report' });
  }
  return {
    kommune: summarise(actor, row),
    permissions,
    global: globalPermissions(actor),
    // Everyone who may read the Kommune sees whom to contact; the full list only with members.read.
    contacts: [
      ...koordination.map((member) => ({ name: member.name, role: member.role })),
      ...facilitators.map((person) => ({ name: person.name, role: 'prozessbegleitung' as const })),
    ],
    members: permissions['members.read'] ? members : null,
    invitations: permissions['members.read'] ? invitations : null,
    /**
     * A new link for an open invitation can reach someone: by e-mail, or on the Programmteam's
     * screen (decision 010). Without mail a Koordination's renewal would only reach the log.
     */
    canRenewInvitations: permissions['members.invite'] && (context.mailer.isConfigured || actor.programmeRole === 'programmteam'),
    nextSteps,
    latestRound: latest ? { number: latest.number, status: latest.status as 'open' | 'closed', deadline: latest.status === 'open' ? latest.deadline : null } : null,
    /** A bundle can be uploaded into this Kommune: the actor may, and it has no rounds or documents yet. */
    canImportBundle: permissions['kommune.import'] && !hasContent && row.importedAt === null,
  };
}
