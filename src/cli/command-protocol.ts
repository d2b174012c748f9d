import path from 'node:path';
import { z } from 'zod';

/**
 * The small protocol between a `weltoffen` command and the running server on the embedded database:
 * newline-delimited JSON frames over a Unix domain socket in DATA_DIR (mode 0600, so only the user
 * that owns the data directory connects). One command per connection:
 *
 *   CLI → server: run {argv, cwd}; later only answers to the server's requests (reply, chunk)
 *   server → CLI: out/err (text for stdout/stderr), password, read, write (with chunks before it), exit
 *
 * Files travel as bytes (base64 chunks): the CLI reads and writes them itself, as its own user and
 * relative to its own working directory.
 */

/** Name of the socket inside DATA_DIR. */
export function commandSocketPath(dataDir: string): string {
  return path.join(dataDir, 'weltoffen-cli.sock');
}

/** Frames the server accepts: a line longer than this ends the connection. */
export const maxClientFrameBytes = 4 * 1024 * 1024;
/** Frames the CLI accepts. */
export const maxServerFrameBytes = 8 * 1024 * 1024;
/** Bytes of a file per chunk frame (base64 makes it a third longer). */
export const chunkBytes = 1024 * 1024;
/** Characters of output per out/err frame. */
export const textChunkCharacters = 256 * 1024;

const id = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const filePath = z.string().min(1).max(4096);
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

export const clientFrameSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('run'), argv: z.array(z.string().max(4096)).max(64), cwd: z.string().max(4096) }),
  z.object({ t: z.literal('chunk'), id, data: base64 }),
  z.object({
    t: z.literal('reply'),
    id,
    ok: z.boolean(),
    text: z.string().max(64 * 1024).optional(),
    code: z.string().regex(/^E[A-Z]{1,20}$/).optional(),
    usage: z.string().max(4096).optional(),
    message: z.string().max(4096).optional(),
  }),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

export const serverFrameSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('out'), d: z.string() }),
  z.object({ t: z.literal('err'), d: z.string() }),
  z.object({ t: z.literal('password'), id, fromStdin: z.boolean() }),
  z.object({ t: z.literal('read'), id, path: filePath }),
  z.object({ t: z.literal('chunk'), id, data: base64 }),
  z.object({ t: z.literal('write'), id, path: filePath }),
  z.object({ t: z.literal('exit'), code: z.number().int().min(0).max(255) }),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;

/** Parses one line; undefined when it is not a frame of the protocol. */
export function parseFrame<T>(schema: z.ZodType<T>, line: string): T | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

/** Encodes a frame as one line. */
export function frameLine(frame: ClientFrame | ServerFrame): string {
  return `${JSON.stringify(frame)}\n`;
}

/**
 * Splits a byte stream into lines (UTF-8 decoded only once a line is whole). A line longer than
 * maxBytes calls onTooLong once and stops reading, so a peer cannot make the other side buffer
 * without end.
 */
export function createLineReader(maxBytes: number, onLine: (line: string) => void, onTooLong: () => void): { push(chunk: Buffer): void; stop(): void } {
  let pending: Buffer[] = [];
  let size = 0;
  let isStopped = false;
  const tooLong = () => {
    isStopped = true;
    pending = [];
    onTooLong();
  };
  return {
    stop: () => {
      isStopped = true;
      pending = [];
    },
    push(chunk) {
      let start = 0;
      while (!isStopped) {
        const end = chunk.indexOf(10, start);
        if (end === -1) break;
        const piece = chunk.subarray(start, end);
        if (size + piece.length > maxBytes) return tooLong();
        const line = (pending.length ? Buffer.concat([...pending, piece]) : piece).toString('utf8');
        pending = [];
        size = 0;
        start = end + 1;
        if (line.trim()) onLine(line);
      }
      if (isStopped) return;
      const rest = chunk.subarray(start);
      if (size + rest.length > maxBytes) return tooLong();
      if (rest.length) {
        pending.push(Buffer.from(rest));
        size += rest.length;
      }
    },
  };
}

/** Splits bytes into base64 chunks of the protocol. */
export function* base64Chunks(data: Uint8Array): Generator<string> {
  for (let offset = 0; offset < data.length; offset += chunkBytes) {
    yield Buffer.from(data.buffer, data.byteOffset + offset, Math.min(chunkBytes, data.length - offset)).toString('base64');
  }
}
