import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import Provider, { type ProviderContext } from 'oidc-provider';

/** A person in the test directory: `sub` is the key, the e-mail and its verification are the claims. */
export interface DirectoryAccount {
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string;
}

export interface TestDirectory {
  issuer: string;
  accounts: Map<string, DirectoryAccount>;
  /** Who signs in at the next login interaction (the form a person would fill in). */
  signInAs(sub: string): void;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (panva/oidc-provider) on a local port, with one confidential
 * client and its own minimal login interaction: the test says who signs in next; consent is
 * granted for the client at once (a town hall's directory does not ask its staff either).
 */
export async function startTestDirectory(options: {
  port: number;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  accounts: DirectoryAccount[];
}): Promise<TestDirectory> {
  const issuer = `http://localhost:${options.port}`;
  const accounts = new Map(options.accounts.map((account) => [account.sub, account]));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: `test-${options.port}`, use: 'sig', alg: 'RS256' };
  let nextSub: string | null = null;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [options.redirectUri],
        post_logout_redirect_uris: [options.postLogoutRedirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [`cookie-key-${options.port}-0123456789`] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    interactions: { url: (_context: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    async findAccount(_context: unknown, sub: string) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, email: account.email, email_verified: account.emailVerified, name: account.name }),
      };
    },
    async loadExistingGrant(context: ProviderContext) {
      const accountId = context.oidc.session?.accountId;
      if (!accountId || !context.oidc.client) return undefined;
      const grant = new context.oidc.provider.Grant({ clientId: context.oidc.client.clientId, accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  const handle = provider.callback();
  const server: Server = createServer((request, response) => {
    if (!request.url?.startsWith('/interaction/')) {
      handle(request, response);
      return;
    }
    void (async () => {
      try {
        await provider.interactionDetails(request, response);
        if (!nextSub) throw new Error('Im Test ist nicht gesagt, wer sich anmeldet');
        const accountId = nextSub;
        nextSub = null;
        await provider.interactionFinished(request, response, { login: { accountId } }, { mergeWithLastSubmission: false });
      } catch (error) {
        response.statusCode = 400;
        response.end(error instanceof Error ? error.message : 'Fehler');
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    issuer,
    accounts,
    signInAs(sub) {
      nextSub = sub;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A browser for redirect flows: one cookie jar per origin, every request with redirect: 'manual'.
 * Requests to Weltoffen's origin go in-process to the app; all others over HTTP.
 */
export class RedirectBrowser {
  private readonly jars = new Map<string, Map<string, string>>();
  private readonly app: { request(input: string, init?: RequestInit): Response | Promise<Response> };
  private readonly appOrigin: string;

  constructor(app: { request(input: string, init?: RequestInit): Response | Promise<Response> }, appOrigin: string) {
    this.app = app;
    this.appOrigin = appOrigin;
  }

  private jar(origin: string): Map<string, string> {
    let jar = this.jars.get(origin);
    if (!jar) this.jars.set(origin, (jar = new Map()));
    return jar;
  }

  /** One request; cookies sent and kept as a browser would (per origin, path and flags ignored). */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const jar = this.jar(target.origin);
    const headers = new Headers(init.headers);
    if (jar.size) headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    const response =
      target.origin === this.appOrigin
        ? await this.app.request(url, { ...init, headers })
        : await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index).trim();
      const value = pair!.slice(index + 1);
      if (value === '' || /max-age=0/i.test(cookie) || /expires=Thu, 01 Jan 1970/i.test(cookie)) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  }

  /**
   * Follows redirects from `url` (GET) until a response is not a redirect or `stop` says so for the
   * next address; returns every address visited and the last response.
   */
  async follow(url: string, stop: (next: URL) => boolean = () => false): Promise<{ visited: URL[]; last: Response; url: URL }> {
    const visited: URL[] = [];
    let current = new URL(url);
    for (let hop = 0; hop < 20; hop++) {
      visited.push(current);
      const response = await this.request(current.toString());
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { visited, last: response, url: current };
      await response.body?.cancel();
      const next = new URL(location, current);
      if (stop(next)) return { visited: [...visited, next], last: response, url: next };
      current = next;
    }
    throw new Error('Zu viele Weiterleitungen');
  }

  /** GET to Weltoffen's API as JSON, with this browser's cookies. */
  async api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const response = await this.request(`${this.appOrigin}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    try {
      return { status: response.status, body: JSON.parse(text) };
    } catch {
      return { status: response.status, body: text };
    }
  }
}
