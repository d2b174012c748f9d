import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { noteBodyMax, type NoteKind } from '../../domain/discussion.ts';
import { api } from '../api/client.ts';
import type { NoteEdit, NoteInput, SettleInput } from '../../domain/api/discussion.ts';
import { discussionKey, threadOf, type Discussion, type DiscussionNote, type DiscussionThread } from '../api/discussion.ts';
import { formatDateTime } from '../format.ts';
import { ConfirmButton } from './confirm-button.tsx';
import { errorMessage, fieldErrorsOf, TextArea } from './form.tsx';
import { Alert } from './page.tsx';
import './discussion.css';

/** A labelled text box for a note, with its limit as hint and the server's message as error. */
function NoteField({ label, value, onChange, error }: { label: string; value: string; onChange: (value: string) => void; error?: string }) {
  const { t } = useTranslation();
  return (
    <TextArea
      label={label}
      name="body"
      rows={3}
      maxLength={noteBodyMax}
      hint={t('discussion.hint', { max: noteBodyMax.toLocaleString('de-DE') })}
      value={value}
      onChange={onChange}
      error={error}
    />
  );
}

function useRefresh(apiBase: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: discussionKey(apiBase) });
}

/** One note: who wrote it and when, its text, and for its author „Bearbeiten“ and „Löschen“. */
function NoteItem({ apiBase, note }: { apiBase: string; note: DiscussionNote }) {
  const { t } = useTranslation();
  const refresh = useRefresh(apiBase);
  const [draft, setDraft] = useState<string | null>(null);
  const edit = useMutation({
    mutationFn: (body: string) => api('PUT', `${apiBase}/notes/${note.id}`, { body } satisfies NoteEdit),
    onSuccess: async () => {
      setDraft(null);
      await refresh();
    },
  });
  const remove = useMutation({ mutationFn: () => api('DELETE', `${apiBase}/notes/${note.id}`), onSuccess: refresh });
  const error = edit.error ?? remove.error;
  return (
    <li className="discussion-note">
      <p className="kern-body kern-body--small discussion-meta">
        <strong>{note.authorName}</strong>
        {note.isMine ? ` (${t('discussion.you')})` : ''}
        {', '}
        <time dateTime={new Date(note.createdAt).toISOString()}>{formatDateTime(note.createdAt)}</time>
        {note.editedAt && !note.isDeleted ? ` · ${t('discussion.edited')}` : ''}
      </p>
      {note.isDeleted ? (
        <p className="kern-body discussion-deleted">{t('discussion.deleted')}</p>
      ) : draft !== null ? (
        <form
          className="kern-stack-sm"
          noValidate
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            edit.mutate(draft);
          }}
        >
          <NoteField label={t('discussion.editLabel')} value={draft} onChange={setDraft} error={fieldErrorsOf(edit.error).body} />
          <div className="toolbar">
            <button type="submit" className="kern-btn kern-btn--primary kern-btn--small" disabled={edit.isPending}>
              <span className="kern-label">{t('discussion.saveEdit')}</span>
            </button>
            <button type="button" className="kern-btn kern-btn--secondary kern-btn--small" onClick={() => setDraft(null)}>
              <span className="kern-label">{t('common.cancel')}</span>
            </button>
          </div>
        </form>
      ) : (
        <p className="kern-body discussion-body">{note.body}</p>
      )}
      {note.canChange && draft === null ? (
        <div className="toolbar">
          <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" onClick={() => setDraft(note.body)}>
            <span className="kern-label">{t('discussion.edit')}</span>
          </button>
          <ConfirmButton label={t('discussion.delete')} question={t('discussion.deleteQuestion')} confirmLabel={t('discussion.deleteConfirm')} onConfirm={() => remove.mutate()} />
        </div>
      ) : null}
      {error && !fieldErrorsOf(error).body ? <Alert tone="danger" title={errorMessage(error, t)} /> : null}
    </li>
  );
}

/**
 * The discussion of one question or criterion as a disclosure („Diskussion (2)“): the notes with
 * name and time, a text box to add one, and for the Koordination „Als erledigt markieren“ or
 * „Wieder öffnen“. A settled thread says by whom and when and starts collapsed; so do the others,
 * so that a page of thirty questions stays short.
 */
export function DiscussionThreadView({
  apiBase,
  thread,
  subjectLabel,
  summaryLabel,
  canWrite,
  canSettle,
}: {
  apiBase: string;
  thread: DiscussionThread;
  /** „Leitfrage 1.1.1“ or „Kriterium 1.1“: names the text box and the buttons for screen readers. */
  subjectLabel: string;
  /** The disclosure's text before the count, e.g. „Diskussion“. */
  summaryLabel: string;
  canWrite: boolean;
  canSettle: boolean;
}) {
  const { t } = useTranslation();
  const refresh = useRefresh(apiBase);
  const [isOpen, setOpen] = useState(false);
  const [body, setBody] = useState('');
  const post = useMutation({
    mutationFn: (text: string) => api('POST', `${apiBase}/notes`, { kind: thread.kind, key: thread.key, body: text } satisfies NoteInput),
    onSuccess: async () => {
      setBody('');
      await refresh();
    },
  });
  const settle = useMutation({
    mutationFn: (settled: boolean) => api('PUT', `${apiBase}/threads/${thread.kind}/${thread.key}`, { settled } satisfies SettleInput),
    onSuccess: refresh,
  });
  // Deleted notes keep their place („Notiz gelöscht“), so that the replies after them still make sense.
  const visible = thread.notes;
  const state = thread.settled ? t('discussion.summarySettled') : thread.isOpen ? t('discussion.summaryOpen') : '';
  return (
    <details className={`discussion${thread.settled ? ' is-settled' : ''}`} open={isOpen} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary className="kern-body">
        {summaryLabel} ({thread.noteCount}){state ? ` – ${state}` : ''}
      </summary>
      <div className="kern-stack-sm discussion-content">
        {thread.settled ? (
          <p className="kern-body discussion-settled">
            <span className="kern-icon kern-icon--success kern-icon--small" aria-hidden="true" />{' '}
            {t('discussion.settledBy', { name: thread.settled.byName })} <time dateTime={new Date(thread.settled.at).toISOString()}>{formatDateTime(thread.settled.at)}</time>
          </p>
        ) : null}
        {visible.length === 0 ? (
          <p className="kern-body kern-body--small">{t('discussion.none')}</p>
        ) : (
          <ol className="discussion-notes" aria-label={t('discussion.notesOf', { subject: subjectLabel })}>
            {visible.map((note) => (
              <NoteItem key={note.id} apiBase={apiBase} note={note} />
            ))}
          </ol>
        )}
        {canWrite && !thread.settled ? (
          <form
            className="kern-stack-sm"
            noValidate
            aria-label={t('discussion.formLabel', { subject: subjectLabel })}
            onSubmit={(event: FormEvent) => {
              event.preventDefault();
              post.mutate(body);
            }}
          >
            <NoteField label={t('discussion.newNote', { subject: subjectLabel })} value={body} onChange={setBody} error={fieldErrorsOf(post.error).body} />
            <div className="toolbar">
              <button type="submit" className="kern-btn kern-btn--secondary kern-btn--small" disabled={post.isPending}>
                <span className="kern-label">{t('discussion.add')}</span>
              </button>
            </div>
          </form>
        ) : null}
        {post.error && !fieldErrorsOf(post.error).body ? <Alert tone="danger" title={errorMessage(post.error, t)} /> : null}
        {canSettle && (thread.settled || thread.noteCount > 0) ? (
          <div className="toolbar">
            {/* The name starts with the visible text and adds what it is about, for a list of buttons read out of context. */}
            <button
              type="button"
              className="kern-btn kern-btn--secondary kern-btn--small"
              disabled={settle.isPending}
              aria-label={`${thread.settled ? t('discussion.reopen') : t('discussion.settle')} (${subjectLabel})`}
              onClick={() => settle.mutate(!thread.settled)}
            >
              <span className="kern-label">{thread.settled ? t('discussion.reopen') : t('discussion.settle')}</span>
            </button>
          </div>
        ) : null}
        {settle.error ? <Alert tone="danger" title={errorMessage(settle.error, t)} /> : null}
      </div>
    </details>
  );
}

/** Under a question of the questionnaire: its discussion. */
export function QuestionDiscussion({ apiBase, discussion, fieldKey, questionKey }: { apiBase: string; discussion: Discussion | undefined; fieldKey: string; questionKey: string }) {
  const { t } = useTranslation();
  if (!discussion) return null;
  return (
    <DiscussionThreadView
      apiBase={apiBase}
      thread={threadOf(discussion, 'question', questionKey)}
      subjectLabel={t('discussion.question', { key: questionKey })}
      summaryLabel={t('discussion.title')}
      canWrite={discussion.writableFieldKeys.includes(fieldKey)}
      canSettle={discussion.canSettle}
    />
  );
}

/**
 * Under a criterion's heading on the questionnaire: the criterion's own thread („Diskussion zum
 * Kriterium 1.1 (2)“), for what concerns the criterion as a whole. The same thread as in the
 * consolidation: everyone who may write notes on the field's questions may write here too.
 */
export function CriterionThread({ apiBase, discussion, fieldKey, criterionKey }: { apiBase: string; discussion: Discussion | undefined; fieldKey: string; criterionKey: string }) {
  const { t } = useTranslation();
  if (!discussion) return null;
  return (
    <DiscussionThreadView
      apiBase={apiBase}
      thread={threadOf(discussion, 'criterion', criterionKey)}
      subjectLabel={t('discussion.criterion', { key: criterionKey })}
      summaryLabel={t('discussion.criterionTitle', { key: criterionKey })}
      canWrite={discussion.writableFieldKeys.includes(fieldKey)}
      canSettle={discussion.canSettle}
    />
  );
}

/** In the consolidation, per criterion: the criterion's own thread and those of its questions that have notes. */
export function CriterionDiscussion({
  apiBase,
  discussion,
  fieldKey,
  criterionKey,
  questionKeys,
}: {
  apiBase: string;
  discussion: Discussion | undefined;
  fieldKey: string;
  criterionKey: string;
  questionKeys: string[];
}) {
  const { t } = useTranslation();
  if (!discussion) return null;
  const canWrite = discussion.writableFieldKeys.includes(fieldKey);
  const questionThreads = questionKeys.map((key) => threadOf(discussion, 'question', key)).filter((thread) => thread.notes.length > 0 || thread.settled);
  const thread = (kind: NoteKind, key: string, label: string, summary: string) => (
    <DiscussionThreadView key={`${kind}:${key}`} apiBase={apiBase} thread={threadOf(discussion, kind, key)} subjectLabel={label} summaryLabel={summary} canWrite={canWrite} canSettle={discussion.canSettle} />
  );
  return (
    <div className="kern-stack-xs criterion-discussion">
      {thread('criterion', criterionKey, t('discussion.criterion', { key: criterionKey }), t('discussion.criterionTitle', { key: criterionKey }))}
      {questionThreads.map((entry) => thread('question', entry.key, t('discussion.question', { key: entry.key }), t('discussion.questionTitle', { key: entry.key })))}
    </div>
  );
}
