/**
 * Who may do what. This file is the single place of access rules; the server asks `can` for every
 * route, and the web app receives the resulting permissions to show only what the user may do.
 */

export const programmeRoles = ['programmteam', 'prozessbegleitung'] as const;
export type ProgrammeRole = (typeof programmeRoles)[number];

export const kommuneRoles = ['koordination', 'mitwirkende', 'lesende'] as const;
export type KommuneRole = (typeof kommuneRoles)[number];

export type Role = ProgrammeRole | KommuneRole;

/** German names of the roles, as the UI and PRODUCT.md name them. */
export const roleLabels: Record<Role, string> = {
  programmteam: 'Programmteam',
  prozessbegleitung: 'Prozessbegleitung',
  koordination: 'Koordination',
  mitwirkende: 'Mitwirkende',
  lesende: 'Lesende',
};

export interface Membership {
  kommuneId: string;
  role: KommuneRole;
  /** Handlungsfelder a Mitwirkende may answer; null means all. */
  fieldKeys: string[] | null;
}

/** Everything the rules need to know about the signed-in person. */
export interface Actor {
  userId: string;
  programmeRole: ProgrammeRole | null;
  /** Kommunen assigned to a Prozessbegleitung. */
  assignedKommuneIds: readonly string[];
  memberships: readonly Membership[];
}

export const actions = [
  'kommune.create',
  'kommune.read',
  'kommune.update',
  'kommune.archive',
  'members.read',
  'members.invite',
  'members.manage',
  'programme.manage',
  'catalog.read',
  'site.edit',
  'round.read',
  'round.answer',
  'round.review',
  'round.manage',
  'process.edit',
  'process.document',
  'kommune.export',
  'kommune.import',
  'report.read',
  'email.log',
  'discussion.read',
  'discussion.write',
  'discussion.settle',
  'live.moderate',
  'survey.read',
  'survey.manage',
  'evidence.read',
  'evidence.upload',
  'evidence.manage',
] as const;
export type Action = (typeof actions)[number];

/** The role an actor holds in one Kommune, from the programme or from a membership. */
export type EffectiveRole = 'programmteam' | 'prozessbegleitung' | KommuneRole | null;

/** The role that governs what an actor may do in a Kommune. */
export function roleInKommune(actor: Actor, kommuneId: string): EffectiveRole {
  if (actor.programmeRole === 'programmteam') return 'programmteam';
  if (actor.programmeRole === 'prozessbegleitung' && actor.assignedKommuneIds.includes(kommuneId)) {
    return 'prozessbegleitung';
  }
  return actor.memberships.find((membership) => membership.kommuneId === kommuneId)?.role ?? null;
}

type KommuneRule = readonly EffectiveRole[];

/** Per action inside a Kommune: the roles that may do it. */
const kommuneRules: Record<Exclude<Action, GlobalAction>, KommuneRule> = {
  'kommune.read': ['programmteam', 'prozessbegleitung', 'koordination', 'mitwirkende', 'lesende'],
  'kommune.update': ['programmteam'],
  'kommune.archive': ['programmteam'],
  'members.read': ['programmteam', 'prozessbegleitung', 'koordination'],
  'members.invite': ['programmteam', 'koordination'],
  'members.manage': ['programmteam', 'koordination'],
  // Results of a Selbstcheck round: everyone of the Kommune.
  'round.read': ['programmteam', 'prozessbegleitung', 'koordination', 'mitwirkende', 'lesende'],
  // Answering: limited further by field for Mitwirkende (canAnswerField).
  'round.answer': ['programmteam', 'koordination', 'mitwirkende'],
  // Everyone's answers by name, the consolidation view, the change log.
  'round.review': ['programmteam', 'prozessbegleitung', 'koordination'],
  // Start, settings, consolidated ratings, close and reopen.
  'round.manage': ['programmteam', 'koordination'],
  // Ausgangslage, kick-off, Ausblick and measures of the Kommune.
  'process.edit': ['programmteam', 'koordination'],
  // Workshops and dialogue events, which the Prozessbegleitung documents.
  'process.document': ['programmteam', 'prozessbegleitung', 'koordination'],
  // Download everything of the Kommune as one file (backup, move to another installation).
  'kommune.export': ['programmteam', 'koordination'],
  // Fill an empty Kommune from such a file. Only the Programmteam: an import creates accounts or
  // attaches existing ones by e-mail, and only the Programmteam may see accounts across Kommunen.
  'kommune.import': ['programmteam'],
  // The Abschlussbericht: preview and download.
  'report.read': ['programmteam', 'prozessbegleitung', 'koordination', 'lesende'],
  // The E-Mail-Protokoll: what the server sent, queued or could not send for the Kommune.
  'email.log': ['programmteam', 'koordination'],
  // The discussion of a round's questions and criteria (notes by name): those who work on the round.
  // Lesende do not: like everyone's answers by name, the notes are working material, not results.
  // Mitwirkende read every field's notes, since a question often touches another field.
  'discussion.read': ['programmteam', 'prozessbegleitung', 'koordination', 'mitwirkende'],
  // Writing a note: limited further by field for Mitwirkende (canDiscussField). The Prozessbegleitung,
  // who reads everything and moderates the workshop, may add notes too.
  'discussion.write': ['programmteam', 'prozessbegleitung', 'koordination', 'mitwirkende'],
  // Marking a thread as settled or opening it again: who consolidates (manages the round).
  'discussion.settle': ['programmteam', 'koordination'],
  // A workshop's live session: open, moderate, project, close into the workshop documentation, export
  // and delete. Those who document workshops; participants join by code without an account.
  'live.moderate': ['programmteam', 'prozessbegleitung', 'koordination'],
  // The Außensicht's results (only from 10 responses; open answers only once released): everyone of
  // the Kommune, like the round's results.
  'survey.read': ['programmteam', 'prozessbegleitung', 'koordination', 'mitwirkende', 'lesende'],
  // Create, change, publish and delete the resident survey, read and release open answers, leave a
  // burst out, export the responses: who manages the round.
  'survey.manage': ['programmteam', 'koordination'],
  // Belege (issue 18) follow the answers they back. Reading: everyone of the Kommune, Lesende only
  // documents the Koordination released (services/manage-evidence.ts).
  'evidence.read': ['programmteam', 'prozessbegleitung', 'koordination', 'mitwirkende', 'lesende'],
  // Uploading, new versions, title and date, linking to answers and criteria: who answers (Mitwirkende
  // link only to questions and criteria of their fields, canLinkEvidence).
  'evidence.upload': ['programmteam', 'koordination', 'mitwirkende'],
  // Releasing for Lesende and deleting: who manages the round.
  'evidence.manage': ['programmteam', 'koordination'],
};

type GlobalAction = 'kommune.create' | 'programme.manage' | 'catalog.read' | 'site.edit';

/** Actions outside any Kommune: who may do them. */
const globalRules: Record<GlobalAction, (actor: Actor) => boolean> = {
  'kommune.create': (actor) => actor.programmeRole === 'programmteam',
  'programme.manage': (actor) => actor.programmeRole === 'programmteam',
  'site.edit': (actor) => actor.programmeRole === 'programmteam',
  'catalog.read': () => true,
};

function isGlobal(action: Action): action is GlobalAction {
  return action in globalRules;
}

/** Whether the actor may do the action, inside the given Kommune where the action needs one. */
export function can(actor: Actor, action: Action, kommuneId?: string): boolean {
  if (isGlobal(action)) return globalRules[action](actor);
  if (kommuneId === undefined) return false;
  return kommuneRules[action].includes(roleInKommune(actor, kommuneId));
}

/** Whether the actor may answer the questions of a Handlungsfeld in this Kommune. */
export function canAnswerField(actor: Actor, kommuneId: string, fieldKey: string): boolean {
  if (!can(actor, 'round.answer', kommuneId)) return false;
  const role = roleInKommune(actor, kommuneId);
  if (role !== 'mitwirkende') return true;
  const fieldKeys = actor.memberships.find((membership) => membership.kommuneId === kommuneId)?.fieldKeys;
  return fieldKeys === null || fieldKeys === undefined || fieldKeys.includes(fieldKey);
}

/**
 * Whether the actor may write notes on the questions and criteria of a Handlungsfeld: Mitwirkende
 * on the fields they answer, the other writing roles on every field.
 */
export function canDiscussField(actor: Actor, kommuneId: string, fieldKey: string): boolean {
  if (!can(actor, 'discussion.write', kommuneId)) return false;
  if (roleInKommune(actor, kommuneId) !== 'mitwirkende') return true;
  return canAnswerField(actor, kommuneId, fieldKey);
}

/** Whether the actor may link a Beleg to a question or criterion of a Handlungsfeld: who may answer it. */
export function canLinkEvidence(actor: Actor, kommuneId: string, fieldKey: string): boolean {
  return can(actor, 'evidence.upload', kommuneId) && canAnswerField(actor, kommuneId, fieldKey);
}

/**
 * Whether the actor may enter a returned paper questionnaire on behalf of a named department: those
 * who manage the round (Koordination, Programmteam), in every worked field.
 */
export function canEnterOnBehalf(actor: Actor, kommuneId: string): boolean {
  return can(actor, 'round.manage', kommuneId);
}

/** The roles an actor may hand out by invitation: into a Kommune, or into the programme. */
export function grantableRoles(actor: Actor, kommuneId?: string): Role[] {
  if (kommuneId === undefined) return actor.programmeRole === 'programmteam' ? [...programmeRoles] : [];
  return can(actor, 'members.invite', kommuneId) ? [...kommuneRoles] : [];
}

/** Whether the actor may see any part of this Kommune at all. */
export function canSeeKommune(actor: Actor, kommuneId: string): boolean {
  return roleInKommune(actor, kommuneId) !== null;
}

/** The permissions inside one Kommune, for the web app to show only what is allowed. */
export function kommunePermissions(actor: Actor, kommuneId: string): Record<Exclude<Action, GlobalAction>, boolean> {
  return Object.fromEntries(
    Object.keys(kommuneRules).map((action) => [action, can(actor, action as Action, kommuneId)]),
  ) as Record<Exclude<Action, GlobalAction>, boolean>;
}

/** The permissions outside any Kommune. */
export function globalPermissions(actor: Actor): Record<GlobalAction, boolean> {
  return Object.fromEntries(
    Object.keys(globalRules).map((action) => [action, can(actor, action as Action)]),
  ) as Record<GlobalAction, boolean>;
}
