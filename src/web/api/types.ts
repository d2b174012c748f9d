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
  /** The designation in the report („Hansestadt“); null: the kind itself. */
  designation: string | null;
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
export type NextStepKey =
  | 'invite-koordination'
  | 'invite-mitwirkende'
  | 'await-selbstcheck'
  | 'answer-selbstcheck'
  | 'consolidate-selbstcheck'
  | 'see-results'
  | 'document-workshop'
  | 'plan-outlook'
  | 'see-report';

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
export interface ImportStatus {
  status: 'running' | 'done' | 'failed';
  done: number;
  total: number;
  message: string | null;
  startedAt: string;
}

export interface CreatedInvitation {
  id: string;
  email: string;
  role: Role;
  /** Only for the Programmteam; everyone else's invitations travel by e-mail. */
  link: string | null;
  expiresAt: string;
  isMailed: boolean;
  isMailFailed: boolean;
  /** Earlier open links for the same address and Kommune that this invitation withdrew (the newest wins). */
  replacedCount: number;
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

export type AnswerKey = 'ja' | 'eher_ja' | 'eher_nein' | 'nein' | 'keine_einschaetzung' | 'trifft_nicht_zu';
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

export interface RoundSummary {
  number: number;
  status: 'open' | 'closed';
  catalogVersionId: string;
  workedFieldKeys: string[];
  periodStart: string | null;
  periodEnd: string | null;
  periodPrecision: 'day' | 'month';
  participants: string;
  /** The day answers should be in (YYYY-MM-DD); null: none. */
  deadline: string | null;
  /** Days before the deadline the server reminds by itself; null: off. */
  reminderDaysBefore: number | null;
  version: number;
  createdAt: string;
  closedAt: string | null;
}

export interface RoundList {
  kommune: { slug: string; name: string };
  canStart: boolean;
  rounds: RoundSummary[];
}

export interface RoundOverview {
  kommune: { slug: string; name: string; myRole: string | null };
  round: RoundSummary;
  catalog: { id: string; title: string; version: string };
  permissions: KommuneOverview['permissions'];
  fields: { key: string; name: string; isWorked: boolean; canAnswer: boolean; questionCount: number; myAnsweredCount: number }[];
  review: null | {
    fields: { key: string; answeredCount: number; questionCount: number; openQuestionKeys: string[] }[];
    /** Questions of worked fields nobody answered yet. */
    openQuestionCount: number;
    people: OpenPerson[];
    /** Stellen whose paper questionnaire the Koordination entered, with what they left open in the fields they answered in. */
    paper: { name: string; fieldKeys: string[]; total: number; answered: number; open: { fieldKey: string; questionKeys: string[] }[] }[];
  };
}

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

export interface RoundResults {
  kommune: { slug: string; name: string };
  round: { number: number; status: 'open' | 'closed'; catalogVersionId: string; periodStart: string | null; periodEnd: string | null; participantCount: number };
  overall: {
    score: number | null;
    displayPercent: number | null;
    levelIndex: number | null;
    levelText: string | null;
    /** „vorläufig“: the round is open or a worked field has open criteria. */
    isProvisional: boolean;
    hasOpenCriteria: boolean;
    workedFieldCount: number;
    /** Worked fields with a value: the overall score is their mean. */
    scoredFieldCount: number;
  };
  levels: { minScore: number; text: string }[];
  legend: { key: AnswerKey | 'offen'; label: string; symbol: string; value: number | null; meaning: string | null }[];
  fields: {
    key: string;
    name: string;
    isWorked: boolean;
    score: number | null;
    displayPercent: number | null;
    knowledgeGap: number | null;
    questionCount: number;
    answeredQuestionCount: number;
    respondentCount: number;
    openCriterionCount: number;
    notApplicableCriterionCount: number;
    isProvisional: boolean;
    criteria: {
      key: string;
      name: string;
      status: 'rated' | 'open' | 'not-worked';
      derivedRating: AnswerKey | null;
      consolidatedRating: AnswerKey | null;
      rating: AnswerKey | null;
      symbol: string;
      ratingLabel: string;
      /** „Anregungen zur Weiterarbeit“ of the catalog (1.1). */
      suggestions: string[];
    }[];
  }[];
}

export interface RoundChanges {
  round: { number: number };
  changes: { id: number; at: string; kind: 'answer' | 'rating' | 'round'; subject: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null; changedByName: string | null }[];
}
