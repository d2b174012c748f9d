import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeLease } from '../db/repositories/lease-repository.ts';
import { createReportRenderPool } from '../report/render-pool.ts';
import { createTestRuntime, testDatabaseKind, type TestRuntime } from '../../tests/support/database.ts';
import type { ServiceContext } from './context.ts';
import { documentLeaseMs, oneDocumentAtATime } from './one-document-at-a-time.ts';

let runtime: TestRuntime;
/** A second server process on the same database: its own render pool (its own in-process check), the same database. */
let otherProcess: ServiceContext;
beforeAll(async () => {
  runtime = await createTestRuntime();
  otherProcess = { ...runtime.services, reports: createReportRenderPool() };
});
afterAll(async () => {
  await otherProcess?.reports.close();
  await runtime?.close();
});

/** Work that runs until `finish` is called; `started` resolves once it runs (its lease is held by then). */
function heldWork() {
  let finish!: () => void;
  let begin!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const started = new Promise<void>((resolve) => (begin = resolve));
  return {
    finish,
    started,
    work: () => {
      begin();
      return done.then(() => 'fertig');
    },
  };
}

async function refusal(promise: Promise<unknown>) {
  return promise.then(
    () => null,
    (error: { code?: string }) => error.code,
  );
}

describe(`one document per person at a time, across server processes (${testDatabaseKind})`, () => {
  it('a second request by the same person at another process is refused with report-busy while the first runs, and goes through afterwards', async () => {
    const first = heldWork();
    const running = oneDocumentAtATime(runtime.services, 'person-a', first.work);
    await first.started;
    expect(await refusal(oneDocumentAtATime(otherProcess, 'person-a', async () => 'zweites'))).toBe('report-busy');
    expect(await refusal(oneDocumentAtATime(runtime.services, 'person-a', async () => 'drittes'))).toBe('report-busy');
    // Another person is not held up.
    expect(await oneDocumentAtATime(otherProcess, 'person-b', async () => 'anderes')).toBe('anderes');
    first.finish();
    expect(await running).toBe('fertig');
    expect(await oneDocumentAtATime(otherProcess, 'person-a', async () => 'danach')).toBe('danach');
  });

  it('a failed document gives its lease back', async () => {
    await expect(oneDocumentAtATime(otherProcess, 'person-c', async () => Promise.reject(new Error('Renderfehler')))).rejects.toThrow('Renderfehler');
    expect(await oneDocumentAtATime(runtime.services, 'person-c', async () => 'wieder möglich')).toBe('wieder möglich');
  });

  it('a lease whose process died is taken over once it has expired, not before', async () => {
    const now = new Date();
    // A process took the lease and died without giving it back.
    expect(await takeLease(runtime.services.db, 'document:person-d', 'died-holder', now, new Date(now.getTime() + documentLeaseMs))).toBe(true);
    expect(await refusal(oneDocumentAtATime(runtime.services, 'person-d', async () => 'zu früh'))).toBe('report-busy');
    const later = { ...runtime.services, now: () => new Date(now.getTime() + documentLeaseMs + 1000) };
    expect(await oneDocumentAtATime(later, 'person-d', async () => 'nach Ablauf')).toBe('nach Ablauf');
  });
});
