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
  requireUsable(found);
  return found;
}

/** A Kommune a bundle is being written into is usable only once the import has finished (or been cleaned up). */
export function requireUsable(kommune: Pick<KommuneRow, 'importJobId'>): void {
  if (kommune.importJobId) throw new DomainError('kommune-importing');
}

export function requireGlobal(actor: Actor, action: Action): void {
  if (!can(actor, action)) throw new DomainError('forbidden');
}
