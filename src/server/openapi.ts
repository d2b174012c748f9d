import { z } from 'zod';
import { errorCodes, type ErrorCode } from '../domain/errors.ts';
import { documented, specOf, type EndpointSpec } from './endpoint.ts';
import { packageVersion } from './config.ts';
import { errorTable } from './errors.ts';

/** One entry of Hono's route table (`app.routes`). */
export interface RouteEntry {
  method: string;
  path: string;
  handler: unknown;
}

type JsonSchema = Record<string, unknown>;

/** The answers every route may give besides its own (middleware in app.ts, the error handler). */
const generalErrors = {
  csrf: { status: 403, message: 'Anfrage von einer fremden Seite abgelehnt.' },
  'too-large': { status: 413, message: 'Die Anfrage ist zu groß (höchstens 1 MB; ein Paket einer Kommune höchstens 50 MB).' },
  internal: { status: 500, message: 'Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es erneut.' },
} as const;
type GeneralCode = keyof typeof generalErrors;

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The JSON Schema (2020-12, OpenAPI 3.1's dialect) of what a client may send. */
function inputSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** `/api/kommunen/:slug` → `/api/kommunen/{slug}` (and its parameter names). */
function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = inputSchema(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' ? true : required.has(name),
    schema: property,
  }));
}

function bodySchema(body: EndpointSpec['body'] | undefined): JsonSchema | undefined {
  if (!body) return undefined;
  if ('byParam' in body) {
    return {
      description: `Der Aufbau hängt vom Pfadparameter „${body.byParam}“ ab.`,
      oneOf: Object.entries(body.schemas).map(([value, schema]) => ({ title: `${body.byParam} = ${value}`, ...inputSchema(schema) })),
    };
  }
  return inputSchema(body as z.ZodType);
}

const errorRef = { $ref: '#/components/schemas/Fehler' };

/** The error answers of one route, grouped by status, each naming its codes and German messages. */
function errorResponses(spec: EndpointSpec, method: string): Record<string, JsonSchema> {
  const codes: (ErrorCode | GeneralCode)[] = [];
  const hasInput = spec.params || spec.query || spec.body || spec.upload || spec.rawBody;
  if (hasInput) codes.push('invalid-input');
  if (spec.access === 'signed-in') codes.push('unauthenticated');
  for (const code of spec.errors ?? []) if (!codes.includes(code)) codes.push(code);
  if (writeMethods.has(method)) codes.push('csrf', 'too-large', 'conflict');
  codes.push('internal');

  const byStatus = new Map<number, (ErrorCode | GeneralCode)[]>();
  for (const code of [...new Set(codes)]) {
    const status = code in generalErrors ? generalErrors[code as GeneralCode].status : errorTable[code as ErrorCode].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, JsonSchema> = {};
  for (const [status, group] of [...byStatus].sort(([a], [b]) => a - b)) {
    const lines = group.map((code) => {
      const message = code in generalErrors ? generalErrors[code as GeneralCode].message : errorTable[code as ErrorCode].message;
      return `- \`${code}\`: ${message}`;
    });
    if (group.includes('invalid-input')) lines.push('', 'Bei ungültigen Eingaben nennt `error.fields` jedes betroffene Feld (Pfad mit Punkten) mit einer deutschen Meldung.');
    responses[String(status)] = {
      description: lines.join('\n'),
      content: {
        'application/json': {
          schema: {
            allOf: [errorRef, { properties: { error: { properties: { code: { enum: group } } } } }],
          },
        },
      },
    };
  }
  return responses;
}

function operation(spec: EndpointSpec, method: string, path: string): JsonSchema {
  const pathNames = [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]!);
  const pathParams = parametersOf(spec.params, 'path').filter((parameter) => pathNames.includes(parameter.name as string));
  // Every path segment is a parameter, even where the route reads none (e.g. a sub-router's :slug).
  for (const name of pathNames) {
    if (!pathParams.some((parameter) => parameter.name === name)) pathParams.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  }
  const parameters = [...pathParams, ...parametersOf(spec.query, 'query')];
  const body = bodySchema(spec.body) ?? (spec.upload ? inputSchema(spec.upload) : undefined);
  const success = spec.response;
  const contentTypes = success.contentTypes ?? ['application/json'];
  return {
    operationId: `${method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_match, next: string | undefined) => (next ? next.toUpperCase() : ''))}`,
    tags: [spec.tag],
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
    ...(spec.rawBody ? { requestBody: { required: true, description: spec.rawBody.description, content: { [spec.rawBody.contentType]: { schema: { type: 'string', contentMediaType: spec.rawBody.contentType } } } } } : {}),
    security: spec.access === 'signed-in' ? [{ sitzung: [] }] : spec.access === 'optional' ? [{}, { sitzung: [] }] : [],
    responses: {
      [String(success.status ?? 200)]: {
        description: success.description,
        // A redirect has no body, only Location.
        ...(success.status === 302 ? {} : { content: Object.fromEntries(contentTypes.map((type) => [type, {}])) }),
      },
      ...errorResponses(spec, method),
    },
  };
}

/** The routes of the API that are operations: not middleware (ALL) and not the 404 fallback. */
export function apiOperations(routes: readonly RouteEntry[]): RouteEntry[] {
  return routes.filter((route) => route.method !== 'ALL' && route.path.startsWith('/api/'));
}

const undescribed: EndpointSpec = { tag: 'Nicht beschrieben', summary: 'Noch nicht beschrieben', access: 'optional', response: { description: 'Noch nicht beschrieben.' } };

/**
 * The OpenAPI 3.1 document of every route Hono serves under /api, from the specs the routes were
 * declared with (src/server/endpoint.ts).
 */
export function buildOpenApiDocument(routes: readonly RouteEntry[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const tags: string[] = [];
  for (const route of apiOperations(routes)) {
    const key = openApiPath(route.path);
    const method = route.method.toLowerCase();
    paths[key] ??= {};
    // A second handler for the same method and path is never reached: Hono answers with the first.
    if (paths[key][method]) continue;
    // Declared without endpoint(): listed, so the document stays complete, and flagged (openapi.test.ts fails on it).
    const spec = specOf(route.handler) ?? undescribed;
    paths[key][method] = { ...operation(spec, route.method, route.path), ...(spec === undescribed ? { 'x-nicht-beschrieben': true } : {}) };
    if (!tags.includes(spec.tag)) tags.push(spec.tag);
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'Weltoffen – Programmierschnittstelle',
      version,
      description: [
        'Die Schnittstelle, die auch die Weboberfläche von Weltoffen benutzt. Sie antwortet mit JSON (Berichte und Fragebögen als Datei).',
        '',
        'Anmeldung: `POST /api/session` setzt das Sitzungs-Cookie; jede Anfrage, die eine Anmeldung braucht, sendet es mit.',
        'Schreibende Anfragen von einer fremden Seite (Origin) werden abgelehnt.',
        '',
        'Jeder Fehler hat die Form `{ "error": { "code", "message", "fields"? } }`: `code` ist einer der hier genannten Fehlercodes, `message` ein deutscher Text für die Person vor dem Bildschirm.',
        '',
        'Stabilität: Die Schnittstelle folgt der Weboberfläche derselben Version. Pfade und Fehlercodes ändern sich nur mit einem Hinweis in den Versionshinweisen.',
      ].join('\n'),
    },
    servers: [{ url: '/' }],
    tags: tags.map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        sitzung: {
          type: 'apiKey',
          in: 'cookie',
          name: 'weltoffen.session_token',
          description: 'Das Sitzungs-Cookie, das `POST /api/session` setzt (über HTTPS heißt es `__Secure-weltoffen.session_token`).',
        },
      },
      schemas: {
        Fehler: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                // sso-only and sso-not-configured come from the SSO routes' own answers (routes/sso/route.ts).
                code: { type: 'string', enum: [...errorCodes, ...Object.keys(generalErrors), 'sso-only', 'sso-not-configured'] },
                message: { type: 'string', description: 'Deutsche Meldung für die Person vor dem Bildschirm.' },
                fields: { type: 'object', additionalProperties: { type: 'string' }, description: 'Feld → deutsche Meldung (bei ungültigen Eingaben).' },
              },
            },
            current: { description: 'Bei stale-version: der aktuelle Stand des Eintrags.' },
          },
        },
      },
    },
  };
}


/**
 * GET /api/openapi.json: public (it describes the API, not any data), built on first request from
 * the app's route table and kept, since the routes do not change while the process runs.
 */
export function openApiHandler(routes: () => readonly RouteEntry[]) {
  let document: JsonSchema | undefined;
  return documented(
    {
      tag: 'Betrieb',
      summary: 'Liefert diese Beschreibung der Schnittstelle (OpenAPI 3.1)',
      access: 'public',
      response: { description: 'Das OpenAPI-Dokument.' },
    },
    (context) => {
      document ??= buildOpenApiDocument(routes(), packageVersion());
      return context.json(document);
    },
  );
}
