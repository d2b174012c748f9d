import { findSessionActor, type SessionActor } from '../db/repositories/session-repository.ts';
import type { Database } from '../db/client.ts';

/** The person behind a (verified) session token, with their roles; null when the session is unknown or expired. */
export function authenticate(db: Database, token: string, now: Date): Promise<SessionActor | null> {
  return findSessionActor(db, token, now);
}
