import { SSEStreamingApi } from 'hono/streaming';
import { describe, expect, it, vi } from 'vitest';
import type { LiveStreamEvent } from '../../../services/run-live-session.ts';
import { sseMessage } from './route.ts';

/** What Hono's writeSSE writes for the same event (the format the streams used before sseMessage). */
async function honoWrites(event: LiveStreamEvent): Promise<string> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const stream = new SSEStreamingApi(writable, readable);
  const reader = stream.responseReadable.getReader();
  const written = stream.writeSSE({ id: String(event.id), event: event.type, data: JSON.stringify(event.data) });
  const decoder = new TextDecoder();
  let text = '';
  while (!text.endsWith('\n\n')) {
    const read = await reader.read();
    if (read.done) break;
    text += decoder.decode(read.value, { stream: true });
  }
  await written;
  return text;
}

const events = [
  { id: 1, type: 'card-added', data: { type: 'card-added', card: { id: 'c1', text: 'Zwei\nZeilen, „Anführungszeichen“ und \\ Schrägstrich', authorName: null, hidden: false } } },
  { id: 2, type: 'card-changed', data: { type: 'card-changed', card: { id: 'c1', text: 'Wagenrücklauf\r\nund Zeilentrenner\u2028 sowie ein Emoji 🙂 und ein einzelnes \r' } } },
  { id: 3, type: 'votes-changed', data: { type: 'votes-changed', cardId: 'c1', total: 7 } },
  { id: 123456789012, type: 'reset', data: {} },
];

describe('sseMessage', () => {
  it('writes each event exactly as Hono’s writeSSE does (texts with line breaks, quotes, U+2028 and emoji, as JSON)', async () => {
    for (const event of events) expect(sseMessage(event)).toBe(await honoWrites(event));
  });

  it('serialises one event object once for every stream, and a changed copy of its own', () => {
    const data = { type: 'votes-changed', cardId: 'c9', total: 1 };
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      const first = sseMessage({ id: 5, type: 'votes-changed', data });
      for (let stream = 0; stream < 101; stream++) expect(sseMessage({ id: 5, type: 'votes-changed', data })).toBe(first);
      expect(stringify).toHaveBeenCalledTimes(1);
      // The kept events are never changed; a changed event is a new object and gets its own JSON.
      expect(sseMessage({ id: 6, type: 'votes-changed', data: { ...data, total: 2 } })).toContain('"total":2');
      expect(stringify).toHaveBeenCalledTimes(2);
      expect(first).toContain('"total":1');
    } finally {
      stringify.mockRestore();
    }
  });
});
