import type { Context } from 'hono';
import type { z } from 'zod';
import type { Actor } from '../domain/access.ts';
import { DomainError } from '../domain/errors.ts';
import { authenticate } from '../services/authenticate.ts';
import type { AppEnv } from './app-env.ts';
import { readSessionToken } from './wiring/auth.ts';

/** Bad input caught before any service runs: answered 400 with the zod issues in German. */
export class InputError extends Error {
  readonly zodError?: z.ZodError;
  readonly germanMessage?: string;

  constructor(zodError?: z.ZodError, germanMessage?: string) {
    super(germanMessage ?? 'invalid input');
    this.name = 'InputError';
    this.zodError = zodError;
    this.germanMessage = germanMessage;
  }
}

/** Reads the JSON body and validates it; malformed JSON and schema violations become InputError. */
export async function readBody<T extends z.ZodType>(context: Context, schema: T): Promise<z.infer<T>> {
  const type = context.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new InputError(undefined, 'Die Anfrage muss JSON enthalten (Content-Type: application/json).');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await context.req.text());
  } catch {
    throw new InputError(undefined, 'Der Inhalt der Anfrage ist kein gültiges JSON.');
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw new InputError(result.error);
  return result.data;
}

/** Validates path or query parameters. */
export function readParams<T extends z.ZodType>(values: unknown, schema: T): z.infer<T> {
  const result = schema.safeParse(values);
  if (!result.success) throw new InputError(result.error);
  return result.data;
}

/** The signed-in user's roles; 401 when nobody is signed in. Loaded once per request. */
export async function requireActor(context: Context<AppEnv>): Promise<Actor> {
  const cached = context.get('actor');
  if (cached) return cached;
  const found = await findSignedIn(context);
  if (!found) throw new DomainError('unauthenticated');
  return found.actor;
}

/** The signed-in person, or null; does not fail for anonymous requests. */
export async function findSignedIn(context: Context<AppEnv>) {
  const { session, services } = context.var.deps;
  const token = readSessionToken(context.req.header('cookie'), session.secret, session.isSecure);
  if (!token) return null;
  const found = await authenticate(services.db, token, services.now());
  if (found) {
    context.set('actor', found.actor);
    context.set('sessionUser', found.user);
  }
  return found;
}

/**
 * The client's address for the sign-in limit. Behind N trusted proxies (TRUST_PROXY) it is the Nth
 * X-Forwarded-For entry from the right: each proxy appends the address it was connected from, and
 * everything left of what our proxies wrote comes from the client and may be invented.
 */
export function clientAddress(context: Context<AppEnv>): string {
  const hops = Number(context.var.deps.trustProxy);
  if (hops > 0) {
    const entries = (context.req.header('x-forwarded-for') ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
    // Fewer entries than proxies: the leftmost is the farthest any of ours saw.
    const forwarded = entries[Math.max(entries.length - hops, 0)];
    if (forwarded) return forwarded;
  }
  const incoming = (context.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unbekannt';
}
