import type { Actor } from '../domain/access.ts';
import type { ServiceContext } from '../services/context.ts';
import type { Auth } from './wiring/auth.ts';

export interface AppDependencies {
  services: ServiceContext;
  auth: Auth;
  /** Session secret and whether cookies are __Secure- (https), to read the session cookie. */
  session: { secret: string; isSecure: boolean };
  /** How many proxies in front of the app append to X-Forwarded-For (TRUST_PROXY); true is one, false none. */
  trustProxy: boolean | number;
  /** Built web app (dist/web); null to serve only the API (route tests). */
  webDir: string | null;
}

export interface AppEnv {
  Variables: {
    deps: AppDependencies;
    actor?: Actor;
    sessionUser?: { id: string; name: string; email: string };
  };
}
