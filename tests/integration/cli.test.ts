import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl, testDatabaseKind } from '../support/database.ts';
import { runCli } from '../support/processes.ts';
import { bundleJsonOf } from '../support/http.ts';

let base: string;
let env: Record<string, string>;
let drop: () => Promise<void>;

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'weltoffen-cli-'));
  const database = await createTestDatabaseUrl();
  drop = database.drop;
  // A data directory that does not exist yet, two levels deep: every command must create it.
  // PUBLIC_URL as the service's settings have it (without it, links come with a note on stderr).
  env = { DATA_DIR: path.join(base, 'neu', 'daten'), PUBLIC_URL: 'https://weltoffen.kommune.example', ...(database.url ? { DATABASE_URL: database.url } : {}) };
});
afterAll(async () => {
  rmSync(base, { recursive: true, force: true });
  await drop?.();
});

describe('weltoffen CLI', () => {
  it('--help lists the subcommands', async () => {
    const result = await runCli(['--help'], env);
    expect(result.code).toBe(0);
    for (const command of ['serve', 'migrate', 'admin create', 'demo']) expect(result.stdout).toContain(command);
  });

  it.each([
    [['frobnicate'], /Unbekannter Befehl „frobnicate“/],
    [['admin', 'delete'], /admin create/],
    [['admin', 'create'], /Bitte --email angeben/],
    [['admin', 'create', '--email', 'kein-mail'], /E-Mail-Adresse/],
    [['migrate', '--schnell'], /Unbekannte Option „--schnell“/],
  ])('%j → exit 2 with a German message', async (args, message) => {
    const result = await runCli(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('bad configuration → exit 2 naming the variable', async () => {
    const result = await runCli(['migrate'], { ...env, PORT: 'achtzig' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/PORT/);
  });

  it.each([
    ['with --password-stdin', ['--password-stdin']],
    ['without a terminal', []],
  ])('admin create with empty standard input (%s) says that no password was given → exit 2', async (_label, flags) => {
    const result = await runCli(['admin', 'create', '--email', 'leer@example.org', ...flags], env, '');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Es wurde kein Passwort übergeben.');
    expect(result.stderr).toContain('--password-stdin');
    expect(result.stderr).not.toMatch(/mindestens 12 Zeichen/);
  });

  it('admin create refuses a short password and creates nothing', async () => {
    const result = await runCli(['admin', 'create', '--email', 'admin@example.org', '--password-stdin'], env, 'zu-kurz\n');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/mindestens 12 Zeichen/);
  });

  it('migrate, admin create, demo: honour DATA_DIR/DATABASE_URL and create the data directory', { timeout: 240_000 }, async () => {
    const migrated = await runCli(['migrate'], env);
    expect(migrated.stderr).toBe('');
    expect(migrated.code).toBe(0);
    if (testDatabaseKind === 'pglite') expect(existsSync(path.join(env.DATA_DIR!, 'pglite'))).toBe(true);

    const admin = await runCli(
      ['admin', 'create', '--email', 'admin@example.org', '--name', 'Ada Admin', '--password-stdin'],
      env,
      'ein-langes-sicheres-Passwort\n',
    );
    expect(admin.stderr).toBe('');
    expect(admin.code).toBe(0);
    expect(admin.stdout).toContain('admin@example.org');

    const twice = await runCli(['admin', 'create', '--email', 'admin@example.org', '--password-stdin'], env, 'ein-langes-sicheres-Passwort\n');
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/bereits ein Konto/);

    const demo = await runCli(['demo'], env);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain('/kommunen/musterstadt');
    expect(demo.stdout).toMatch(/Passwort: [A-Za-z0-9_-]{16}/);
    for (const role of ['programmteam', 'prozessbegleitung', 'koordination', 'mitwirkende', 'lesende']) {
      expect(demo.stdout).toContain(role);
    }
    const demoAgain = await runCli(['demo'], env);
    expect(demoAgain.code).toBe(0);
    expect(demoAgain.stdout).toContain('bereits geladen');
    // The password cannot be shown again (only its hash is stored): the hint names the way in.
    expect(demoAgain.stdout).toContain('npx weltoffen admin reset-password --email programmteam@musterstadt.example');
  });

  it('export writes the demo Kommune as a bundle; import brings it back as a copy with the same content', async () => {
    const file = path.join(base, 'musterstadt.zip');
    const exported = await runCli(['export', 'musterstadt', '-o', file], env);
    expect(exported.stderr).toMatch(/Musterstadt: 1 Runde, \d+ Antworten/);
    expect(exported.code).toBe(0);
    const bundle = bundleJsonOf(readFileSync(file)) as any;
    expect(bundle.format).toBe('weltoffen-kommune-bundle');
    expect(bundle.formatVersion).toBe(2);

    // One installation has each Gemeindeschlüssel once: the same Kommune again is refused, naming it.
    const twice = await runCli(['import', file, '--slug', 'musterstadt-kopie'], env);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('Die Kommune „Stadt Musterstadt“ hat bereits den Amtlichen Gemeindeschlüssel 15099999.');
    const other = { ...bundle, kommune: { ...bundle.kommune, gemeindeschluessel: null } };
    const otherFile = path.join(base, 'musterstadt-ohne-ags.json');
    writeFileSync(otherFile, JSON.stringify(other));
    const imported = await runCli(['import', otherFile, '--slug', 'musterstadt-kopie'], env);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('/kommunen/musterstadt-kopie');
    expect(imported.stdout).toContain('1 Einwohner:innen-Umfrage mit 146 Antworten.');
    // The copy's survey cannot share the original's public link.
    expect(imported.stdout).toContain('1 Umfrage hat einen neuen Link, weil der alte hier schon vergeben war');

    const copyFile = path.join(base, 'kopie.zip');
    const again = await runCli(['export', 'musterstadt-kopie', '-o', copyFile], env);
    expect(again.code).toBe(0);
    const copy = bundleJsonOf(readFileSync(copyFile)) as any;
    expect(copy.rounds[0].residentSurvey.token).not.toBe(other.rounds[0].residentSurvey.token);
    copy.rounds[0].residentSurvey.token = other.rounds[0].residentSurvey.token;
    expect({ ...copy, exportedAt: null, kommune: { ...copy.kommune, slug: 'musterstadt' } }).toEqual({ ...other, exportedAt: null });
  });

  it('results --json says per field how complete it is: answered of total questions, respondents, open and not-applicable criteria, provisional', async () => {
    const result = await runCli(['results', 'musterstadt', '--json'], env);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.round.status).toBe('closed');
    expect(json.overall).toMatchObject({ isProvisional: false, workedFieldCount: 7, scoredFieldCount: 7 });
    for (const field of json.fields) {
      expect(field).toEqual(expect.objectContaining({ questionCount: expect.any(Number), answeredQuestionCount: field.questionCount, respondentCount: expect.any(Number), openCriterionCount: 0, notApplicableCriterionCount: expect.any(Number), isProvisional: false }));
      expect(field.respondentCount).toBeGreaterThan(0);
    }
    // The demo's questions for the Landkreis's tasks are answered „trifft nicht zu“; none is a whole criterion.
    expect(json.legend.map((entry: { key: string }) => entry.key)).toContain('trifft_nicht_zu');
    const text = await runCli(['results', 'musterstadt'], env);
    expect(text.stdout).toMatch(/Leitfragen beantwortet, \d+ Personen/);
    expect(text.stdout).toContain('ab ,5 aufgerundet');
  });

  it('import of a broken bundle names the JSON path and changes nothing', async () => {
    const file = path.join(base, 'kaputt.json');
    const exported = path.join(base, 'fuer-kaputt.zip');
    expect((await runCli(['export', 'musterstadt', '-o', exported], env)).code).toBe(0);
    const bundle = bundleJsonOf(readFileSync(exported)) as any;
    bundle.rounds[0].ratings[1].rating = 'super';
    writeFileSync(file, JSON.stringify(bundle));
    const result = await runCli(['import', file, '--slug', 'kaputt'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('$.rounds[0].ratings[1].rating');
    expect(result.stderr).toContain('Es wurde nichts übernommen');
    const missing = await runCli(['export', 'kaputt', '-o', path.join(base, 'kaputt.zip')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/gibt es nicht/);
  });

  it.each([
    [['import'], /genau eine Paketdatei/],
    [['import', '/gibt/es/nicht.json'], /gibt es nicht/],
    [['import', 'a.json', '--slug', 'a', '--into', 'b'], /schließen einander aus/],
    [['export'], /genau eine Kommune/],
    [['export', 'Muster Stadt'], /keine gültige Kennung/],
    [['export', 'musterstadt'], /Bitte mit -o die Datei angeben.*ZIP-Datei/],
    [['export', 'musterstadt', '-o', 'paket.json'], /Ein Paket ist eine ZIP-Datei.*„paket\.json“/],
  ])('%j → exit 2 with a German message', async (args, message) => {
    const result = await runCli(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('import of a file that is not JSON → exit 2', async () => {
    const file = path.join(base, 'kein.json');
    writeFileSync(file, 'Hallo');
    const result = await runCli(['import', file], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/weder die ZIP-Datei eines Pakets noch gültiges JSON/);
  });

  it('results, report, questionnaire, export and admin reset-password create no database: they name the absolute path and DATA_DIR', async () => {
    // The embedded database in any test leg: the check is about a PGlite folder that is not there.
    const missing = path.join(base, 'nicht-da', 'daten');
    const calls = [
      ['results', 'musterstadt'],
      ['report', 'musterstadt', '--format', 'html', '-o', path.join(base, 'nie.html')],
      ['questionnaire', 'musterstadt', '--round', '1', '--format', 'pdf', '-o', path.join(base, 'nie.pdf')],
      ['export', 'musterstadt', '-o', path.join(base, 'nie.zip')],
      ['admin', 'reset-password', '--email', 'admin@example.org'],
    ];
    for (const args of calls) {
      const result = await runCli(args, { DATA_DIR: missing });
      expect({ args, code: result.code }).toEqual({ args, code: 1 });
      expect(result.stderr).toContain(`In ${missing} gibt es keine Datenbank. Ist DATA_DIR gesetzt?`);
      expect(result.stdout).toBe('');
    }
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(path.join(base, 'nie.html'))).toBe(false);
    // A directory without PGlite's files is no database either, and stays empty.
    mkdirSync(missing, { recursive: true });
    const inEmpty = await runCli(['results', 'musterstadt'], { DATA_DIR: path.relative(process.cwd(), missing) });
    expect(inEmpty.code).toBe(1);
    expect(inEmpty.stderr).toContain(`In ${missing} gibt es keine Datenbank.`);
    expect(readdirSync(missing)).toEqual([]);
  });

  it('results of a Kommune without a Selbstcheck-Runde says so; with --round a missing round is named as such', async () => {
    const exported = path.join(base, 'fuer-ohne-runde.zip');
    expect((await runCli(['export', 'musterstadt', '-o', exported], env)).code).toBe(0);
    const bundle = bundleJsonOf(readFileSync(exported)) as any;
    const file = path.join(base, 'ohne-runde.json');
    // Without rounds, and without the workshop that names round 1.
    const documents = { ...bundle.documents, workshops: { ...bundle.documents.workshops, workshops: [] } };
    writeFileSync(file, JSON.stringify({ ...bundle, kommune: { ...bundle.kommune, gemeindeschluessel: null }, documents, rounds: [] }));
    const imported = await runCli(['import', file, '--slug', 'ohne-runde'], env);
    expect(imported.code, imported.stderr).toBe(0);
    const latest = await runCli(['results', 'ohne-runde'], env);
    expect(latest.code).toBe(1);
    expect(latest.stderr).toContain('Die Kommune „ohne-runde“ hat noch keine Selbstcheck-Runde.');
    const chosen = await runCli(['results', 'ohne-runde', '--round', '1'], env);
    expect(chosen.code).toBe(1);
    expect(chosen.stderr).toContain('Diese Selbstcheck-Runde gibt es nicht.');
  });

  it('a link printed without PUBLIC_URL comes with a note on stderr; with PUBLIC_URL it uses it and says nothing', async () => {
    const { PUBLIC_URL: publicUrl, ...withoutUrl } = env;
    const bare = await runCli(['admin', 'reset-password', '--email', 'admin@example.org'], { ...withoutUrl, PORT: '4341' });
    expect(bare.code, bare.stderr).toBe(0);
    expect(bare.stdout).toContain('http://localhost:4341/');
    expect(bare.stderr).toContain('Der Link beginnt mit http://localhost:4341, weil PUBLIC_URL nicht gesetzt ist.');
    expect(bare.stderr).toContain('docs/operations.md');
    const configured = await runCli(['admin', 'reset-password', '--email', 'admin@example.org'], env);
    expect(configured.code).toBe(0);
    expect(configured.stdout).toContain(`${publicUrl}/`);
    expect(configured.stderr).toBe('');
  });

  it('export, report and questionnaire files are readable only by their owner (0600), also a file that existed', async () => {
    const bundle = path.join(base, 'vorhanden.zip');
    writeFileSync(bundle, 'alt');
    chmodSync(bundle, 0o644);
    const exported = await runCli(['export', 'musterstadt', '-o', bundle], env);
    expect(exported.code).toBe(0);
    expect(statSync(bundle).mode & 0o777).toBe(0o600);
    const report = path.join(base, 'neu-bericht.html');
    expect((await runCli(['report', 'musterstadt', '--format', 'html', '-o', report], env)).code).toBe(0);
    expect(statSync(report).mode & 0o777).toBe(0o600);
    const questionnaire = path.join(base, 'neu-fragebogen.docx');
    expect((await runCli(['questionnaire', 'musterstadt', '--round', '1', '--format', 'docx', '-o', questionnaire], env)).code).toBe(0);
    expect(statSync(questionnaire).mode & 0o777).toBe(0o600);
  });
});
