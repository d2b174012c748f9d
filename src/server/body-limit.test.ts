import http from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, type TestRuntime } from '../../tests/support/database.ts';

/**
 * An oversized body over a real keep-alive connection (issue 11, finding 9): the server answered
 * 413 but kept the connection open with the unread rest of the body on it, so the client's next
 * request on that connection failed. The 413 now says `Connection: close`, and the next request
 * (on a new connection) is served.
 */

let runtime: TestRuntime;
let server: ServerType;
let port: number;
beforeAll(async () => {
  runtime = await createTestRuntime();
  await new Promise<void>((resolve) => {
    server = serve({ fetch: runtime.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      port = info.port;
      resolve();
    });
  });
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await runtime?.close();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(agent: http.Agent, method: string, path: string, body?: Buffer, chunked = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (body && !chunked) headers['content-length'] = String(body.length);
    const request = http.request({ host: '127.0.0.1', port, method, path, agent, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: text }));
    });
    // A connection left in a broken state shows as no answer: fail instead of waiting for the test's timeout.
    request.setTimeout(10_000, () => request.destroy(new Error('keine Antwort innerhalb von 10 s')));
    // The server may close while the rest of the body is still being sent; that is its right.
    request.on('error', (error: NodeJS.ErrnoException) => (['EPIPE', 'ECONNRESET'].includes(error.code ?? '') ? undefined : reject(error)));
    if (body && chunked) {
      for (let offset = 0; offset < body.length; offset += 64 * 1024) request.write(body.subarray(offset, offset + 64 * 1024));
      request.end();
    } else {
      request.end(body);
    }
  });
}

const oversized = Buffer.from(JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }));

describe('413 on a keep-alive connection', () => {
  it.each([
    ['with Content-Length', false],
    ['chunked', true],
  ])('%s: 413 with a German message and Connection: close, and the next request on the same agent is served', async (_, chunked) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let round = 0; round < 3; round++) {
        const refused = await send(agent, 'POST', '/api/kommunen', oversized, chunked);
        expect(refused.status).toBe(413);
        expect(JSON.parse(refused.body).error.message).toBe('Die Anfrage ist zu groß (höchstens 1 MB).');
        expect(refused.headers.connection).toBe('close');
        const next = await send(agent, 'GET', '/api/health');
        expect(next.status).toBe(200);
      }
    } finally {
      agent.destroy();
    }
  });

  it('a small body on the same keep-alive connection is not affected (the connection stays open)', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await send(agent, 'POST', '/api/session', Buffer.from(JSON.stringify({ email: 'niemand@example.org', password: 'x' })));
      expect(first.status).toBe(401);
      expect(first.headers.connection).toBe('keep-alive');
      expect((await send(agent, 'GET', '/api/health')).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});
