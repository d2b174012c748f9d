// Shapes of the API's answers, as the web app uses them. Types only: nothing of the server is bundled.
// The answers are derived from what the services return (./from-services/); written here are only
// the body of a 409 `round-has-open-questions`.
import type { AnswerKey } from '../../domain/catalog.ts';
import type {
  CatalogList,
  ConsolidationAnswer,
  CreatedInvitationAnswer,
  FieldAnswersAnswer,
  ImportStatusAnswer,
  KommuneList,
  KommuneOverviewAnswer,
  ProgrammeTeamAnswer,
  RoundChangesAnswer,
  RoundListAnswer,
  RoundOverviewAnswer,
  RoundResultsAnswer,
  SessionInfoAnswer,
} from './from-services/answers.ts';

/** The signed-in person with programme role, global permissions and per Kommune the governing role. */
export type SessionInfo = SessionInfoAnswer;

/** A Kommune in the list (GET /api/kommunen), as view-kommunen.ts returns it. */
export type KommuneSummary = KommuneList[number];

/** An open invitation or set-password link, as the Kommune page and the Programmteam page list them. */
export type OpenInvitation = NonNullable<KommuneOverviewAnswer['invitations']>[number];

/** A member of a Kommune; `hasAccess` is false for people brought in by an import without a password yet. */
export type KommuneMember = NonNullable<KommuneOverviewAnswer['members']>[number];

/** The steps the Kommune page suggests; each links to the page where it is done. */
export type NextStepKey = KommuneOverviewAnswer['nextSteps'][number]['key'];

/** The Kommune page (GET /api/kommunen/:slug); `latestRound.deadline` only while that round is open. */
export type KommuneOverview = KommuneOverviewAnswer;

export type { ImportResult } from '../../domain/bundle.ts';

/** The progress of the person's own newest bundle import (GET /api/kommunen/import/status). */
export type ImportStatus = NonNullable<ImportStatusAnswer>;

/** A new invitation; `link` only for the Programmteam, `replacedCount`: earlier open links it withdrew. */
export type CreatedInvitation = CreatedInvitationAnswer;

export type ProgrammeTeam = ProgrammeTeamAnswer;

/** A catalog version in the list (GET /api/catalogs leaves out the content hash). */
export type CatalogSummary = Omit<CatalogList[number], 'contentHash'>;

export type { AnswerKey };
/** An option of the answer scale; `meaning`: the answer anchor (catalog 1.1), what choosing it means. */
export type AnswerOption = FieldAnswersAnswer['answerScale'][number];

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

/** The person's own answer to one question. */
export type MyAnswer = NonNullable<FieldAnswersAnswer['field']['criteria'][number]['questions'][number]['answer']>;

/** One Handlungsfeld's questions with the person's own answers (the Fragebogen page). */
export type FieldAnswers = FieldAnswersAnswer;

/** The consolidation of a round: per criterion everyone's answers, the derived and the consolidated rating. */
export type Consolidation = ConsolidationAnswer;

export type RoundResults = RoundResultsAnswer;

/** The Änderungsverlauf of a round, newest first. */
export type RoundChanges = RoundChangesAnswer;
