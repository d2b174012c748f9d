import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSession } from '../api/session.ts';
import { signInPath } from '../safe-target.ts';

/**
 * Sends people who are not signed in to the sign-in page and back afterwards. While the session is
 * still being checked the page already renders, so that its own data loads at the same time; a
 * page's request without a session only gets 401, and the redirect follows.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <>{children}</>;
  if (!session.data) {
    return <Navigate to={signInPath(location)} replace />;
  }
  return <>{children}</>;
}
