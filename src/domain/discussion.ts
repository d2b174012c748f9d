import { z } from 'zod';
import type { Catalog } from './catalog.ts';

/**
 * The discussion of a round: notes on a question (Leitfrage) or a criterion (Kriterium), visible to
 * everyone who works on the round, with the author's name and time. One thread per question or
 * criterion; the Koordination marks a thread as settled („erledigt“), which locks it until it is
 * opened again. Authors edit and delete their own notes while the thread is open and the round too;
 * a deleted note keeps its place as „Notiz gelöscht“, so the replies after it still make sense.
 */

export const noteKinds = ['question', 'criterion'] as const;
export type NoteKind = (typeof noteKinds)[number];

/** The longest note, in characters after trimming. */
export const noteBodyMax = 2000;

/** A note's text: plain text (line breaks allowed), trimmed, not empty, at most noteBodyMax characters. */
export const noteBody = () =>
  z
    .string('ein Text')
    .trim()
    .min(1, 'bitte einen Text eingeben')
    .max(noteBodyMax, `höchstens ${noteBodyMax.toLocaleString('de-DE')} Zeichen`)
    .refine((value) => !/\p{Cc}/u.test(value.replace(/[\n\r\t]/g, '')), 'keine Steuerzeichen');

/** The key of a question („1.2.3“) or a criterion („1.2“), by kind. */
export const subjectKeyPatterns: Record<NoteKind, RegExp> = {
  question: /^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2}$/,
  criterion: /^[0-9]{1,2}\.[0-9]{1,2}$/,
};

/** The Handlungsfeld a question or criterion belongs to in a catalog, or undefined when it has none such. */
export function subjectFieldKey(catalog: Catalog, kind: NoteKind, key: string): string | undefined {
  for (const field of catalog.fields) {
    for (const criterion of field.criteria) {
      if (kind === 'criterion' && criterion.key === key) return field.key;
      if (kind === 'question' && criterion.questions.some((question) => question.key === key)) return field.key;
    }
  }
  return undefined;
}

/** What the rules need to know about a note. */
export interface NoteFacts {
  authorId: string | null;
  deletedAt: Date | string | null;
}

/** Why a note may not be changed (edited or deleted) by this person now; null when it may. */
export type NoteChangeRefusal = 'not-author' | 'deleted' | 'settled' | 'round-closed';

/**
 * Whether a person may edit or delete a note: only its author, only while it exists, the thread is
 * open and the round too. Nobody changes another person's words, not even the Koordination: she
 * settles the thread instead.
 */
export function noteChangeRefusal(userId: string, note: NoteFacts, thread: { isSettled: boolean; isRoundOpen: boolean }): NoteChangeRefusal | null {
  if (note.authorId === null || note.authorId !== userId) return 'not-author';
  if (note.deletedAt !== null) return 'deleted';
  if (!thread.isRoundOpen) return 'round-closed';
  if (thread.isSettled) return 'settled';
  return null;
}

/** The key of a thread in maps and lists. */
export function threadId(kind: NoteKind, key: string): string {
  return `${kind}:${key}`;
}

export interface ThreadSummary {
  kind: NoteKind;
  key: string;
  /** Notes that are not deleted. */
  noteCount: number;
  isSettled: boolean;
  /** A thread with at least one note that is not settled: something is still to be discussed. */
  isOpen: boolean;
  lastNoteAt: string | null;
}

/**
 * One summary per thread that has notes or a settled mark, in the order of first appearance. A
 * thread whose notes were all deleted counts as not open: there is nothing left to settle.
 */
export function summarizeThreads(
  notes: readonly { kind: NoteKind; key: string; deletedAt: Date | string | null; createdAt: Date | string }[],
  settled: readonly { kind: NoteKind; key: string }[],
): ThreadSummary[] {
  const summaries = new Map<string, ThreadSummary>();
  const settledIds = new Set(settled.map((entry) => threadId(entry.kind, entry.key)));
  const ensure = (kind: NoteKind, key: string) => {
    const id = threadId(kind, key);
    let summary = summaries.get(id);
    if (!summary) {
      summary = { kind, key, noteCount: 0, isSettled: settledIds.has(id), isOpen: false, lastNoteAt: null };
      summaries.set(id, summary);
    }
    return summary;
  };
  for (const note of notes) {
    const summary = ensure(note.kind, note.key);
    if (note.deletedAt !== null) continue;
    summary.noteCount += 1;
    const at = new Date(note.createdAt).toISOString();
    if (summary.lastNoteAt === null || at > summary.lastNoteAt) summary.lastNoteAt = at;
  }
  for (const entry of settled) ensure(entry.kind, entry.key);
  for (const summary of summaries.values()) summary.isOpen = summary.noteCount > 0 && !summary.isSettled;
  return [...summaries.values()];
}

/**
 * The open threads of a criterion as the consolidation counts them: its own thread and those of
 * its questions.
 */
export function openThreadsOfCriterion(summaries: readonly ThreadSummary[], criterionKey: string): number {
  return summaries.filter((summary) => summary.isOpen && (summary.kind === 'criterion' ? summary.key === criterionKey : summary.key.startsWith(`${criterionKey}.`))).length;
}

/** How many notes one person may post in `noteRateWindowMinutes` (a runaway script, not a lively discussion). */
export const noteRateLimit = 30;
export const noteRateWindowMinutes = 10;
