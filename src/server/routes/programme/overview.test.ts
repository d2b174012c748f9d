import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, type TestRuntime } from '../../../../tests/support/database.ts';
import { makePerson, type Person } from '../../../../tests/support/factories.ts';
import { closeRoundConfirmed } from '../../../../tests/support/rounds.ts';

let runtime: TestRuntime;
let team: Person;
let folder: string;
const kommunen: Record<string, string> = {};

/** A Kommune with a population and a closed round in which every answer is `value`. */
async function kommuneWithClosedRound(name: string, options: { bundesland?: string; kind?: string; population: number | null; value: string }) {
  const created = await team.client.post('/api/kommunen', { name, kind: options.kind ?? 'Stadt', bundesland: options.bundesland ?? 'Sachsen-Anhalt', gemeindeschluessel: null, modules: [1, 2] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const slug = created.body.kommune.slug as string;
  kommunen[name] = slug;
  if (options.population !== null) expect((await team.client.put(`/api/kommunen/${slug}/documents/profile`, { content: { population: options.population }, expectedVersion: 0 })).status).toBe(200);
  await answerAndClose(slug, options.value);
  return slug;
}

async function answerAndClose(slug: string, value: string) {
  const started = await team.client.post(`/api/kommunen/${slug}/rounds`, { periodStart: null, periodEnd: null, workedFieldKeys: ['1', '2'], participants: '' });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const number = started.body.round.number;
  for (const key of ['1.1.1', '1.2.1', '1.3.1', '2.1.1']) {
    expect((await team.client.put(`/api/kommunen/${slug}/rounds/${number}/answers/${key}`, { value, comment: '', evidence: '', expectedVersion: 0 })).status).toBe(200);
  }
  expect((await closeRoundConfirmed(team.client, slug, number)).status).toBe(200);
}

beforeAll(async () => {
  runtime = await createTestRuntime();
  folder = mkdtempSync(path.join(tmpdir(), 'weltoffen-overview-'));
  team = await makePerson(runtime, { programme: 'programmteam' });
  // Six towns of 20,000–100,000 inhabitants, one large city, one Kommune still at the start.
  const values = ['ja', 'eher_ja', 'eher_nein', 'nein', 'ja', 'eher_ja'];
  for (const [index, name] of ['Zell', 'Ölbach', 'Aachen', 'Oberstadt', 'Bergheim', 'Celle'].entries()) {
    await kommuneWithClosedRound(name, { population: 30_000 + index * 1_000, value: values[index]!, bundesland: index % 2 ? 'Bayern' : 'Sachsen-Anhalt' });
  }
  await kommuneWithClosedRound('=SUMME(1)', { population: 500_000, value: 'ja' });
  const fresh = await team.client.post('/api/kommunen', { name: 'Neudorf', kind: 'Gemeinde', bundesland: 'Hessen', gemeindeschluessel: null, modules: [1] });
  kommunen.Neudorf = fresh.body.kommune.slug;
});
afterAll(async () => {
  await runtime?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('programme overview', () => {
  it('lists every Kommune with its stage, sorted in German order (Ö with O, not after Z)', async () => {
    const response = await team.client.get('/api/programme/overview');
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(8);
    const names = response.body.kommunen.map((entry: { name: string }) => entry.name);
    expect(names).toEqual(['=SUMME(1)', 'Aachen', 'Bergheim', 'Celle', 'Neudorf', 'Oberstadt', 'Ölbach', 'Zell']);
    const neudorf = response.body.kommunen.find((entry: { name: string }) => entry.name === 'Neudorf');
    expect(neudorf).toMatchObject({ stage: 'aufnahme', stageLabel: 'Aufnahme', progress: 0, round: null });
    expect(response.body.kommunen.find((entry: { name: string }) => entry.name === 'Aachen')).toMatchObject({ stage: 'fragebogen-abgeschlossen', progress: 60, resultPercent: expect.any(Number) });
  });

  it('filters by Land and stage, sorts by result, and counts over the filtered Kommunen', async () => {
    const bavaria = await team.client.get('/api/programme/overview?land=Bayern&sortierung=result&absteigend=1');
    expect(bavaria.body.matching).toBe(3);
    expect(bavaria.body.kommunen.map((entry: { name: string }) => entry.name)).toEqual(['Ölbach', 'Celle', 'Oberstadt']);
    expect(bavaria.body.levels.reduce((sum: number, level: { count: number }) => sum + level.count, 0)).toBe(3);
    const criterion = bavaria.body.heatMap.criteria.find((entry: { key: string }) => entry.key === '1.1');
    expect(criterion.total).toBe(3);
    expect(criterion.counts).toMatchObject({ eher_ja: 2, nein: 1 });
    const start = await team.client.get('/api/programme/overview?stufe=aufnahme');
    expect(start.body.kommunen.map((entry: { name: string }) => entry.name)).toEqual(['Neudorf']);
  });

  it('counts the Handlungsfelder chosen in workshops', async () => {
    const slug = kommunen.Aachen!;
    const saved = await team.client.put(`/api/kommunen/${slug}/documents/workshops`, { content: { workshops: [{ id: 'workshop-1', roundNumber: 1, fields: [{ fieldKey: '4' }, { fieldKey: '5' }] }] }, expectedVersion: 0 });
    expect(saved.status).toBe(200);
    const response = await team.client.get('/api/programme/overview');
    expect(response.body.workshopFields.filter((field: { count: number }) => field.count > 0).map((field: { key: string }) => field.key)).toEqual(['4', '5']);
    expect(response.body.kommunen.find((entry: { name: string }) => entry.name === 'Aachen').stage).toBe('workshop-dokumentiert');
  });

  it('bad filters get 400 in German; only the Programmteam sees the overview', async () => {
    const bad = await team.client.get('/api/programme/overview?land=Atlantis&seite=0');
    expect(bad.status).toBe(400);
    const koordination = await makePerson(runtime, { kommune: { id: (await runtime.services.db.query.kommune.findFirst())!.id, role: 'koordination' } });
    expect((await koordination.client.get('/api/programme/overview')).status).toBe(403);
    expect((await koordination.client.get('/api/programme/ratings/csv')).status).toBe(403);
  });
});

describe('ratings export', () => {
  it('CSV: one row per Kommune and criterion, semicolons, a BOM for Excel, no formulas', async () => {
    const response = await runtime.app.request('http://localhost:3000/api/programme/ratings/csv', { headers: { cookie: team.client.cookieHeader } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('Kommune;Kennung;Art;Land;AGS;Runde;Abgeschlossen am;Katalogversion;Handlungsfeld;Kriterium;Kriterium (Name);Einschätzung;Wert');
    // 7 Kommunen with a closed round × 4 + 10 criteria of Handlungsfelder 1 and 2.
    expect(lines.length - 1).toBe(7 * 14);
    expect(lines.some((line) => line.startsWith("'=SUMME(1);"))).toBe(true);
    expect(lines.some((line) => line.startsWith('=SUMME'))).toBe(false);
  });

  it('XLSX: the same rows; LibreOffice opens it', async () => {
    const response = await runtime.app.request('http://localhost:3000/api/programme/ratings/xlsx', { headers: { cookie: team.client.cookieHeader } });
    expect(response.status).toBe(200);
    const file = path.join(folder, 'einschaetzungen.xlsx');
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet('Einschätzungen')!;
    expect(sheet.rowCount).toBe(1 + 7 * 14);
    expect(sheet.getRow(1).getCell(12).value).toBe('Einschätzung');
    execFileSync('soffice', [`-env:UserInstallation=file://${folder}/lo-profile`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76', '--outdir', folder, file], { timeout: 120_000, stdio: 'pipe' });
    const converted = readFileSync(path.join(folder, 'einschaetzungen.csv'), 'utf8');
    expect(converted.split('\n')[0]).toContain('Kommune,Kennung');
    expect(converted).toContain('Ölbach');
  });
});

describe('a Kommune compared', () => {
  it('with Kommunen of its size class: quartiles of the five others, never their names', async () => {
    const response = await team.client.get(`/api/kommunen/${kommunen.Aachen}/peers`);
    expect(response.body.sizeClass).toBe('20000-100000');
    const field = response.body.fields.find((entry: { key: string }) => entry.key === '1');
    expect(field.group.count).toBe(5);
    expect(field.group.q1).toBeLessThanOrEqual(field.group.median);
    expect(field.group.median).toBeLessThanOrEqual(field.group.q3);
    const text = JSON.stringify(response.body);
    for (const name of ['Zell', 'Ölbach', 'Oberstadt', 'Bergheim', 'Celle']) expect(text).not.toContain(name);
    expect(text).not.toContain(kommunen.Zell!);
  });

  it('a group with fewer than five others shows nothing', async () => {
    const response = await team.client.get(`/api/kommunen/${kommunen['=SUMME(1)']}/peers`);
    expect(response.body.sizeClass).toBe('ueber-100000');
    expect(response.body.fields.every((entry: { group: unknown }) => entry.group === null)).toBe(true);
  });

  it('between two rounds: better, same and worse per criterion and field', async () => {
    const slug = kommunen.Oberstadt!; // round 1: every answer "nein"
    const levelsOf = async () => (await team.client.get('/api/programme/overview')).body.levels.map((level: { count: number }) => level.count);
    const before = await levelsOf();
    await answerAndClose(slug, 'ja');
    // The overview counts the new round at once (its counts across all Kommunen are cached until results change).
    const after = await levelsOf();
    expect(after[0]).toBe(before[0] - 1);
    expect(after[3]).toBe(before[3] + 1);
    const response = await team.client.get(`/api/kommunen/${slug}/comparison?from=1&to=2`);
    expect(response.status).toBe(200);
    expect(response.body.summary.besser).toBe(4);
    const field = response.body.fields.find((entry: { key: string }) => entry.key === '1');
    expect(field).toMatchObject({ before: 0, after: 100, change: 'besser' });
    expect(field.criteria[0]).toMatchObject({ before: { label: 'nein' }, after: { label: 'ja' }, change: 'besser' });
    // The report of round 2 says what changed since round 1.
    const report = await team.client.get(`/api/kommunen/${slug}/report`);
    const section = report.body.report.sections.find((entry: { id: string }) => entry.id === 'fragebogen');
    expect(section.blocks).toContainEqual({ kind: 'heading', level: 2, text: 'Veränderung gegenüber Runde 1' });
    expect((await team.client.get(`/api/kommunen/${slug}/comparison?from=2&to=1`)).status).toBe(400);
    expect((await team.client.get(`/api/kommunen/${slug}/comparison?from=1&to=9`)).status).toBe(404);
  });
});
