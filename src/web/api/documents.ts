import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from './client.ts';

export interface KommuneDocument<T> {
  kommune: { slug: string; name: string; kind: string };
  content: T;
  version: number;
  updatedAt: string | null;
  updatedByName: string | null;
  canEdit: boolean;
}

/**
 * A process document of a Kommune (Ausgangslage, Auftaktgespräch, …) and saving it with the version
 * it was loaded in. After a conflict the current state is loaded again, so nobody edits a stale one.
 */
export function useKommuneDocument<T>(slug: string, kind: string, onSaved: () => void) {
  const queryClient = useQueryClient();
  const queryKey = ['document', slug, kind];
  const data = useQuery({ queryKey, queryFn: () => api<KommuneDocument<T>>('GET', `/api/kommunen/${slug}/documents/${kind}`) });
  const save = useMutation({
    mutationFn: (content: T) => api<{ version: number }>('PUT', `/api/kommunen/${slug}/documents/${kind}`, { content, expectedVersion: data.data!.version }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey });
      onSaved();
    },
    onError: async (error) => {
      if (error instanceof ApiError && error.status === 409) await queryClient.invalidateQueries({ queryKey });
    },
  });
  return { data, save };
}
