import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';

import { createProgrammteamAccount } from '../services/manage-first-account.ts';
import { CatalogFileError } from '../services/manage-catalogs.ts';
import { loadDemo } from '../services/load-demo.ts';
import { getRoundResults } from '../services/compute-results.ts';
import { exportKommune, importKommune } from '../services/transfer-kommune.ts';
import { renderReport, reportFormats, type ReportFormat } from '../services/generate-report.ts';
import { questionnaireFormats, renderPaperQuestionnaire, type QuestionnaireFormat } from '../services/print-questionnaire.ts';
import type { Actor } from '../domain/access.ts';
import { ConfigError, readConfig, type ServerConfig } from '../server/config.ts';
import { errorTable } from '../server/errors.ts';
import { describeError } from '../server/log-redaction.ts';
import { emailSchema, passwordSchema, personNameSchema } from '../server/routes/common-schemas.ts';
import { DataDirLockedError, openRuntime } from '../server/wiring/runtime.ts';
import { issueResetToken } from '../server/wiring/auth.ts';
import { createResetLinkForEmail } from '../services/reset-password.ts';

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
  demo                      Lädt die Demo-Kommune „Musterstadt“ mit Konten aller Rollen und einer
                            ausgefüllten, konsolidierten Selbstcheck-Runde.
  results <kommune> [--round N] [--json]
                            Zeigt die Ergebnisse einer Runde (ohne --round: die neueste); mit --json
                            dasselbe JSON wie die Ergebnis-Schnittstelle der Web-App.
  report <kommune> --format pdf|docx|html -o DATEI [--round N]
                            Erzeugt den Abschlussbericht der neuesten oder der gewählten Runde.
  questionnaire <kommune> --round N --format pdf|docx -o DATEI [--field K]
                            Schreibt den Fragebogen der Runde zum Ausdrucken (PDF) oder für Word
                            (DOCX): alle bearbeiteten Handlungsfelder oder mit --field eines.
  export <kommune> [-o DATEI]
                            Schreibt alles einer Kommune (Stammdaten, Personen, Prozess, jede Runde mit
                            allen Antworten) als JSON-Paket in DATEI oder auf die Standardausgabe.
                            Format: docs/kommune-bundle.schema.json
  import DATEI [--slug KENNUNG | --into KOMMUNE]
                            Legt die Kommune aus einem Paket neu an (neue Kennungen; Personen werden
                            über die E-Mail-Adresse gefunden oder ohne Passwort angelegt). Mit --into
                            wird eine vorhandene, noch leere Kommune gefüllt. Ein fehlerhaftes Paket
                            wird ganz abgelehnt.
  help                      Zeigt diese Hilfe.

Konfiguration über Umgebungsvariablen (DATA_DIR, DATABASE_URL, PORT, …), siehe README.
`;

/** `admin reset-password`: prints a reset link for the person; the operator passes it on. */
async function resetPasswordCommand(args: string[], config: ServerConfig): Promise<number> {
  const values = parse(args, { email: { type: 'string' } });
  if (!values.email) throw new UsageError('Bitte --email angeben.');
  const email = check(emailSchema, values.email, 'E-Mail-Adresse');
  const runtime = await openRuntime(config, () => {});
  try {
    const { link, name } = await createResetLinkForEmail(runtime.services, email, (userId) => issueResetToken(runtime.auth, userId));
    console.log(`Link für ein neues Passwort für ${name} (${email}), gültig eine Stunde und nur einmal:\n${link}`);
    return 0;
  } finally {
    await runtime.close();
  }
}

/** A wrong call of the command: message to stderr, exit code 2. */
class UsageError extends Error {}

type Command = (args: string[], config: ServerConfig) => Promise<number>;

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

async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    return input.split(/\r?\n/)[0] ?? '';
  }
  const prompt = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Hide what is typed: readline writes through _writeToOutput, which we silence while asking.
  const hidden = prompt as unknown as { _writeToOutput: (text: string) => void };
  const ask = async (question: string) => {
    process.stdout.write(question);
    hidden._writeToOutput = () => {};
    const answer = await prompt.question('');
    process.stdout.write('\n');
    return answer;
  };
  try {
    const first = await ask('Passwort (mindestens 12 Zeichen): ');
    const second = await ask('Passwort wiederholen: ');
    if (first !== second) throw new UsageError('Die beiden Passwörter stimmen nicht überein.');
    return first;
  } finally {
    prompt.close();
  }
}

function check<T>(schema: z.ZodType<T>, value: unknown, label: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`${label}: ${result.error.issues[0]?.message ?? 'ungültig'}.`);
  return result.data;
}

const commands: Record<string, Command> = {
  async serve(args, config) {
    parse(args, {});
    const { startServer } = await import('../server/serve.ts');
    const server = await startServer(config);
    const stop = () => {
      console.log('Weltoffen wird beendet …');
      void server.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await new Promise(() => {});
    return 0;
  },

  async migrate(args, config) {
    parse(args, {});
    const runtime = await openRuntime(config);
    await runtime.close();
    console.log('Die Datenbank ist auf dem neuesten Stand.');
    return 0;
  },

  async admin(args, config) {
    const [sub, ...rest] = args;
    if (sub === 'reset-password') return resetPasswordCommand(rest, config);
    if (sub !== 'create') throw new UsageError(`Unbekannter Befehl „admin ${sub ?? ''}“. Gemeint ist „admin create“ oder „admin reset-password“.`);
    const values = parse(rest, {
      email: { type: 'string' },
      name: { type: 'string' },
      'password-stdin': { type: 'boolean' },
    });
    if (!values.email) throw new UsageError('Bitte --email angeben.');
    const email = check(emailSchema, values.email, 'E-Mail-Adresse');
    const name = check(personNameSchema, values.name ?? email.split('@')[0], 'Name');
    const password = check(passwordSchema, await readPassword(values['password-stdin'] === true), 'Passwort');
    const runtime = await openRuntime(config);
    try {
      await createProgrammteamAccount(runtime.services, { email, name, password });
      console.log(`Das Konto ${email} (Programmteam) ist angelegt. Anmeldung unter ${config.publicUrl}/anmelden`);
      return 0;
    } finally {
      await runtime.close();
    }
  },

  async demo(args, config) {
    parse(args, {});
    const runtime = await openRuntime(config);
    try {
      const result = await loadDemo(runtime.services);
      if (!result.isCreated) {
        console.log('Die Demo-Kommune Musterstadt ist bereits geladen.');
        // The password is stored only as a hash, so it cannot be shown again; say how to get in.
        console.log('Das Passwort der Demo-Konten wird nur beim ersten Laden ausgegeben. Einen Link für ein neues Passwort gibt aus:');
        console.log(`  npx weltoffen admin reset-password --email ${result.people[0]!.email}`);
        return 0;
      }
      console.log(`Demo-Kommune Musterstadt geladen: ${config.publicUrl}/kommunen/${result.slug}`);
      console.log(`Alle Demo-Konten haben dieses einmalig erzeugte Passwort: ${result.password}`);
      for (const person of result.people) {
        console.log(`  ${person.email.padEnd(40)} ${person.programmeRole ?? person.kommuneRole}`);
      }
      return 0;
    } finally {
      await runtime.close();
    }
  },

  async results(args, config) {
    const parsed = parseWithPositionals(args, { round: { type: 'string' }, json: { type: 'boolean' } });
    const slug = oneKommune(parsed.positionals, 'weltoffen results musterstadt');
    const round = parsed.values.round === undefined ? undefined : Number(parsed.values.round);
    if (round !== undefined && (!Number.isInteger(round) || round < 1)) throw new UsageError('--round braucht eine Rundennummer ab 1.');
    const runtime = await openRuntime(config, () => {});
    try {
      const results = await getRoundResults(runtime.services, operator, slug, round);
      if (parsed.values.json) {
        console.log(JSON.stringify(results, null, 2));
        return 0;
      }
      const { overall } = results;
      const percent = (value: number | null) => (value === null ? 'noch kein Wert' : `${value} %`);
      console.log(`${results.kommune.name}, Selbstcheck-Runde ${results.round.number} (${results.round.status === 'open' ? 'offen' : 'abgeschlossen'})`);
      const provisional = overall.isProvisional ? ' (vorläufig)' : '';
      console.log(overall.levelText ? `„${overall.levelText}“ – Gesamtwert ${percent(overall.displayPercent)}${provisional}` : 'Noch kein Gesamtergebnis.');
      if (overall.scoredFieldCount < overall.workedFieldCount) {
        console.log(`Der Gesamtwert beruht auf ${overall.scoredFieldCount} von ${overall.workedFieldCount} bearbeiteten Handlungsfeldern; die übrigen haben noch keinen Wert.`);
      }
      if (overall.isProvisional) {
        console.log(results.round.status === 'open' ? 'Vorläufig: Die Runde ist noch offen.' : 'Vorläufig: Es sind noch Kriterien offen.');
      }
      console.log('Prozentwerte auf ganze Zahlen gerundet, ab ,5 aufgerundet; die Stufe folgt dem gerundeten Gesamtwert.');
      for (const field of results.fields) {
        console.log(`\nHandlungsfeld ${field.key} – ${field.name}: ${field.isWorked ? percent(field.displayPercent) : 'nicht bearbeitet'}`);
        if (!field.isWorked) continue;
        const details = [`${field.answeredQuestionCount} von ${field.questionCount} Leitfragen beantwortet`, `${field.respondentCount} ${field.respondentCount === 1 ? 'Person' : 'Personen'}`];
        if (field.openCriterionCount) details.push(`${field.openCriterionCount} ${field.openCriterionCount === 1 ? 'Kriterium' : 'Kriterien'} offen`);
        if (field.notApplicableCriterionCount) details.push(`${field.notApplicableCriterionCount}× trifft nicht zu`);
        console.log(`  ${details.join(', ')}`);
        for (const criterion of field.criteria) console.log(`  ${criterion.symbol.padEnd(5)} ${criterion.name}${criterion.status === 'open' ? ' (offen)' : ''}`);
      }
      return 0;
    } finally {
      await runtime.close();
    }
  },

  async report(args, config) {
    const parsed = parseWithPositionals(args, { format: { type: 'string' }, output: { type: 'string', short: 'o' }, round: { type: 'string' } });
    const slug = oneKommune(parsed.positionals, 'weltoffen report musterstadt --format pdf -o bericht.pdf');
    const format = parsed.values.format as ReportFormat | undefined;
    if (!format || !reportFormats.includes(format)) throw new UsageError('Bitte --format pdf, docx oder html angeben.');
    if (!parsed.values.output) throw new UsageError('Bitte mit -o die Datei angeben, in die der Bericht geschrieben wird.');
    const round = parsed.values.round === undefined ? undefined : Number(parsed.values.round);
    if (round !== undefined && (!Number.isInteger(round) || round < 1)) throw new UsageError('--round braucht eine Rundennummer ab 1.');
    const runtime = await openRuntime(config, () => {});
    try {
      const file = await renderReport(runtime.services, operator, slug, format, round);
      try {
        await writeFile(parsed.values.output, file.body);
      } catch (error) {
        throw new UsageError(`Die Datei ${parsed.values.output} lässt sich nicht schreiben (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
      }
      console.log(`Abschlussbericht geschrieben: ${parsed.values.output} (${Math.round(file.body.length / 1024)} KB)`);
      return 0;
    } finally {
      await runtime.close();
    }
  },

  async questionnaire(args, config) {
    const parsed = parseWithPositionals(args, { format: { type: 'string' }, output: { type: 'string', short: 'o' }, round: { type: 'string' }, field: { type: 'string' } });
    const slug = oneKommune(parsed.positionals, 'weltoffen questionnaire musterstadt --round 1 --format pdf -o fragebogen.pdf');
    const format = parsed.values.format as QuestionnaireFormat | undefined;
    if (!format || !questionnaireFormats.includes(format)) throw new UsageError('Bitte --format pdf oder docx angeben.');
    if (!parsed.values.output) throw new UsageError('Bitte mit -o die Datei angeben, in die der Fragebogen geschrieben wird.');
    const round = Number(parsed.values.round);
    if (!Number.isInteger(round) || round < 1) throw new UsageError('--round braucht eine Rundennummer ab 1.');
    const field = parsed.values.field;
    if (field !== undefined && !/^[0-9]{1,2}$/.test(field)) throw new UsageError('--field braucht die Nummer eines Handlungsfelds, zum Beispiel 3.');
    const runtime = await openRuntime(config, () => {});
    try {
      const file = await renderPaperQuestionnaire(runtime.services, operator, slug, round, format, field);
      try {
        await writeFile(parsed.values.output, file.body);
      } catch (error) {
        throw new UsageError(`Die Datei ${parsed.values.output} lässt sich nicht schreiben (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
      }
      console.log(`Fragebogen geschrieben: ${parsed.values.output} (${Math.round(file.body.length / 1024)} KB)`);
      return 0;
    } finally {
      await runtime.close();
    }
  },

  async export(args, config) {
    const parsed = parseWithPositionals(args, { output: { type: 'string', short: 'o' } });
    const slug = oneKommune(parsed.positionals, 'weltoffen export musterstadt -o musterstadt.json');
    const runtime = await openRuntime(config, () => {});
    try {
      const bundle = await exportKommune(runtime.services, operator, slug);
      const text = `${JSON.stringify(bundle, null, 2)}\n`;
      if (!parsed.values.output) {
        process.stdout.write(text);
        return 0;
      }
      try {
        await writeFile(parsed.values.output, text, 'utf8');
      } catch (error) {
        throw new UsageError(`Die Datei ${parsed.values.output} lässt sich nicht schreiben (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
      }
      const answers = bundle.rounds.reduce((sum, round) => sum + round.answers.length, 0);
      console.error(`${bundle.kommune.name}: ${bundle.rounds.length} Runde(n), ${answers} Antworten, ${bundle.people.length} Personen → ${parsed.values.output}`);
      return 0;
    } finally {
      await runtime.close();
    }
  },

  async import(args, config) {
    const parsed = parseWithPositionals(args, { slug: { type: 'string' }, into: { type: 'string' } });
    const [file, ...extra] = parsed.positionals;
    if (!file || extra.length) throw new UsageError('Bitte genau eine Paketdatei angeben, z. B. „weltoffen import musterstadt.json“.');
    const { slug, into } = parsed.values;
    if (slug !== undefined && into !== undefined) throw new UsageError('--slug und --into schließen einander aus.');
    for (const value of [slug, into]) if (value !== undefined && !slugPattern.test(value)) throw new UsageError(`„${value}“ ist keine gültige Kennung einer Kommune.`);
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(
        code === 'ENOENT' ? `Die Datei ${file} gibt es nicht.` : code ? `Die Datei ${file} lässt sich nicht lesen (${code}).` : `Die Datei ${file} ist kein gültiges JSON (${(error as Error).message}).`,
      );
    }
    const runtime = await openRuntime(config, () => {});
    try {
      // Progress about every tenth written, and the last, before the result.
      let shown = -1;
      const result = await importKommune(runtime.services, operator, raw, { slug, into }, {
        onProgress: ({ done, total }) => {
          const tenth = Math.floor((done / total) * 10);
          if (tenth === shown && done < total) return;
          shown = tenth;
          process.stdout.write(`Eingespielt: ${done.toLocaleString('de-DE')} von ${total.toLocaleString('de-DE')} Einträgen (${Math.floor((done / total) * 100)} %)\n`);
        },
      });
      console.log(`${result.name} ist übernommen: ${config.publicUrl}/kommunen/${result.slug}`);
      console.log(`${result.rounds} Runde(n), ${result.answers} Antworten; ${result.peopleMatched} Personen gefunden, ${result.peopleCreated} ohne Passwort angelegt.`);
      if (result.peopleCreated) console.log('Neu angelegte Personen erhalten Zugang über eine Einladung auf der Seite der Kommune.');
      return 0;
    } finally {
      await runtime.close();
    }
  },

  async help() {
    console.log(help);
    return 0;
  },
};

/** Runs one CLI call; returns the exit code (0 ok, 1 failure, 2 wrong call). */
export async function main(argv: string[]): Promise<number> {
  // Output piped into a command that stops reading early ("| head") is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const [name = 'help', ...args] = argv;
  const command = commands[name === '--help' || name === '-h' ? 'help' : name];
  try {
    if (!command) throw new UsageError(`Unbekannter Befehl „${name}“.`);
    return await command(args, readConfig());
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\nHilfe: weltoffen --help`);
      return 2;
    }
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    if (error instanceof DomainError) {
      console.error(error.detail?.message ?? errorTable[error.code].message);
      return 1;
    }
    if (error instanceof DataDirLockedError || error instanceof CatalogFileError) {
      console.error(error.message);
      return 1;
    }
    // Like the server's log: a failed query's message would print every parameter (answers, names).
    console.error(`Unerwarteter Fehler: ${describeError(error)}`);
    return 1;
  }
}
