import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';

import { createProgrammteamAccount } from '../services/manage-first-account.ts';
import { CatalogFileError } from '../services/manage-catalogs.ts';
import { countKommunenBesideDemo, demoPeople, loadDemo } from '../services/load-demo.ts';
import { getRoundResults } from '../services/compute-results.ts';
import { exportKommuneArchive, importKommune, type ImportTarget } from '../services/transfer-kommune.ts';
import type { BundleFiles } from '../services/bundle-archive.ts';
import { megabytes } from '../services/manage-evidence.ts';
import { readBundleFile, type UploadedBundle } from '../services/read-bundle-upload.ts';
import { renderReport, reportFormats, type ReportFormat } from '../services/generate-report.ts';
import { questionnaireFormats, renderPaperQuestionnaire, type QuestionnaireFormat } from '../services/print-questionnaire.ts';
import type { Actor } from '../domain/access.ts';
import { ConfigError, type ServerConfig } from '../server/config.ts';
import { errorTable } from '../server/errors.ts';
import { describeError } from '../server/log-redaction.ts';
import { emailSchema, passwordSchema, personNameSchema } from '../server/routes/common-schemas.ts';
import { DataDirLockedError } from '../server/wiring/runtime.ts';
import { issueResetToken } from '../server/wiring/auth.ts';
import { createResetLinkForEmail } from '../services/reset-password.ts';
import { ServerIsRunning } from './command-client.ts';
import { commandSocketPath } from './command-protocol.ts';
import { listenForCommands } from './command-server.ts';
import { CliError, UsageError, type CliIo } from './io.ts';
import { serverRuntime, type RuntimeProvider } from './runtime-provider.ts';
import { commandLabel, commandName, type CommandName } from './command-names.ts';

const help = `Weltoffen – Selbstcheck Weltoffene Kommune

Aufruf: weltoffen <Befehl> [Optionen]

Befehle:
  serve                     Startet Web-App und API (das tut auch „npm start“).
  migrate                   Bringt die Datenbank auf den neuesten Stand und lädt die Kataloge.
  admin create --email E-MAIL --name NAME [--password-stdin]
                            Legt ein Konto im Programmteam an. Das Passwort (mindestens 12 Zeichen)
                            wird abgefragt oder mit --password-stdin von der Standardeingabe gelesen.
  admin reset-password --email E-MAIL
                            Gibt einen Link aus, mit dem die Person ein neues Passwort festlegt (gilt
                            eine Stunde und einmal; danach sind alle ihre Sitzungen beendet).
  demo [--allow-other-kommunen]
                            Lädt die Demo-Kommune „Musterstadt“ mit Konten aller Rollen und einer
                            ausgefüllten, konsolidierten Selbstcheck-Runde und sagt, in welche
                            Datenbank. Enthält die Datenbank schon andere Kommunen, lädt sie die Demo
                            nur mit --allow-other-kommunen; besser ist ein eigenes Datenverzeichnis:
                            DATA_DIR=./demo-daten weltoffen demo
  results <kommune> [--round N] [--json]
                            Zeigt die Ergebnisse einer Runde (ohne --round: die neueste); mit --json
                            dasselbe JSON wie die Ergebnis-Schnittstelle der Web-App.
  report <kommune> --format pdf|docx|html -o DATEI [--round N]
                            Erzeugt den Abschlussbericht der neuesten oder der gewählten Runde.
  questionnaire <kommune> --round N --format pdf|docx -o DATEI [--field K]
                            Schreibt den Fragebogen der Runde zum Ausdrucken (PDF) oder für Word
                            (DOCX): alle bearbeiteten Handlungsfelder oder mit --field eines.
  export <kommune> -o DATEI.zip
                            Schreibt alles einer Kommune (Stammdaten, Personen, Prozess, jede Runde mit
                            allen Antworten, die Belege) als Paket in DATEI: eine ZIP-Datei mit
                            bundle.json und den Dateien der Belege. Format: docs/kommune-bundle.schema.json
  import DATEI [--slug KENNUNG | --into KOMMUNE]
                            Legt die Kommune aus einem Paket (ZIP-Datei, oder JSON-Datei älterer
                            Versionen) neu an (neue Kennungen; Personen werden über die E-Mail-Adresse
                            gefunden oder ohne Passwort angelegt). Mit --into wird eine vorhandene, noch
                            leere Kommune gefüllt. Ein fehlerhaftes Paket wird ganz abgelehnt.
  help                      Zeigt diese Hilfe.

Läuft der Server mit der eingebetteten Datenbank (DATA_DIR), führt er die Befehle aus; rufen Sie
sie dann als der Benutzer auf, unter dem der Server läuft, und geben Sie DATA_DIR mit:
  sudo -u weltoffen env DATA_DIR=/var/lib/weltoffen weltoffen …
results, report, questionnaire, export und admin reset-password legen keine Datenbank an: Gibt es
in DATA_DIR keine, sagen sie das. Links (admin, demo, import) beginnen mit PUBLIC_URL.
Bericht, Fragebogen und Export (-o) werden nur für Sie lesbar geschrieben (Modus 0600), auch eine
schon vorhandene Datei. Siehe docs/operations.md.

Konfiguration über Umgebungsvariablen (DATA_DIR, DATABASE_URL, PORT, …), siehe README.
`;

/** One command: its options, what it writes, where its database comes from. Returns the exit code. */
type Command = (args: string[], context: CommandContext) => Promise<number>;

export interface CommandContext {
  config: ServerConfig;
  io: CliIo;
  runtime: RuntimeProvider;
  /** True when PUBLIC_URL is not set for this process, so links point to http://localhost:PORT. */
  isPublicUrlDefault?: boolean;
}

/**
 * After a printed link: a German note on stderr when it was built without PUBLIC_URL (never inside the
 * server, whose own PUBLIC_URL is the right one).
 */
function noteLinkWithoutPublicUrl({ config, io, runtime, isPublicUrlDefault }: CommandContext): void {
  if (runtime.isServer || !isPublicUrlDefault) return;
  io.stderr(
    `Hinweis: Der Link beginnt mit ${config.publicUrl}, weil PUBLIC_URL nicht gesetzt ist. ` +
      'Laden Sie die Einstellungen des Dienstes (PUBLIC_URL, DATA_DIR, …), bevor Sie den Befehl aufrufen; siehe docs/operations.md.\n',
  );
}

/** A line on standard output, as console.log writes it. */
function say(io: CliIo, line: string): void {
  io.stdout(`${line}\n`);
}

/** `admin reset-password`: prints a reset link for the person; the operator passes it on. */
async function resetPasswordCommand(args: string[], context: CommandContext): Promise<number> {
  const { io, runtime } = context;
  const values = parse(args, { email: { type: 'string' } });
  if (!values.email) throw new UsageError('Bitte --email angeben.');
  const email = check(emailSchema, values.email, 'E-Mail-Adresse');
  return runtime.use(async ({ services, auth }) => {
    const { link, name } = await createResetLinkForEmail(services, email, (userId) => issueResetToken(auth, userId));
    say(io, `Link für ein neues Passwort für ${name} (${email}), gültig eine Stunde und nur einmal:\n${link}`);
    noteLinkWithoutPublicUrl(context);
    return 0;
  }, { isQuiet: true, needsExistingDatabase: true });
}

/** Whoever runs the command on the server acts with the rights of the Programmteam. */
const operator: Actor = { userId: 'cli', programmeRole: 'programmteam', assignedKommuneIds: [], memberships: [] };

function parseWithPositionals<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message)?.[1];
    throw new UsageError(unknown ? `Unbekannte Option „${unknown}“.` : `Ungültige Optionen: ${message}`);
  }
}

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  const { values, positionals } = parseWithPositionals(args, options);
  if (positionals.length) throw new UsageError(`Unerwartete Angabe „${positionals[0]}“.`);
  return values;
}

const slugPattern = /^[a-z0-9-]{1,80}$/;

/** The one Kommune a command is about, given by its slug. */
function oneKommune(positionals: string[], example: string): string {
  const [slug, ...extra] = positionals;
  if (!slug || extra.length) throw new UsageError(`Bitte genau eine Kommune angeben, z. B. „${example}“.`);
  if (!slugPattern.test(slug)) throw new UsageError(`„${slug}“ ist keine gültige Kennung einer Kommune.`);
  return slug;
}

function check<T>(schema: z.ZodType<T>, value: unknown, label: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`${label}: ${result.error.issues[0]?.message ?? 'ungültig'}.`);
  return result.data;
}

/** Writes a file of the operator (through io: on their machine, as their user), with a German message when it fails. */
async function writeOutput(io: CliIo, file: string, data: string | Uint8Array): Promise<void> {
  try {
    await io.writeFile(file, data);
  } catch (error) {
    throw new UsageError(`Die Datei ${file} lässt sich nicht schreiben (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

/** Where the database is, for the operator: the PGlite folder, or PostgreSQL's host and database (never the password). */
export function describeDatabase(config: Pick<ServerConfig, 'databaseUrl' | 'dataDir'>): string {
  if (!config.databaseUrl) return `eingebettete Datenbank (PGlite) in ${config.dataDir}`;
  try {
    const url = new URL(config.databaseUrl);
    const host = url.hostname || url.searchParams.get('host') || 'localhost';
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || decodeURIComponent(url.username) || 'postgres';
    return `PostgreSQL-Datenbank „${database}“ auf ${host}${url.port ? `:${url.port}` : ''}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL)';
  }
}

const commands: Record<CommandName, Command> = {
  async serve(args, { config, io, runtime }) {
    parse(args, {});
    if (runtime.isServer) {
      io.stderr(`Weltoffen läuft bereits auf dem Datenverzeichnis ${config.dataDir} (PID ${runtime.pid}, ${config.publicUrl}). Ein zweiter Server auf derselben eingebetteten Datenbank ist nicht möglich.\n`);
      return 1;
    }
    const { startServer } = await import('../server/serve.ts');
    const server = await startServer(config, {
      // On the embedded database only this process may open it: it runs the CLI's commands itself.
      onListening: config.databaseUrl
        ? undefined
        : (running) =>
            listenForCommands(
              commandSocketPath(config.dataDir),
              async (argv, remoteIo) => {
                const code = await runCommand(argv, remoteIo, () => ({ config, io: remoteIo, runtime: serverRuntime(running) }));
                running.services.log(`Befehl der Kommandozeile ausgeführt: ${commandLabel(argv)} (Exit-Code ${code})`);
                return code;
              },
              (message) => running.services.log(message),
            ),
    });
    // The server's own log says „wird beendet“ and „ist beendet“, in its format.
    const stop = () => void server.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await new Promise(() => {});
    return 0;
  },

  async migrate(args, { io, runtime }) {
    parse(args, {});
    if (runtime.isServer) {
      say(io, `Die Datenbank ist auf dem neuesten Stand: Der laufende Server (PID ${runtime.pid}) hat sie bei seinem Start migriert und die Kataloge geladen.`);
      return 0;
    }
    await runtime.use(async () => {});
    say(io, 'Die Datenbank ist auf dem neuesten Stand.');
    return 0;
  },

  async admin(args, context) {
    const { config, io, runtime } = context;
    const [sub, ...rest] = args;
    if (sub === 'reset-password') return resetPasswordCommand(rest, context);
    if (sub !== 'create') throw new UsageError(`Unbekannter Befehl „admin ${sub ?? ''}“. Gemeint ist „admin create“ oder „admin reset-password“.`);
    const values = parse(rest, {
      email: { type: 'string' },
      name: { type: 'string' },
      'password-stdin': { type: 'boolean' },
    });
    if (!values.email) throw new UsageError('Bitte --email angeben.');
    const email = check(emailSchema, values.email, 'E-Mail-Adresse');
    const name = check(personNameSchema, values.name ?? email.split('@')[0], 'Name');
    const given = await io.readPassword(values['password-stdin'] === true);
    if (given === '') {
      throw new UsageError(
        'Es wurde kein Passwort übergeben. Ohne Terminal lesen Sie es mit --password-stdin aus der ersten Zeile der Standardeingabe, ' +
          'zum Beispiel: printf \'%s\\n\' "$PASSWORT" | weltoffen admin create --email … --password-stdin',
      );
    }
    const password = check(passwordSchema, given, 'Passwort');
    return runtime.use(async ({ services }) => {
      await createProgrammteamAccount(services, { email, name, password });
      say(io, `Das Konto ${email} (Programmteam) ist angelegt. Anmeldung unter ${config.publicUrl}/anmelden`);
      noteLinkWithoutPublicUrl(context);
      return 0;
    });
  },

  async demo(args, context) {
    const { config, io, runtime } = context;
    const values = parse(args, { 'allow-other-kommunen': { type: 'boolean' } });
    return runtime.use(async ({ services }) => {
      say(io, `Datenbank: ${describeDatabase(config)}`);
      const others = await countKommunenBesideDemo(services);
      if (others.hasDemo) {
        say(io, 'Die Demo-Kommune Musterstadt ist bereits geladen.');
        // The password is stored only as a hash, so it cannot be shown again; say how to get in.
        say(io, 'Das Passwort der Demo-Konten wird nur beim ersten Laden ausgegeben. Einen Link für ein neues Passwort gibt aus:');
        say(io, `  npx weltoffen admin reset-password --email ${demoPeople[0]!.email}`);
        return 0;
      }
      if (others.count > 0 && !values['allow-other-kommunen']) {
        io.stderr(
          `Diese Datenbank enthält bereits ${others.count === 1 ? 'eine Kommune' : `${others.count} Kommunen`}; die Demo wurde nicht geladen. ` +
            'Sie legt die Kommune Musterstadt und sieben Demo-Konten mit einem gemeinsamen Passwort an, die dann neben den echten Daten stünden.\n' +
            'Für die Demo nehmen Sie besser ein eigenes Datenverzeichnis (ohne DATABASE_URL), zum Beispiel:\n' +
            '  DATA_DIR=./demo-daten weltoffen demo\n' +
            '(in einem Entwicklungs-Checkout: DATA_DIR=./demo-daten npx weltoffen demo)\n' +
            'Soll die Demo trotzdem in diese Datenbank: weltoffen demo --allow-other-kommunen\n',
        );
        return 1;
      }
      const result = await loadDemo(services);
      if (!result.isCreated) {
        // Loaded by someone else a moment ago.
        say(io, 'Die Demo-Kommune Musterstadt ist bereits geladen.');
        return 0;
      }
      say(io, `Demo-Kommune Musterstadt geladen: ${config.publicUrl}/kommunen/${result.slug}`);
      noteLinkWithoutPublicUrl(context);
      say(io, `Alle Demo-Konten haben dieses einmalig erzeugte Passwort: ${result.password}`);
      for (const person of result.people) {
        say(io, `  ${person.email.padEnd(40)} ${person.programmeRole ?? person.kommuneRole}`);
      }
      return 0;
    });
  },

  async results(args, { io, runtime }) {
    const parsed = parseWithPositionals(args, { round: { type: 'string' }, json: { type: 'boolean' } });
    const slug = oneKommune(parsed.positionals, 'weltoffen results musterstadt');
    const round = parsed.values.round === undefined ? undefined : Number(parsed.values.round);
    if (round !== undefined && (!Number.isInteger(round) || round < 1)) throw new UsageError('--round braucht eine Rundennummer ab 1.');
    return runtime.use(async ({ services }) => {
      const results = await getRoundResults(services, operator, slug, round).catch((error: unknown) => {
        // Without --round the newest round was asked for: there is none yet.
        if (round === undefined && error instanceof DomainError && error.code === 'round-not-found') {
          throw new CliError(`Die Kommune „${slug}“ hat noch keine Selbstcheck-Runde.`);
        }
        throw error;
      });
      if (parsed.values.json) {
        say(io, JSON.stringify(results, null, 2));
        return 0;
      }
      const { overall } = results;
      const percent = (value: number | null) => (value === null ? 'noch kein Wert' : `${value} %`);
      say(io, `${results.kommune.name}, Selbstcheck-Runde ${results.round.number} (${results.round.status === 'open' ? 'offen' : 'abgeschlossen'})`);
      const provisional = overall.isProvisional ? ' (vorläufig)' : '';
      say(io, overall.levelText ? `„${overall.levelText}“ – Gesamtwert ${percent(overall.displayPercent)}${provisional}` : 'Noch kein Gesamtergebnis.');
      if (overall.scoredFieldCount < overall.workedFieldCount) {
        say(io, `Der Gesamtwert beruht auf ${overall.scoredFieldCount} von ${overall.workedFieldCount} bearbeiteten Handlungsfeldern; die übrigen haben noch keinen Wert.`);
      }
      if (overall.isProvisional) {
        say(io, results.round.status === 'open' ? 'Vorläufig: Die Runde ist noch offen.' : 'Vorläufig: Es sind noch Kriterien offen.');
      }
      say(io, 'Prozentwerte auf ganze Zahlen gerundet, ab ,5 aufgerundet; die Stufe folgt dem gerundeten Gesamtwert.');
      for (const field of results.fields) {
        say(io, `\nHandlungsfeld ${field.key} – ${field.name}: ${field.isWorked ? percent(field.displayPercent) : 'nicht bearbeitet'}`);
        if (!field.isWorked) continue;
        const details = [`${field.answeredQuestionCount} von ${field.questionCount} Leitfragen beantwortet`, `${field.respondentCount} ${field.respondentCount === 1 ? 'Person' : 'Personen'}`];
        if (field.openCriterionCount) details.push(`${field.openCriterionCount} ${field.openCriterionCount === 1 ? 'Kriterium' : 'Kriterien'} offen`);
        if (field.notApplicableCriterionCount) details.push(`${field.notApplicableCriterionCount}× trifft nicht zu`);
        say(io, `  ${details.join(', ')}`);
        for (const criterion of field.criteria) say(io, `  ${criterion.symbol.padEnd(5)} ${criterion.name}${criterion.status === 'open' ? ' (offen)' : ''}`);
      }
      return 0;
    }, { isQuiet: true, needsExistingDatabase: true });
  },

  async report(args, { io, runtime }) {
    const parsed = parseWithPositionals(args, { format: { type: 'string' }, output: { type: 'string', short: 'o' }, round: { type: 'string' } });
    const slug = oneKommune(parsed.positionals, 'weltoffen report musterstadt --format pdf -o bericht.pdf');
    const format = parsed.values.format as ReportFormat | undefined;
    if (!format || !reportFormats.includes(format)) throw new UsageError('Bitte --format pdf, docx oder html angeben.');
    const output = parsed.values.output;
    if (!output) throw new UsageError('Bitte mit -o die Datei angeben, in die der Bericht geschrieben wird.');
    const round = parsed.values.round === undefined ? undefined : Number(parsed.values.round);
    if (round !== undefined && (!Number.isInteger(round) || round < 1)) throw new UsageError('--round braucht eine Rundennummer ab 1.');
    return runtime.use(async ({ services }) => {
      const file = await renderReport(services, operator, slug, format, round);
      await writeOutput(io, output, file.body);
      say(io, `Abschlussbericht geschrieben: ${output} (${Math.round(file.body.length / 1024)} KB)`);
      return 0;
    }, { isQuiet: true, needsExistingDatabase: true });
  },

  async questionnaire(args, { io, runtime }) {
    const parsed = parseWithPositionals(args, { format: { type: 'string' }, output: { type: 'string', short: 'o' }, round: { type: 'string' }, field: { type: 'string' } });
    const slug = oneKommune(parsed.positionals, 'weltoffen questionnaire musterstadt --round 1 --format pdf -o fragebogen.pdf');
    const format = parsed.values.format as QuestionnaireFormat | undefined;
    if (!format || !questionnaireFormats.includes(format)) throw new UsageError('Bitte --format pdf oder docx angeben.');
    const output = parsed.values.output;
    if (!output) throw new UsageError('Bitte mit -o die Datei angeben, in die der Fragebogen geschrieben wird.');
    const round = Number(parsed.values.round);
    if (!Number.isInteger(round) || round < 1) throw new UsageError('--round braucht eine Rundennummer ab 1.');
    const field = parsed.values.field;
    if (field !== undefined && !/^[0-9]{1,2}$/.test(field)) throw new UsageError('--field braucht die Nummer eines Handlungsfelds, zum Beispiel 3.');
    return runtime.use(async ({ services }) => {
      const file = await renderPaperQuestionnaire(services, operator, slug, round, format, field);
      await writeOutput(io, output, file.body);
      say(io, `Fragebogen geschrieben: ${output} (${Math.round(file.body.length / 1024)} KB)`);
      return 0;
    }, { isQuiet: true, needsExistingDatabase: true });
  },

  async export(args, { io, runtime }) {
    const parsed = parseWithPositionals(args, { output: { type: 'string', short: 'o' } });
    const slug = oneKommune(parsed.positionals, 'weltoffen export musterstadt -o musterstadt.zip');
    const output = parsed.values.output;
    if (!output) throw new UsageError('Bitte mit -o die Datei angeben, in die das Paket geschrieben wird, z. B. „-o musterstadt.zip“ (ein Paket ist eine ZIP-Datei).');
    if (!/\.zip$/i.test(output)) throw new UsageError(`Ein Paket ist eine ZIP-Datei: Bitte geben Sie einen Dateinamen auf .zip an (statt „${output}“).`);
    return runtime.use(async ({ services }) => {
      const archive = await exportKommuneArchive(services, operator, slug);
      const parts: Buffer[] = [];
      for await (const part of archive.stream) parts.push(part as Buffer);
      await writeOutput(io, output, Buffer.concat(parts));
      const { bundle } = archive;
      const answers = bundle.rounds.reduce((sum, round) => sum + round.answers.length, 0);
      const belege = bundle.belege.length ? `, ${counted(bundle.belege.length, 'Beleg', 'Belege')}` : '';
      io.stderr(`${bundle.kommune.name}: ${counted(bundle.rounds.length, 'Runde', 'Runden')}, ${counted(answers, 'Antwort', 'Antworten')}, ${counted(bundle.people.length, 'Person', 'Personen')}${belege} → ${output}\n`);
      return 0;
    }, { isQuiet: true, needsExistingDatabase: true });
  },

  async import(args, context) {
    const { io } = context;
    const parsed = parseWithPositionals(args, { slug: { type: 'string' }, into: { type: 'string' } });
    const [file, ...extra] = parsed.positionals;
    if (!file || extra.length) throw new UsageError('Bitte genau eine Paketdatei angeben, z. B. „weltoffen import musterstadt.json“.');
    const { slug, into } = parsed.values;
    if (slug !== undefined && into !== undefined) throw new UsageError('--slug und --into schließen einander aus.');
    for (const value of [slug, into]) if (value !== undefined && !slugPattern.test(value)) throw new UsageError(`„${value}“ ist keine gültige Kennung einer Kommune.`);
    let bytes: Buffer;
    try {
      bytes = await io.readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'ENOENT' ? `Die Datei ${file} gibt es nicht.` : `Die Datei ${file} lässt sich nicht lesen (${code ?? (error as Error).message}).`);
    }
    // A ZIP container (by its first bytes) or JSON; both are read and checked as an upload is.
    // Unlike an upload (50 MB), the operator's own bundle.json may be larger; 200 MB keeps a crafted size from exhausting memory.
    const read = await readBundleFile({ bytes }, { maxJsonBytes: 200 * 1024 * 1024 });
    if (read.outcome.kind === 'not-json') throw new UsageError(`Die Datei ${file} ist weder die ZIP-Datei eines Pakets noch gültiges JSON.`);
    if (read.outcome.kind === 'not-object') throw new UsageError(`Die Datei ${file} enthält kein JSON-Objekt und ist daher kein Paket.`);
    const raw = read.outcome.bundle;
    try {
      return await importBundle(context, raw, read.files, { slug, into });
    } finally {
      read.close();
    }
  },

  async help(_args, { io }) {
    say(io, help);
    return 0;
  },
};

async function importBundle(context: CommandContext, raw: UploadedBundle, files: BundleFiles | undefined, target: ImportTarget): Promise<number> {
  const { config, io, runtime } = context;
  return runtime.use(async ({ services }) => {
    // Progress about every tenth written, and the last, before the result.
    let shown = -1;
    const result = await importKommune(services, operator, raw, target, {
      files,
      onProgress: ({ done, total }) => {
        const tenth = Math.floor((done / total) * 10);
        if (tenth === shown && done < total) return;
        shown = tenth;
        say(io, `Eingespielt: ${done.toLocaleString('de-DE')} von ${total.toLocaleString('de-DE')} Einträgen (${Math.floor((done / total) * 100)} %)`);
      },
    });
    say(io, `${result.name} ist übernommen: ${config.publicUrl}/kommunen/${result.slug}`);
    noteLinkWithoutPublicUrl(context);
    say(io, `${counted(result.rounds, 'Runde', 'Runden')}, ${counted(result.answers, 'Antwort', 'Antworten')}; ${counted(result.peopleMatched, 'Person', 'Personen')} gefunden, ${result.peopleCreated} ohne Passwort angelegt.`);
    if (result.belege) say(io, `${counted(result.belege, 'Beleg', 'Belege')} (${megabytes(result.belegeBytes)}).`);
    if (result.residentSurveys) say(io, `${counted(result.residentSurveys, 'Einwohner:innen-Umfrage', 'Einwohner:innen-Umfragen')} mit ${counted(result.residentResponses, 'Antwort', 'Antworten')}.`);
    if (result.surveysWithNewLink) say(io, `${counted(result.surveysWithNewLink, 'Umfrage hat', 'Umfragen haben')} einen neuen Link, weil der alte hier schon vergeben war: bitte neu herausgeben und das Plakat neu drucken.`);
    if (result.peopleCreated) say(io, 'Neu angelegte Personen erhalten Zugang über eine Einladung auf der Seite der Kommune.');
    return 0;
  }, { isQuiet: true });
}


/** The German message and exit code of a failed command (0 ok, 1 failure, 2 wrong call). */
function reportError(error: unknown, io: CliIo): number {
  if (error instanceof UsageError) {
    io.stderr(`${error.message}\nHilfe: weltoffen --help\n`);
    return 2;
  }
  if (error instanceof ConfigError) {
    io.stderr(`${error.message}\n`);
    return 2;
  }
  if (error instanceof DomainError) {
    io.stderr(`${error.detail?.message ?? errorTable[error.code].message}\n`);
    return 1;
  }
  if (error instanceof DataDirLockedError || error instanceof CatalogFileError || error instanceof CliError) {
    io.stderr(`${error.message}\n`);
    return 1;
  }
  // Like the server's log: a failed query's message would print every parameter (answers, names).
  io.stderr(`Unerwarteter Fehler: ${describeError(error)}\n`);
  return 1;
}

/**
 * Runs one call wherever it is: in this process, or inside the running server for a CLI that sent it
 * over the command socket (the same code, so the same output). `prepare` gives the configuration,
 * IO and database; it is called only for a known command, after the name was checked.
 */
export async function runCommand(argv: string[], io: CliIo, prepare: () => CommandContext | Promise<CommandContext>): Promise<number> {
  const [name = 'help', ...args] = argv;
  const resolved = commandName(argv);
  try {
    if (!resolved) throw new UsageError(`Unbekannter Befehl „${name}“.`);
    return await commands[resolved](args, await prepare());
  } catch (error) {
    if (error instanceof ServerIsRunning) throw error;
    return reportError(error, io);
  }
}

/** „1 Runde“, „3 Runden“: a count in digits with its noun in the right number, for the CLI's summaries. */
function counted(count: number, singular: string, plural: string): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
