import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from './client.ts';
import type { SessionInfo } from './types.ts';

/** The signed-in person, or null when nobody is signed in. */
export function useSession() {
  return useQuery({
    queryKey: ['session'],
    queryFn: async () => {
      try {
        return await api<SessionInfo>('GET', '/api/session');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}
