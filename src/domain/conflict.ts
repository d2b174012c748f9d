/**
 * Conflict-safe editing: when a save is refused because someone saved the same entry first (409
 * „stale-version“), the person keeps their own text in the field and sees the other version beside
 * it. These pure helpers say who changed the entry and which parts of the two versions differ.
 */

/** Who saved the version that won: the person themself (in another window or tab) or someone else. */
export interface ChangedBy {
  isYou: boolean;
  /** The other person's name; null when it is the person themself or the account is gone. */
  name: string | null;
}

/** Whom a conflict names: the actor themself, or the stored editor with their name. */
export function changedByOf(actorUserId: string, editor: { id: string | null; name: string | null }): ChangedBy {
  if (editor.id === actorUserId) return { isYou: true, name: null };
  return { isYou: false, name: editor.name };
}

/** The parts of two versions of an entry that differ, in the order of the given keys. */
export function differingParts<T extends object, K extends keyof T>(mine: T, theirs: T, keys: readonly K[]): K[] {
  return keys.filter((key) => (mine[key] ?? null) !== (theirs[key] ?? null));
}
