// The live session's answers as the screens use them, and their requests.
import type { LiveCard, LiveCluster, LiveParticipantView, LivePhase, LiveSessionSettings } from '../../domain/live-session.ts';

/** A Handlungsfeld of the session with its name from the catalog. */
export interface LiveField {
  key: string;
  name: string;
}

/** GET /api/live/session: what a participant's phone shows. */
export interface ParticipantState {
  session: LiveSessionSettings & {
    id: string;
    workshopTitle: string;
    kommuneTitle: string;
    fields?: LiveField[];
  };
  cards: LiveCard[];
  groups: LiveCluster[];
  myVotes: Record<string, number>;
  votesLeft: number;
  lastEventId: number;
  participantCount?: number;
  /** The clientIds of the cards this person posted (so an unsent card is recognised after a reload). */
  myClientIds?: string[];
}

/** GET /api/kommunen/:slug/live-sessions/:id: the Moderation's full state. */
export interface ModerationState {
  session: LiveSessionSettings & {
    id: string;
    workshopId: string;
    code: string;
    roundNumber: number | null;
    createdAt: string;
    closedAt: string | null;
    workshopTitle?: string;
    fields?: LiveField[];
  };
  cards: LiveCard[];
  groups: LiveCluster[];
  participants: LiveParticipantView[];
  lastEventId: number;
  joinUrl: string;
  qrSvg: string;
}

/** GET /api/kommunen/:slug/live-sessions: the sessions of a Kommune. */
export interface LiveSessionSummary {
  id: string;
  workshopId: string;
  code: string;
  status: 'offen' | 'beendet';
  phase: LivePhase;
}

/** GET …/start-slide: the round's results for the chosen fields. */
export interface StartSlide {
  roundNumber: number | null;
  fields: {
    key: string;
    name: string;
    score: number | null;
    scoreText?: string;
    noScoreReason?: string | null;
    level: string | null;
    criteria: { key: string; name: string; symbol: string; label: string }[];
    knowledgeGap?: string | null;
  }[];
}

/** The name of a Handlungsfeld of the session (its number when the answer carries no name). */
export function fieldName(fields: readonly LiveField[] | undefined, key: string): string {
  return fields?.find((field) => field.key === key)?.name ?? key;
}
