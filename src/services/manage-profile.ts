import { can, type Actor } from '../domain/access.ts';
import { DomainError } from '../domain/errors.ts';
import { checkDistrictRange, emptyProfile, profileSchema, type Profile } from '../domain/profile.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import { findProfile, writeProfileIfVersion } from '../db/repositories/profile-repository.ts';
import type { ServiceContext } from './context.ts';
import { requireKommune } from './require-kommune.ts';

/** The Ausgangslage of a Kommune, for everyone who may read the Kommune. */
export async function getProfile(context: ServiceContext, actor: Actor, slug: string) {
  const kommune = await requireKommune(context.db, actor, slug, 'kommune.read');
  const stored = await findProfile(context.db, kommune.id);
  // Stored documents were valid when written; parsing again fills defaults added since.
  const profile: Profile = stored ? profileSchema.parse(stored.content) : emptyProfile();
  return {
    kommune: { slug: kommune.slug, name: kommune.name, kind: kommune.kind },
    profile,
    version: stored?.version ?? 0,
    updatedAt: stored?.updatedAt ?? null,
    updatedByName: stored?.updatedByName ?? null,
    canEdit: can(actor, 'process.edit', kommune.id),
  };
}

/** Koordination or Programmteam saves the whole Ausgangslage; a stale version changes nothing. */
export async function saveProfile(
  context: ServiceContext,
  actor: Actor,
  slug: string,
  input: { profile: Profile; expectedVersion: number },
) {
  const kommune = await requireKommune(context.db, actor, slug, 'process.edit');
  const rangeProblem = checkDistrictRange(input.profile);
  if (rangeProblem) throw new DomainError('invalid-input', { field: 'profile.districtRange', message: rangeProblem });
  return context.db.transaction(async (db) => {
    const saved = await writeProfileIfVersion(db, kommune.id, input.profile, actor.userId, input.expectedVersion);
    if (!saved) {
      const current = await findProfile(db, kommune.id);
      throw new DomainError('stale-version', { current: current ? { profile: current.content, version: current.version } : null });
    }
    await recordAudit(db, { actorUserId: actor.userId, action: 'profile.updated', kommuneId: kommune.id, details: { version: saved.version } });
    return { version: saved.version };
  });
}
