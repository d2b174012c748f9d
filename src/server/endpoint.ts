import type { Context, Handler } from 'hono';
import type { z } from 'zod';
import type { Actor } from '../domain/access.ts';
import type { ErrorCode } from '../domain/errors.ts';
import type { AppEnv } from './app-env.ts';
import { readBody, readParams, requireActor } from './http.ts';

/**
 * A request body whose schema depends on a path parameter (a process document's content depends on
 * its kind): validated with the schema for the parameter's value, documented as one of all of them.
 */
export interface BodyByParam<K extends string = string, S extends Record<string, z.ZodType> = Record<string, z.ZodType>> {
  byParam: K;
  schemas: S;
}

export function bodyByParam<const K extends string, const S extends Record<string, z.ZodType>>(byParam: K, schemas: S): BodyByParam<K, S> {
  return { byParam, schemas };
}

/**
 * What one API route is: the one place its input schemas live. The wrapper validates with them
 * before the handler runs; src/server/openapi.ts documents the same objects. Method and path come
 * from Hono's own route table, so they cannot drift either.
 */
export interface EndpointSpec {
  /** German, one line: what the route does. */
  summary: string;
  /** German, optional detail for the document. */
  description?: string;
  /** German group in the document (e.g. „Runden“). */
  tag: string;
  /**
   * signed-in: 401 without a valid session (checked first, before any input);
   * public: no session needed; optional: works with and without (the handler looks itself).
   */
  access: 'signed-in' | 'public' | 'optional';
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType | BodyByParam;
  /** A JSON body the handler reads itself (a Kommune bundle of up to 50 MB): documented, not read here. */
  upload?: z.ZodType;
  /** A body that is not JSON (the bytes of an upload), read by the handler as a stream: documented, not read here. */
  rawBody?: { contentType: string; description: string };
  /** Domain errors the route answers with besides the general ones (input, session, CSRF, size). */
  errors?: readonly ErrorCode[];
  /** The success answer: status (200 unless said) and what it holds, in German. */
  response: { status?: 200 | 201 | 202 | 302; description: string; contentTypes?: readonly string[] };
}

type Out<T> = T extends z.ZodType ? z.output<T> : undefined;
type BodyOut<T> = T extends z.ZodType ? z.output<T> : T extends BodyByParam<string, infer S> ? { [K in keyof S]: z.output<S[K]> }[keyof S] : undefined;

export interface EndpointInput<S extends EndpointSpec> {
  actor: S['access'] extends 'signed-in' ? Actor : undefined;
  params: Out<S['params']>;
  query: Out<S['query']>;
  body: BodyOut<S['body']>;
}

const specs = new WeakMap<object, EndpointSpec>();

/** The spec a route handler was declared with (for the document); undefined for undeclared handlers. */
export function specOf(handler: unknown): EndpointSpec | undefined {
  return typeof handler === 'function' ? specs.get(handler) : undefined;
}

/**
 * Declares a route: session first (if required), then path parameters, query and body, each
 * validated with the spec's schema (400 with the fields otherwise), then the handler.
 */
export function endpoint<const S extends EndpointSpec>(
  spec: S,
  handler: (context: Context<AppEnv>, input: EndpointInput<S>) => Response | Promise<Response>,
): Handler<AppEnv> {
  const wrapped: Handler<AppEnv> = async (context) => {
    const actor = spec.access === 'signed-in' ? await requireActor(context) : undefined;
    const params = spec.params ? readParams(context.req.param(), spec.params) : undefined;
    const query = spec.query ? readParams(context.req.query(), spec.query) : undefined;
    let body: unknown;
    if (spec.body && 'byParam' in spec.body) {
      const key = (params as Record<string, string>)[spec.body.byParam]!;
      body = await readBody(context, spec.body.schemas[key]!);
    } else if (spec.body) {
      body = await readBody(context, spec.body);
    }
    return handler(context, { actor, params, query, body } as EndpointInput<S>);
  };
  specs.set(wrapped, spec);
  return wrapped;
}

/** Attaches a spec to a handler that validates nothing itself (e.g. the document route). */
export function documented<H extends Handler<AppEnv>>(spec: EndpointSpec, handler: H): H {
  specs.set(handler, spec);
  return handler;
}
