// Shapes of the API's answers, as the web app uses them. Types only: nothing of the server is bundled.
// Where the services' return types are exact, the answer is derived from them (./from-services/);
// the rest is written here, narrower than the services declare it (see the report of issue 15).
import type { EffectiveRole, KommuneRole, ProgrammeRole, Role } from '../../domain/access.ts';
import type { AnswerKey } from '../../domain/catalog.ts';
import type {
  CatalogList,
  CreatedInvitationAnswer,
  ImportStatusAnswer,
  KommuneList,
  KommuneOverviewAnswer,
  RoundListAnswer,
  RoundOverviewAnswer,
  RoundResultsAnswer,
} from './from-services/answers.ts';

export interface SessionInfo {
  user: { id: string; name: string; email: string };
  programmeRole: ProgrammeRole | null;
  permissions: Record<'kommune.create' | 'programme.manage' | 'catalog.read' | 'site.edit', boolean>;
  memberships: { kommuneId: string; role: EffectiveRole; fieldKeys: string[] | null }[];
}

/** A Kommune in the list (GET /api/kommunen), as view-kommunen.ts returns it. */
export type KommuneSummary = KommuneList[number];

export interface OpenInvitation {
  id: string;
  email: string;
  role: Role;
  fieldKeys: string[] | null;
  assignedKommuneIds: string[] | null;
  createdAt: string;
  expiresAt: string;
  invitedByName: string | null;
  /** set-password: a reminder's personal link that only sets a password (it cannot be renewed). */
  purpose: 'invitation' | 'set-password';
}

export interface KommuneMember {
  userId: string;
  name: string;
  email: string;
  role: KommuneRole;
  fieldKeys: string[] | null;
  since: string;
  /** False for people brought in by an import who have not set a password yet. */
  hasAccess: boolean;
}

/** The steps the Kommune page suggests; each links to the page where it is done. */
export type NextStepKey = KommuneOverviewAnswer['nextSteps'][number]['key'];

export interface KommuneOverview {
  kommune: KommuneSummary;
  permissions: Record<'kommune.read' | 'kommune.update' | 'kommune.archive' | 'members.read' | 'members.invite' | 'members.manage' | 'round.read' | 'round.answer' | 'round.review' | 'round.manage' | 'process.edit' | 'process.document' | 'kommune.export' | 'kommune.import' | 'report.read' | 'email.log', boolean>;
  contacts: { name: string; role: Role }[];
  members: KommuneMember[] | null;
  invitations: OpenInvitation[] | null;
  nextSteps: { key: NextStepKey; roundNumber?: number }[];
  /** The newest round; `deadline` only while it is open. */
  latestRound: { number: number; status: 'open' | 'closed'; deadline: string | null } | null;
  canImportBundle: boolean;
  /** Whether „Neuen Link senden“ can reach anyone: mail is configured, or the actor is the Programmteam. */
  canRenewInvitations: boolean;
}

export type { ImportResult } from '../../domain/bundle.ts';

/** The progress of the person's own newest bundle import (GET /api/kommunen/import/status). */
export type ImportStatus = NonNullable<ImportStatusAnswer>;

/** A new invitation; `link` only for the Programmteam, `replacedCount`: earlier open links it withdrew. */
export type CreatedInvitation = CreatedInvitationAnswer;

export interface ProgrammeTeam {
  members: { userId: string; name: string; email: string; role: ProgrammeRole; assignedKommuneIds: string[] }[];
  invitations: OpenInvitation[];
}

/** A catalog version in the list (GET /api/catalogs leaves out the content hash). */
export type CatalogSummary = Omit<CatalogList[number], 'contentHash'>;

export type { AnswerKey };
export interface AnswerOption {
  key: AnswerKey;
  label: string;
  value: number | null;
  symbol: string;
  /** The answer anchor (catalog 1.1): what choosing this option means. */
  meaning?: string;
}

/** Per person, the questions of their fields they have not answered. */
export interface OpenPerson {
  userId: string;
  name: string;
  role: string;
  fieldKeys: string[];
  total: number;
  answered: number;
  open: { fieldKey: string; questionKeys: string[] }[];
}

/** The body of a 409 `round-has-open-questions`: what closing would leave open. */
export interface OpenQuestions {
  openQuestionCount: number;
  fields: { key: string; name: string; questionCount: number; answeredCount: number; openQuestionKeys: string[] }[];
  people: OpenPerson[];
}

export type RoundSummary = RoundList['rounds'][number];

export type RoundList = RoundListAnswer;

export type RoundOverview = RoundOverviewAnswer;

export interface MyAnswer {
  questionKey: string;
  value: AnswerKey | null;
  comment: string;
  evidence: string;
  version: number;
  updatedAt: string;
}

export interface FieldAnswers {
  round: { number: number; status: 'open' | 'closed'; isWorked: boolean; deadline: string | null };
  canAnswer: boolean;
  /** Whether the discussion under each question is shown (not for Lesende). */
  canDiscuss: boolean;
  answerScale: AnswerOption[];
  field: {
    key: string;
    name: string;
    description: string;
    criteria: {
      key: string;
      name: string;
      description: string;
      /** yesMeans: „Ein ‚ja‘ heißt …“; evidence: typical Belege (both from catalog 1.1). */
      questions: { key: string; text: string; yesMeans: string | null; evidence: string[]; answer: MyAnswer | null }[];
    }[];
  };
  previousFieldKey: string | null;
  nextFieldKey: string | null;
}

export interface Consolidation {
  round: { number: number; status: 'open' | 'closed'; version: number };
  answerScale: AnswerOption[];
  fields: {
    key: string;
    name: string;
    questionCount: number;
    answeredQuestionCount: number;
    respondentCount: number;
    openCriterionCount: number;
    criteria: {
      key: string;
      name: string;
      derivedValue: number | null;
      /** null: nobody answered (offen). */
      derivedRating: AnswerKey | null;
      consolidatedRating: AnswerKey | null;
      status: 'rated' | 'open';
      reason: string;
      ratingVersion: number;
      isDisputed: boolean;
      questions: {
        key: string;
        text: string;
        spread: number;
        /** `onBehalfOf`: a returned paper questionnaire the person (`name`) entered for that department. */
        answers: { userId: string; name: string; onBehalfOf?: string | null; value: AnswerKey | null; comment: string; evidence: string; updatedAt: string }[];
      }[];
    }[];
  }[];
}

export type RoundResults = RoundResultsAnswer;

export interface RoundChanges {
  round: { number: number };
  changes: { id: number; at: string; kind: 'answer' | 'rating' | 'round'; subject: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null; changedByName: string | null }[];
}
