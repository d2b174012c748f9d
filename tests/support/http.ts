import { strFromU8, unzipSync } from 'fflate';
import type { TestRuntime } from './database.ts';

export interface TestResponse<T = any> {
  status: number;
  body: T;
  /** The bytes of a ZIP answer (a Kommune bundle). */
  bytes?: Uint8Array;
  headers: Headers;
}

/** A browser-like client for in-process requests: keeps cookies, sends JSON. */
export class TestClient {
  private readonly cookies = new Map<string, string>();
  private readonly runtime: Pick<TestRuntime, 'app'>;
  private readonly address: string;

  constructor(runtime: Pick<TestRuntime, 'app'>, address = '203.0.113.10') {
    this.runtime = runtime;
    this.address = address;
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<TestResponse<T>> {
    const headers: Record<string, string> = { 'x-forwarded-for': this.address, ...extraHeaders };
    if (this.cookies.size) headers.cookie = this.cookieHeader;
    let payload: string | Uint8Array<ArrayBuffer> | undefined;
    if (body instanceof Uint8Array) {
      // Bytes (a part of a Beleg's upload) go as they are.
      headers['content-type'] ??= 'application/octet-stream';
      payload = new Uint8Array(body);
    } else if (body !== undefined) {
      headers['content-type'] ??= 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const response = await this.runtime.app.request(`http://localhost:3000${path}`, { method, headers, body: payload });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index);
      const value = pair!.slice(index + 1);
      if (value === '' || /max-age=0/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    // A Kommune bundle (a ZIP file): the body is the bundle.json in it, the bytes are kept as `bytes`.
    if ((response.headers.get('content-type') ?? '').startsWith('application/zip')) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { status: response.status, body: bundleJsonOf(bytes) as T, bytes, headers: response.headers };
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get = <T = any>(path: string) => this.request<T>('GET', path);
  post = <T = any>(path: string, body?: unknown) => this.request<T>('POST', path, body ?? {});
  put = <T = any>(path: string, body?: unknown) => this.request<T>('PUT', path, body ?? {});
  delete = <T = any>(path: string) => this.request<T>('DELETE', path);

  async signIn(email: string, password: string): Promise<TestResponse> {
    return this.post('/api/session', { email, password });
  }
}

/** The bundle.json of a Kommune bundle's ZIP file, parsed. */
export function bundleJsonOf(bytes: Uint8Array): unknown {
  const json = unzipSync(bytes, { filter: (file) => file.name === 'bundle.json' })['bundle.json'];
  if (!json) throw new Error('Die ZIP-Datei enthält keine bundle.json.');
  return JSON.parse(strFromU8(json));
}
