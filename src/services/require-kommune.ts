import { can, type Action, type Actor } from '../domain/access.ts';
import { DomainError } from '../domain/errors.ts';
import type { Database } from '../db/client.ts';
import { findKommuneBySlug, type KommuneRow } from '../db/repositories/kommune-repository.ts';

/**
 * Finds a Kommune by slug and checks the action. Which Kommunen take part is no secret in the
 * programme, so an existing Kommune the actor may not use answers 403, an unknown slug 404.
 */
export async function requireKommune(db: Database, actor: Actor, slug: string, action: Action): Promise<KommuneRow> {
  const found = await findKommuneBySlug(db, slug);
  if (!found) throw new DomainError('kommune-not-found');
  if (!can(actor, action, found.id)) throw new DomainError('forbidden');
  return found;
}

export function requireGlobal(actor: Actor, action: Action): void {
  if (!can(actor, action)) throw new DomainError('forbidden');
}
