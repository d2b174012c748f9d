import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { DomainError, type ErrorCode } from '../domain/errors.ts';

/** The one table from domain error to HTTP status and German message. */
export const errorTable: Record<ErrorCode, { status: ContentfulStatusCode; message: string }> = {
  unauthenticated: { status: 401, message: 'Bitte melden Sie sich an.' },
  forbidden: { status: 403, message: 'Dafür fehlt Ihnen die Berechtigung.' },
  'not-found': { status: 404, message: 'Diese Seite oder dieser Eintrag existiert nicht.' },
  'kommune-not-found': { status: 404, message: 'Diese Kommune gibt es nicht.' },
  'user-not-found': { status: 404, message: 'Diese Person gibt es nicht.' },
  'invitation-not-found': { status: 404, message: 'Diese Einladung gibt es nicht oder sie wurde zurückgezogen.' },
  'invitation-expired': {
    status: 410,
    message: 'Diese Einladung ist abgelaufen. Bitten Sie die einladende Person um eine neue Einladung.',
  },
  'invitation-used': { status: 410, message: 'Diese Einladung wurde bereits angenommen. Bitte melden Sie sich an.' },
  'invitation-wrong-account': { status: 403, message: 'Diese Einladung gilt für ein anderes Konto.' },
  'invitation-account-created': {
    status: 409,
    message: 'Für diese E-Mail-Adresse wurde soeben ein Konto angelegt. Bitte melden Sie sich damit an und öffnen Sie den Link danach erneut.',
  },
  'membership-not-found': { status: 404, message: 'Diese Person ist hier nicht Mitglied.' },
  'email-taken': { status: 409, message: 'Für diese E-Mail-Adresse gibt es bereits ein Konto.' },
  'already-member': { status: 409, message: 'Diese Person ist bereits Mitglied dieser Kommune.' },
  'invalid-credentials': { status: 401, message: 'E-Mail-Adresse oder Passwort ist falsch.' },
  'reset-rate-limited': {
    status: 429,
    message: 'Für diese E-Mail-Adresse oder von diesem Anschluss wurden zu oft neue Passwörter angefordert. Bitte warten Sie eine Stunde und versuchen Sie es dann erneut.',
  },
  'reset-link-invalid': {
    status: 400,
    message: 'Dieser Link ist ungültig, abgelaufen oder wurde bereits benutzt. Bitte fordern Sie unter „Passwort vergessen?“ einen neuen an.',
  },
  'wrong-password': { status: 400, message: 'Das bisherige Passwort ist falsch.' },
  'session-not-found': { status: 404, message: 'Diese Sitzung gibt es nicht (mehr).' },
  'rate-limited': {
    status: 429,
    message: 'Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie 15 Minuten und versuchen Sie es dann erneut.',
  },
  'setup-done': { status: 410, message: 'Die Einrichtung ist abgeschlossen. Bitte melden Sie sich an.' },
  'setup-token-invalid': {
    status: 404,
    message: 'Dieser Einrichtungslink ist ungültig oder abgelaufen. Starten Sie den Server neu, um einen neuen zu erhalten.',
  },
  'invalid-input': { status: 400, message: 'Die Eingaben sind unvollständig oder ungültig.' },
  'last-programmteam': {
    status: 409,
    message: 'Das Programm braucht mindestens eine Person im Programmteam.',
  },
  'field-unknown': { status: 400, message: 'Ein gewähltes Handlungsfeld gibt es im Katalog nicht.' },
  'kommune-unknown': { status: 400, message: 'Eine der gewählten Kommunen gibt es nicht.' },
  'round-not-found': { status: 404, message: 'Diese Selbstcheck-Runde gibt es nicht.' },
  'round-open-exists': {
    status: 409,
    message: 'Es gibt bereits eine offene Selbstcheck-Runde. Schließen Sie sie ab, bevor Sie eine neue beginnen.',
  },
  'round-closed': {
    status: 409,
    message: 'Diese Selbstcheck-Runde ist abgeschlossen; Antworten und Einschätzungen sind gesperrt.',
  },
  'round-not-closed': { status: 409, message: 'Diese Selbstcheck-Runde ist noch offen.' },
  'round-has-open-questions': {
    status: 409,
    message: 'In dieser Runde sind noch Leitfragen offen. Bitte bestätigen Sie ausdrücklich, dass Sie die Runde mit diesen offenen Leitfragen abschließen wollen.',
  },
  'answer-not-in-scale': { status: 400, message: 'Diese Antwort gibt es in der Antwortskala der Katalogversion dieser Runde nicht.' },
  // The service names the Kommune that has the key, and the response carries its slug for a link.
  'gemeindeschluessel-taken': { status: 409, message: 'Eine Kommune mit diesem Amtlichen Gemeindeschlüssel gibt es bereits.' },
  'field-has-answers': {
    status: 409,
    message: 'In einem Handlungsfeld, das nicht mehr bearbeitet werden soll, gibt es schon Antworten oder Einschätzungen. Bitte bestätigen Sie ausdrücklich, dass sie gelöscht werden.',
  },
  'question-unknown': { status: 400, message: 'Diese Leitfrage gibt es in der Katalogversion der Runde nicht.' },
  'criterion-unknown': { status: 400, message: 'Dieses Kriterium gibt es in der Katalogversion der Runde nicht.' },
  'field-not-worked': { status: 409, message: 'Dieses Handlungsfeld wird in dieser Runde nicht bearbeitet.' },
  'field-not-assigned': { status: 403, message: 'Dieses Handlungsfeld ist Ihnen nicht zugewiesen.' },
  'stale-version': {
    status: 409,
    message: 'Jemand hat diesen Eintrag inzwischen geändert. Der aktuelle Stand wird angezeigt; bitte prüfen Sie ihn und speichern Sie erneut.',
  },
  'reason-required': {
    status: 400,
    message: 'Bitte begründen Sie, warum die Einschätzung von der errechneten abweicht.',
  },
  'catalog-missing': { status: 409, message: 'Es ist noch kein Katalog geladen.' },
  'bundle-invalid': { status: 400, message: 'Die Datei ist kein gültiges Weltoffen-Paket einer Kommune. Es wurde nichts übernommen.' },
  'kommune-not-empty': {
    status: 409,
    message: 'Diese Kommune hat schon Runden, Dokumente oder Belege. Ein Paket lässt sich nur in eine leere Kommune übernehmen oder als neue Kommune anlegen. Es wurde nichts übernommen.',
  },
  'invitations-limited': {
    status: 429,
    message: 'Sie haben in der letzten Stunde 30 Einladungen erstellt. Bitte warten Sie eine Stunde, bevor Sie weitere Personen einladen.',
  },
  'slug-taken': { status: 409, message: 'Diese Kennung ist schon vergeben. Bitte wählen Sie eine andere.' },
  'kommune-importing': {
    status: 409,
    message: 'In diese Kommune wird gerade ein Paket eingespielt. Bitte versuchen Sie es in einigen Minuten erneut.',
  },
  'kommune-already-imported': {
    status: 409,
    message: 'In diese Kommune wurde schon ein Paket eingespielt. Ein Paket lässt sich nur einmal und nur in eine leere Kommune übernehmen. Es wurde nichts übernommen.',
  },
  'import-busy': {
    status: 429,
    message: 'Sie spielen gerade schon ein Paket ein. Bitte warten Sie, bis es fertig ist, und versuchen Sie es dann erneut.',
  },
  'sign-in-busy': {
    status: 429,
    message: 'Gerade laufen sehr viele Anmeldungen für dieses Konto oder von Ihrem Netzwerk gleichzeitig. Bitte versuchen Sie es in einigen Sekunden erneut.',
  },
  conflict: {
    status: 409,
    message: 'Gleichzeitig hat jemand denselben Eintrag angelegt oder geändert. Bitte laden Sie die Seite neu und versuchen Sie es erneut.',
  },
  // The discussion per question and criterion (services/discuss-round.ts).
  'discussion-subject-unknown': { status: 422, message: 'Diese Leitfrage oder dieses Kriterium gibt es in der Katalogversion der Runde nicht.' },
  'note-not-found': { status: 404, message: 'Diese Notiz gibt es nicht (mehr).' },
  'note-not-yours': { status: 403, message: 'Sie können nur Ihre eigenen Notizen ändern oder löschen.' },
  'thread-settled': {
    status: 409,
    message: 'Diese Diskussion ist als erledigt markiert. Die Koordination kann sie wieder öffnen; danach können Sie wieder schreiben.',
  },
  'thread-empty': { status: 409, message: 'Zu dieser Diskussion gibt es noch keine Notiz, die als erledigt markiert werden könnte.' },
  'notes-limited': {
    status: 429,
    message: 'Sie haben in den letzten zehn Minuten sehr viele Notizen geschrieben. Bitte warten Sie einige Minuten und versuchen Sie es dann erneut.',
  },
  // Deadline and reminders of a round (domain/deadline.ts, services/remind-round.ts); the service gives the exact reason.
  'deadline-invalid': { status: 422, message: 'Diese Frist kann nicht gesetzt werden.' },
  'reminded-recently': {
    status: 409,
    message: 'Einige der gewählten Personen wurden in den letzten 24 Stunden schon erinnert. Bitte bestätigen Sie, dass sie noch einmal erinnert werden sollen.',
  },
  'live-session-not-found': { status: 404, message: 'Diese Live-Sitzung gibt es nicht (mehr).' },
  'live-session-open-exists': { status: 409, message: 'Für diesen Workshop läuft schon eine Live-Sitzung. Bitte beenden Sie sie, bevor Sie eine neue öffnen.' },
  'live-session-closed': { status: 409, message: 'Diese Live-Sitzung ist beendet; sie lässt sich nicht mehr ändern.' },
  'live-code-unknown': { status: 404, message: 'Diesen Sitzungscode gibt es nicht, oder die Live-Sitzung ist beendet. Bitte prüfen Sie den Code auf der Projektion.' },
  'live-locked': { status: 423, message: 'Die Live-Sitzung nimmt gerade keine weiteren Teilnehmenden auf. Bitte wenden Sie sich an die Moderation.' },
  'live-not-joined': { status: 401, message: 'Sie nehmen an keiner Live-Sitzung teil. Bitte geben Sie den Sitzungscode ein.' },
  'live-participation-ended': { status: 410, message: 'Ihre Teilnahme an dieser Live-Sitzung ist beendet.' },
  // The services say what is not possible now (phase, voting closed, points left) in their message.
  'live-not-now': { status: 409, message: 'Das ist in der Live-Sitzung gerade nicht möglich.' },
  'live-limited': { status: 429, message: 'Zu viele Anfragen in kurzer Zeit. Bitte warten Sie einen Moment und versuchen Sie es dann erneut.' },
  'live-card-not-found': { status: 404, message: 'Diese Karte gibt es in der Live-Sitzung nicht.' },
  'live-group-not-found': { status: 404, message: 'Diese Gruppe gibt es in der Live-Sitzung nicht.' },
  'live-participant-not-found': { status: 404, message: 'Diese Teilnahme gibt es in der Live-Sitzung nicht.' },
  'workshop-not-found': { status: 404, message: 'Diesen Workshop gibt es in der Dokumentation der Kommune nicht.' },
  // The translation screen says which check a text fails in its message.
  'survey-text-invalid': { status: 422, message: 'Dieser Text lässt sich so nicht verwenden.' },
  'survey-not-found': { status: 404, message: 'Für diese Runde gibt es keine Einwohner:innen-Umfrage.' },
  'survey-exists': { status: 409, message: 'Für diese Runde gibt es schon eine Einwohner:innen-Umfrage.' },
  'survey-published': { status: 409, message: 'Die Umfrage ist veröffentlicht; Handlungsfelder und Fragen lassen sich nicht mehr ändern, nur die Daten und der Datenschutzhinweis.' },
  'survey-fields-unknown': { status: 422, message: 'Für ein gewähltes Handlungsfeld gibt es keine Aussagen.' },
  'survey-no-language': {
    status: 409,
    message: 'Noch keine Sprache der Umfrage ist vollständig geprüft. Bitte wenden Sie sich an das Programmteam.',
  },
  // The service names how many responses the window holds.
  'survey-exclusion-small': { status: 422, message: 'Ein Ausschluss umfasst keine oder mindestens zehn Antworten.' },
  'survey-draft': { status: 409, message: 'Die Umfrage ist noch ein Entwurf. Das Plakat gibt es, sobald sie veröffentlicht ist.' },
  // Belege (issue 18, services/manage-evidence.ts); the service names the file, the limit or the free space.
  'evidence-not-found': { status: 404, message: 'Diesen Beleg oder diese Fassung gibt es nicht mehr, oder er ist nicht für Sie freigegeben. Bitte laden Sie die Seite „Belege“ neu.' },
  'evidence-upload-not-found': { status: 404, message: 'Das Hochladen wurde abgebrochen oder ist nach 24 Stunden abgelaufen. Bitte wählen Sie die Datei noch einmal und laden Sie sie erneut hoch.' },
  'evidence-too-large': { status: 413, message: 'Die Datei ist zu groß. Bitte verkleinern Sie sie (etwa als PDF mit geringerer Bildqualität) oder teilen Sie sie auf.' },
  'evidence-quota': { status: 409, message: 'Der Speicher für Belege dieser Kommune ist voll. Bitte löschen Sie Belege, die nicht mehr gebraucht werden, oder wenden Sie sich an das Programmteam.' },
  // The body carries `current: { offset }`, the bytes the server has: the upload goes on from there.
  'evidence-offset': { status: 409, message: 'Die Verbindung war kurz gestört. Das Hochladen geht an der gespeicherten Stelle weiter; Sie müssen nichts tun.' },
  'evidence-upload-incomplete': { status: 409, message: 'Die Datei ist noch nicht vollständig hochgeladen. Bitte wählen Sie „Erneut versuchen“.' },
  'evidence-upload-overflow': { status: 422, message: 'Beim Hochladen ist etwas schiefgegangen. Bitte wählen Sie die Datei noch einmal und laden Sie sie erneut hoch.' },
  'evidence-type-refused': { status: 415, message: 'Dieses Dateiformat lässt sich nicht als Beleg speichern. Erlaubt sind PDF, Word, Excel, OpenDocument, PNG und JPEG.' },
  'evidence-file-invalid': { status: 422, message: 'Diese Datei lässt sich nicht als Beleg speichern. Bitte speichern Sie sie als PDF und versuchen Sie es erneut.' },
  // The report services give the exact size and the limit in their message.
  'report-too-large': { status: 422, message: 'Der Bericht ist zu umfangreich, um ihn als Datei zu erzeugen. Bitte kürzen Sie die längsten Texte.' },
  'report-busy': {
    status: 429,
    message: 'Ihr vorheriger Bericht wird noch erzeugt. Bitte warten Sie, bis er heruntergeladen ist, und versuchen Sie es dann erneut.',
  },
  'reports-busy': {
    status: 503,
    message: 'Gerade werden sehr viele Berichte erzeugt. Bitte versuchen Sie es in etwa 15 Sekunden erneut.',
  },
};

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

export function errorBody(code: string, message: string, fields?: Record<string, string>): ErrorBody {
  return { error: fields ? { code, message, fields } : { code, message } };
}

/** Answers a domain error with its status and German message. */
export function respondDomainError(context: Context, error: DomainError) {
  const entry = errorTable[error.code];
  const fields = error.detail?.field ? { [error.detail.field]: error.detail.message ?? entry.message } : undefined;
  if (error.detail?.retryAfterSeconds) context.header('Retry-After', String(error.detail.retryAfterSeconds));
  const body = errorBody(error.code, error.detail?.message ?? entry.message, fields);
  // A conflict carries the current state, so the client can show it instead of the stale one.
  const payload = error.detail?.current === undefined ? body : { ...body, current: error.detail.current };
  return context.json(payload, entry.status);
}

/** German names of input fields, for messages that name the field as the form shows it. */
const fieldLabels: Record<string, string> = {
  name: 'Name',
  kind: 'Art',
  designation: 'Bezeichnung im Bericht',
  gemeindeschluessel: 'Amtlicher Gemeindeschlüssel',
  bundesland: 'Bundesland',
  modules: 'Module',
  email: 'E-Mail-Adresse',
  password: 'Passwort',
  currentPassword: 'Bisheriges Passwort',
  role: 'Rolle',
  fieldKeys: 'Handlungsfelder',
  assignedKommuneIds: 'Kommunen',
  body: 'Text',
  isArchived: 'Archiviert',
  value: 'Antwort',
  comment: 'Kommentar',
  evidence: 'Beleg',
  onBehalfOf: 'Stelle, deren Fragebogen Sie eintragen',
  format: 'Format',
  field: 'Handlungsfeld',
  expectedVersion: 'Version',
  rating: 'Einschätzung',
  reason: 'Begründung',
  periodStart: 'Beginn des Bearbeitungszeitraums',
  periodEnd: 'Ende des Bearbeitungszeitraums',
  periodPrecision: 'Zeitraum angeben als',
  workedFieldKeys: 'Bearbeitete Handlungsfelder',
  participants: 'Beteiligte',
  content: 'Inhalt',
  key: 'Leitfrage oder Kriterium',
  settled: 'erledigt',
  title: 'Titel',
  documentDate: 'Datum des Dokuments',
  fileName: 'Datei',
  size: 'Größe',
  mediaType: 'Dateiformat',
  releasedForReaders: 'Für Lesende freigegeben',
  offset: 'Datei',
};

/** A 400 answer naming every invalid field in German. */
export function respondValidationError(context: Context, error: z.ZodError) {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '_';
    fields[key] ??= issue.message;
  }
  const first = error.issues[0];
  const firstKey = first?.path[0] !== undefined ? String(first.path[0]) : undefined;
  const label = firstKey ? (fieldLabels[firstKey] ?? firstKey) : undefined;
  const message = label ? `Bitte prüfen Sie das Feld „${label}“: ${first!.message}` : `Ungültige Eingabe: ${first?.message ?? ''}`;
  return context.json(errorBody('invalid-input', message, fields), 400);
}
