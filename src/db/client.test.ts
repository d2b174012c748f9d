import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, openDatabase } from './client.ts';

/**
 * The lock file of the embedded database. Two processes starting at the same moment once both got
 * the data directory: the second read the first's lock file before its PID was written, took the
 * empty file for a dead process's lock and removed it (CI, 2026-11-30).
 */

const folders: string[] = [];
const folder = () => {
  const created = mkdtempSync(path.join(tmpdir(), 'weltoffen-lock-'));
  folders.push(created);
  return created;
};
afterAll(() => folders.forEach((entry) => rmSync(entry, { recursive: true, force: true })));

describe('the data-directory lock of the embedded database', () => {
  it('an empty lock file that was just written counts as held (another process is writing it)', async () => {
    const dataDir = folder();
    writeFileSync(path.join(dataDir, 'weltoffen.lock'), '');
    const error = await openDatabase({ dataDir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as Error).message).toMatch(/wird bereits von einem anderen Weltoffen-Prozess verwendet/);
  });

  it('a lock of a living process is respected, naming its PID', async () => {
    const dataDir = folder();
    writeFileSync(path.join(dataDir, 'weltoffen.lock'), String(process.ppid));
    const error = await openDatabase({ dataDir }).catch((caught: unknown) => caught);
    expect((error as Error).message).toContain(`PID ${process.ppid}`);
  });

  it('a lock left by a dead process, or an old unreadable one, is taken over; the lock leaves no other files', async () => {
    for (const content of ['999999', '']) {
      const dataDir = folder();
      const lock = path.join(dataDir, 'weltoffen.lock');
      writeFileSync(lock, content);
      utimesSync(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
      const handle = await openDatabase({ dataDir });
      expect(readdirSync(dataDir).filter((name) => name.startsWith('weltoffen.lock')).sort()).toEqual(['weltoffen.lock']);
      await handle.close();
      expect(readdirSync(dataDir).filter((name) => name.startsWith('weltoffen.lock'))).toEqual([]);
    }
  });
});
