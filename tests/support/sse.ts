/** One Server-Sent Event as a stream delivered it (events without an id — comments, heartbeats — are not kept). */
export interface StreamEvent {
  id: number;
  type: string;
  data: unknown;
}

export interface EventStream {
  /** Every event received so far, in order. */
  readonly events: StreamEvent[];
  /** The response's status once the headers came (the stream is read only when it is 200). */
  readonly opened: Promise<number>;
  /** How the stream ended: the server closed it, the client closed it, or it broke. */
  readonly ended: Promise<'server' | 'closed' | 'error'>;
  /** The events once `isComplete` holds for them (or after `timeoutMs`, for the caller's assertion to fail). */
  until(isComplete: (events: StreamEvent[]) => boolean, timeoutMs?: number): Promise<StreamEvent[]>;
  close(): void;
}

/**
 * An EventSource-like reader on fetch, as a browser's EventSource would read the live session's
 * streams, but with headers of our choosing (cookie, Last-Event-ID, X-Forwarded-For) and without
 * reconnecting by itself: tests and the bench reconnect explicitly.
 */
export function openEventStream(url: string, headers: Record<string, string> = {}, onEvent?: (event: StreamEvent) => void): EventStream {
  const abort = new AbortController();
  const events: StreamEvent[] = [];
  let resolveOpened: (status: number) => void = () => {};
  const opened = new Promise<number>((resolve) => (resolveOpened = resolve));
  const ended = (async (): Promise<'server' | 'closed' | 'error'> => {
    try {
      const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
      resolveOpened(response.status);
      if (response.status !== 200 || !response.body) {
        await response.arrayBuffer();
        return 'error';
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        buffer += decoder.decode(read.value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id: number | null = null;
          let type = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('id:')) id = Number(line.slice(3).trim());
            else if (line.startsWith('event:')) type = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (id === null) continue;
          const event = { id, type, data: JSON.parse(data.join('\n')) as unknown };
          events.push(event);
          onEvent?.(event);
        }
      }
      return abort.signal.aborted ? 'closed' : 'server';
    } catch {
      resolveOpened(0);
      return abort.signal.aborted ? 'closed' : 'error';
    }
  })();
  return {
    events,
    opened,
    ended,
    async until(isComplete, timeoutMs = 15_000) {
      for (const deadline = Date.now() + timeoutMs; Date.now() < deadline && !isComplete(events); ) await new Promise((resolve) => setTimeout(resolve, 20));
      return events;
    },
    close: () => abort.abort(),
  };
}
