import { randomUUID } from 'node:crypto';
import { can, canDiscussField, type Actor } from '../domain/access.ts';
import {
  noteChangeRefusal,
  noteRateLimit,
  noteRateWindowMinutes,
  subjectFieldKey,
  summarizeThreads,
  threadId,
  type NoteKind,
} from '../domain/discussion.ts';
import { DomainError } from '../domain/errors.ts';
import { noteChange } from '../domain/round-change.ts';
import {
  countNotesSince,
  deleteSettledThread,
  findNote,
  findSettledThread,
  insertNote,
  insertSettledThread,
  listNotes,
  listSettledThreads,
  updateNote,
  type NoteRow,
} from '../db/repositories/discussion-repository.ts';
import { lockKeyForTransaction } from '../db/repositories/lock-repository.ts';
import { insertChange, lockOpenRound } from '../db/repositories/round-repository.ts';
import { findUserById } from '../db/repositories/user-repository.ts';
import type { ServiceContext } from './context.ts';
import { requireRound, type LoadedRound } from './manage-rounds.ts';

export interface ThreadFilter {
  kind?: NoteKind;
  key?: string;
  /** Only the threads of this Handlungsfeld's questions and criteria. */
  fieldKey?: string;
}

/** The question or criterion a note is about: it must be in the round's catalog version, else 422. */
function requireSubject(loaded: LoadedRound, kind: NoteKind, key: string): string {
  const fieldKey = subjectFieldKey(loaded.catalog, kind, key);
  if (fieldKey === undefined) throw new DomainError('discussion-subject-unknown', { field: 'key' });
  return fieldKey;
}

/** Where a write goes: the round open, the field worked, the actor allowed on the field. */
function requireWritable(loaded: LoadedRound, actor: Actor, fieldKey: string): void {
  if (!canDiscussField(actor, loaded.kommune.id, fieldKey)) throw new DomainError('field-not-assigned');
  if (loaded.round.status !== 'open') throw new DomainError('round-closed');
  if (!loaded.round.workedFieldKeys.includes(fieldKey)) throw new DomainError('field-not-worked');
}

const changeKind = (kind: NoteKind, what: 'note' | 'thread') => `${kind}-${what}`;

function presentNote(note: NoteRow, actor: Actor, isSettled: boolean, isRoundOpen: boolean) {
  const isDeleted = note.deletedAt !== null;
  return {
    id: note.id,
    authorName: note.authorName,
    isMine: note.authorId === actor.userId,
    body: isDeleted ? '' : note.body,
    createdAt: note.createdAt,
    editedAt: note.editedAt,
    isDeleted,
    canChange: noteChangeRefusal(actor.userId, note, { isSettled, isRoundOpen }) === null,
  };
}

/**
 * The discussion of a round: every thread with its notes (all, one thread, or one field's), whether
 * it is settled, and what the actor may do. Read by everyone who works on the round (discussion.read).
 */
export async function listDiscussion(context: ServiceContext, actor: Actor, slug: string, number: number, filter: ThreadFilter = {}) {
  const loaded = await requireRound(context, actor, slug, number, 'discussion.read');
  const { kommune, round, catalog } = loaded;
  if (filter.kind && filter.key) requireSubject(loaded, filter.kind, filter.key);
  if (filter.fieldKey && !catalog.fields.some((field) => field.key === filter.fieldKey)) throw new DomainError('field-unknown', { field: 'field' });
  const [notes, settledRows] = await Promise.all([
    listNotes(context.db, round.id, filter.kind && filter.key ? { kind: filter.kind, subjectKey: filter.key } : undefined),
    listSettledThreads(context.db, round.id),
  ]);
  const isRoundOpen = round.status === 'open';
  const settledById = new Map(settledRows.map((row) => [threadId(row.kind as NoteKind, row.subjectKey), row]));
  const summaries = summarizeThreads(
    notes.map((note) => ({ kind: note.kind as NoteKind, key: note.subjectKey, deletedAt: note.deletedAt, createdAt: note.createdAt })),
    settledRows.map((row) => ({ kind: row.kind as NoteKind, key: row.subjectKey })),
  );
  // Each thread's field once, and the notes grouped by thread once (not filtered again per thread).
  const withField = summaries.map((summary) => ({ ...summary, fieldKey: subjectFieldKey(catalog, summary.kind, summary.key) ?? null }));
  const openByField: Record<string, number> = {};
  for (const summary of withField) {
    if (summary.isOpen && summary.fieldKey) openByField[summary.fieldKey] = (openByField[summary.fieldKey] ?? 0) + 1;
  }
  const notesByThread = new Map<string, NoteRow[]>();
  for (const note of notes) {
    const id = threadId(note.kind as NoteKind, note.subjectKey);
    const list = notesByThread.get(id);
    if (list) list.push(note);
    else notesByThread.set(id, [note]);
  }
  const threads = withField
    .filter((summary) => !filter.kind || !filter.key || (summary.kind === filter.kind && summary.key === filter.key))
    .filter((summary) => !filter.fieldKey || summary.fieldKey === filter.fieldKey)
    .map((summary) => {
      const id = threadId(summary.kind, summary.key);
      const settled = settledById.get(id);
      return {
        kind: summary.kind,
        key: summary.key,
        fieldKey: summary.fieldKey,
        noteCount: summary.noteCount,
        isOpen: summary.isOpen,
        settled: settled ? { at: settled.settledAt, byName: settled.settledByName } : null,
        notes: (notesByThread.get(id) ?? []).map((note) => presentNote(note, actor, settled !== undefined, isRoundOpen)),
      };
    });
  return {
    round: { number: round.number, status: round.status },
    canSettle: isRoundOpen && can(actor, 'discussion.settle', kommune.id),
    /** The fields whose questions and criteria the actor may write notes on now. */
    writableFieldKeys: isRoundOpen ? round.workedFieldKeys.filter((fieldKey) => canDiscussField(actor, kommune.id, fieldKey)) : [],
    openByField,
    threads,
  };
}

/**
 * Adds a note to the thread of a question or criterion. The thread must be open (a settled one is
 * opened again by the Koordination first), the round open (checked again under the round's lock, so
 * a note never lands in a round that was closed meanwhile). At most noteRateLimit notes per person
 * in noteRateWindowMinutes.
 */
export async function postNote(context: ServiceContext, actor: Actor, slug: string, number: number, input: { kind: NoteKind; key: string; body: string }) {
  const loaded = await requireRound(context, actor, slug, number, 'discussion.write');
  const fieldKey = requireSubject(loaded, input.kind, input.key);
  requireWritable(loaded, actor, fieldKey);
  const author = await findUserById(context.db, actor.userId);
  if (!author) throw new DomainError('unauthenticated');
  const since = new Date(context.now().getTime() - noteRateWindowMinutes * 60_000);
  const note = await context.db.transaction(async (db) => {
    // Counted and written under a lock per person, so parallel posts (in this or another server
    // process) cannot all pass the same count.
    await lockKeyForTransaction(db, `notes:${actor.userId}`);
    if ((await countNotesSince(db, actor.userId, since)) >= noteRateLimit) throw new DomainError('notes-limited', { retryAfterSeconds: noteRateWindowMinutes * 60 });
    if (!(await lockOpenRound(db, loaded.round.id))) throw new DomainError('round-closed');
    if (await findSettledThread(db, loaded.round.id, input.kind, input.key)) throw new DomainError('thread-settled');
    const inserted = await insertNote(db, {
      id: randomUUID(),
      roundId: loaded.round.id,
      kommuneId: loaded.kommune.id,
      kind: input.kind,
      subjectKey: input.key,
      authorId: actor.userId,
      authorName: author.name,
      body: input.body,
      createdAt: context.now(),
    });
    // The log says who wrote on what and when; the text lives only in the note (domain/round-change.ts).
    await insertChange(db, { roundId: loaded.round.id, changedBy: actor.userId, kind: changeKind(input.kind, 'note'), subject: input.key, ...noteChange('written') });
    return inserted;
  });
  return presentNote(note, actor, false, true);
}

/** Edits (body given) or deletes (body null) one's own note, while its thread and the round are open. */
export async function changeOwnNote(context: ServiceContext, actor: Actor, slug: string, number: number, noteId: string, body: string | null) {
  // Reading is enough to reach one's own note: the rights to write are checked below, on its field.
  const loaded = await requireRound(context, actor, slug, number, 'discussion.read');
  return context.db.transaction(async (db) => {
    const note = await findNote(db, loaded.round.id, noteId);
    if (!note) throw new DomainError('note-not-found');
    const kind = note.kind as NoteKind;
    const isRoundOpen = await lockOpenRound(db, loaded.round.id);
    const isSettled = (await findSettledThread(db, loaded.round.id, kind, note.subjectKey)) !== undefined;
    const refusal = noteChangeRefusal(actor.userId, note, { isSettled, isRoundOpen });
    if (refusal === 'not-author') throw new DomainError('note-not-yours');
    if (refusal === 'deleted') throw new DomainError('note-not-found');
    if (refusal === 'round-closed') throw new DomainError('round-closed');
    if (refusal === 'settled') throw new DomainError('thread-settled');
    // The author may have lost the field since (another assignment): then the note stays as it is.
    const fieldKey = subjectFieldKey(loaded.catalog, kind, note.subjectKey);
    if (fieldKey === undefined || !canDiscussField(actor, loaded.kommune.id, fieldKey)) throw new DomainError('field-not-assigned');
    const now = context.now();
    const changed = await updateNote(db, loaded.round.id, noteId, body === null ? { body: '', deletedAt: now } : { body, editedAt: now });
    if (!changed) throw new DomainError('note-not-found');
    await insertChange(db, {
      roundId: loaded.round.id,
      changedBy: actor.userId,
      kind: changeKind(kind, 'note'),
      subject: note.subjectKey,
      ...noteChange(body === null ? 'deleted' : 'edited'),
    });
    return presentNote(changed, actor, false, true);
  });
}

/**
 * Marks the thread of a question or criterion as settled, or opens it again: those who consolidate
 * (discussion.settle), while the round is open. Only a thread with a note can be settled.
 */
export async function settleThread(context: ServiceContext, actor: Actor, slug: string, number: number, kind: NoteKind, key: string, isSettled: boolean) {
  const loaded = await requireRound(context, actor, slug, number, 'discussion.settle');
  const fieldKey = requireSubject(loaded, kind, key);
  if (loaded.round.status !== 'open') throw new DomainError('round-closed');
  if (!loaded.round.workedFieldKeys.includes(fieldKey)) throw new DomainError('field-not-worked');
  const person = await findUserById(context.db, actor.userId);
  if (!person) throw new DomainError('unauthenticated');
  return context.db.transaction(async (db) => {
    if (!(await lockOpenRound(db, loaded.round.id))) throw new DomainError('round-closed');
    let hasChanged: boolean;
    if (isSettled) {
      const notes = await listNotes(db, loaded.round.id, { kind, subjectKey: key });
      if (!notes.some((note) => note.deletedAt === null)) throw new DomainError('thread-empty');
      hasChanged = await insertSettledThread(db, { roundId: loaded.round.id, kind, subjectKey: key, settledAt: context.now(), settledById: actor.userId, settledByName: person.name });
    } else {
      hasChanged = await deleteSettledThread(db, loaded.round.id, kind, key);
    }
    // Settling twice (two windows) changes nothing and logs nothing.
    if (hasChanged) {
      await insertChange(db, {
        roundId: loaded.round.id,
        changedBy: actor.userId,
        kind: changeKind(kind, 'thread'),
        subject: key,
        before: { status: isSettled ? 'open' : 'settled' },
        after: { status: isSettled ? 'settled' : 'open' },
      });
    }
    const settled = await findSettledThread(db, loaded.round.id, kind, key);
    return { kind, key, settled: settled ? { at: settled.settledAt, byName: settled.settledByName } : null };
  });
}
