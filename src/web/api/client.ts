/** An answer of the API that is not 2xx, with its German message and the fields it names. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string>;
  /** On a conflict (409), the current state on the server. */
  readonly current?: unknown;

  constructor(status: number, code: string, message: string, fields: Record<string, string> = {}, current?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.current = current;
  }
}

/** Calls the API with JSON; throws ApiError with the server's German message. */
export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'offline');
  }
  return answerOf<T>(response);
}

/** The JSON of an answer, or the ApiError its error body describes (shared by every caller of the API). */
export async function answerOf<T>(response: Response): Promise<T> {
  const data = (await response.json().catch(() => null)) as
    | (T & { error?: { code: string; message: string; fields?: Record<string, string> }; current?: unknown })
    | null;
  if (!response.ok) {
    throw new ApiError(response.status, data?.error?.code ?? 'unknown', data?.error?.message ?? '', data?.error?.fields, data?.current);
  }
  return data as T;
}
