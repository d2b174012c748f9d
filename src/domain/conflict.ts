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

/**
 * Two versions of an entry merged part by part against the version both started from (`base`: what
 * the window last loaded or saved). A part changed in one version only is taken from that version; a
 * part changed the same way in both is that value; a part changed differently in both is a clash: the
 * merged version keeps one's own there and the person chooses.
 */
export interface Merge<T, K extends keyof T> {
  /** The merged version: one's own parts where only oneself changed them, the other ones where only they did. */
  merged: T;
  /** Parts changed differently in both versions, in the order of the keys. */
  clashes: K[];
  /** Parts only the other version changed, now taken into one's own, in the order of the keys. */
  takenOver: K[];
}

export function mergeVersions<T extends object, K extends keyof T>(base: T, mine: T, theirs: T, keys: readonly K[]): Merge<T, K> {
  const same = (a: T, b: T, key: K) => (a[key] ?? null) === (b[key] ?? null);
  const merged = { ...mine };
  const clashes: K[] = [];
  const takenOver: K[] = [];
  for (const key of keys) {
    const mineChanged = !same(mine, base, key);
    const theirsChanged = !same(theirs, base, key);
    if (!theirsChanged || same(mine, theirs, key)) continue;
    if (mineChanged) clashes.push(key);
    else {
      merged[key] = theirs[key];
      takenOver.push(key);
    }
  }
  return { merged, clashes, takenOver };
}
