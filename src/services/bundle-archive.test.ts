import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweepBundleTempFolders } from './bundle-archive.ts';

describe('the sweep of upload folders a killed process left behind', () => {
  let directory: string;
  const now = Date.parse('2026-12-01T12:00:00Z');
  const hours = (count: number) => count * 60 * 60_000;

  async function folder(name: string, ageMs: number, file = true) {
    const target = path.join(directory, name);
    await mkdir(target);
    if (file) await writeFile(path.join(target, 'paket.zip'), 'PK');
    const time = new Date(now - ageMs);
    await utimes(target, time, time);
  }

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'sweep-test-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('removes upload folders older than a day with what they hold, and keeps newer ones and everything else', async () => {
    await folder('weltoffen-paket-alt', hours(25));
    await folder('weltoffen-paket-leer', hours(48), false);
    await folder('weltoffen-paket-laufend', hours(2));
    await folder('anderes-programm-alt', hours(100));
    await writeFile(path.join(directory, 'weltoffen-paket-datei'), 'keine Mappe');
    expect(await sweepBundleTempFolders(now, hours(24), directory)).toBe(2);
    expect((await readdir(directory)).sort()).toEqual(['anderes-programm-alt', 'weltoffen-paket-datei', 'weltoffen-paket-laufend']);
    // Nothing left to remove: a second run removes nothing.
    expect(await sweepBundleTempFolders(now, hours(24), directory)).toBe(0);
  });
});
