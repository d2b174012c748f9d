// The live session's answers as the screens use them (derived from the service, ./from-services/live.ts).
import type { LiveSessionListAnswer, ModerationStateAnswer, ParticipantStateAnswer, StartSlideAnswer } from './from-services/live.ts';

/** A Handlungsfeld of the session with its name from the catalog. */
export interface LiveField {
  key: string;
  name: string;
}

/** GET /api/live/session: what a participant's phone shows. */
export type ParticipantState = ParticipantStateAnswer;

/** GET /api/kommunen/:slug/live-sessions/:id: the Moderation's full state (the projection's too). */
export type ModerationState = ModerationStateAnswer;

/** A session in GET /api/kommunen/:slug/live-sessions. */
export type LiveSessionSummary = LiveSessionListAnswer['sessions'][number];

/** GET …/start-slide: the round's results for the session's Handlungsfelder. */
export type StartSlide = StartSlideAnswer;

/** The name of a Handlungsfeld of the session (its number when the answer carries no name). */
export function fieldName(fields: readonly LiveField[] | undefined, key: string): string {
  return fields?.find((field) => field.key === key)?.name ?? key;
}
