import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError } from 'better-auth/api';
import type { Database } from '../../db/client.ts';
import { account, session, user, verification } from '../../db/schema.ts';
import type { Accounts } from '../../services/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { insertFirstPassword, insertUserWithPassword } from '../../db/repositories/user-repository.ts';
import { describeError } from '../log-redaction.ts';

export const minPasswordLength = 12;
export const maxPasswordLength = 256;

/** Sessions last 8 hours from the last activity; activity renews them at most once an hour. */
const sessionSeconds = 8 * 60 * 60;

export function createAuth(db: Database, options: { publicUrl: string; secret: string; log?: (message: string) => void }) {
  const log = options.log ?? ((message: string) => console.log(message));
  return betterAuth({
    appName: 'Weltoffen',
    baseURL: options.publicUrl,
    basePath: '/api/auth',
    secret: options.secret,
    database: drizzleAdapter(db, { provider: 'pg', schema: { user, session, account, verification } }),
    emailAndPassword: {
      enabled: true,
      // Accounts come only from invitations, the setup link or the CLI.
      disableSignUp: true,
      minPasswordLength,
      maxPasswordLength,
      password: {
        // @node-rs/argon2 defaults to Argon2id (19 MiB, 2 passes), the OWASP recommendation.
        hash: (password) => hash(password),
        verify: ({ hash: stored, password }) => verify(stored, password),
      },
    },
    session: { expiresIn: sessionSeconds, updateAge: 60 * 60 },
    // Our own sign-in route limits attempts per e-mail and address in the database.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    // Failed sign-ins are expected and already recorded in the audit log; only errors go to the log.
    // Through our log and describeError: better-auth would print a failed query whole, with the
    // session token and user id among its parameters.
    logger: {
      level: 'error',
      log: (level, message, ...args) =>
        log(`Anmeldedienst (${level}): ${typeof message === 'string' ? message : describeError(message)}${args.map((arg) => `\n${arg instanceof Error ? describeError(arg) : '(Details ausgelassen)'}`).join('')}`),
    },
    trustedOrigins: [options.publicUrl],
    advanced: {
      cookiePrefix: 'weltoffen',
      useSecureCookies: options.publicUrl.startsWith('https://'),
      database: { generateId: () => crypto.randomUUID() },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** Accounts for the services, implemented with better-auth's own hashing and tables. */
export function createAccounts(auth: Auth, db: Database): Accounts {
  return {
    async createUser({ email, name, password }) {
      const context = await auth.$context;
      const id = randomUUID();
      // User and password in one transaction (better-auth's adapter writes them one after the other).
      await insertUserWithPassword(db, { id, email: email.toLowerCase(), name, passwordHash: await context.password.hash(password) });
      return { id };
    },
    async setFirstPassword(userId, password) {
      const context = await auth.$context;
      if (!(await insertFirstPassword(db, userId, await context.password.hash(password)))) throw new DomainError('invitation-account-created');
    },
    async endSessions(userId) {
      const context = await auth.$context;
      await context.internalAdapter.deleteUserSessions(userId);
    },
  };
}

/** Signs in with e-mail and password; returns the user and the Set-Cookie headers, or null if wrong. */
export async function signIn(
  auth: Auth,
  input: { email: string; password: string },
  headers: Headers,
): Promise<{ userId: string; headers: Headers } | null> {
  try {
    const result = await auth.api.signInEmail({
      body: { email: input.email, password: input.password, rememberMe: false },
      headers,
      returnHeaders: true,
    });
    return { userId: result.response.user.id, headers: result.headers };
  } catch (error) {
    if (error instanceof APIError && (error.statusCode === 401 || error.statusCode === 400)) return null;
    throw error;
  }
}

/** Ends the session on the server and returns the headers that clear the cookie. */
export async function signOut(auth: Auth, headers: Headers): Promise<Headers> {
  try {
    const result = await auth.api.signOut({ headers, returnHeaders: true });
    return result.headers;
  } catch (error) {
    if (error instanceof APIError) return new Headers();
    throw error;
  }
}


/**
 * Reads the session token from better-auth's signed cookie (`token.signature`, the signature being
 * base64 HMAC-SHA256 of the token with the secret) and checks the signature. The lookup of the
 * session itself is ours (one query with the roles, see decision 005); sign-in, sign-out and
 * session creation stay with better-auth.
 */
export function readSessionToken(cookieHeader: string | undefined, secret: string, isSecure: boolean): string | null {
  if (!cookieHeader) return null;
  const name = `${isSecure ? '__Secure-' : ''}weltoffen.session_token`;
  const pair = cookieHeader
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name}=`));
  if (!pair) return null;
  let value: string;
  try {
    value = decodeURIComponent(pair.slice(name.length + 1));
  } catch {
    return null;
  }
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return null;
  const token = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1), 'base64');
  const expected = createHmac('sha256', secret).update(token).digest();
  return given.length === expected.length && timingSafeEqual(given, expected) ? token : null;
}
