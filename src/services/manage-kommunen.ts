import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/access.ts';
import { DomainError } from '../domain/errors.ts';
import {
  checkDesignation,
  checkGemeindeschluessel,
  checkKommuneName,
  kommuneTitle,
  normaliseModules,
  slugify,
  storedDesignation,
  type Bundesland,
  type KommuneKind,
  type ModuleNumber,
} from '../domain/kommune.ts';
import { checkModulesKeepContent } from '../domain/kommune-rules.ts';
import type { Database } from '../db/client.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import {
  findKommuneByGemeindeschluessel,
  insertKommune,
  slugsStartingWith,
  updateKommune,
  type KommuneRow,
} from '../db/repositories/kommune-repository.ts';
import { lockKeyForTransaction } from '../db/repositories/lock-repository.ts';
import type { ServiceContext } from './context.ts';
import { moduleContentOf } from './manage-documents.ts';
import { requireGlobal, requireKommune } from './require-kommune.ts';

export interface KommuneInput {
  name: string;
  kind: KommuneKind;
  /** How the report calls it, one of the kind's designations („Hansestadt“); null or the kind itself: the kind. */
  designation?: string | null;
  gemeindeschluessel: string | null;
  bundesland: Bundesland;
  /** Optional modules (2, 3); Modul 1 is always added. */
  modules: ModuleNumber[];
}

function checkInput(input: KommuneInput): void {
  const name = checkKommuneName(input.name, input.kind);
  if (name) throw new DomainError('invalid-input', { field: 'name', message: name });
  const designation = checkDesignation(input.kind, input.designation);
  if (designation) throw new DomainError('invalid-input', { field: 'designation', message: designation });
  if (input.gemeindeschluessel) {
    const problem = checkGemeindeschluessel(input.gemeindeschluessel, input.bundesland);
    if (problem) throw new DomainError('invalid-input', { field: 'gemeindeschluessel', message: problem });
  }
}

/** The refusal of a second Kommune with the Gemeindeschlüssel of `existing`: it names and links that Kommune. */
function gemeindeschluesselTaken(existing: KommuneRow): DomainError {
  const archived = existing.archivedAt ? ' Sie ist archiviert; Sie können sie auf ihrer Seite wiederherstellen.' : '';
  return new DomainError('gemeindeschluessel-taken', {
    field: 'gemeindeschluessel',
    message: `Die Kommune „${kommuneTitle(existing)}“ hat bereits den Amtlichen Gemeindeschlüssel ${existing.gemeindeschluessel}. Jede Kommune wird nur einmal angelegt.${archived}`,
    current: { slug: existing.slug, name: existing.name, title: kommuneTitle(existing), isArchived: existing.archivedAt !== null },
  });
}

/**
 * Inside a transaction: refuses a Gemeindeschlüssel another Kommune has. An advisory lock on the key
 * makes creates, edits and imports with the same key take turns, so of two at the same moment the
 * second sees the first (a unique index could not be added: databases may already hold duplicates).
 */
export async function claimGemeindeschluessel(db: Database, gemeindeschluessel: string | null, exceptId?: string): Promise<void> {
  if (!gemeindeschluessel) return;
  await lockKeyForTransaction(db, `kommune-ags:${gemeindeschluessel}`);
  const existing = await findKommuneByGemeindeschluessel(db, gemeindeschluessel, exceptId);
  if (existing) throw gemeindeschluesselTaken(existing);
}

/** A slug derived from the name that no Kommune has yet ("musterstadt", else "musterstadt-2", …). */
export async function freeSlug(context: ServiceContext, name: string): Promise<string> {
  const stem = slugify(name) || 'kommune';
  const taken = new Set(await slugsStartingWith(context.db, stem));
  if (!taken.has(stem)) return stem;
  for (let suffix = 2; ; suffix++) {
    if (!taken.has(`${stem}-${suffix}`)) return `${stem}-${suffix}`;
  }
}

/**
 * Inside a transaction: waits for every other transaction that is choosing a slug for a name of the
 * same stem, so freeSlug then sees their slugs (two Kommunen of one name created at once get
 * "musterstadt" and "musterstadt-2" instead of a unique violation). Call it before freeSlug.
 */
export async function lockSlugStem(db: Database, name: string): Promise<void> {
  await lockKeyForTransaction(db, `kommune-slug:${slugify(name) || 'kommune'}`);
}

/** Attempts at a free slug before giving up with a 409 (only other stems' suffixes can still collide). */
const slugAttempts = 3;

/** Programmteam creates a Kommune; its slug comes from the name and is unique. */
export async function createKommune(context: ServiceContext, actor: Actor, input: KommuneInput): Promise<KommuneRow> {
  requireGlobal(actor, 'kommune.create');
  checkInput(input);
  for (let attempt = 1; ; attempt++) {
    try {
      return await context.db.transaction(async (db) => {
        const scoped = { ...context, db };
        await claimGemeindeschluessel(db, input.gemeindeschluessel || null);
        await lockSlugStem(db, input.name);
        const created = await insertKommune(db, {
          id: randomUUID(),
          slug: await freeSlug(scoped, input.name),
          name: input.name,
          kind: input.kind,
          designation: storedDesignation(input.kind, input.designation) ?? null,
          gemeindeschluessel: input.gemeindeschluessel || null,
          bundesland: input.bundesland,
          modules: normaliseModules(input.modules),
        });
        await recordAudit(db, {
          actorUserId: actor.userId,
          action: 'kommune.created',
          kommuneId: created.id,
          details: { name: created.name },
        });
        return created;
      });
    } catch (error) {
      // "Musterstadt 2" and the second "Musterstadt" want the same slug but hold different locks.
      if (!isUniqueViolation(error, 'kommune_slug_unique')) throw error;
      if (attempt >= slugAttempts) {
        throw new DomainError('slug-taken', { field: 'name', message: 'Gleichzeitig wurde eine Kommune mit einem sehr ähnlichen Namen angelegt. Bitte versuchen Sie es noch einmal.' });
      }
    }
  }
}

/** Programmteam edits a Kommune's master data; the slug stays, so links keep working. */
export async function updateKommuneData(
  context: ServiceContext,
  actor: Actor,
  slug: string,
  input: KommuneInput,
): Promise<KommuneRow> {
  const existing = await requireKommune(context.db, actor, slug, 'kommune.update');
  checkInput(input);
  const gemeindeschluessel = input.gemeindeschluessel || null;
  return context.db.transaction(async (db) => {
    // Only a key new to this Kommune is checked: duplicates from before the rule can still be edited.
    if (gemeindeschluessel !== existing.gemeindeschluessel) await claimGemeindeschluessel(db, gemeindeschluessel, existing.id);
    const updated = (await updateKommune(db, existing.id, {
      name: input.name,
      kind: input.kind,
      designation: storedDesignation(input.kind, input.designation) ?? null,
      gemeindeschluessel,
      bundesland: input.bundesland,
      modules: normaliseModules(input.modules),
    }))!;
    // Read after the update holds the Kommune's row: a dialogue event or offer saved at the same
    // moment either is seen here or waits for this and then sees the new modules (saveDocument).
    const problem = checkModulesKeepContent(updated.modules, await moduleContentOf(db, existing.id));
    if (problem) throw new DomainError('invalid-input', problem);
    await recordAudit(db, { actorUserId: actor.userId, action: 'kommune.updated', kommuneId: existing.id });
    return updated;
  });
}

/** Programmteam archives a Kommune (hidden from lists, data kept) or brings it back. */
export async function setKommuneArchived(
  context: ServiceContext,
  actor: Actor,
  slug: string,
  isArchived: boolean,
): Promise<KommuneRow> {
  const existing = await requireKommune(context.db, actor, slug, 'kommune.archive');
  return context.db.transaction(async (db) => {
    const updated = await updateKommune(db, existing.id, { archivedAt: isArchived ? context.now() : null });
    await recordAudit(db, {
      actorUserId: actor.userId,
      action: isArchived ? 'kommune.archived' : 'kommune.restored',
      kommuneId: existing.id,
    });
    return updated!;
  });
}
