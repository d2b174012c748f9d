import { ApiError } from '../api/client.ts';

/**
 * Where a form that saves itself stands: `incomplete` = the draft may not be saved yet (a rating that
 * differs from the derived one still waits for its reason), `conflict` = someone saved first and the
 * person chooses between the two versions.
 */
export type SaveState = 'saved' | 'unsaved' | 'saving' | 'error' | 'conflict' | 'incomplete';

/** Why a save failed. */
export type SaveFailure =
  /** Someone saved first (409 stale-version); `current` is the version on the server, if any. */
  | { kind: 'stale'; current: unknown }
  /** The session has expired: the draft waits until the person has signed in again. */
  | { kind: 'signed-out' }
  /** No answer from the server at all. */
  | { kind: 'offline' }
  /** The server refused the draft with a German message. */
  | { kind: 'refused'; message: string };

export function saveFailure(error: unknown): SaveFailure {
  if (!(error instanceof ApiError) || error.status === 0) return { kind: 'offline' };
  if (error.status === 409 && error.code === 'stale-version') return { kind: 'stale', current: error.current };
  if (error.status === 401) return { kind: 'signed-out' };
  return { kind: 'refused', message: error.message };
}

/** Anything but a saved state keeps the page from counting the entry as done. */
export function isPending(state: SaveState): boolean {
  return state !== 'saved';
}

/** How many entries of a page wait, and for what: being saved, the person's choice, or a save that failed. */
export interface PendingCounts {
  /** Changed and being saved (or about to be, after the typing pause). */
  saving: number;
  /** Two versions clash: nothing is saved until the person chooses. */
  deciding: number;
  /** Not saved: the save failed, or the draft may not be saved yet (a missing reason). */
  notSaved: number;
}

/** The pending entries of a page counted by what they wait for, so the page says what is true. */
export function pendingCounts(states: Iterable<SaveState>): PendingCounts {
  const counts: PendingCounts = { saving: 0, deciding: 0, notSaved: 0 };
  for (const state of states) {
    if (state === 'unsaved' || state === 'saving') counts.saving += 1;
    else if (state === 'conflict') counts.deciding += 1;
    else if (state === 'error' || state === 'incomplete') counts.notSaved += 1;
  }
  return counts;
}

/** A failed save is tried again when the browser is back online, but not while the session is gone. */
export function retriesWhenOnline(state: SaveState, isSignedOut: boolean): boolean {
  return state === 'error' && !isSignedOut;
}

/**
 * The saved version a draft in the browser was based on (kept beside it): a draft restored on a later
 * visit is sent with this version, so that what was saved meanwhile is merged instead of overwritten.
 */
export interface DraftBasis<D> {
  version: number;
  draft: D;
}

/** The key the basis of the draft under `draftKey` is kept under. */
export function basisKey(draftKey: string): string {
  return `${draftKey}:basis`;
}

/** The basis kept under `key`, or null when there is none or it is not one (an older browser draft). */
export function readBasis<D>(key: string, storage?: Pick<Storage, 'getItem'>): DraftBasis<D> | null {
  const basis = readDraft<Partial<DraftBasis<D>>>(key, storage);
  if (!basis || typeof basis !== 'object' || !Number.isInteger(basis.version) || typeof basis.draft !== 'object' || basis.draft === null) return null;
  return { version: basis.version!, draft: basis.draft };
}

/** The draft kept under `key`, or null when there is none or it cannot be read (blocked storage, bad JSON). */
export function readDraft<D>(key: string, storage?: Pick<Storage, 'getItem'>): D | null {
  try {
    const raw = (storage ?? localStorage).getItem(key);
    return raw ? (JSON.parse(raw) as D) : null;
  } catch {
    return null;
  }
}

/**
 * „Andere Fassung unten anfügen“: the other version's text below one's own, to merge both by editing.
 * `separator` joins them ('\n' in a text box, '; ' in a one-line field, which cannot hold a line
 * break). Nothing is added when the other text is empty or already in one's own (appended before).
 */
export function appendedText(mine: string, theirs: string, separator: string): string {
  if (theirs.trim() === '' || mine.includes(theirs)) return mine;
  if (mine.trim() === '') return theirs;
  return `${mine.trimEnd()}${separator}${theirs}`;
}
