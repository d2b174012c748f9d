import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl } from '../support/database.ts';
import { runCli } from '../support/processes.ts';

// `weltoffen questionnaire`: the paper questionnaire of a round from the command line.

let base: string;
let env: Record<string, string>;
let drop: () => Promise<void>;

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'weltoffen-fragebogen-cli-'));
  const database = await createTestDatabaseUrl();
  drop = database.drop;
  env = { DATA_DIR: path.join(base, 'daten'), ...(database.url ? { DATABASE_URL: database.url } : {}) };
  const demo = await runCli(['demo'], env);
  expect(demo.code, demo.stderr).toBe(0);
}, 180_000);
afterAll(async () => {
  rmSync(base, { recursive: true, force: true });
  await drop?.();
});

describe('weltoffen questionnaire', () => {
  it('writes one Handlungsfeld as PDF and the whole round as DOCX', async () => {
    const pdf = path.join(base, 'feld-2.pdf');
    const written = await runCli(['questionnaire', 'musterstadt', '--round', '1', '--field', '2', '--format', 'pdf', '-o', pdf], env);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toMatch(/^Fragebogen geschrieben: .*feld-2\.pdf/);
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Kriterium 2.1');
    expect(text).not.toContain('Kriterium 3.1');
    // The demo's Koordination (load-demo.ts) is named as the person to return the form to.
    expect(text).toContain('an die Koordination zurück (Ayşe Yılmaz, integrationsbuero@musterstadt.example)');
    const docx = path.join(base, 'alles.docx');
    expect((await runCli(['questionnaire', 'musterstadt', '--round', '1', '--format', 'docx', '-o', docx], env)).code).toBe(0);
    expect(readFileSync(docx).subarray(0, 2).toString('latin1')).toBe('PK');
  }, 120_000);

  it.each([
    [['questionnaire', 'musterstadt', '--round', '1', '--format', 'exe', '-o', 'x'], /--format pdf oder docx/],
    [['questionnaire', 'musterstadt', '--format', 'pdf', '-o', 'x'], /--round braucht eine Rundennummer/],
    [['questionnaire', 'musterstadt', '--round', '1', '--format', 'pdf'], /mit -o die Datei/],
    [['questionnaire', 'musterstadt', '--round', '1', '--field', 'zwei', '--format', 'pdf', '-o', 'x'], /--field braucht die Nummer/],
  ])('%j → a German message', async (args, message) => {
    const result = await runCli(args, env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
  }, 60_000);

  it('a round that does not exist → a German message', async () => {
    const result = await runCli(['questionnaire', 'musterstadt', '--round', '9', '--format', 'pdf', '-o', path.join(base, 'x.pdf')], env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Runde/);
  }, 60_000);
});
