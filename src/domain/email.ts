/**
 * The e-mails Weltoffen sends by itself: kinds, states, retry rule and the German texts (plain text
 * and HTML, every value escaped). Pure; the queue lives in services/send-emails.ts.
 */

export const emailKinds = ['invitation', 'reminder', 'round-closed', 'results-available', 'measure-review'] as const;
export type EmailKind = (typeof emailKinds)[number];

export const emailKindLabels: Record<EmailKind, string> = {
  invitation: 'Einladung',
  reminder: 'Erinnerung',
  'round-closed': 'Runde abgeschlossen',
  'results-available': 'Ergebnisse verfügbar',
  'measure-review': 'Maßnahme zur Überprüfung fällig',
};

/**
 * The kind as the E-Mail-Protokoll shows it: a reminder says who sent it, „Erinnerung (automatisch)“
 * when the server did, „Erinnerung (von Name)“ when someone sent it by hand.
 */
export function emailKindLabel(kind: string, sentBy: string | null): string {
  if (kind === 'reminder') return sentBy ? `Erinnerung (von ${sentBy})` : 'Erinnerung (automatisch)';
  return emailKindLabels[kind as EmailKind] ?? kind;
}

export const emailStates = ['pending', 'sending', 'sent', 'not-sent', 'failed', 'cancelled'] as const;
export type EmailState = (typeof emailStates)[number];

export const emailStateLabels: Record<EmailState, string> = {
  pending: 'geplant',
  sending: 'wird gesendet',
  sent: 'gesendet',
  'not-sent': 'nicht gesendet (kein E-Mail-Versand eingerichtet)',
  failed: 'fehlgeschlagen',
  cancelled: 'nicht mehr gesendet (der Link gilt nicht mehr)',
};

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
  /**
   * A personal link in the text (an invitation's token): where no mail can be sent it goes to the
   * server log for the operator to pass on; once the job is done, text, html and link are removed
   * from the queue (only the subject stays), so the table never keeps a usable link.
   */
  personalLink?: string;
}

/** How many times a job is tried before it counts as failed. */
export const maxEmailAttempts = 5;

/** Wait before the next try after `attempts` failed ones: 1, 5, 30, 120 minutes. */
export function retryDelayMs(attempts: number): number {
  const minutes = [1, 5, 30, 120];
  return minutes[Math.min(Math.max(attempts, 1), minutes.length) - 1]! * 60_000;
}

/** Network failures: the mail server could not be reached at all (nodemailer's and Node's codes). */
const unreachableCodes = new Set(['ECONNECTION', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE']);

/**
 * Why a mail could not be sent, in German for the E-Mail-Protokoll, without the technical error name:
 * the server was not reachable, refused the sign-in, or refused the mail (with its answer code).
 */
export function sendFailureMessage(error: { code?: unknown; responseCode?: unknown }): string {
  const code = typeof error.code === 'string' ? error.code : '';
  if (code === 'EAUTH') return 'Der Mailserver hat die Anmeldung abgelehnt; bitte die Zugangsdaten in SMTP_URL prüfen.';
  if (typeof error.responseCode === 'number') return `Der Mailserver hat die E-Mail abgelehnt (Antwort ${error.responseCode}).`;
  if (unreachableCodes.has(code)) return 'Der Mailserver war nicht erreichbar.';
  return 'Die E-Mail konnte nicht gesendet werden.';
}

/** How long a process may take to send one mail before others treat it as dead. */
export const sendingLeaseMs = 5 * 60_000;

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}

/** „31.05.2026“ from „2026-05-31“. */
export function germanDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}.${month}.${year}`;
}

/** Builds text and HTML from paragraphs and one link, so both say the same. */
function compose(subject: string, greeting: string, paragraphs: string[], list: string[], link: { label: string; url: string; isPersonal?: boolean }): EmailContent {
  const text = [
    greeting,
    '',
    ...paragraphs.flatMap((paragraph) => [paragraph, '']),
    ...(list.length ? [...list.map((item) => `- ${item}`), ''] : []),
    `${link.label}: ${link.url}`,
    '',
    'Mit freundlichen Grüßen',
    'Ihr Selbstcheck Weltoffene Kommune',
    '',
    'Diese E-Mail wurde automatisch gesendet.',
  ].join('\n');
  const html = [
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>' + escapeHtml(subject) + '</title></head>',
    '<body style="font-family: sans-serif; line-height: 1.5">',
    `<p>${escapeHtml(greeting)}</p>`,
    ...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    ...(list.length ? ['<ul>', ...list.map((item) => `<li>${escapeHtml(item)}</li>`), '</ul>'] : []),
    `<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`,
    '<p>Mit freundlichen Grüßen<br>Ihr Selbstcheck Weltoffene Kommune</p>',
    '<p style="color: #555">Diese E-Mail wurde automatisch gesendet.</p>',
    '</body></html>',
  ].join('\n');
  return link.isPersonal ? { subject, text, html, personalLink: link.url } : { subject, text, html };
}

export interface ReminderInput {
  name: string;
  kommuneTitle: string;
  roundNumber: number;
  deadline: string | null;
  /** Per Handlungsfeld the number of the person's open questions. */
  openFields: { name: string; openCount: number }[];
  /** Where the questionnaire of the round opens. */
  url: string;
  /**
   * The person has no password yet (brought in by an import, or invited and not yet accepted):
   * `url` is then a personal link that sets a password first and then opens the questions.
   */
  setsPassword?: boolean;
}

/** The reminder to one person with open questions. */
export function reminderEmail(input: ReminderInput): EmailContent {
  const total = input.openFields.reduce((sum, field) => sum + field.openCount, 0);
  const questions = total === 1 ? 'eine Leitfrage' : `${total} Leitfragen`;
  const deadline = input.deadline ? ` bis zum ${germanDate(input.deadline)}` : '';
  return compose(
    `Erinnerung: Selbstcheck ${input.kommuneTitle}, Runde ${input.roundNumber}`,
    `Guten Tag ${input.name},`,
    [
      `im Selbstcheck Weltoffene Kommune (${input.kommuneTitle}, Runde ${input.roundNumber}) sind von Ihnen noch ${questions} offen. Bitte beantworten Sie sie${deadline}.`,
      ...(input.setsPassword ? [`Sie haben noch kein Passwort. Über den Link unten legen Sie es fest und kommen danach direkt zu Ihren Fragen. Der Link gilt ${invitationDays} Tage und nur einmal; er ist nur für Sie bestimmt.`] : []),
      'Offen sind:',
    ],
    input.openFields.map((field) => `${field.name}: ${field.openCount === 1 ? 'eine Leitfrage' : `${field.openCount} Leitfragen`}`),
    input.setsPassword ? { label: 'Passwort festlegen und zum Fragebogen', url: input.url, isPersonal: true } : { label: 'Zum Fragebogen', url: input.url },
  );
}

/** How many days an invitation link (also one sent with a reminder) works. */
export const invitationDays = 7;

/** The invitation: the link that lets the invited person accept (and set a password). */
export function invitationEmail(input: { roleLabel: string; where: string; url: string }): EmailContent {
  return compose(
    'Einladung zum Selbstcheck Weltoffene Kommune',
    'Guten Tag,',
    [
      `Sie wurden eingeladen, ${input.where} als ${input.roleLabel} mitzuarbeiten.`,
      `Bitte öffnen Sie den Link unten innerhalb von ${invitationDays} Tagen, um die Einladung anzunehmen. Der Link funktioniert nur einmal. Geben Sie ihn nicht weiter: Er ist nur für Sie bestimmt.`,
      'Wenn Sie diese Einladung nicht erwartet haben, können Sie diese E-Mail ignorieren.',
    ],
    [],
    { label: 'Einladung annehmen', url: input.url, isPersonal: true },
  );
}

/** Why a closed round's results are „vorläufig“, as the results page says it (isProvisionalResult). */
const provisionalReason = 'Die Ergebnisse sind vorläufig, weil noch Kriterien offen sind; sie können sich ändern, wenn die Runde wieder geöffnet und ergänzt wird.';

/**
 * To the Koordination and Mitwirkende when a round was closed: the results can be read; „vorläufig“
 * exactly when the results page says so (`isProvisional` from domain/scoring.ts isProvisionalResult).
 */
export function roundClosedEmail(input: { name: string; kommuneTitle: string; roundNumber: number; url: string; isProvisional: boolean }): EmailContent {
  return compose(
    `Runde ${input.roundNumber} abgeschlossen: ${input.isProvisional ? 'vorläufige ' : ''}Ergebnisse des Selbstchecks ${input.kommuneTitle}`,
    `Guten Tag ${input.name},`,
    [
      `die Runde ${input.roundNumber} des Selbstchecks Weltoffene Kommune (${input.kommuneTitle}) ist abgeschlossen. ${input.isProvisional ? provisionalReason : 'Die Ergebnisse stehen fest und können angesehen werden.'}`,
    ],
    [],
    { label: 'Zu den Ergebnissen', url: input.url },
  );
}

/** To those who read the results (Lesende, Prozessbegleitung) when a round was closed. */
export function resultsAvailableEmail(input: { name: string; kommuneTitle: string; roundNumber: number; url: string; isProvisional: boolean }): EmailContent {
  return compose(
    `${input.isProvisional ? 'Vorläufige Ergebnisse' : 'Ergebnisse'} verfügbar: Selbstcheck ${input.kommuneTitle}, Runde ${input.roundNumber}`,
    `Guten Tag ${input.name},`,
    [
      input.isProvisional
        ? `die Runde ${input.roundNumber} des Selbstchecks Weltoffene Kommune (${input.kommuneTitle}) ist abgeschlossen. ${provisionalReason}`
        : `die Ergebnisse der Runde ${input.roundNumber} des Selbstchecks Weltoffene Kommune (${input.kommuneTitle}) sind verfügbar.`,
    ],
    [],
    { label: 'Zu den Ergebnissen', url: input.url },
  );
}

/** To the Koordination when a measure of the Ausblick is due for review. */
export function measureReviewEmail(input: { name: string; kommuneTitle: string; measureTitle: string; reviewDate: string; url: string }): EmailContent {
  return compose(
    `Maßnahme zur Überprüfung fällig: ${input.measureTitle}`,
    `Guten Tag ${input.name},`,
    [`im Ausblick (${input.kommuneTitle}) ist die Maßnahme „${input.measureTitle}“ zum ${germanDate(input.reviewDate)} zur Überprüfung vorgesehen.`],
    [],
    { label: 'Zum Ausblick', url: input.url },
  );
}
