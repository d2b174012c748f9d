import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../domain/access.ts';
import type { Bundle, ImportResult } from '../domain/bundle.ts';
import { listRunningImportJobs, recordProgress } from '../db/repositories/import-job-repository.ts';
import { kommune, user } from '../db/schema.ts';
import { createTestRuntime, testDatabaseKind, type TestRuntime } from '../../tests/support/database.ts';
import { loadDemo } from './load-demo.ts';
import { abandonImport, cleanUpDeadImports, deadImportAfterMs } from './manage-import-jobs.ts';
import { exportKommune, importKommune } from './transfer-kommune.ts';

const operator: Actor = { userId: 'cli', programmeRole: 'programmteam', assignedKommuneIds: [], memberships: [] };
let runtime: TestRuntime;
let bundle: Bundle;
beforeAll(async () => {
  runtime = await createTestRuntime();
  await loadDemo(runtime.services);
  const exported = await exportKommune(runtime.services, operator, 'musterstadt');
  // As another Kommune with new people: one installation has each Gemeindeschlüssel and e-mail once.
  bundle = JSON.parse(JSON.stringify(exported).replaceAll('@musterstadt.example', '@zweitstadt.example'));
  bundle.kommune.gemeindeschluessel = null;
});
afterAll(() => runtime?.close());

const rows = async () => ({
  kommunen: (await runtime.services.db.select({ value: count() }).from(kommune))[0]!.value,
  people: (await runtime.services.db.select({ value: count() }).from(user))[0]!.value,
});

/** An import that stops after its second chunk until `release` is called, as if its process were busy or gone. */
async function stalledImport(slug: string) {
  let release!: () => void;
  const stalled = new Promise<void>((resolve) => (release = resolve));
  let reachedStall!: () => void;
  const reached = new Promise<void>((resolve) => (reachedStall = resolve));
  const importing: Promise<ImportResult> = importKommune(runtime.services, operator, structuredClone(bundle), { slug }, {
    chunkRows: 20,
    onProgress: async ({ done }) => {
      if (done === 40) {
        reachedStall();
        await stalled;
      }
    },
  });
  // Failures are asserted by the caller; this keeps an early one from going unhandled meanwhile.
  importing.catch(() => {});
  await reached;
  const [job] = (await listRunningImportJobs(runtime.services.db)).filter((entry) => entry.status === 'running');
  return { importing, release, job: job! };
}

describe(`imports and the clean-up of dead ones with several server processes (${testDatabaseKind})`, () => {
  it("another process's start-up (or its sweep) leaves a live import alone: it finishes", async () => {
    const before = await rows();
    const { importing, release } = await stalledImport('lebendig');
    expect(await cleanUpDeadImports(runtime.services.db, new Date(), { all: false })).toBe(0);
    release();
    expect(await importing).toMatchObject({ slug: 'lebendig' });
    expect((await rows()).kommunen).toBe(before.kommunen + 1);
  });

  it('an import silent for longer than two minutes is removed, and it cannot finish afterwards', async () => {
    const before = await rows();
    const { importing, release } = await stalledImport('verstummt');
    const later = new Date(Date.now() + deadImportAfterMs + 1_000);
    expect(await cleanUpDeadImports(runtime.services.db, later, { all: false })).toBe(1);
    expect(await rows()).toEqual(before);
    release();
    await expect(importing).rejects.toMatchObject({ code: 'kommune-importing' });
    expect(await rows()).toEqual(before);
  });

  it('an import whose heartbeat was renewed after it was found silent is kept (checked again under the lock)', async () => {
    const { importing, release, job } = await stalledImport('knapp');
    // Found silent as of this moment …
    const staleBefore = new Date(job.heartbeatAt.getTime() + 1);
    expect((await listRunningImportJobs(runtime.services.db, staleBefore)).map((entry) => entry.id)).toContain(job.id);
    // … but its process wrote the next chunk before the clean-up got to it.
    expect(await recordProgress(runtime.services.db, job.id, 0, new Date(job.heartbeatAt.getTime() + 10_000))).toBe(true);
    expect(await abandonImport(runtime.services.db, job, 'abgebrochen', new Date(), { staleBefore })).toBe(false);
    release();
    expect(await importing).toMatchObject({ slug: 'knapp' });
  });
});
