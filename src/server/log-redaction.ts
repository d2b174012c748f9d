/**
 * What may go into the log about a request and an error. The log is read by operators and kept by
 * their log collectors, so it must not hold what users wrote (answers, comments, names), their ids,
 * or secrets: a failed query's parameters carry the first two, invitation and setup links the third.
 */

/** Path prefixes whose next segment is a secret token (invitation and setup links, API and web app). */
const tokenPrefixes = ['/api/invitations/by-token/', '/api/setup/', '/einladung/', '/einrichtung/'];

/**
 * A segment that looks like a random token anywhere else: long, URL-safe base64 with an upper-case
 * letter or underscore. Slugs (lower case) and ids (UUIDs, lower-case hex) stay readable.
 */
const tokenLike = /^(?=.*[A-Z_])[A-Za-z0-9_-]{32,}$/;

/** The request path fit for the log: tokens replaced by "…", the query string dropped. */
export function redactPath(path: string): string {
  const queryAt = path.search(/[?#]/);
  const bare = queryAt === -1 ? path : path.slice(0, queryAt);
  const prefix = tokenPrefixes.find((entry) => bare.startsWith(entry));
  const segments = bare.split('/');
  const tokenIndex = prefix ? prefix.split('/').length - 1 : -1;
  const redacted = segments.map((segment, index) => (index === tokenIndex || tokenLike.test(segment) ? '…' : segment)).join('/');
  return queryAt === -1 ? redacted : `${redacted}?…`;
}

/** SQL state and constraint of a PostgreSQL or PGlite error, looking through wrappers such as drizzle's. */
export function sqlStateOf(error: unknown): { code: string; constraint?: string } | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, constraint, severity } = current as { code?: unknown; constraint?: unknown; severity?: unknown };
    // Same rule as src/db/errors.ts (which the server may not import): a server error has a severity.
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string') {
      return typeof constraint === 'string' ? { code, constraint } : { code };
    }
  }
  return undefined;
}

const maxQueryLength = 300;

/** The most telling class name: minified bundles (PGlite) leave one-letter constructor names. */
function classOf(error: Error): string {
  return [error.constructor?.name, error.name].find((name) => name && /^[A-Z]\w{2,}$/.test(name) && name !== 'Error') ?? 'Error';
}

/**
 * An unexpected error described for the log without any data it carries: the error's class, its
 * SQL state and constraint, the failed query's text without its parameters, and where in the code it
 * happened. Messages are left out on purpose: drizzle's holds every parameter ("params: …"), the
 * database's may quote a value, and others may quote input.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `kein Error-Objekt (${typeof error})`;
  const parts = [classOf(error)];
  const state = sqlStateOf(error);
  if (state) parts.push(`SQL-Status ${state.code}${state.constraint ? ` (${state.constraint})` : ''}`);
  else {
    const { code } = error as { code?: unknown };
    if (typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)) parts.push(`Code ${code}`);
  }
  if (error.cause instanceof Error) parts.push(`Ursache: ${classOf(error.cause)}`);
  const query = (error as { query?: unknown }).query;
  if (typeof query === 'string') {
    const text = query.replace(/\s+/g, ' ').trim();
    parts.push(`Abfrage: ${text.length > maxQueryLength ? `${text.slice(0, maxQueryLength)} …` : text}`);
  }
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 8);
  return [parts.join(', '), ...frames].join('\n');
}
