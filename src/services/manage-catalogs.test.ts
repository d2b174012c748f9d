import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogDir, createTestRuntime, type TestRuntime } from '../../tests/support/database.ts';
import { getCatalog, listCatalogs, loadCatalogs } from './manage-catalogs.ts';

let runtime: TestRuntime;
let folder: string;
const defaultFile = path.join(catalogDir, 'weltoffene-kommune-1.0.json');

beforeAll(async () => {
  runtime = await createTestRuntime();
  folder = mkdtempSync(path.join(tmpdir(), 'weltoffen-catalog-'));
});
afterAll(async () => {
  rmSync(folder, { recursive: true, force: true });
  await runtime?.close();
});

describe('catalog versions', () => {
  it('loading the same files again changes nothing', async () => {
    const result = await loadCatalogs(runtime.services.db, catalogDir);
    expect(result.loaded).toEqual([]);
    expect([...result.unchanged].sort()).toEqual(['weltoffene-kommune@1.0', 'weltoffene-kommune@1.1']);
  });

  it('a changed file under a stored version is refused, and the stored version stays', async () => {
    const changed = JSON.parse(readFileSync(defaultFile, 'utf8'));
    changed.fields[0].criteria[0].questions[0].text = 'Gibt es eine ganz andere Frage an dieser Stelle?';
    writeFileSync(path.join(folder, 'weltoffene-kommune-1.0.json'), JSON.stringify(changed));
    await expect(loadCatalogs(runtime.services.db, folder)).rejects.toThrow(/Version 1\.0 ist bereits gespeichert und unveränderlich/);
    const stored = await getCatalog(runtime.services.db, 'weltoffene-kommune@1.0');
    expect(stored!.fields[0]!.criteria[0]!.questions[0]!.text).toMatch(/^Gibt es in der Verwaltung eine Stelle/);
  });

  it('formatting and the comment do not count as a change', async () => {
    const same = JSON.parse(readFileSync(defaultFile, 'utf8'));
    same.$comment = 'anders kommentiert';
    writeFileSync(path.join(folder, 'weltoffene-kommune-1.0.json'), JSON.stringify(same, null, 4));
    expect((await loadCatalogs(runtime.services.db, folder)).unchanged).toEqual(['weltoffene-kommune@1.0']);
  });

  it('a new version is stored beside the old one and becomes the newest', async () => {
    const next = JSON.parse(readFileSync(defaultFile, 'utf8'));
    next.version = '1.9';
    next.fields[0].criteria[0].questions.push({ key: '1.1.4', text: 'Gibt es eine vierte Leitfrage zur Steuerung?' });
    writeFileSync(path.join(folder, 'weltoffene-kommune-1.9.json'), JSON.stringify(next));
    copyFileSync(defaultFile, path.join(folder, 'weltoffene-kommune-1.0.json'));
    expect((await loadCatalogs(runtime.services.db, folder)).loaded).toEqual(['weltoffene-kommune@1.9']);
    expect((await listCatalogs(runtime.services.db)).map((entry) => entry.id)).toEqual(['weltoffene-kommune@1.9', 'weltoffene-kommune@1.1', 'weltoffene-kommune@1.0']);
  });

  it('a broken file is refused with the JSON path of the problem', async () => {
    const broken = JSON.parse(readFileSync(defaultFile, 'utf8'));
    broken.version = '2.0';
    delete broken.fields[3].criteria[1].description;
    const brokenFolder = mkdtempSync(path.join(tmpdir(), 'weltoffen-broken-'));
    writeFileSync(path.join(brokenFolder, 'weltoffene-kommune-2.0.json'), JSON.stringify(broken));
    await expect(loadCatalogs(runtime.services.db, brokenFolder)).rejects.toThrow(/\$\.fields\[3\]\.criteria\[1\]\.description/);
    writeFileSync(path.join(brokenFolder, 'weltoffene-kommune-2.0.json'), '{ kaputt');
    await expect(loadCatalogs(runtime.services.db, brokenFolder)).rejects.toThrow(/kein gültiges JSON/);
    rmSync(brokenFolder, { recursive: true, force: true });
    expect((await listCatalogs(runtime.services.db)).some((entry) => entry.version === '2.0')).toBe(false);
  });

  it('a file whose name does not match id and version is refused', async () => {
    const misnamed = mkdtempSync(path.join(tmpdir(), 'weltoffen-misnamed-'));
    copyFileSync(defaultFile, path.join(misnamed, 'katalog.json'));
    await expect(loadCatalogs(runtime.services.db, misnamed)).rejects.toThrow(/weltoffene-kommune-1\.0\.json/);
    rmSync(misnamed, { recursive: true, force: true });
  });
});
