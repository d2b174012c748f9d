// Shapes of the API's answers, as the web app uses them. Types only: nothing of the server is bundled.
import type { EffectiveRole, KommuneRole, ProgrammeRole, Role } from '../../domain/access.ts';

export interface SessionInfo {
  user: { id: string; name: string; email: string };
  programmeRole: ProgrammeRole | null;
  permissions: Record<'kommune.create' | 'programme.manage' | 'catalog.read' | 'site.edit', boolean>;
  memberships: { kommuneId: string; role: EffectiveRole; fieldKeys: string[] | null }[];
}

export interface KommuneSummary {
  id: string;
  slug: string;
  name: string;
  kind: string;
  bundesland: string;
  gemeindeschluessel: string | null;
  modules: number[];
  isArchived: boolean;
  myRole: EffectiveRole;
}

export interface OpenInvitation {
  id: string;
  email: string;
  role: Role;
  fieldKeys: string[] | null;
  assignedKommuneIds: string[] | null;
  createdAt: string;
  expiresAt: string;
  invitedByName: string | null;
}

export interface KommuneMember {
  userId: string;
  name: string;
  email: string;
  role: KommuneRole;
  fieldKeys: string[] | null;
  since: string;
}

export interface KommuneOverview {
  kommune: KommuneSummary;
  permissions: Record<'kommune.read' | 'kommune.update' | 'kommune.archive' | 'members.read' | 'members.invite' | 'members.manage' | 'round.read' | 'round.answer' | 'round.review' | 'round.manage', boolean>;
  contacts: { name: string; role: Role }[];
  members: KommuneMember[] | null;
  invitations: OpenInvitation[] | null;
  nextSteps: ('invite-koordination' | 'invite-mitwirkende' | 'await-selbstcheck')[];
}

export interface CreatedInvitation {
  id: string;
  email: string;
  role: Role;
  link: string;
  expiresAt: string;
  isMailed: boolean;
  isMailFailed: boolean;
}

export interface ProgrammeTeam {
  members: { userId: string; name: string; email: string; role: ProgrammeRole; assignedKommuneIds: string[] }[];
  invitations: OpenInvitation[];
}

export interface CatalogSummary {
  id: string;
  catalogId: string;
  version: string;
  title: string;
  loadedAt: string;
}
