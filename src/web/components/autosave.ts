import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { differingParts, type ChangedBy } from '../../domain/conflict.ts';
import { readDraft, retriesWhenOnline, saveFailure, type SaveState } from './autosave-rules.ts';

export type { SaveState } from './autosave-rules.ts';

/** The version that was saved first (in another window or by someone else), shown beside one's own. */
export interface Conflict<D> {
  theirs: D;
  changedBy: ChangedBy | null;
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
  /** The new version and when it was saved. */
  savedVersion: (result: R) => { version: number; savedAt: string };
  /** After a successful save (awaited, the save counts as running until it ends). */
  onSaved?: (result: R) => void | Promise<void>;
  /** Reads the server's version from a 409 (`current` may be missing). */
  serverVersion: (current: unknown) => ServerVersion<D>;
  /** After a 409 was handled: the conflict shown, or null when both versions said the same. */
  onStale?: (conflict: Conflict<D> | null) => void;
  /** After the person took the saved version instead of their own. */
  onTakeTheirs?: (theirs: D) => void;
}

/**
 * A form that saves itself, shared by the questionnaire and the consolidation: every change is kept
 * as a draft in the browser first and saved after `delay` ms (0 for a choice, a short pause for text);
 * one save runs at a time and a change during it is saved right after. A draft left by a closed tab is
 * restored and saved on the next visit. A failed save keeps the draft; it is retried when the browser
 * is online again, unless the session has expired (then the status offers the sign-in). When someone
 * saved first (409), one's own version stays in the fields and the other one is offered beside it
 * (keepMine / takeTheirs); an edit meanwhile is a merge in progress, kept as a draft only.
 */
export function useAutosave<D extends object, R>(options: AutosaveOptions<D, R>) {
  const { t } = useTranslation();
  const latestOptions = useRef(options);
  latestOptions.current = options;
  const { draftKey } = options;
  const [restored] = useState(() => (options.canRestore === false ? null : readDraft<D>(draftKey)));
  const [draft, setDraft] = useState<D>(restored ?? options.initial);
  const [state, setState] = useState<SaveState>(restored ? 'unsaved' : 'saved');
  const [savedAt, setSavedAt] = useState<string | null>(options.initialSavedAt);
  const [message, setMessage] = useState('');
  const [conflict, setConflict] = useState<Conflict<D> | null>(null);
  /** The last save failed because the session had expired: the status links to the sign-in. */
  const [isSignedOut, setIsSignedOut] = useState(false);
  const version = useRef(options.initialVersion);
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
      setSavedAt(saved.savedAt);
      if (latest.current === sent) {
        localStorage.removeItem(draftKey);
        setState('saved');
      }
      setMessage('');
      setIsSignedOut(false);
      await current.onSaved?.(result);
    } catch (error) {
      const failure = saveFailure(error);
      if (failure.kind === 'stale') {
        // Someone (usually oneself in another tab) saved first. Nothing typed is discarded: one's own
        // version stays in the fields and in the browser's draft, the other one is shown beside it,
        // and the person chooses, or merges by editing and then keeps their version.
        const server = current.serverVersion(failure.current);
        version.current = server.version;
        const theirs = server.draft;
        let shown: Conflict<D> | null = null;
        if (differingParts(latest.current, theirs, current.parts).length === 0) {
          // Both versions say the same: nothing to choose.
          localStorage.removeItem(draftKey);
          setConflict(null);
          setState('saved');
          if (server.savedAt) setSavedAt(server.savedAt);
        } else {
          shown = { theirs, changedBy: server.changedBy };
          setConflict(shown);
          setState('conflict');
        }
        setMessage('');
        current.onStale?.(shown);
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
    localStorage.setItem(draftKey, JSON.stringify(updated));
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

  /** „Andere Fassung übernehmen“: the saved version replaces one's own; nothing needs saving. */
  const takeTheirs = () => {
    if (!conflict) return;
    latest.current = conflict.theirs;
    setDraft(conflict.theirs);
    localStorage.removeItem(draftKey);
    setConflict(null);
    setState('saved');
    options.onTakeTheirs?.(conflict.theirs);
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
    /** The version the next save is based on (0: never saved). */
    version: version.current,
    change,
    flush,
    save,
    keepMine,
    takeTheirs,
    /** For <SaveStatus>: the state, its failure and the retry. */
    status: { state, message, isSignedOut, onRetry: () => void save() },
    /** For <ConflictPanel> while there is a conflict, else null. */
    resolution: conflict ? { conflict, mine: draft, parts: options.parts, onKeepMine: keepMine, onTakeTheirs: takeTheirs } : null,
  };
}
