import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DomainError } from '../domain/errors.ts';
import type { PaperQuestionnaire } from '../domain/questionnaire.ts';
import type { SurveyPoster } from '../domain/resident-survey-poster.ts';
import type { Report } from '../domain/report.ts';
import type { RenderFormat } from './render-file.ts';
import type { RenderReply, RenderRequest } from './render-worker.ts';

/** Renders report files away from the event loop, with a bound on waiting work and one report per person. */
export interface ReportRenderer {
  /**
   * Runs `work` while holding the one report a person may have in progress: a second call by the
   * same person meanwhile fails at once with `report-busy` (429) instead of queueing.
   */
  exclusiveFor<T>(person: string, work: () => Promise<T>): Promise<T>;
  /** The file in a worker thread; `reports-busy` (503) when every worker is busy and the queue is full. */
  render(format: RenderFormat, report: Report): Promise<Buffer>;
  /** The paper questionnaire of a round in a worker thread, under the same bounds as a report. */
  renderQuestionnaire(format: 'pdf' | 'docx', questionnaire: PaperQuestionnaire): Promise<Buffer>;
  /** The poster of a resident survey (PDF) in a worker thread, under the same bounds. */
  renderPoster(poster: SurveyPoster): Promise<Buffer>;
  /** Ends the workers; renders still waiting or running fail. */
  close(): Promise<void>;
}

export interface RenderPoolOptions {
  /** Worker threads; by default one per core, at least 1, at most 2 (each may hold a few hundred MB while it renders). */
  workers?: number;
  /** Renders that may wait for a free worker before new ones are refused. */
  queueLimit?: number;
  /** Renders after which a worker is replaced by a fresh one, giving back whatever it still holds. */
  recycleAfter?: number;
}

export interface RenderPoolStats {
  /** Workers alive now (idle or busy). */
  workers: number;
  /** Workers started since the pool was created, replacements included. */
  workersStarted: number;
  running: number;
  queued: number;
  rendered: number;
}

export interface ReportRenderPool extends ReportRenderer {
  stats(): RenderPoolStats;
}

interface Job {
  request: Omit<RenderRequest, 'id'>;
  resolve(body: Buffer): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  renders: number;
  job?: Job & { id: number };
}

/** How long a refused person or a full queue is asked to wait before trying again, in seconds. */
export const retryAfter = { person: 5, queue: 15 } as const;

/**
 * A small pool of worker threads for the report renderers. Workers start on the first report (not
 * at server start), hold no timer or handle while idle (so an idle pool never keeps the process
 * alive) and are replaced after `recycleAfter` renders.
 */
export function createReportRenderPool(options: RenderPoolOptions = {}): ReportRenderPool {
  const size = Math.max(1, options.workers ?? Math.min(2, availableParallelism()));
  const queueLimit = Math.max(0, options.queueLimit ?? 8);
  const recycleAfter = Math.max(1, options.recycleAfter ?? 100);
  const people = new Set<string>();
  const queue: Job[] = [];
  const idle: Thread[] = [];
  const alive = new Set<Thread>();
  const endings = new Set<Promise<number>>();
  let workersStarted = 0;
  let rendered = 0;
  let nextId = 1;
  let isClosed = false;

  const end = (thread: Thread) => {
    alive.delete(thread);
    const index = idle.indexOf(thread);
    if (index >= 0) idle.splice(index, 1);
    const ending = thread.worker.terminate();
    endings.add(ending);
    void ending.finally(() => endings.delete(ending));
  };

  const start = (): Thread => {
    const worker = new Worker(new URL('./render-worker.mjs', import.meta.url));
    workersStarted++;
    const thread: Thread = { worker, renders: 0 };
    alive.add(thread);
    worker.on('message', (reply: RenderReply) => {
      const job = thread.job;
      if (!job || reply.id !== job.id) return;
      thread.job = undefined;
      thread.renders++;
      rendered++;
      if ('error' in reply) job.reject(new Error(reply.error));
      else job.resolve(Buffer.from(reply.body.buffer, reply.body.byteOffset, reply.body.byteLength));
      if (thread.renders >= recycleAfter || isClosed) end(thread);
      else {
        worker.unref();
        idle.push(thread);
      }
      pump();
    });
    // A worker that dies (an uncaught error, or terminated by close) fails its render; the next
    // render starts a new one.
    const fail = (error: Error) => {
      const job = thread.job;
      thread.job = undefined;
      if (alive.has(thread)) end(thread);
      job?.reject(error);
      pump();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`Der Bericht konnte nicht erzeugt werden (Render-Thread beendet, Code ${code}).`)));
    return thread;
  };

  const dispatch = (job: Job) => {
    const thread = idle.pop() ?? start();
    const id = nextId++;
    thread.job = { ...job, id };
    thread.worker.ref();
    thread.worker.postMessage({ id, ...job.request } satisfies RenderRequest);
  };

  const hasFreeWorker = () => idle.length > 0 || alive.size < size;

  const enqueue = (request: Job['request']) => {
    if (isClosed) return Promise.reject(new Error('Die Berichtserzeugung ist beendet.'));
    if (!hasFreeWorker() && queue.length >= queueLimit) return Promise.reject(new DomainError('reports-busy', { retryAfterSeconds: retryAfter.queue }));
    return new Promise<Buffer>((resolve, reject) => {
      queue.push({ request, resolve, reject });
      pump();
    });
  };

  function pump() {
    while (!isClosed && queue.length > 0 && hasFreeWorker()) dispatch(queue.shift()!);
  }

  return {
    async exclusiveFor(person, work) {
      if (people.has(person)) throw new DomainError('report-busy', { retryAfterSeconds: retryAfter.person });
      people.add(person);
      try {
        return await work();
      } finally {
        people.delete(person);
      }
    },

    render(format, report) {
      return enqueue({ format, report });
    },

    renderQuestionnaire(format, questionnaire) {
      // The worker reads `questionnaire` first; `report` stays empty.
      return enqueue({ format, report: null as unknown as Report, questionnaire });
    },

    renderPoster(poster) {
      return enqueue({ format: 'pdf', report: null as unknown as Report, poster });
    },

    stats: () => ({ workers: alive.size, workersStarted, running: alive.size - idle.length, queued: queue.length, rendered }),

    async close() {
      isClosed = true;
      for (const job of queue.splice(0)) job.reject(new Error('Die Berichtserzeugung ist beendet.'));
      for (const thread of [...alive]) end(thread);
      await Promise.all([...endings]);
    },
  };
}
