// The API's answers, derived from what the services return. Types only (`import type`, erased by the
// bundler): no server code reaches the browser. eslint.config.js allows exactly this folder to take
// types from src/services; everything else in src/web imports only src/domain.
import type { getRoundResults } from '../../../services/compute-results.ts';
import type { getConsolidation, getRoundChanges } from '../../../services/consolidate-criteria.ts';
import type { getMyFieldAnswers } from '../../../services/answer-questions.ts';
import type { listCatalogs } from '../../../services/manage-catalogs.ts';
import type { getOwnImportStatus } from '../../../services/manage-import-jobs.ts';
import type { inviteIntoKommune } from '../../../services/manage-invitations.ts';
import type { getProgrammeTeam } from '../../../services/manage-members.ts';
import type { getRoundOverview, listRoundsOf } from '../../../services/manage-rounds.ts';
import type { getKommuneOverview, listVisibleKommunen } from '../../../services/view-kommunen.ts';
import type { describeSession } from '../../../services/view-session.ts';

/** What JSON.stringify makes of a value: dates become strings, methods vanish. */
export type Json<T> = unknown extends T
  ? unknown
  : T extends Date
    ? string
    : T extends string | number | boolean | null
      ? T
      : T extends readonly (infer Item)[]
        ? Json<Item>[]
        : T extends object
          ? { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: Json<T[K]> }
          : never;

/** The JSON answer of a service function, as the route sends it with context.json(). */
type Answer<F extends (...args: never[]) => Promise<unknown>> = Json<Awaited<ReturnType<F>>>;

export type KommuneList = Answer<typeof listVisibleKommunen>;
export type KommuneOverviewAnswer = Answer<typeof getKommuneOverview>;
export type ImportStatusAnswer = Answer<typeof getOwnImportStatus>;
export type CreatedInvitationAnswer = Answer<typeof inviteIntoKommune>;
export type ProgrammeTeamAnswer = Answer<typeof getProgrammeTeam>;
export type CatalogList = Answer<typeof listCatalogs>;
export type RoundListAnswer = Answer<typeof listRoundsOf>;
export type RoundOverviewAnswer = Answer<typeof getRoundOverview>;
export type FieldAnswersAnswer = Answer<typeof getMyFieldAnswers>;
export type ConsolidationAnswer = Answer<typeof getConsolidation>;
export type RoundResultsAnswer = Answer<typeof getRoundResults>;
export type RoundChangesAnswer = Answer<typeof getRoundChanges>;
export type SessionInfoAnswer = Json<ReturnType<typeof describeSession>>;
