import { z } from 'zod';
import { canEnterOnBehalf, kommuneRoles } from './access.ts';
import { answerKeys, catalogForKind, hasAnswerOption, type AnswerKey, type Catalog } from './catalog.ts';
import { checkDialogues, dialoguesSchema } from './dialogue.ts';
import { noteBody, noteBodyMax, noteKinds, subjectKeyPatterns } from './discussion.ts';
import { kickoffSchema } from './kickoff.ts';
import { allDesignations, bundeslandNames, checkDesignation, checkGemeindeschluessel, kommuneKinds, leadingDesignation, moduleNumbers } from './kommune.ts';
import {
  checkDialoguesModule,
  checkMemberFieldKeys,
  checkOffersModule,
  checkRatingReason,
  checkRoundCatalogVersion,
  checkRoundPeriod,
  checkRoundTimes,
  checkWorkshopRounds,
} from './kommune-rules.ts';
import { scoreRound, type ScoredAnswer } from './scoring.ts';
import { offerSchema, offerStatuses } from './offer.ts';
import { departmentSpelling, departmentSpellings, onBehalfName, respondentKey } from './on-behalf.ts';
import { checkOutlook, outlookSchema } from './outlook.ts';
import { checkDistrictRange, profileSchema } from './profile.ts';
import { reportTextsSchema } from './report.ts';
import { agreementKeys, surveyLanguages, type StatementSet } from './resident-survey.ts';
import {
  arrivalMinute,
  checkResponse,
  exclusionReasonSchema,
  exclusionTooSmall,
  maxOpenAnswerLength,
  maxOpenQuestions,
  minimumResponses,
  openAnswerReviews,
  surveySettingsSchema,
  surveyStatements,
  surveyStatuses,
  unknownFields,
  type ResponseRefusal,
} from './resident-survey-results.ts';
import { periodPrecisions } from './round.ts';
import { withoutNoteText } from './round-change.ts';
import { kommuneName, line, markup, personName } from './text-fields.ts';
import { checkWorkshops, workshopsSchema } from './workshop.ts';
import { evidenceDocumentDate, evidenceTitle } from './api/belege.ts';
import { evidenceTypes, judgeNameAndClaim, type EvidenceKind } from './evidence-file.ts';

/**
 * The Kommune bundle: everything of one Kommune as one JSON document, for backup and for moving a
 * Kommune to another installation. No ids of the database appear in it; people are named by e-mail,
 * offers of Modul 3 by title, catalogs by id and version. docs/kommune-bundle.schema.json is generated
 * from this schema (npm run docs:schema) and a test keeps the two equal.
 *
 * Version 2 adds the Belege: their titles, versions and links are in the JSON (`belege`), each file's
 * bytes lie next to it in a ZIP container as `belege/<sha256>` (services/bundle-archive.ts). A bundle of
 * version 1 (a JSON file, no Belege) is still read.
 */

export const bundleFormat = 'weltoffen-kommune-bundle';
export const bundleFormatVersion = 2;
/** The versions this installation reads. */
export const readableBundleVersions = [1, 2] as const;

const email = z.email('eine E-Mail-Adresse').max(254).toLowerCase();
// Years 2000 to 2099 only: Weltoffen records the present, so a century around it refuses typos
// (0202) and crafted values the database cannot store (year 0, after 9999) while never a real bundle.
const timestamp = z.iso
  .datetime({ offset: true, message: 'Zeitpunkt im Format ISO 8601' })
  .regex(/^20\d\d-/, 'ein Zeitpunkt in den Jahren 2000 bis 2099');
const date = z.iso.date('Datum im Format JJJJ-MM-TT').nullable();
const fieldKey = z.string().regex(/^[0-9]{1,2}$/, 'ungültiges Handlungsfeld');
const answerKey = z.enum(answerKeys, 'eine der Antworten der Antwortskala (ja, eher_ja, eher_nein, nein, keine_einschaetzung, trifft_nicht_zu)');
// The change log's before/after as stored; PostgreSQL refuses the NUL character in JSON text.
const loggedValue = z
  .json()
  .nullable()
  .refine((value) => !JSON.stringify(value).includes('\\u0000'), 'keine Steuerzeichen');

const personSchema = z
  .object({
    email: email.describe('E-Mail-Adresse; daran wird die Person beim Import wiedererkannt oder neu angelegt (ohne Passwort).'),
    name: personName().describe('Name (die Regel für Namen in Weltoffen: 2 bis 120 Zeichen, keine Steuer- oder unsichtbaren Formatzeichen).'),
    role: z
      .enum(kommuneRoles, 'koordination, mitwirkende oder lesende')
      .nullable()
      .describe('Rolle in der Kommune; null für Personen, die geantwortet haben, aber nicht mehr Mitglied sind.'),
    fieldKeys: z
      .array(fieldKey.describe('Schlüssel eines Handlungsfelds.'))
      .max(20)
      .nullable()
      .describe('Handlungsfelder, die Mitwirkende beantworten; null bedeutet alle.'),
  })
  .describe('Eine Person der Kommune. Rollen des Programms (Programmteam, Prozessbegleitung) sind nicht Teil des Pakets.');

const answerSchema = z
  .object({
    person: email.describe('E-Mail-Adresse der antwortenden Person (aus „people“).'),
    question: z.string().regex(/^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2}$/, 'ungültige Leitfrage').describe('Schlüssel der Leitfrage im Katalog, z. B. „1.2.3“.'),
    value: answerKey.nullable().describe('Die gewählte Antwort; null, wenn nur kommentiert wurde.'),
    comment: markup(5000).describe('Kommentar.'),
    evidence: markup(2000).describe('Belege und Beispiele.'),
    onBehalfOf: onBehalfName()
      .optional()
      .describe('Nur bei einem Fragebogen auf Papier: die Stelle, für die die Koordination („person“) die Antworten eingetragen hat, z. B. „Sozialamt“.'),
    updatedAt: timestamp.describe('Zeitpunkt der letzten Änderung.'),
  })
  .describe('Die Antwort einer Person auf eine Leitfrage.');

const ratingSchema = z
  .object({
    criterion: z.string().regex(/^[0-9]{1,2}\.[0-9]{1,2}$/, 'ungültiges Kriterium').describe('Schlüssel des Kriteriums, z. B. „1.2“.'),
    rating: answerKey.nullable().describe('Die festgelegte Einschätzung; null, wenn sie zurückgenommen wurde.'),
    reason: markup(2000).describe('Begründung, wenn sie von der errechneten Einschätzung abweicht.'),
    updatedBy: email.nullable().describe('Wer zuletzt geändert hat (E-Mail-Adresse aus „people“ oder null).'),
    updatedAt: timestamp.describe('Zeitpunkt der letzten Änderung.'),
  })
  .describe('Die festgelegte Einschätzung eines Kriteriums durch die Koordination.');

const changeSchema = z
  .object({
    at: timestamp.describe('Zeitpunkt.'),
    by: email.nullable().describe('Wer geändert hat (E-Mail-Adresse aus „people“ oder null).'),
    kind: z
      .enum(['answer', 'rating', 'round', 'question-note', 'criterion-note', 'question-thread', 'criterion-thread'], 'answer, rating, round, question-note, criterion-note, question-thread oder criterion-thread')
      .describe('Was geändert wurde: eine Antwort, eine Einschätzung, die Runde, eine Notiz zu einer Leitfrage oder einem Kriterium (…-note) oder ob deren Diskussion erledigt ist (…-thread).'),
    subject: line(100).min(1, 'bitte angeben').describe('Leitfrage, Kriterium oder Vorgang (started, settings, closed, reopened).'),
    before: loggedValue.describe('Stand vorher.'),
    after: loggedValue.describe('Stand nachher.'),
  })
  .describe(
    'Ein Eintrag im Änderungsprotokoll der Runde. Bei einer Notiz (…-note) steht nie ihr Text, nur was geschah: before null, after {"status": "written"}, {"status": "edited"} oder {"status": "deleted"}; ältere Einträge mit Text („note“) werden beim Import ohne ihn übernommen.',
  );

const noteKind = z.enum(noteKinds, 'question oder criterion').describe('Worum es geht: eine Leitfrage (question) oder ein Kriterium (criterion).');
const noteSubject = z
  .string()
  .regex(/^[0-9]{1,2}\.[0-9]{1,2}(\.[0-9]{1,2})?$/, 'Schlüssel einer Leitfrage („1.2.3“) oder eines Kriteriums („1.2“)')
  .describe('Schlüssel der Leitfrage („1.2.3“) oder des Kriteriums („1.2“) im Katalog.');

const noteSchema = z
  .object({
    kind: noteKind,
    key: noteSubject,
    author: email.nullable().describe('Wer die Notiz geschrieben hat (E-Mail-Adresse aus „people“); null, wenn das Konto gelöscht wurde.'),
    authorName: personName().describe('Der Name der Person, wie er beim Schreiben lautete. Beim Import gilt der Name des Kontos, dem „author“ zugeordnet wird (ein vorhandenes Konto behält seinen Namen, ein neues erhält den aus „people“); dieser Name gilt nur, wenn „author“ null ist.'),
    body: markup(noteBodyMax).describe(`Text der Notiz (höchstens ${noteBodyMax} Zeichen, nicht leer); leer bei einer gelöschten Notiz.`),
    createdAt: timestamp.describe('Zeitpunkt des Schreibens.'),
    editedAt: timestamp.nullable().default(null).describe('Zeitpunkt der letzten Bearbeitung; null, wenn nie bearbeitet.'),
    deletedAt: timestamp.nullable().default(null).describe('Zeitpunkt des Löschens; null, wenn nicht gelöscht. Eine gelöschte Notiz bleibt als „Notiz gelöscht“ an ihrer Stelle.'),
  })
  .describe('Eine Notiz in der Diskussion einer Leitfrage oder eines Kriteriums.');

const settledThreadSchema = z
  .object({
    kind: noteKind,
    key: noteSubject,
    settledAt: timestamp.describe('Zeitpunkt, zu dem die Diskussion als erledigt markiert wurde.'),
    settledBy: email.nullable().describe('Wer sie als erledigt markiert hat (E-Mail-Adresse aus „people“ oder null).'),
    settledByName: personName().describe('Der Name dieser Person, wie er damals lautete. Beim Import gilt wie bei Notizen der Name des Kontos von „settledBy“; dieser Name nur, wenn „settledBy“ null ist.'),
  })
  .describe('Eine als erledigt markierte Diskussion; Diskussionen, die hier fehlen, sind offen.');

const openAnswerSchema = z
  .object({
    question: z.number('eine ganze Zahl').int().min(0).max(maxOpenQuestions - 1).describe('Nummer der offenen Frage, ab 0, in der Reihenfolge der Einstellungen.'),
    text: z.string().max(maxOpenAnswerLength).describe(`Die Anmerkung (höchstens ${maxOpenAnswerLength} Zeichen, nicht leer).`),
    review: z.enum(openAnswerReviews, 'offen, freigegeben oder verworfen').describe('offen: noch nicht geprüft; freigegeben: die Kommune sieht sie; verworfen: nicht gezeigt.'),
    reviewedBy: email.nullable().describe('Wer sie zuletzt geprüft hat (E-Mail-Adresse aus „people“ oder null).'),
    reviewedAt: timestamp.nullable().describe('Zeitpunkt der letzten Prüfung; null, wenn nie geprüft.'),
  })
  .describe('Eine Anmerkung zu einer offenen Frage der Umfrage.');

const residentResponseSchema = z
  .object({
    language: z.enum(surveyLanguages, 'eine Sprache der Umfrage').describe('Die Sprache, in der geantwortet wurde.'),
    answers: z.record(z.string().max(10), z.enum(agreementKeys, 'zu, eher-zu, eher-nicht-zu, nicht-zu oder weiss-nicht')).describe('Je Aussage (Schlüssel wie „1.1“) die gewählte Antwort.'),
    groups: z.record(z.string().max(20), z.string().max(20)).describe('Die freiwillig angegebenen Gruppen (Schlüssel der Gruppe und der Antwort).'),
    device: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'ein SHA-256-Wert (64 Zeichen 0–9, a–f)')
      .describe('SHA-256 des einmaligen Geräte-Tokens: verhindert, dass ein Gerät nach dem Umzug ein zweites Mal antwortet. Kein Name, keine Adresse.'),
    receivedAt: timestamp.describe('Eingang, auf die Minute; Sekunden werden beim Import abgeschnitten.'),
    excludedBy: z.number('eine ganze Zahl oder null').int().min(0).nullable().describe('Nummer des Ausschlusses in „exclusions“ (ab 0), der diese Antwort aus den Ergebnissen nimmt; null: sie zählt.'),
    openAnswers: z.array(openAnswerSchema).max(maxOpenQuestions).default([]).describe('Die Anmerkungen dieser Antwort.'),
  })
  .describe('Die Antwort einer Einwohnerin oder eines Einwohners.');

const exclusionSchema = z
  .object({
    fromAt: timestamp.describe('Beginn des ausgeschlossenen Zeitraums.'),
    toAt: timestamp.describe('Ende des ausgeschlossenen Zeitraums.'),
    reason: exclusionReasonSchema.describe('Die Begründung (10 bis 500 Zeichen).'),
    createdBy: email.nullable().describe('Wer ausgeschlossen hat (E-Mail-Adresse aus „people“ oder null).'),
    createdAt: timestamp.describe('Zeitpunkt des Ausschlusses.'),
  })
  .describe('Ein Zeitraum, dessen Antworten die Koordination aus den Ergebnissen genommen hat.');

const maxResidentResponses = 200_000;
const residentResponseListSchema = z.array(residentResponseSchema);

const residentSurveySchema = z
  .object({
    token: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,64}$/, 'der zufällige Teil des Links (16 bis 64 Zeichen A–Z, a–z, 0–9, _ und -)')
      .describe('Der zufällige Teil des öffentlichen Links (/umfrage/…). Beim Import beibehalten, wenn er in der Zielinstallation frei ist; sonst gibt es einen neuen Link.'),
    statementSet: z.string().regex(/^\d{1,4}\.\d{1,4}$/, 'Version im Format „1.0“').describe('Version der Aussagensammlung; sie muss in der Zielinstallation geladen sein.'),
    status: z.enum(surveyStatuses, 'entwurf oder veroeffentlicht').describe('entwurf: noch nicht veröffentlicht; veroeffentlicht: der Link nimmt im Zeitraum Antworten an.'),
    settings: surveySettingsSchema.describe('Handlungsfelder, offene Fragen, Zeitraum, Speicherdauer in Monaten und Verantwortliche für den Datenschutzhinweis, mit denselben Regeln wie im Formular.'),
    createdBy: email.nullable().describe('Wer die Umfrage angelegt hat (E-Mail-Adresse aus „people“ oder null).'),
    createdAt: timestamp.describe('Zeitpunkt des Anlegens.'),
    publishedAt: timestamp.nullable().describe('Zeitpunkt der Veröffentlichung; null bei einem Entwurf.'),
    exclusions: z.array(exclusionSchema).max(1_000).default([]).describe('Die Ausschlüsse, älteste zuerst.'),
    responses: z.array(residentResponseSchema).max(maxResidentResponses).default([]).describe('Alle Antworten, auch ausgeschlossene, nach Eingang.'),
  })
  .describe('Die Umfrage unter Einwohner:innen (Außensicht) einer Runde.');

const maxAnswers = 200_000;
const maxChanges = 500_000;
const answerListSchema = z.array(answerSchema);
const changeListSchema = z.array(changeSchema);

const roundSchema = z
  .object({
    number: z.number('eine ganze Zahl').int().min(1).max(10_000).describe('Nummer der Runde in der Kommune (1, 2, …).'),
    catalog: z
      .object({
        id: z.string().regex(/^[a-z0-9-]{1,80}$/, 'ungültige Katalogkennung').describe('Kennung des Katalogs, z. B. „weltoffene-kommune“.'),
        version: z.string().regex(/^\d{1,4}\.\d{1,4}$/, 'Version im Format „1.0“').describe('Katalogversion, z. B. „1.0“.'),
      })
      .describe('Die Katalogversion der Runde; sie muss in der Zielinstallation geladen sein.'),
    status: z.enum(['open', 'closed'], 'open oder closed').describe('open: Fragebogen läuft; closed: abgeschlossen.'),
    workedFieldKeys: z.array(fieldKey.describe('Schlüssel eines Handlungsfelds.')).min(1, 'mindestens ein Handlungsfeld').max(20).describe('Die bearbeiteten Handlungsfelder.'),
    periodStart: date.describe('Beginn des Befragungszeitraums (JJJJ-MM-TT).'),
    periodEnd: date.describe('Ende des Befragungszeitraums (JJJJ-MM-TT).'),
    periodPrecision: z
      .enum(periodPrecisions, 'day oder month')
      .default('day')
      .describe('Wie der Zeitraum im Bericht steht: day mit genauen Daten, month nur mit Monat und Jahr („im März und April 2020“). Fehlt die Angabe (ältere Pakete), gilt day.'),
    participants: markup(5000).describe('Wer am Fragebogen mitgewirkt hat (Text).'),
    deadline: date.default(null).describe('Frist für die Antworten (JJJJ-MM-TT); null: keine. Fehlt die Angabe (ältere Pakete), gilt null.'),
    reminderDaysBefore: z
      .number('eine ganze Zahl von 1 bis 60 oder null')
      .int('eine ganze Zahl')
      .min(1, 'mindestens 1')
      .max(60, 'höchstens 60')
      .nullable()
      .default(null)
      .describe('Wie viele Tage vor der Frist der Server an offene Leitfragen erinnert; null: keine automatische Erinnerung.'),
    createdAt: timestamp.describe('Zeitpunkt des Beginns.'),
    createdBy: email.nullable().describe('Wer die Runde begonnen hat (E-Mail-Adresse aus „people“ oder null).'),
    closedAt: timestamp.nullable().describe('Zeitpunkt des Abschlusses; null bei offener Runde.'),
    answers: z.array(answerSchema).max(maxAnswers).describe('Alle Antworten aller Personen.'),
    ratings: z.array(ratingSchema).max(1_000).describe('Die festgelegten Einschätzungen.'),
    changes: z.array(changeSchema).max(maxChanges).describe('Das Änderungsprotokoll, älteste zuerst.'),
    notes: z.array(noteSchema).max(50_000).default([]).describe('Die Notizen der Diskussion je Leitfrage und Kriterium, älteste zuerst. Fehlt die Angabe (ältere Pakete), gibt es keine.'),
    settledThreads: z.array(settledThreadSchema).max(5_000).default([]).describe('Die als erledigt markierten Diskussionen. Fehlt die Angabe (ältere Pakete), ist keine erledigt.'),
    residentSurvey: residentSurveySchema.nullable().default(null).describe('Die Umfrage unter Einwohner:innen zu dieser Runde; null: keine. Fehlt die Angabe (ältere Pakete), gilt null.'),
  })
  .describe('Eine Selbstcheck-Runde.');

/** The documents of the process, each in the schema the app edits it with. */
const documentsSchema = z
  .object({
    profile: profileSchema.describe('Ausgangslage (Abschnitt 1 des Berichts).'),
    kickoff: kickoffSchema.describe('Auftaktgespräch (Abschnitt 2).'),
    workshops: workshopsSchema.describe('Selbstcheck-Workshops (Abschnitt 4).'),
    dialogues: dialoguesSchema.describe('Dialogveranstaltungen in Modul 2 (Abschnitt 2).'),
    outlook: outlookSchema.describe('Ausblick, Partnerschaften, Ziele und Maßnahmen (Abschnitt 5).'),
    report: reportTextsSchema.default({ preamble: '', withEvidence: true }).describe('Selbst geschriebene Passagen des Abschlussberichts.'),
  })
  .describe('Die Dokumente des Prozesses.');

const offerEntrySchema = offerSchema
  .extend({ status: z.enum(offerStatuses, 'offen, angemeldet oder teilgenommen').describe('Stand der Kommune bei diesem Angebot.') })
  .describe('Ein Angebot aus Modul 3 mit dem Stand der Kommune. Beim Import wird ein vorhandenes Angebot mit demselben Titel und Termin verwendet.');

const evidenceMediaTypes = Object.values(evidenceTypes).map((type) => type.mediaType) as [string, ...string[]];
/** The largest Beleg a bundle may name (1 TiB): the installation's own limits are checked on import. */
const maxEvidenceBytes = 2 ** 40;

const belegVersionSchema = z
  .object({
    number: z.number('eine ganze Zahl').int('eine ganze Zahl').min(1).max(100_000).describe('Nummer der Fassung (1, 2, …); die höchste ist die aktuelle.'),
    fileName: z.string('ein Dateiname').min(1).max(255).describe('Dateiname, wie Weltoffen ihn gespeichert hat (Endung passend zum Format).'),
    mediaType: z.enum(evidenceMediaTypes, 'ein Dateiformat für Belege (PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG)').describe('Dateiformat (MIME-Typ), wie Weltoffen es aus dem Inhalt erkannt hat.'),
    size: z.number('eine Größe in Bytes').int('eine ganze Zahl').min(1, 'mindestens 1 Byte').max(maxEvidenceBytes).describe('Größe der Datei in Bytes.'),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'ein SHA-256-Prüfwert aus 64 Hexadezimalziffern').describe('SHA-256 der Datei (64 Hexadezimalziffern, klein); die Datei liegt in der ZIP-Datei unter „belege/<sha256>“.'),
    uploadedAt: timestamp.describe('Zeitpunkt des Hochladens.'),
    uploadedBy: email.nullable().describe('Wer die Fassung hochgeladen hat (E-Mail-Adresse aus „people“ oder null).'),
  })
  .describe('Eine Fassung eines Belegs.');

const belegLinkSchema = z
  .object({
    round: z.number('eine ganze Zahl').int().min(1).max(10_000).describe('Nummer der Runde.'),
    kind: noteKind,
    key: noteSubject,
  })
  .describe('Eine Verknüpfung des Belegs mit einer Leitfrage oder einem Kriterium einer Runde.');

const belegSchema = z
  .object({
    title: evidenceTitle.describe('Titel des Belegs (höchstens 200 Zeichen, keine Steuerzeichen).'),
    documentDate: evidenceDocumentDate.default(null).describe('Datum des Dokuments (JJJJ-MM-TT) oder null.'),
    releasedForReaders: z.boolean('true oder false').describe('Ob Lesende den Beleg sehen (von der Koordination freigegeben).'),
    createdAt: timestamp.describe('Zeitpunkt, zu dem der Beleg angelegt wurde.'),
    createdBy: email.nullable().describe('Wer ihn angelegt hat (E-Mail-Adresse aus „people“ oder null).'),
    versions: z.array(belegVersionSchema).min(1, 'mindestens eine Fassung').max(1_000).describe('Alle Fassungen, älteste zuerst.'),
    links: z.array(belegLinkSchema).max(5_000).default([]).describe('Die Leitfragen und Kriterien, die der Beleg stützt.'),
  })
  .describe('Ein Beleg: eine Datei (in Fassungen), die Antworten und Kriterien stützt.');

export const bundleSchema = z
  .object({
    format: z.literal(bundleFormat, `„${bundleFormat}“`).describe('Kennzeichnet die Datei als Weltoffen-Paket einer Kommune.'),
    formatVersion: z
      .literal([...readableBundleVersions], `Formatversion ${readableBundleVersions.join(' oder ')}`)
      .describe('Version des Formats; diese Beschreibung gilt für Version 2. Version 1 (ohne Belege, eine JSON-Datei) wird weiter gelesen.'),
    exportedAt: timestamp.describe('Zeitpunkt der Ausgabe.'),
    kommune: z
      .object({
        slug: z.string().regex(/^[a-z0-9-]{1,80}$/, 'Kleinbuchstaben, Ziffern und Bindestriche').describe('Kennung in Adressen; beim Import beibehalten, wenn frei.'),
        name: kommuneName().describe('Name der Kommune ohne ihre Bezeichnung („Beispielkreis“, nicht „Landkreis Beispielkreis“; dieselbe Regel wie im Formular: 2 bis 120 Zeichen, keine Steuer- oder unsichtbaren Formatzeichen, keine spitzen Klammern).'),
        kind: z.enum(kommuneKinds, 'eine Art von Kommune').describe('Art der Kommune.'),
        designation: z
          .enum(allDesignations, 'eine Bezeichnung wie „Stadt“, „Hansestadt“ oder „Kreis“')
          .nullable()
          .default(null)
          .describe('Bezeichnung im Bericht, z. B. „Hansestadt“ oder „Kreis“; null für die Art selbst. Sie muss zur Art passen (Stadt: Hansestadt, Landeshauptstadt, Kreisstadt, Große Kreisstadt, Universitätsstadt, Bezirk; Landkreis: Kreis, Region; Gemeinde: Markt, Flecken, Ortsgemeinde).'),
        gemeindeschluessel: z.string().regex(/^\d{8}$/, 'genau 8 Ziffern').nullable().describe('Amtlicher Gemeindeschlüssel (8 Ziffern) oder null.'),
        bundesland: z.enum(bundeslandNames, 'ein Land').describe('Land.'),
        modules: z
          .array(z.literal([...moduleNumbers], 'Modul 1, 2 oder 3'))
          .min(1)
          .max(3)
          .describe('Genutzte Module; Modul 1 (Selbstcheck) immer.'),
        archived: z.boolean('true oder false').describe('Ob die Kommune archiviert ist.'),
      })
      .describe('Stammdaten der Kommune.'),
    people: z.array(personSchema).max(5_000).describe('Alle Personen, die im Paket vorkommen.'),
    documents: documentsSchema,
    offers: z.array(offerEntrySchema).max(200).describe('Angebote aus Modul 3, bei denen die Kommune einen Stand hat.'),
    rounds: z.array(roundSchema).max(100).describe('Alle Selbstcheck-Runden, nach Nummer.'),
    belege: z
      .array(belegSchema)
      .max(10_000)
      .default([])
      .describe('Die Belege mit ihren Fassungen und Verknüpfungen (ab Version 2). Die Dateien liegen in der ZIP-Datei des Pakets unter „belege/<sha256>“; ein Paket als reine JSON-Datei hat keine. Fehlt die Angabe, gibt es keine.'),
  })
  .describe(
    'Alles einer Kommune in Weltoffen: Stammdaten, Personen, Prozessdokumente, Modul-3-Stand und jede Selbstcheck-Runde mit allen Antworten, Einschätzungen und dem Änderungsprotokoll. ' +
      'Neben dieser Struktur prüft der Import die Bezüge und die Regeln, die auch beim Eingeben in der Anwendung gelten: jede genannte E-Mail-Adresse steht in „people“; Leitfragen und Kriterien gibt es in der Katalogversion der Runde, und sie gehören zu einem Handlungsfeld, das die Runde bearbeitet; eine festgelegte Einschätzung, die von der aus den Antworten errechneten abweicht, hat eine Begründung; Handlungsfelder haben nur Mitwirkende; eine Runde endet nicht vor ihrem Beginn und läuft nicht auf einer älteren Katalogversion als die Runde davor; ein Workshop nennt eine Runde des Pakets; Dialogveranstaltungen gibt es nur mit Modul 2, Anmeldungen zu Angeboten nur mit Modul 3; der Name steht ohne Bezeichnung, und die Bezeichnung passt zur Art; ein Beleg ist nur mit Leitfragen und Kriterien einer Runde des Pakets verknüpft, die es in ihrer Katalogversion gibt und die zu einem bearbeiteten Handlungsfeld gehören, seine Dateinamen sind so, wie Weltoffen sie speichert, und jede seiner Dateien liegt in der ZIP-Datei, hat den genannten SHA-256-Prüfwert, ist dem Inhalt nach das genannte Format und passt in die Grenzen der Zielinstallation für Belege.',
  );

export type Bundle = z.infer<typeof bundleSchema>;

/**
 * Nesting deeper than this is refused before validation, with the JSON path, since validating it
 * recursively would overflow the stack (at ~5,000 levels). A real bundle nests 8 levels at most.
 */
export const maxBundleDepth = 64;

/** The path of the first value nested deeper than `limit`, or null; iterative, so any depth is safe. */
export function findTooDeep(value: unknown, limit = maxBundleDepth): (string | number)[] | null {
  interface Node { value: unknown; depth: number; parent: Node | null; key: string | number | null }
  const stack: Node[] = [{ value, depth: 0, parent: null, key: null }];
  while (stack.length) {
    const node = stack.pop()!;
    if (typeof node.value !== 'object' || node.value === null) continue;
    if (node.depth >= limit) {
      const path: (string | number)[] = [];
      for (let at: Node | null = node; at && at.key !== null; at = at.parent) path.unshift(at.key);
      return path;
    }
    const entries: [string | number, unknown][] = Array.isArray(node.value) ? node.value.map((entry, index) => [index, entry]) : Object.entries(node.value);
    for (let index = entries.length - 1; index >= 0; index--) stack.push({ value: entries[index]![1], depth: node.depth + 1, parent: node, key: entries[index]![0] });
  }
  return null;
}

/** How many answers or change-log entries are validated or checked at once before `pause` lets other work run. */
export const bundleSliceSize = 2_000;
const sliceSize = bundleSliceSize;

/**
 * A bundle whose shape is checked, or its first problem with the JSON path. `isNotBundle` marks a file
 * that is no bundle of this installation at all (format, formatVersion): its message is complete.
 */
export type BundleParseResult = { success: true; data: Bundle } | { success: false; path: (string | number)[]; message: string; isNotBundle?: boolean };

/** Whether the value is a Kommune bundle of a format version this installation reads, before anything else is checked. */
export function checkBundleHead(raw: unknown): { path: (string | number)[]; message: string } | null {
  const head = (typeof raw === 'object' && raw !== null ? raw : {}) as { format?: unknown; formatVersion?: unknown };
  if (head.format !== bundleFormat) {
    return { path: ['format'], message: `Die Datei ist kein Weltoffen-Paket einer Kommune: $.format fehlt oder ist nicht „${bundleFormat}“. Es wurde nichts übernommen.` };
  }
  if (typeof head.formatVersion === 'number' && head.formatVersion > bundleFormatVersion) {
    return {
      path: ['formatVersion'],
      message: `Das Paket hat in $.formatVersion die Version ${head.formatVersion}; diese Installation liest die Versionen ${readableBundleVersions.join(' und ')}. Bitte aktualisieren Sie Weltoffen. Es wurde nichts übernommen.`,
    };
  }
  return null;
}

/** `checkBundleHead`, then `parseBundle`: everything about a bundle that needs no catalog. */
export async function validateBundle(raw: unknown, pause: () => Promise<void> = async () => {}): Promise<BundleParseResult> {
  const head = checkBundleHead(raw);
  if (head) return { success: false, ...head, isNotBundle: true };
  return parseBundle(raw, pause);
}

/**
 * Validates a bundle like `bundleSchema.safeParse`, but the answers and the change log of each round
 * in slices with `pause` between them, so that a bundle of 100,000 answers does not block the server;
 * nesting deeper than maxBundleDepth is refused first. Returns the first problem with its path.
 */
export async function parseBundle(raw: unknown, pause: () => Promise<void> = async () => {}): Promise<BundleParseResult> {
  // The long lists (answers, change log, residents' responses) leave the skeleton and are validated in slices.
  const slices: { round: number; part: 'answers' | 'changes' | 'responses'; items: unknown[] }[] = [];
  const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  let skeleton = raw;
  if (isRecord(raw) && Array.isArray(raw.rounds)) {
    const rounds = raw.rounds.map((round: unknown, index) => {
      if (!isRecord(round)) return round;
      const copy = { ...round };
      for (const [part, max] of [['answers', maxAnswers], ['changes', maxChanges]] as const) {
        const items = copy[part];
        // A list over the limit stays in place, so that the schema names it.
        if (Array.isArray(items) && items.length <= max) {
          slices.push({ round: index, part, items });
          copy[part] = [];
        }
      }
      const survey = copy.residentSurvey;
      if (isRecord(survey) && Array.isArray(survey.responses) && survey.responses.length <= maxResidentResponses) {
        slices.push({ round: index, part: 'responses', items: survey.responses });
        copy.residentSurvey = { ...survey, responses: [] };
      }
      return copy;
    });
    skeleton = { ...raw, rounds };
  }
  const tooDeep = findTooDeep(skeleton);
  if (tooDeep) return { success: false, path: tooDeep, message: `Die Daten sind hier tiefer als ${maxBundleDepth} Ebenen verschachtelt` };
  const parsed = bundleSchema.safeParse(skeleton);
  if (!parsed.success) return { success: false, path: parsed.error.issues[0]!.path as (string | number)[], message: parsed.error.issues[0]!.message };
  for (const slice of slices) {
    const schema = slice.part === 'answers' ? answerListSchema : slice.part === 'changes' ? changeListSchema : residentResponseListSchema;
    const listPath = slice.part === 'responses' ? ['rounds', slice.round, 'residentSurvey', 'responses'] : ['rounds', slice.round, slice.part];
    const values: unknown[] = [];
    for (let start = 0; start < slice.items.length; start += sliceSize) {
      await pause();
      const part = slice.items.slice(start, start + sliceSize);
      const deep = findTooDeep(part, maxBundleDepth - listPath.length);
      const at = (path: readonly PropertyKey[]) => [...listPath, start + Number(path[0]), ...(path.slice(1) as (string | number)[])];
      if (deep) return { success: false, path: at(deep), message: `Die Daten sind hier tiefer als ${maxBundleDepth} Ebenen verschachtelt` };
      const result = schema.safeParse(part);
      if (!result.success) return { success: false, path: at(result.error.issues[0]!.path), message: result.error.issues[0]!.message };
      values.push(...result.data);
    }
    const round = parsed.data.rounds[slice.round]!;
    if (slice.part === 'responses') round.residentSurvey!.responses = values as ResidentResponse[];
    else (round as Record<string, unknown>)[slice.part] = values;
  }
  for (const round of parsed.data.rounds) {
    unifyDepartments(round);
    // A note's text never enters the change log, also not from an older bundle that logged it.
    round.changes = round.changes.map(withoutNoteText);
  }
  return { success: true, data: parsed.data };
}
export type BundleRound = Bundle['rounds'][number];
type ResidentResponse = z.output<typeof residentResponseSchema>;

/**
 * One spelling per department in a round, as the app stores answers entered on behalf: „ordnungsamt“
 * and „Ordnungsamt “ become the spelling that comes first in the bundle's answers (the change log's
 * names follow), so they are one Stelle and one respondent, and a question entered for both is a duplicate.
 */
function unifyDepartments(round: BundleRound): void {
  const spellings = departmentSpellings(round.answers.flatMap((answer) => (answer.onBehalfOf === undefined ? [] : [answer.onBehalfOf])));
  for (const answer of round.answers) if (answer.onBehalfOf !== undefined) answer.onBehalfOf = spellings.get(answer.onBehalfOf)!;
  const known = [...new Set(spellings.values())];
  for (const change of round.changes) {
    const after = change.after as Record<string, unknown> | null;
    if (change.kind === 'answer' && after && typeof after.onBehalfOf === 'string') after.onBehalfOf = departmentSpelling(after.onBehalfOf, known);
  }
}
export type BundlePerson = Bundle['people'][number];

/** What an import brought in, as the CLI prints it and the web app shows it. */
export interface ImportResult {
  slug: string;
  name: string;
  peopleMatched: number;
  peopleCreated: number;
  rounds: number;
  answers: number;
  /** Offers of Modul 3 that did not exist here and were not created (only the Programmteam creates offers). */
  offersSkipped: string[];
  /** Resident surveys (Außensicht) and their responses brought in. */
  residentSurveys: number;
  residentResponses: number;
  /** Surveys whose link was taken here already (the original next to its copy): they got a new link, their posters are outdated. */
  surveysWithNewLink: number;
  /** Belege brought in, and the bytes of all their versions. */
  belege: number;
  belegeBytes: number;
}

/** A problem of a bundle beyond its shape, with the JSON path of the value concerned. */
export interface BundleProblem {
  path: (string | number)[];
  message: string;
}

/** Catalog versions by "id@version". */
export type CatalogLookup = (id: string, version: string) => Catalog | undefined;
/** The Außensicht's statement sets by version. */
export type StatementSetLookup = (version: string) => StatementSet | undefined;

function fieldPath(field: string): (string | number)[] {
  // Document checks name fields as "content.a.0.b"; the bundle has them under documents.<kind>.
  return field
    .split('.')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

const notWorked = (what: string, key: string, fieldKey: string) =>
  `${what} ${key} gehört zum Handlungsfeld ${fieldKey}, das in dieser Runde nicht bearbeitet wird`;

/** The derived rating of every criterion from a round's answers (null: nobody answered, „offen“). */
async function derivedRatings(catalog: Catalog, round: BundleRound, pause: () => Promise<void>): Promise<Map<string, AnswerKey | null>> {
  const answers: ScoredAnswer[] = [];
  for (const [index, answer] of round.answers.entries()) {
    if (answer.value !== null) answers.push({ questionKey: answer.question, personId: respondentKey({ userId: answer.person, onBehalfOf: answer.onBehalfOf }), value: answer.value });
    if (index % sliceSize === sliceSize - 1) await pause();
  }
  const result = scoreRound(catalog, { workedFieldKeys: round.workedFieldKeys, answers, consolidations: [] });
  return new Map(result.fields.flatMap((field) => field.criteria.map((criterion) => [criterion.criterionKey, criterion.derivedRating] as const)));
}

/**
 * Checks what the schema cannot: references between parts and to the catalogs, and the rules the app
 * applies when the same data is entered by hand. Returns the first problem or null. Answers and the
 * change log are checked in slices with `pause` between them, like parseBundle.
 */
export async function checkBundle(
  bundle: Bundle,
  catalogOf: CatalogLookup,
  currentFieldKeys: readonly string[],
  statementSetOf: StatementSetLookup,
  pause: () => Promise<void> = async () => {},
): Promise<BundleProblem | null> {
  const agsProblem = bundle.kommune.gemeindeschluessel ? checkGemeindeschluessel(bundle.kommune.gemeindeschluessel, bundle.kommune.bundesland) : null;
  if (agsProblem) return { path: ['kommune', 'gemeindeschluessel'], message: agsProblem };
  if (!bundle.kommune.modules.includes(1)) return { path: ['kommune', 'modules'], message: 'Modul 1 fehlt; es wird immer genutzt.' };
  const designation = checkDesignation(bundle.kommune.kind, bundle.kommune.designation);
  if (designation) return { path: ['kommune', 'designation'], message: designation };
  const nameStart = leadingDesignation(bundle.kommune.name, bundle.kommune.kind);
  if (nameStart) {
    return {
      path: ['kommune', 'name'],
      message: `Der Name beginnt mit „${nameStart}“. Namen stehen ohne ihre Bezeichnung im Paket; die Bezeichnung steht in $.kommune.designation`,
    };
  }

  const emails = new Set<string>();
  for (const [index, person] of bundle.people.entries()) {
    if (emails.has(person.email)) return { path: ['people', index, 'email'], message: `${person.email} steht zweimal in der Liste.` };
    emails.add(person.email);
    const unknown = person.fieldKeys?.find((key) => !currentFieldKeys.includes(key));
    if (unknown) return { path: ['people', index, 'fieldKeys'], message: `Das Handlungsfeld ${unknown} gibt es im Katalog nicht.` };
    const fields = checkMemberFieldKeys(person.role, person.fieldKeys);
    if (fields) return { path: ['people', index, 'fieldKeys'], message: fields.message };
  }
  // The app's rule for entries on behalf of a department, applied to the person's role in the bundle;
  // a person who has left the Kommune (role null) may have entered them while a member.
  const roles = new Map(bundle.people.map((person) => [person.email, person]));
  const mayEnterOnBehalf = (email: string) => {
    const person = roles.get(email);
    if (person?.role === null) return true;
    return !!person && canEnterOnBehalf({ userId: email, programmeRole: null, assignedKommuneIds: [], memberships: [{ kommuneId: 'bundle', role: person.role, fieldKeys: person.fieldKeys ?? null }] }, 'bundle');
  };
  const knownPerson = (value: string | null, path: (string | number)[]): BundleProblem | null =>
    value === null || emails.has(value) ? null : { path, message: `${value} steht nicht in „people“.` };

  const documentChecks = [
    ['profile', () => { const message = checkDistrictRange(bundle.documents.profile); return message ? { field: 'content.districtRange', message } : null; }],
    ['workshops', () => checkWorkshops(bundle.documents.workshops, currentFieldKeys)],
    ['workshops', () => checkWorkshopRounds(bundle.documents.workshops.workshops, bundle.rounds.map((round) => round.number))],
    ['dialogues', () => checkDialogues(bundle.documents.dialogues, currentFieldKeys)],
    ['dialogues', () => checkDialoguesModule(bundle.documents.dialogues.events, bundle.kommune.modules)],
    ['outlook', () => checkOutlook(bundle.documents.outlook, currentFieldKeys)],
  ] as const;
  for (const [kind, check] of documentChecks) {
    const problem = check();
    if (problem) return { path: ['documents', kind, ...fieldPath(problem.field)], message: problem.message };
  }

  const offerKeys = new Set<string>();
  for (const [index, offer] of bundle.offers.entries()) {
    const key = `${offer.title}\u0000${offer.date ?? ''}`;
    if (offerKeys.has(key)) return { path: ['offers', index], message: `Das Angebot „${offer.title}“ steht zweimal in der Liste.` };
    offerKeys.add(key);
  }
  const offersProblem = checkOffersModule(bundle.offers, bundle.kommune.modules);
  if (offersProblem) return { path: ['offers', ...fieldPath(offersProblem.field).slice(1)], message: offersProblem.message };

  const belegProblem = checkBelege(bundle.belege, (value, path) => knownPerson(value, path));
  if (belegProblem) return belegProblem;
  // The links, by round: checked against the round's catalog inside the loop below.
  const linksOfRound = new Map<number, { path: (string | number)[]; kind: 'question' | 'criterion'; key: string }[]>();
  const roundNumbers = new Set(bundle.rounds.map((round) => round.number));
  let linkCount = 0;
  for (const [belegIndex, beleg] of bundle.belege.entries()) {
    for (const [linkIndex, link] of beleg.links.entries()) {
      if (++linkCount % sliceSize === 0) await pause();
      const path = ['belege', belegIndex, 'links', linkIndex];
      if (!roundNumbers.has(link.round)) return { path: [...path, 'round'], message: `Die Runde ${link.round} gibt es im Paket nicht.` };
      let list = linksOfRound.get(link.round);
      if (!list) linksOfRound.set(link.round, (list = []));
      list.push({ path: [...path, 'key'], kind: link.kind, key: link.key });
    }
  }

  const numbers = new Set<number>();
  const surveyTokens = new Set<string>();
  let openRounds = 0;
  for (const [roundIndex, round] of bundle.rounds.entries()) {
    const at = ['rounds', roundIndex];
    if (numbers.has(round.number)) return { path: [...at, 'number'], message: `Die Runde ${round.number} steht zweimal im Paket.` };
    numbers.add(round.number);
    if (round.status === 'open') openRounds += 1;
    if (openRounds > 1) return { path: [...at, 'status'], message: 'Eine Kommune hat höchstens eine offene Runde.' };
    const times = checkRoundTimes({ status: round.status, createdAt: new Date(round.createdAt), closedAt: round.closedAt === null ? null : new Date(round.closedAt) });
    if (times) return { path: [...at, times.field], message: times.message };
    const period = checkRoundPeriod(round);
    if (period) return { path: [...at, period.field], message: period.message };
    // Compared with the round of the next lower number: the app never starts a round on an older version.
    const previous = bundle.rounds
      .filter((other) => other.number < round.number && other.catalog.id === round.catalog.id)
      .sort((a, b) => b.number - a.number)[0];
    const order = checkRoundCatalogVersion(round.catalog.version, previous && { number: previous.number, version: previous.catalog.version });
    if (order) return { path: [...at, 'catalog', 'version'], message: order.message };
    const stored = catalogOf(round.catalog.id, round.catalog.version);
    // The questions asked of this kind of Kommune: the same view the app answers and scores from.
    const catalog = stored && catalogForKind(stored, bundle.kommune.kind);
    if (!catalog) {
      return {
        path: [...at, 'catalog'],
        message: `Die Katalogversion ${round.catalog.id} ${round.catalog.version} ist in dieser Installation nicht geladen.`,
      };
    }
    const fieldKeys = catalog.fields.map((field) => field.key);
    const unknownField = round.workedFieldKeys.find((key) => !fieldKeys.includes(key));
    if (unknownField) return { path: [...at, 'workedFieldKeys'], message: `Das Handlungsfeld ${unknownField} gibt es in der Katalogversion nicht.` };
    // Questions and criteria of the version, with the Handlungsfeld each belongs to.
    const fieldOfQuestion = new Map(catalog.fields.flatMap((field) => field.criteria.flatMap((criterion) => criterion.questions.map((question) => [question.key, field.key] as const))));
    const fieldOfCriterion = new Map(catalog.fields.flatMap((field) => field.criteria.map((criterion) => [criterion.key, field.key] as const)));
    const worked = new Set(round.workedFieldKeys);
    const creator = knownPerson(round.createdBy, [...at, 'createdBy']);
    if (creator) return creator;

    const answered = new Set<string>();
    for (const [index, answer] of round.answers.entries()) {
      if (index % sliceSize === sliceSize - 1) await pause();
      const answerAt = [...at, 'answers', index];
      const person = knownPerson(answer.person, [...answerAt, 'person']);
      if (person) return person;
      const answerField = fieldOfQuestion.get(answer.question);
      if (answerField === undefined) return { path: [...answerAt, 'question'], message: `Die Leitfrage ${answer.question} gibt es in der Katalogversion für diese Art von Kommune nicht.` };
      if (!worked.has(answerField)) return { path: [...answerAt, 'question'], message: notWorked('Die Leitfrage', answer.question, answerField) };
      if (answer.value !== null && !hasAnswerOption(catalog, answer.value)) return { path: [...answerAt, 'value'], message: `Die Antwort „${answer.value}“ gibt es in der Antwortskala der Katalogversion ${round.catalog.version} nicht.` };
      if (answer.onBehalfOf !== undefined && !mayEnterOnBehalf(answer.person)) {
        return { path: [...answerAt, 'onBehalfOf'], message: `${answer.person} darf keine Antworten für eine Stelle eintragen; das darf nur die Koordination.` };
      }
      const key = `${answer.person}\u0000${answer.question}\u0000${answer.onBehalfOf ?? ''}`;
      if (answered.has(key)) return { path: answerAt, message: answer.onBehalfOf === undefined ? `${answer.person} hat die Leitfrage ${answer.question} zweimal beantwortet.` : `Die Leitfrage ${answer.question} ist für „${answer.onBehalfOf}“ zweimal eingetragen.` };
      answered.add(key);
    }
    const rated = new Set<string>();
    // The derived ratings from the round's answers, as the app computes them when a rating is saved.
    const derived = round.ratings.length ? await derivedRatings(catalog, round, pause) : new Map<string, AnswerKey | null>();
    for (const [index, rating] of round.ratings.entries()) {
      const ratingAt = [...at, 'ratings', index];
      const ratingField = fieldOfCriterion.get(rating.criterion);
      if (ratingField === undefined) return { path: [...ratingAt, 'criterion'], message: `Das Kriterium ${rating.criterion} gibt es in der Katalogversion nicht.` };
      if (!worked.has(ratingField)) return { path: [...ratingAt, 'criterion'], message: notWorked('Das Kriterium', rating.criterion, ratingField) };
      if (rated.has(rating.criterion)) return { path: ratingAt, message: `Das Kriterium ${rating.criterion} ist zweimal eingeschätzt.` };
      if (rating.rating !== null && !hasAnswerOption(catalog, rating.rating)) return { path: [...ratingAt, 'rating'], message: `Die Einschätzung „${rating.rating}“ gibt es in der Antwortskala der Katalogversion ${round.catalog.version} nicht.` };
      const reason = checkRatingReason(rating.rating, derived.get(rating.criterion) ?? null, rating.reason);
      if (reason) return { path: [...ratingAt, reason.field], message: reason.message };
      rated.add(rating.criterion);
      const person = knownPerson(rating.updatedBy, [...ratingAt, 'updatedBy']);
      if (person) return person;
    }
    for (const [index, change] of round.changes.entries()) {
      if (index % sliceSize === sliceSize - 1) await pause();
      const person = knownPerson(change.by, [...at, 'changes', index, 'by']);
      if (person) return person;
    }
    // The discussion: the same rules as when a note is written (domain/discussion.ts).
    const subjectProblem = (kind: 'question' | 'criterion', key: string, path: (string | number)[]): BundleProblem | null => {
      if (!subjectKeyPatterns[kind].test(key)) return { path, message: `„${key}“ ist kein Schlüssel ${kind === 'question' ? 'einer Leitfrage („1.2.3“)' : 'eines Kriteriums („1.2“)'}.` };
      const subjectField = (kind === 'question' ? fieldOfQuestion : fieldOfCriterion).get(key);
      const what = kind === 'question' ? 'Die Leitfrage' : 'Das Kriterium';
      if (subjectField === undefined) return { path, message: `${what} ${key} gibt es in der Katalogversion für diese Art von Kommune nicht.` };
      if (!worked.has(subjectField)) return { path, message: notWorked(what, key, subjectField) };
      return null;
    };
    for (const [index, note] of round.notes.entries()) {
      if (index % sliceSize === sliceSize - 1) await pause();
      const noteAt = [...at, 'notes', index];
      const subject = subjectProblem(note.kind, note.key, [...noteAt, 'key']);
      if (subject) return subject;
      const person = knownPerson(note.author, [...noteAt, 'author']);
      if (person) return person;
      if (note.deletedAt === null) {
        const body = noteBody().safeParse(note.body);
        if (!body.success) return { path: [...noteAt, 'body'], message: `Notiz: ${body.error.issues[0]!.message}` };
      } else if (note.body !== '') return { path: [...noteAt, 'body'], message: 'Eine gelöschte Notiz hat keinen Text mehr.' };
    }
    const settled = new Set<string>();
    for (const [index, thread] of round.settledThreads.entries()) {
      const threadAt = [...at, 'settledThreads', index];
      const subject = subjectProblem(thread.kind, thread.key, [...threadAt, 'key']);
      if (subject) return subject;
      const id = `${thread.kind}:${thread.key}`;
      if (settled.has(id)) return { path: threadAt, message: `Die Diskussion zu ${thread.key} steht zweimal in der Liste.` };
      settled.add(id);
      const person = knownPerson(thread.settledBy, [...threadAt, 'settledBy']);
      if (person) return person;
    }
    // A Beleg links to what the app lets it link to: a question or criterion of a worked Handlungsfeld.
    for (const [index, link] of (linksOfRound.get(round.number) ?? []).entries()) {
      if (index % sliceSize === sliceSize - 1) await pause();
      const subject = subjectProblem(link.kind, link.key, link.path);
      if (subject) return subject;
    }
    if (round.residentSurvey) {
      const surveyAt = [...at, 'residentSurvey'];
      if (surveyTokens.has(round.residentSurvey.token)) return { path: [...surveyAt, 'token'], message: 'Zwei Umfragen haben denselben Link.' };
      surveyTokens.add(round.residentSurvey.token);
      const problem = await checkResidentSurvey(round.residentSurvey, surveyAt, statementSetOf, (value, path) => knownPerson(value, path), pause);
      if (problem) return problem;
    }
  }
  return null;
}

export type BundleBeleg = Bundle['belege'][number];

/**
 * The Belege's own rules: fassungen numbered once each, a file name and format as the upload stores
 * them (judgeNameAndClaim, the rule of domain/evidence-file.ts), each link once, people from „people“.
 * Whether each file is in the archive, is what it says and fits the installation's limits is checked
 * on import (services/transfer-kommune.ts), where the bytes are.
 */
function checkBelege(belege: readonly BundleBeleg[], knownPerson: (value: string | null, path: (string | number)[]) => BundleProblem | null): BundleProblem | null {
  const kindOfMediaType = new Map<string, EvidenceKind>(Object.entries(evidenceTypes).map(([kind, type]) => [type.mediaType, kind as EvidenceKind]));
  for (const [index, beleg] of belege.entries()) {
    const at = ['belege', index];
    const creator = knownPerson(beleg.createdBy, [...at, 'createdBy']);
    if (creator) return creator;
    const numbers = new Set<number>();
    for (const [versionIndex, version] of beleg.versions.entries()) {
      const versionAt = [...at, 'versions', versionIndex];
      if (numbers.has(version.number)) return { path: [...versionAt, 'number'], message: `Die Fassung ${version.number} des Belegs „${beleg.title}“ steht zweimal in der Liste.` };
      numbers.add(version.number);
      const named = judgeNameAndClaim(version.fileName, version.mediaType, kindOfMediaType.get(version.mediaType)!);
      if (!named.ok || named.fileName !== version.fileName) {
        return { path: [...versionAt, 'fileName'], message: `„${version.fileName}“ ist kein Dateiname, wie Weltoffen ihn für dieses Format speichert (erwartet wird etwa „${named.ok ? named.fileName : `beleg.${evidenceTypes[kindOfMediaType.get(version.mediaType)!].extension}`}“).` };
      }
      const uploader = knownPerson(version.uploadedBy, [...versionAt, 'uploadedBy']);
      if (uploader) return uploader;
    }
    const links = new Set<string>();
    for (const [linkIndex, link] of beleg.links.entries()) {
      const id = `${link.round}:${link.kind}:${link.key}`;
      if (links.has(id)) return { path: [...at, 'links', linkIndex], message: `Die Verknüpfung mit ${link.key} in Runde ${link.round} steht zweimal in der Liste.` };
      links.add(id);
    }
  }
  return null;
}

type BundleSurvey = NonNullable<BundleRound['residentSurvey']>;

/**
 * The rules of the Außensicht as the app applies them (domain/resident-survey-results.ts): settings as
 * in the form, responses as the public page takes them, exclusions of none or at least the minimum,
 * one response per device, responses only once published.
 */
async function checkResidentSurvey(
  survey: BundleSurvey,
  at: (string | number)[],
  statementSetOf: StatementSetLookup,
  knownPerson: (value: string | null, path: (string | number)[]) => BundleProblem | null,
  pause: () => Promise<void>,
): Promise<BundleProblem | null> {
  const set = statementSetOf(survey.statementSet);
  if (!set) return { path: [...at, 'statementSet'], message: `Die Aussagensammlung ${survey.statementSet} der Außensicht ist in dieser Installation nicht geladen.` };
  const unknown = unknownFields(survey.settings, set);
  if (unknown.length > 0) return { path: [...at, 'settings', 'fields'], message: `Für Handlungsfeld ${unknown.join(', ')} gibt es keine Aussagen.` };
  const creator = knownPerson(survey.createdBy, [...at, 'createdBy']);
  if (creator) return creator;
  if (survey.status === 'entwurf') {
    if (survey.publishedAt !== null) return { path: [...at, 'publishedAt'], message: 'Ein Entwurf ist nicht veröffentlicht; publishedAt ist null.' };
    if (survey.responses.length > 0) return { path: [...at, 'responses'], message: 'Ein Entwurf hat noch keine Antworten; nur eine veröffentlichte Umfrage nimmt welche an.' };
  } else if (survey.publishedAt === null) return { path: [...at, 'publishedAt'], message: 'Eine veröffentlichte Umfrage hat einen Zeitpunkt der Veröffentlichung.' };

  for (const [index, exclusion] of survey.exclusions.entries()) {
    const exclusionAt = [...at, 'exclusions', index];
    if (Date.parse(exclusion.toAt) < Date.parse(exclusion.fromAt)) return { path: [...exclusionAt, 'toAt'], message: 'Das Ende liegt vor dem Beginn.' };
    const person = knownPerson(exclusion.createdBy, [...exclusionAt, 'createdBy']);
    if (person) return person;
  }
  const statementKeys = surveyStatements(set, survey.settings.fields).map((statement) => statement.key);
  const devices = new Set<string>();
  const excludedCounts = survey.exclusions.map(() => 0);
  for (const [index, response] of survey.responses.entries()) {
    if (index % sliceSize === sliceSize - 1) await pause();
    const responseAt = [...at, 'responses', index];
    const open: string[] = [];
    for (const [openIndex, answer] of response.openAnswers.entries()) {
      const openAt = [...responseAt, 'openAnswers', openIndex];
      if (answer.question >= survey.settings.openQuestions.length) return { path: [...openAt, 'question'], message: `Die Umfrage hat ${survey.settings.openQuestions.length === 1 ? 'eine offene Frage' : `${survey.settings.openQuestions.length} offene Fragen`}; die Nummer ${answer.question} gibt es nicht.` };
      if (open[answer.question] !== undefined) return { path: [...openAt, 'question'], message: 'Zu dieser offenen Frage steht schon eine Anmerkung in der Antwort.' };
      open[answer.question] = answer.text;
      const person = knownPerson(answer.reviewedBy, [...openAt, 'reviewedBy']);
      if (person) return person;
    }
    // The public page's rule for a response (languages: any of the survey's languages; whether one was offered then is not known).
    const checked = checkResponse(
      { language: response.language, answers: response.answers, groups: response.groups, open: Array.from({ length: open.length }, (_, question) => open[question] ?? '') },
      { statementKeys, openQuestionCount: survey.settings.openQuestions.length, languages: surveyLanguages },
      set,
    );
    if (!checked.ok) return { path: responseAt, message: responseRefusals[checked.refusal] };
    for (const [openIndex, answer] of response.openAnswers.entries()) {
      if (checked.response.open[answer.question] !== answer.text) return { path: [...responseAt, 'openAnswers', openIndex, 'text'], message: 'Eine Anmerkung ist nicht leer, ohne Steuerzeichen und ohne Leerraum am Anfang und Ende.' };
    }
    if (devices.has(response.device)) return { path: [...responseAt, 'device'], message: 'Von diesem Gerät steht schon eine Antwort in der Umfrage; ein Gerät antwortet einmal.' };
    devices.add(response.device);
    if (response.excludedBy !== null) {
      const exclusion = survey.exclusions[response.excludedBy];
      if (!exclusion) return { path: [...responseAt, 'excludedBy'], message: `Einen Ausschluss Nummer ${response.excludedBy} gibt es in „exclusions“ nicht.` };
      const minute = arrivalMinute(new Date(response.receivedAt)).getTime();
      if (minute < Date.parse(exclusion.fromAt) || minute > Date.parse(exclusion.toAt)) return { path: [...responseAt, 'excludedBy'], message: 'Die Antwort ging nicht im Zeitraum dieses Ausschlusses ein.' };
      excludedCounts[response.excludedBy]! += 1;
    }
  }
  for (const [index, count] of excludedCounts.entries()) {
    if (exclusionTooSmall(count)) return { path: [...at, 'exclusions', index], message: `Der Ausschluss nimmt ${count === 1 ? 'eine Antwort' : `${count} Antworten`} heraus; ein Ausschluss umfasst keine oder mindestens ${minimumResponses} Antworten.` };
  }
  return null;
}

const responseRefusals: Record<ResponseRefusal, string> = {
  'error.invalid': 'Die Antwort passt nicht zur Umfrage: eine Aussage, Gruppe oder Sprache, die sie nicht hat',
  'error.empty': 'Die Antwort bewertet keine Aussage',
  'error.tooLong': `Eine Anmerkung ist länger als ${maxOpenAnswerLength} Zeichen`,
};
