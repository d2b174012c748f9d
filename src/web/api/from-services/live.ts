// The live session's answers, derived from what its service returns (types only, as answers.ts).
import type { getModerationState, getParticipantState, getStartSlide, listLiveSessions } from '../../../services/run-live-session.ts';
import type { Json } from './answers.ts';

type Answer<F extends (...args: never[]) => Promise<unknown>> = Json<Awaited<ReturnType<F>>>;

export type ParticipantStateAnswer = Answer<typeof getParticipantState>;
export type ModerationStateAnswer = Answer<typeof getModerationState>;
export type LiveSessionListAnswer = Answer<typeof listLiveSessions>;
export type StartSlideAnswer = Answer<typeof getStartSlide>;
