import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, type TestRuntime } from '../../tests/support/database.ts';
import { makePerson, type Person } from '../../tests/support/factories.ts';
import { TestClient } from '../../tests/support/http.ts';
import { apiOperations } from './openapi.ts';

let runtime: TestRuntime;
let programmteam: Person;
let document: any;
beforeAll(async () => {
  runtime = await createTestRuntime();
  programmteam = await makePerson(runtime, { programme: 'programmteam' });
  const response = await new TestClient(runtime).get('/api/openapi.json');
  expect(response.status).toBe(200);
  document = response.body;
});
afterAll(() => runtime?.close());

const methods = ['get', 'put', 'post', 'delete', 'patch'];
function documentedOperations(): string[] {
  return Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((method) => methods.includes(method))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}
function operationOf(method: string, path: string): any {
  return document.paths[path][method];
}
/** What a documented 400 answer allows as error code. */
function documented400Codes(method: string, path: string): string[] {
  return operationOf(method, path).responses['400'].content['application/json'].schema.allOf[1].properties.error.properties.code.enum;
}

describe('GET /api/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('is public and holds no secret of this installation', async () => {
    // Fetched without any cookie in beforeAll; here the raw text is searched for what must never leak.
    const text = JSON.stringify(document);
    expect(text).not.toContain(runtime.session.secret);
    expect(text).not.toContain(programmteam.email);
    expect(text).not.toMatch(/postgres(ql)?:\/\//);
    expect(text).not.toMatch(/-----BEGIN/);
  });

  it('has exactly one operation for every route the app serves under /api, and none it does not serve', () => {
    const served = apiOperations(runtime.app.routes).map((route) => `${route.method} ${route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    // Exactly one: no method and path is registered twice (the second would never answer).
    expect(served.length).toBe(new Set(served).size);
    expect(documentedOperations().sort()).toEqual([...served].sort());
    expect(served.length).toBeGreaterThan(50);
  });

  it('describes every operation from its route declaration: German summary, session, parameters', () => {
    const undescribed: string[] = [];
    for (const operation of documentedOperations()) {
      const [method, path] = operation.split(' ') as [string, string];
      const described = operationOf(method.toLowerCase(), path);
      if (described['x-nicht-beschrieben']) undescribed.push(operation);
      expect(described.summary, operation).toMatch(/^[A-ZÄÖÜ]/);
      // Every {parameter} of the path is a documented path parameter.
      for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
        expect(described.parameters?.some((parameter: any) => parameter.in === 'path' && parameter.name === name), `${operation} {${name}}`).toBe(true);
      }
    }
    expect(undescribed).toEqual([]);
    // Signed-in routes name the session cookie and document 401; public ones need no session.
    expect(operationOf('get', '/api/kommunen').security).toEqual([{ sitzung: [] }]);
    expect(operationOf('get', '/api/kommunen').responses['401']).toBeDefined();
    expect(operationOf('post', '/api/session').security).toEqual([]);
    expect(document.components.securitySchemes.sitzung).toMatchObject({ type: 'apiKey', in: 'cookie' });
  });

  it('documents the error codes of errors.ts with their statuses', () => {
    const answer = operationOf('put', '/api/kommunen/{slug}/rounds/{number}/answers/{questionKey}');
    expect(answer.responses['409'].content['application/json'].schema.allOf[1].properties.error.properties.code.enum).toEqual(
      expect.arrayContaining(['stale-version', 'round-closed']),
    );
    expect(answer.responses['409'].description).toContain('Jemand hat diesen Eintrag inzwischen geändert.');
    expect(answer.responses['404'].content['application/json'].schema.allOf[1].properties.error.properties.code.enum).toContain('round-not-found');
    expect(document.components.schemas.Fehler.properties.error.properties.code.enum).toContain('invalid-input');
  });
});

describe('a request that breaks a documented schema gets the documented 400', () => {
  /** Sends `body` (JSON) and checks the answer is the 400 the document promises, naming `field`. */
  async function expectDocumented400(client: TestClient, method: string, path: string, documentedPath: string, body: unknown, field: string) {
    const response = await client.request(method, path, body);
    expect(response.status, `${method} ${path}`).toBe(400);
    expect(documented400Codes(method.toLowerCase(), documentedPath)).toContain(response.body.error.code);
    expect(Object.keys(response.body.error.fields)).toContain(field);
  }

  it('request bodies: the field the document requires is named', async () => {
    const anonymous = new TestClient(runtime);
    const signIn = operationOf('post', '/api/session').requestBody.content['application/json'].schema;
    expect(signIn.required).toEqual(expect.arrayContaining(['email', 'password']));
    await expectDocumented400(anonymous, 'POST', '/api/session', '/api/session', { password: 'irgendwas' }, 'email');

    const kommune = operationOf('post', '/api/kommunen').requestBody.content['application/json'].schema;
    expect(kommune.properties.bundesland.enum).toContain('Sachsen-Anhalt');
    await expectDocumented400(programmteam.client, 'POST', '/api/kommunen', '/api/kommunen', { name: 'Beispielstadt', kind: 'Stadt', bundesland: 'Atlantis' }, 'bundesland');

    const offer = operationOf('post', '/api/offers').requestBody.content['application/json'].schema;
    const required: string[] = offer.required;
    expect(required.length).toBeGreaterThan(0);
    await expectDocumented400(programmteam.client, 'POST', '/api/offers', '/api/offers', {}, required[0]!);
  });

  it('path and query parameters: a value outside the documented pattern or range is refused', async () => {
    const slug = operationOf('get', '/api/kommunen/{slug}').parameters.find((parameter: any) => parameter.name === 'slug');
    expect(new RegExp(slug.schema.pattern).test('Not-A-Slug')).toBe(false);
    await expectDocumented400(programmteam.client, 'GET', '/api/kommunen/Not-A-Slug', '/api/kommunen/{slug}', undefined, 'slug');

    const page = operationOf('get', '/api/programme/overview').parameters.find((parameter: any) => parameter.name === 'seite');
    expect(page.in).toBe('query');
    expect(page.schema.minimum).toBe(1);
    await expectDocumented400(programmteam.client, 'GET', '/api/programme/overview?seite=0', '/api/programme/overview', undefined, 'seite');
  });

  it('a process document is checked against the content schema of its kind, which the document lists', async () => {
    const body = operationOf('put', '/api/kommunen/{slug}/documents/{kind}').requestBody.content['application/json'].schema;
    const kinds = operationOf('put', '/api/kommunen/{slug}/documents/{kind}').parameters.find((parameter: any) => parameter.name === 'kind').schema.enum;
    expect(body.oneOf).toHaveLength(kinds.length);
    const kommune = await programmteam.client.post('/api/kommunen', { name: 'Dokumentstadt', kind: 'Stadt', bundesland: 'Sachsen-Anhalt' });
    expect(kommune.status).toBe(201);
    await expectDocumented400(programmteam.client, 'PUT', `/api/kommunen/${kommune.body.kommune.slug}/documents/${kinds[0]}`, '/api/kommunen/{slug}/documents/{kind}', { content: 'kein Objekt', expectedVersion: 0 }, 'content');
  });
});
