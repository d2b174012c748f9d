import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/access.ts';
import { DomainError } from '../domain/errors.ts';
import type { OfferInput } from '../domain/offer.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import { deleteOffer, insertOffer, listOffers, updateOffer } from '../db/repositories/offer-repository.ts';
import type { ServiceContext } from './context.ts';
import { requireGlobal } from './require-kommune.ts';

/** The offers of Modul 3; every signed-in person may read them, to see what their Kommune can join. */
export async function getOffers(context: ServiceContext, actor: Actor) {
  requireGlobal(actor, 'catalog.read');
  return (await listOffers(context.db)).map(({ createdAt: _created, updatedAt: _updated, ...offer }) => offer);
}

/** Programmteam adds an offer. */
export async function createOffer(context: ServiceContext, actor: Actor, input: OfferInput) {
  requireGlobal(actor, 'programme.manage');
  const created = await insertOffer(context.db, randomUUID(), input);
  await recordAudit(context.db, { actorUserId: actor.userId, action: 'offer.created', details: { id: created.id, title: created.title } });
  return created;
}

/** Programmteam changes an offer. */
export async function changeOffer(context: ServiceContext, actor: Actor, id: string, input: OfferInput) {
  requireGlobal(actor, 'programme.manage');
  const updated = await updateOffer(context.db, id, input);
  if (!updated) throw new DomainError('not-found');
  await recordAudit(context.db, { actorUserId: actor.userId, action: 'offer.updated', details: { id } });
  return updated;
}

/** Programmteam removes an offer; the Kommunen's statuses for it are no longer shown. */
export async function removeOffer(context: ServiceContext, actor: Actor, id: string) {
  requireGlobal(actor, 'programme.manage');
  if (!(await deleteOffer(context.db, id))) throw new DomainError('not-found');
  await recordAudit(context.db, { actorUserId: actor.userId, action: 'offer.deleted', details: { id } });
}
