import { describe, expect, it } from 'vitest';
import { isAutomaticReminderDue } from './deadline.ts';
import { emailKindLabel, germanDate, sendFailureMessage, invitationEmail, reminderEmail, resultsAvailableEmail, retryDelayMs, roundClosedEmail } from './email.ts';

describe('automatic reminder', () => {
  it('is due from N days before the deadline until the deadline, and never when off or without deadline', () => {
    expect(isAutomaticReminderDue('2026-05-31', 3, '2026-05-27')).toBe(false);
    expect(isAutomaticReminderDue('2026-05-31', 3, '2026-05-28')).toBe(true);
    expect(isAutomaticReminderDue('2026-05-31', 3, '2026-05-31')).toBe(true);
    expect(isAutomaticReminderDue('2026-05-31', 3, '2026-06-01')).toBe(false);
    expect(isAutomaticReminderDue('2026-03-02', 3, '2026-02-27')).toBe(true);
    expect(isAutomaticReminderDue('2026-05-31', null, '2026-05-30')).toBe(false);
    expect(isAutomaticReminderDue(null, 3, '2026-05-30')).toBe(false);
  });
});

describe('reminder e-mail', () => {
  const input = {
    name: 'Erika <Mustermann>',
    kommuneTitle: 'Stadt Musterstadt',
    roundNumber: 2,
    deadline: '2026-05-31',
    openFields: [
      { name: '1 Leitbild', openCount: 1 },
      { name: '2 Verwaltung', openCount: 4 },
    ],
    url: 'https://weltoffen.example.de/kommunen/musterstadt/selbstcheck/2/handlungsfeld/1#frage-1-1-1',
  };

  it('says in German what is open until when, with the link, in text and HTML', () => {
    const mail = reminderEmail(input);
    expect(mail.subject).toBe('Erinnerung: Selbstcheck Stadt Musterstadt, Runde 2');
    expect(mail.text).toContain('noch 5 Leitfragen offen. Bitte beantworten Sie sie bis zum 31.05.2026.');
    expect(mail.text).toContain('- 1 Leitbild: eine Leitfrage');
    expect(mail.text).toContain('- 2 Verwaltung: 4 Leitfragen');
    expect(mail.text).toContain(`Zum Fragebogen: ${input.url}`);
    expect(mail.html).toContain(`<a href="${input.url}">Zum Fragebogen</a>`);
  });

  it('escapes every value in the HTML', () => {
    const mail = reminderEmail(input);
    expect(mail.html).toContain('Guten Tag Erika &lt;Mustermann&gt;,');
    expect(mail.html).not.toContain('<Mustermann>');
  });

  it('one open question and no deadline read naturally', () => {
    const mail = reminderEmail({ ...input, deadline: null, openFields: [{ name: '1 Leitbild', openCount: 1 }] });
    expect(mail.text).toContain('noch eine Leitfrage offen. Bitte beantworten Sie sie.');
  });

  it('a plain reminder carries no personal link; to a person without a password it carries one that sets a password first', () => {
    expect(reminderEmail(input).personalLink).toBeUndefined();
    const url = 'https://weltoffen.example.de/einladung/abcDEF123?weiter=%2Fkommunen%2Fmusterstadt';
    const mail = reminderEmail({ ...input, url, setsPassword: true });
    expect(mail.personalLink).toBe(url);
    expect(mail.text).toContain('Sie haben noch kein Passwort.');
    expect(mail.text).toContain(`Passwort festlegen und zum Fragebogen: ${url}`);
    expect(mail.html).toContain(`<a href="${url}">Passwort festlegen und zum Fragebogen</a>`);
  });
});

describe('invitation e-mail', () => {
  it('names role and Kommune, how long and how often the link works, and marks the link as personal', () => {
    const url = 'https://weltoffen.example.de/einladung/abcDEF123';
    const mail = invitationEmail({ roleLabel: 'Mitwirkende', where: 'in der Kommune <Musterstadt>', url });
    expect(mail.subject).toBe('Einladung zum Selbstcheck Weltoffene Kommune');
    expect(mail.text).toContain('Sie wurden eingeladen, in der Kommune <Musterstadt> als Mitwirkende mitzuarbeiten.');
    expect(mail.text).toContain('innerhalb von 7 Tagen');
    expect(mail.text).toContain('Der Link funktioniert nur einmal.');
    expect(mail.text).toContain(`Einladung annehmen: ${url}`);
    expect(mail.html).toContain('in der Kommune &lt;Musterstadt&gt;');
    expect(mail.personalLink).toBe(url);
    // The subject (all the E-Mail-Protokoll shows) never holds the link.
    expect(mail.subject).not.toContain('einladung/');
  });
});

describe('retries', () => {
  it('wait longer after each failed try', () => {
    expect([1, 2, 3, 4, 5].map(retryDelayMs)).toEqual([60_000, 300_000, 1_800_000, 7_200_000, 7_200_000]);
    expect(germanDate('2026-01-09')).toBe('09.01.2026');
  });
});

describe('mails at closing a round', () => {
  const input = { name: 'Anna', kommuneTitle: 'Stadt Musterstadt', roundNumber: 1, url: 'https://weltoffen.example.de/kommunen/musterstadt/selbstcheck/1/ergebnisse' };

  it('call preliminary results „vorläufig“ and never say they are final', () => {
    const closed = roundClosedEmail({ ...input, isProvisional: true });
    expect(closed.subject).toBe('Runde 1 abgeschlossen: vorläufige Ergebnisse des Selbstchecks Stadt Musterstadt');
    expect(closed.text).toContain('Die Ergebnisse sind vorläufig, weil noch Kriterien offen sind');
    expect(closed.text).not.toContain('stehen fest');
    const available = resultsAvailableEmail({ ...input, isProvisional: true });
    expect(available.subject).toBe('Vorläufige Ergebnisse verfügbar: Selbstcheck Stadt Musterstadt, Runde 1');
    expect(available.html).toContain('Die Ergebnisse sind vorläufig');
  });

  it('say the results stand when nothing is open', () => {
    expect(roundClosedEmail({ ...input, isProvisional: false }).text).toContain('Die Ergebnisse stehen fest');
    expect(resultsAvailableEmail({ ...input, isProvisional: false }).subject).toBe('Ergebnisse verfügbar: Selbstcheck Stadt Musterstadt, Runde 1');
  });
});

describe('the kind in the E-Mail-Protokoll', () => {
  it('tells an automatic reminder from one sent by a person', () => {
    expect(emailKindLabel('reminder', null)).toBe('Erinnerung (automatisch)');
    expect(emailKindLabel('reminder', 'Ayşe Yılmaz')).toBe('Erinnerung (von Ayşe Yılmaz)');
    expect(emailKindLabel('invitation', 'Ayşe Yılmaz')).toBe('Einladung');
  });
});

describe('why a mail could not be sent', () => {
  it('tells unreachable from refused, in German, without the error\'s technical name', () => {
    expect(sendFailureMessage({ code: 'ECONNECTION' })).toBe('Der Mailserver war nicht erreichbar.');
    expect(sendFailureMessage({ code: 'ETIMEDOUT' })).toBe('Der Mailserver war nicht erreichbar.');
    expect(sendFailureMessage({ code: 'EENVELOPE', responseCode: 550 })).toBe('Der Mailserver hat die E-Mail abgelehnt (Antwort 550).');
    expect(sendFailureMessage({ code: 'EAUTH', responseCode: 535 })).toContain('Anmeldung abgelehnt');
    expect(sendFailureMessage({})).toBe('Die E-Mail konnte nicht gesendet werden.');
  });
});
