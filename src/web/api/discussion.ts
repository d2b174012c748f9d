import { useQuery } from '@tanstack/react-query';
import type { NoteKind } from '../../domain/discussion.ts';
import { api } from './client.ts';

export interface DiscussionNote {
  id: string;
  authorName: string;
  isMine: boolean;
  /** Empty when deleted. */
  body: string;
  createdAt: string;
  editedAt: string | null;
  isDeleted: boolean;
  /** Whether the signed-in person may edit or delete it now (own note, thread and round open). */
  canChange: boolean;
}

export interface DiscussionThread {
  kind: NoteKind;
  key: string;
  fieldKey: string | null;
  noteCount: number;
  isOpen: boolean;
  settled: { at: string; byName: string } | null;
  notes: DiscussionNote[];
}

export interface Discussion {
  round: { number: number; status: 'open' | 'closed' };
  canSettle: boolean;
  writableFieldKeys: string[];
  /** Handlungsfeld key → threads with notes that are not settled. */
  openByField: Record<string, number>;
  threads: DiscussionThread[];
}

/** The query key of a round's discussion; every change invalidates all of a round's discussion queries. */
export const discussionKey = (apiBase: string) => ['discussion', apiBase] as const;

/** A round's discussion, all of it or one Handlungsfeld's; reloaded when the window gets focus again. */
export function useDiscussion(apiBase: string, fieldKey: string | undefined, isEnabled: boolean) {
  return useQuery({
    queryKey: [...discussionKey(apiBase), fieldKey ?? ''],
    queryFn: () => api<Discussion>('GET', `${apiBase}/notes${fieldKey ? `?field=${encodeURIComponent(fieldKey)}` : ''}`),
    enabled: isEnabled,
    refetchOnWindowFocus: true,
  });
}

/** The thread of a question or criterion, or an empty one. */
export function threadOf(discussion: Discussion | undefined, kind: NoteKind, key: string): DiscussionThread {
  return discussion?.threads.find((thread) => thread.kind === kind && thread.key === key) ?? { kind, key, fieldKey: null, noteCount: 0, isOpen: false, settled: null, notes: [] };
}
