import { parentPort, workerData } from 'node:worker_threads';
import { bundleSliceSize, validateBundle, type Bundle } from '../domain/bundle.ts';

/**
 * What the worker answers (read-bundle-upload.ts): first one verdict; for a valid bundle that is its
 * skeleton (rounds without answers and change log) and how many slices follow. Each slice is sent only
 * when asked for ('next'), so that the server thread takes them in one at a time, between other work.
 */
export type BundleWorkerReply =
  | { kind: 'not-json' }
  | { kind: 'not-object' }
  | { kind: 'invalid'; path: (string | number)[]; message: string; isNotBundle: boolean }
  | { kind: 'valid'; skeleton: Bundle; slices: number }
  | { kind: 'slice'; round: number; part: 'answers' | 'changes'; items: unknown[] };

const port = parentPort!;
const bytes = workerData as Uint8Array;

async function verdict(): Promise<{ reply: BundleWorkerReply; slices: Extract<BundleWorkerReply, { kind: 'slice' }>[] }> {
  let raw: unknown;
  try {
    // As the request body was read before: UTF-8, a byte order mark is not JSON.
    raw = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    return { reply: { kind: 'not-json' }, slices: [] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { reply: { kind: 'not-object' }, slices: [] };
  const parsed = await validateBundle(raw);
  if (!parsed.success) return { reply: { kind: 'invalid', path: parsed.path, message: parsed.message, isNotBundle: parsed.isNotBundle ?? false }, slices: [] };
  const slices: Extract<BundleWorkerReply, { kind: 'slice' }>[] = [];
  const skeleton: Bundle = {
    ...parsed.data,
    rounds: parsed.data.rounds.map((round, index) => {
      for (const part of ['answers', 'changes'] as const) {
        const items: unknown[] = round[part];
        for (let start = 0; start < items.length; start += bundleSliceSize) slices.push({ kind: 'slice', round: index, part, items: items.slice(start, start + bundleSliceSize) });
      }
      return { ...round, answers: [], changes: [] };
    }),
  };
  return { reply: { kind: 'valid', skeleton, slices: slices.length }, slices };
}

const { reply, slices } = await verdict();
let next = 0;
port.on('message', () => {
  const slice = slices[next];
  if (!slice) return;
  slices[next++] = undefined!;
  port.postMessage(slice);
});
// The parent ends this thread once it has every slice or has given up.
port.postMessage(reply);
