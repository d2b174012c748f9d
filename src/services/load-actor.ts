import type { Actor } from '../domain/access.ts';
import { loadActor as loadActorRow } from '../db/repositories/member-repository.ts';
import type { Database } from '../db/client.ts';

/** The roles of a signed-in user, as the access rules need them. */
export function loadActor(db: Database, userId: string): Promise<Actor> {
  return loadActorRow(db, userId);
}
