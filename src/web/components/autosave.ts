import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { differingParts, mergeVersions, type ChangedBy } from '../../domain/conflict.ts';
import { appendedText, basisKey, readBasis, readDraft, retriesWhenOnline, saveFailure, type DraftBasis, type SaveState } from './autosave-rules.ts';

export type { SaveState } from './autosave-rules.ts';

/** The version that was saved first (in another window or by someone else), shown beside one's own. */
export interface Conflict<D> {
  theirs: D;
  changedBy: ChangedBy | null;
  /** The parts both versions changed differently: only these are offered for choice. */
  parts: (keyof D & string)[];
}

/** Parts another version changed (and one's own did not), taken into one's own without a question. */
export interface TakenOver<D> {
  parts: (keyof D & string)[];
  changedBy: ChangedBy | null;
  /** Other parts clashed at the same time: the conflict panel already says who saved. */
  withConflict: boolean;
}

/** Keeps the draft in the browser with the saved version it is based on (see DraftBasis). */
function keepDraft<D>(draftKey: string, draft: D, basis: DraftBasis<D>) {
  localStorage.setItem(draftKey, JSON.stringify(draft));
  localStorage.setItem(basisKey(draftKey), JSON.stringify(basis));
}

function dropDraft(draftKey: string) {
  localStorage.removeItem(draftKey);
  localStorage.removeItem(basisKey(draftKey));
}

/** The version on the server as a 409 names it (its parts empty when the server names none). */
export interface ServerVersion<D> {
  draft: D;
  version: number;
  /** When it was saved, if the server says so. */
  savedAt: string | null;
  changedBy: ChangedBy | null;
}

export interface AutosaveOptions<D extends object, R> {
  /** Where the draft is kept in localStorage. */
  draftKey: string;
  /** The saved version the form starts from. */
  initial: D;
  initialVersion: number;
  initialSavedAt: string | null;
  /** The parts compared on a conflict, in the order they are shown. */
  parts: readonly (keyof D & string)[];
  /** false: a draft left in the browser is not restored (the person may only read). */
  canRestore?: boolean;
  /** A draft that may not be saved yet: the state is `incomplete` and nothing is sent. */
  isIncomplete?: (draft: D) => boolean;
  /** Sends the draft with the version it was based on. */
  send: (draft: D, expectedVersion: number) => Promise<R>;
  /** The new version, when it was saved and, if the server stores the draft otherwise (trimmed), as what. */
  savedVersion: (result: R) => { version: number; savedAt: string; draft?: D };
  /** After a successful save (awaited, the save counts as running until it ends). */
  onSaved?: (result: R) => void | Promise<void>;
  /** Reads the server's version from a 409 (`current` may be missing). */
  serverVersion: (current: unknown) => ServerVersion<D>;
  /** After a 409 was handled: the conflict shown (null when no part clashed) and the merged draft. */
  onStale?: (conflict: Conflict<D> | null, merged: D) => void;
  /** After the person took the saved version instead of their own. */
  onTakeTheirs?: (theirs: D) => void;
}

/**
 * A form that saves itself, shared by the questionnaire and the consolidation: every change is kept
 * as a draft in the browser first and saved after `delay` ms (0 for a choice, a short pause for text);
 * one save runs at a time and a change during it is saved right after. A draft left by a closed tab is
 * restored and saved on the next visit, based on the version it was typed on (kept beside it), so that
 * what was saved meanwhile is merged, not overwritten. A failed save keeps the draft; it is retried when the browser
 * is online again, unless the session has expired (then the status offers the sign-in). When someone
 * saved first (409), the two versions are merged part by part against the version this form last
 * loaded or saved (`mergeVersions`): parts only the other version changed are taken over (`takenOver`
 * names them) and the merge is saved; only parts both changed differently are offered beside one's own
 * (keepMine / takeTheirs), and an edit meanwhile is a merge in progress, kept as a draft only.
 */
export function useAutosave<D extends object, R>(options: AutosaveOptions<D, R>) {
  const { t } = useTranslation();
  const latestOptions = useRef(options);
  latestOptions.current = options;
  const { draftKey } = options;
  const [restored] = useState(() => (options.canRestore === false ? null : readDraft<D>(draftKey)));
  // A draft kept by an older version of the app has no basis: it is based on what the server has now.
  const [restoredBasis] = useState(() => (restored ? readBasis<D>(basisKey(draftKey)) : null));
  const [draft, setDraft] = useState<D>(restored ?? options.initial);
  const [state, setState] = useState<SaveState>(restored ? 'unsaved' : 'saved');
  const [savedAt, setSavedAt] = useState<string | null>(options.initialSavedAt);
  const [message, setMessage] = useState('');
  const [conflict, setConflict] = useState<Conflict<D> | null>(null);
  const [takenOver, setTakenOver] = useState<TakenOver<D> | null>(null);
  /** The last save failed because the session had expired: the status links to the sign-in. */
  const [isSignedOut, setIsSignedOut] = useState(false);
  const version = useRef(restoredBasis?.version ?? options.initialVersion);
  /** The version on the server this form last loaded or saved: what a merge compares both versions to. */
  const base = useRef<D>(restoredBasis?.draft ?? options.initial);
  const latest = useRef(draft);
  const inFlight = useRef(false);
  const again = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const save = useCallback(async () => {
    const current = latestOptions.current;
    if (inFlight.current) {
      again.current = true;
      return;
    }
    const sent = latest.current;
    if (current.isIncomplete?.(sent)) {
      setState('incomplete');
      return;
    }
    inFlight.current = true;
    setState('saving');
    try {
      const result = await current.send(sent, version.current);
      const saved = current.savedVersion(result);
      version.current = saved.version;
      base.current = saved.draft ?? sent;
      setSavedAt(saved.savedAt);
      if (latest.current === sent) {
        dropDraft(draftKey);
        setState('saved');
      }
      setMessage('');
      setIsSignedOut(false);
      await current.onSaved?.(result);
    } catch (error) {
      const failure = saveFailure(error);
      if (failure.kind === 'stale') {
        // Someone (usually oneself in another tab) saved first. Nothing typed is discarded: both
        // versions are merged part by part against the one this form started from. What only the other
        // version changed is taken over; what both changed differently keeps one's own text in the
        // fields, the other one is shown beside it, and the person chooses, or merges by editing.
        const server = current.serverVersion(failure.current);
        version.current = server.version;
        const theirs = server.draft;
        const merge = mergeVersions(base.current, latest.current, theirs, current.parts);
        base.current = theirs;
        latest.current = merge.merged;
        setDraft(merge.merged);
        setTakenOver(merge.takenOver.length > 0 ? { parts: merge.takenOver, changedBy: server.changedBy, withConflict: merge.clashes.length > 0 } : null);
        let shown: Conflict<D> | null = null;
        if (merge.clashes.length > 0) {
          keepDraft(draftKey, merge.merged, { version: version.current, draft: theirs });
          shown = { theirs, changedBy: server.changedBy, parts: merge.clashes };
          setConflict(shown);
          setState('conflict');
        } else if (differingParts(merge.merged, theirs, current.parts).length === 0) {
          // The saved version already says everything: nothing to choose, nothing to save.
          dropDraft(draftKey);
          setConflict(null);
          setState('saved');
          if (server.savedAt) setSavedAt(server.savedAt);
        } else {
          // One's own changes on top of the saved version: saved right after this attempt.
          keepDraft(draftKey, merge.merged, { version: version.current, draft: theirs });
          setConflict(null);
          setState('unsaved');
          again.current = true;
        }
        setMessage('');
        current.onStale?.(shown, merge.merged);
      } else {
        setState('error');
        setIsSignedOut(failure.kind === 'signed-out');
        setMessage(failure.kind === 'signed-out' ? t('answers.signedOut') : failure.kind === 'refused' ? failure.message : t('answers.offline'));
      }
    } finally {
      inFlight.current = false;
      if (again.current) {
        again.current = false;
        void save();
      }
    }
  }, [draftKey, t]);

  // A save that failed for want of a network is retried as soon as the browser is online again.
  useEffect(() => {
    if (!retriesWhenOnline(state, isSignedOut)) return;
    const retry = () => void save();
    window.addEventListener('online', retry);
    return () => window.removeEventListener('online', retry);
  }, [state, isSignedOut, save]);

  // A draft restored from an earlier visit is saved right away (once, on mount).
  const isRestored = useRef(restored !== null);
  useEffect(() => {
    if (!isRestored.current) return;
    isRestored.current = false;
    void save();
  }, [save]);

  /** Takes a change into the draft and saves it after `delay` ms (not during a conflict). */
  const change = (next: Partial<D>, delay: number) => {
    const updated = { ...latest.current, ...next };
    latest.current = updated;
    setDraft(updated);
    keepDraft(draftKey, updated, { version: version.current, draft: base.current });
    setTakenOver(null);
    // During a conflict an edit is a merge in progress: it is kept as a draft and saved only when the
    // person keeps their version.
    if (conflict) return;
    const isIncomplete = options.isIncomplete?.(updated) ?? false;
    setState(isIncomplete ? 'incomplete' : 'unsaved');
    clearTimeout(timer.current);
    if (!isIncomplete) timer.current = setTimeout(() => void save(), delay);
  };

  /** Saves at once what is still waiting for its pause (on leaving a text field). */
  const flush = () => {
    if (state === 'unsaved') void save();
  };

  /** „Meine Fassung behalten“: one's own (possibly merged) version is saved over the other one. */
  const keepMine = () => {
    setConflict(null);
    setState('unsaved');
    void save();
  };

  /**
   * „Andere Fassung übernehmen“: the saved version replaces one's own in the parts that clashed; one's
   * own changes of other parts stay and are saved (when there are none, nothing needs saving).
   */
  const takeTheirs = () => {
    if (!conflict) return;
    const next = { ...latest.current };
    for (const part of conflict.parts) next[part] = conflict.theirs[part];
    latest.current = next;
    setDraft(next);
    setConflict(null);
    if (differingParts(next, conflict.theirs, options.parts).length === 0) {
      dropDraft(draftKey);
      setState('saved');
    } else {
      keepDraft(draftKey, next, { version: version.current, draft: base.current });
      setState('unsaved');
      void save();
    }
    options.onTakeTheirs?.(next);
  };

  /**
   * „Andere Fassung unten anfügen“: in the clashing text parts (part → separator), the other version's
   * text goes below one's own. The conflict stays: the person merges both by editing and then keeps
   * her version, which saves it; until then it is kept as a draft only.
   */
  const appendTheirs = (separators: Partial<Record<keyof D & string, string>>) => {
    if (!conflict) return;
    const next = { ...latest.current };
    for (const part of conflict.parts) {
      const separator = separators[part];
      if (separator === undefined) continue;
      next[part] = appendedText(String(next[part] ?? ''), String(conflict.theirs[part] ?? ''), separator) as D[typeof part];
    }
    latest.current = next;
    setDraft(next);
    keepDraft(draftKey, next, { version: version.current, draft: base.current });
  };

  return {
    /** The draft restored from an earlier visit (first render), or null. */
    restored,
    draft,
    state,
    savedAt,
    /** The failure's German message while `state` is `error`. */
    message,
    isSignedOut,
    conflict,
    /** Parts another version changed that were taken over without a question (until the next edit). */
    takenOver,
    /** The version the next save is based on (0: never saved). */
    version: version.current,
    change,
    flush,
    save,
    keepMine,
    takeTheirs,
    appendTheirs,
    /** For <SaveStatus>: the state, its failure and the retry. */
    status: { state, message, isSignedOut, onRetry: () => void save() },
    /** For <ConflictPanel> while there is a conflict, else null. */
    resolution: conflict ? { conflict, mine: draft, parts: conflict.parts, onKeepMine: keepMine, onTakeTheirs: takeTheirs, onAppendTheirs: appendTheirs } : null,
  };
}
