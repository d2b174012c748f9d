import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError } from 'better-auth/api';
import { genericOAuth } from 'better-auth/plugins/generic-oauth';
import type { Database } from '../../db/client.ts';
import { account, session, user, verification } from '../../db/schema.ts';
import type { Accounts } from '../../services/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { maxPasswordLength, minPasswordLength } from '../../domain/api/common.ts';
import { insertFirstPassword, insertUserWithPassword } from '../../db/repositories/user-repository.ts';
import { authLogLine } from '../auth-log.ts';
import { closePasswordLinks } from '../../services/reset-password.ts';
import { recordAudit } from '../../db/repositories/audit-repository.ts';
import type { OidcConfig } from '../config.ts';


/** Sessions last 8 hours from the last activity; activity renews them at most once an hour. */
const sessionSeconds = 8 * 60 * 60;

/** A password-reset link is valid for one hour and only once. */
export const resetTokenSeconds = 60 * 60;
const resetPrefix = 'reset-password:';

/** Who gets a reset link, and its token; the caller builds the link and mails or logs it. */
export interface ResetTokenIssued {
  userId: string;
  email: string;
  name: string;
  token: string;
}

/** better-auth's id of the one OpenID Connect provider; the callback is /api/auth/callback/oidc. */
export const oidcProviderId = 'oidc';

/** The path the provider redirects back to; registered at the provider as `<PUBLIC_URL>` + this. */
export const oidcCallbackPath = `/api/auth/callback/${oidcProviderId}`;

/** Where the provider sends the browser after its own sign-out (RP-initiated logout). */
export const postLogoutPath = '/anmelden?abgemeldet=1';

/** What the server knows of the configured single sign-on, read by routes (button, „nur SSO“). */
export interface Sso extends OidcConfig {
  /** The provider's discovery document, fetched once it answers; null while it does not. */
  discover(): Promise<Discovery | null>;
}

/** The fields of the discovery document Weltoffen checks itself. */
export interface Discovery {
  issuer: string;
  authorizationResponseIssParameterSupported: boolean;
}

export function createAuth(
  db: Database,
  options: {
    publicUrl: string;
    secret: string;
    log?: (message: string, level?: 'info' | 'warn' | 'error') => void;
    onResetToken?: (issued: ResetTokenIssued) => void;
    oidc?: OidcConfig;
  },
) {
  const log = options.log ?? ((message: string) => console.log(message));
  const oidc = options.oidc;
  const instance = betterAuth({
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
      resetPasswordTokenExpiresIn: resetTokenSeconds,
      // A reset ends every session of the person: whoever knew the old password is signed out.
      revokeSessionsOnPasswordReset: true,
      // Must not wait for the mail server: an unknown address answers as fast as a known one.
      sendResetPassword: async ({ user: person, token }) => {
        options.onResetToken?.({ userId: person.id, email: person.email, name: person.name, token });
      },
    },
    // Reset tokens are stored as SHA-256 hashes only, like our invitation and setup tokens.
    verification: { storeIdentifier: 'hashed' },
    plugins: oidc
      ? [
          genericOAuth({
            config: [
              {
                providerId: oidcProviderId,
                name: oidc.displayName,
                discoveryUrl: discoveryUrlOf(oidc.issuer),
                clientId: oidc.clientId,
                clientSecret: oidc.clientSecret,
                scopes: ['openid', 'email', 'profile'],
                pkce: true,
                // ID tokens are checked against the provider's keys, issuer, audience and nonce.
                requireIdTokenVerification: true,
                // Accounts come from invitations, imports and the CLI, never from the directory.
                disableSignUp: true,
                disableImplicitSignUp: true,
                postLogoutRedirectURI: `${options.publicUrl}${postLogoutPath}`,
              },
            ],
          }),
        ]
      : [],
    account: {
      accountLinking: {
        enabled: true,
        // The directory is not trusted by name: its e-mail must say email_verified: true.
        trustedProviders: [],
        // People from an import have not confirmed their address with us; the directory vouches for it.
        requireLocalEmailVerified: false,
        allowDifferentEmails: false,
        updateUserInfoOnLink: false,
      },
      // Access and refresh tokens are not needed after sign-in; stored encrypted all the same.
      encryptOAuthTokens: true,
    },
    user: {
      // Every sign-in through the directory passes here, first link and later sign-ins alike.
      validateUserInfo: async (data, context) => {
        if (data.source.method !== 'oauth') return;
        return checkDirectoryIdentity(data, context.context.internalAdapter);
      },
    },
    databaseHooks: {
      session: {
        create: {
          after: async (created, context) => {
            // Password sign-ins are audited by our own route (services/limit-sign-in.ts).
            if (context?.path?.startsWith('/callback/')) {
              await recordAudit(db, { actorUserId: created.userId, action: 'auth.sign-in', details: { method: 'oidc' } });
            }
          },
        },
      },
    },
    // Errors of the directory's callback come back to the sign-in page as ?error=<code>.
    onAPIError: { errorURL: `${options.publicUrl}/anmelden` },
    session: { expiresIn: sessionSeconds, updateAge: 60 * 60 },
    // Our own sign-in route limits attempts per e-mail and address in the database.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    // Failed sign-ins are expected and already recorded in the audit log; only errors go to the log.
    // Through our log and describeError: better-auth would print a failed query whole, with the
    // session token and user id among its parameters.
    logger: {
      level: 'error',
      log: (level, message, ...args) => {
        const line = authLogLine(level, message, args);
        log(line.text, line.level);
      },
    },
    trustedOrigins: [options.publicUrl],
    advanced: {
      // Sessions keep no IP address: nothing reads it, and a client may write X-Forwarded-For itself.
      ipAddress: { disableIpTracking: true },
      cookiePrefix: 'weltoffen',
      useSecureCookies: options.publicUrl.startsWith('https://'),
      database: { generateId: () => crypto.randomUUID() },
    },
  });
  return Object.assign(instance, { sso: oidc ? createSso(oidc, log) : null });
}

export type Auth = ReturnType<typeof createAuth>;

/** OpenID Connect Discovery 1.0, section 4: the issuer with /.well-known/openid-configuration appended. */
function discoveryUrlOf(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

function createSso(oidc: OidcConfig, log: (message: string) => void): Sso {
  let found: Discovery | null = null;
  return {
    ...oidc,
    async discover() {
      if (found) return found;
      try {
        const response = await fetch(discoveryUrlOf(oidc.issuer), { signal: AbortSignal.timeout(10_000), redirect: 'error' });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const document = (await response.json()) as Record<string, unknown>;
        if (document.issuer !== oidc.issuer) {
          // OpenID Connect Discovery 4.3: the issuer must match exactly, or tokens of another issuer could pass.
          log(`Anmeldung über den Verzeichnisdienst abgeschaltet: Der Anbieter nennt sich „${String(document.issuer)}“, OIDC_ISSUER ist „${oidc.issuer}“. Beide müssen genau gleich sein.`);
          return null;
        }
        found = { issuer: oidc.issuer, authorizationResponseIssParameterSupported: document.authorization_response_iss_parameter_supported === true };
        return found;
      } catch (error) {
        log(`Der Verzeichnisdienst ${oidc.issuer} antwortet nicht: ${error instanceof Error ? error.name : 'Fehler'}`);
        return null;
      }
    },
  };
}

type InternalAdapter = {
  findUserById(id: string): Promise<{ email: string } | null>;
  findAccounts(userId: string): Promise<{ providerId: string; accountId: string }[]>;
};

/**
 * The linking rule (docs/operations.md): the directory's e-mail is verified, it is the address of the
 * Weltoffen account, and a Weltoffen account is linked to one directory account (`sub`) only. The codes
 * come back to the sign-in page as ?error=…; the web app shows a German text for each.
 */
async function checkDirectoryIdentity(
  data: { user: { id?: string; email?: string | null; emailVerified?: unknown }; source: { action?: string } },
  adapter: InternalAdapter,
): Promise<{ error: string } | undefined> {
  if (data.user.emailVerified !== true) return { error: 'email_not_verified' };
  const person = data.user.id ? await adapter.findUserById(data.user.id) : null;
  if (!person || !data.user.email || person.email.toLowerCase() !== data.user.email.toLowerCase()) return { error: 'email_does_not_match' };
  if (data.source.action === 'link-account') {
    const accounts = await adapter.findAccounts(data.user.id!);
    if (accounts.some((linked) => linked.providerId === oidcProviderId)) return { error: 'sso_subject_changed' };
  }
  return undefined;
}

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
      // Reset links requested before, and the other set-password links, stop working.
      await closePasswordLinks(db, userId, new Date());
    },
    async endSessions(userId) {
      const context = await auth.$context;
      await context.internalAdapter.deleteUserSessions(userId);
    },
  };
}

/** Starts a reset for the address: a token for a known person goes to onResetToken; nothing for an unknown one. */
export async function requestPasswordReset(auth: Auth, email: string): Promise<void> {
  await auth.api.requestPasswordReset({ body: { email } });
}

/** Creates a reset token for a known person (CLI, Programmteam); it is valid like one requested by e-mail. */
export async function issueResetToken(auth: Auth, userId: string): Promise<string> {
  const context = await auth.$context;
  const token = randomBytes(24).toString('base64url');
  await context.internalAdapter.createVerificationValue({
    value: userId,
    identifier: `${resetPrefix}${token}`,
    expiresAt: new Date(Date.now() + resetTokenSeconds * 1000),
  });
  return token;
}

/** Sets a new password with a reset token (once, within the hour) and ends all sessions; false when the token is not valid. */
export async function resetPassword(auth: Auth, token: string, password: string): Promise<{ userId: string } | null> {
  const context = await auth.$context;
  const found = await context.internalAdapter.findVerificationValue(`${resetPrefix}${token}`);
  if (!found) return null;
  try {
    await auth.api.resetPassword({ body: { token, newPassword: password } });
  } catch (error) {
    if (error instanceof APIError && error.statusCode === 400) return null;
    throw error;
  }
  return { userId: found.value };
}

/**
 * Changes the signed-in person's password after checking the current one, ends all their sessions
 * and returns the headers of the new session for this browser; null when the current password is wrong.
 */
export async function changePassword(auth: Auth, headers: Headers, input: { currentPassword: string; newPassword: string }): Promise<Headers | null> {
  try {
    const result = await auth.api.changePassword({
      body: { currentPassword: input.currentPassword, newPassword: input.newPassword, revokeOtherSessions: true },
      headers,
      returnHeaders: true,
    });
    return result.headers;
  } catch (error) {
    if (error instanceof APIError && error.statusCode === 400) return null;
    throw error;
  }
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
  return (await signOutEverywhere(auth, headers)).headers;
}

/**
 * Ends the session and, for a person who signed in through the directory, returns the provider's
 * end-session address (with id_token_hint and post_logout_redirect_uri) to continue there.
 */
export async function signOutEverywhere(auth: Auth, headers: Headers): Promise<{ headers: Headers; providerLogoutUrl: string | null }> {
  try {
    const result = await auth.api.signOut({ headers, returnHeaders: true, body: { disableRedirect: true } });
    return { headers: result.headers, providerLogoutUrl: result.response.url ?? null };
  } catch (error) {
    if (error instanceof APIError) return { headers: new Headers(), providerLogoutUrl: null };
    throw error;
  }
}

/**
 * Starts the sign-in through the directory: stores state, PKCE verifier and nonce (better-auth keeps
 * them in the verification table, so any process can finish it) and returns the provider's address.
 */
export async function startDirectorySignIn(
  auth: Auth,
  headers: Headers,
  urls: { callbackURL: string; errorCallbackURL: string },
): Promise<{ url: string; headers: Headers }> {
  const result = await auth.api.signInSocial({
    body: { provider: oidcProviderId, callbackURL: urls.callbackURL, errorCallbackURL: urls.errorCallbackURL, disableRedirect: true },
    headers,
    returnHeaders: true,
  });
  if (!result.response.url) throw new Error('Kein Anmeldeziel vom Verzeichnisdienst');
  return { url: result.response.url, headers: result.headers };
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
