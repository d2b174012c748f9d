import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, germanDay } from '../../src/domain/deadline.ts';
import { expectNoAxeViolations } from '../support/browser.ts';
import { startJourney, type Journey } from '../support/journey.ts';
import { decodedMail } from '../support/smtp.ts';

// Issue 14, the reviewer's defects in deadlines and reminders (3–7): a past deadline is refused in
// the form; saving one whose automatic reminder is due at once says so; the round page shows the
// automatic reminder as sent and per person „zuletzt erinnert am …“; the Koordination chooses whom to
// remind (herself not preselected) and confirms before reminding someone again within 24 hours; the
// E-Mail-Protokoll tells automatic from manual reminders; „Was ist noch offen?“ links each open question
// and lists a paper questionnaire's Stelle; Mitwirkende see the deadline where they work; a link to a
// question keeps its anchor through the sign-in.

let journey: Journey;
let origin: string;
let roundUrl: string;
const koordination = 'integrationsbuero@musterstadt.example';
const mitwirkende = 'personalamt@musterstadt.example';
const today = germanDay(new Date());
const inTwoDays = addDays(today, 2);
const longDate = (isoDate: string) => new Intl.DateTimeFormat('de-DE', { day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(isoDate));

beforeAll(async () => {
  journey = await startJourney({ port: 4180, name: 'reminders-2', withDemo: true, smtp: true, env: { MAIL_INTERVAL_SECONDS: '1' } });
  origin = journey.origin;
  roundUrl = `${origin}/kommunen/musterstadt/selbstcheck/2`;
}, 180_000);

afterAll(() => journey?.close());

describe('deadline and reminders after the review', () => {
  it('the Koordination sets a deadline, sees the automatic reminder go out, chooses whom to remind and confirms a second reminder', async () => {
    const page = await journey.signedIn(koordination);
    const started = await page.request.post(`${origin}/api/kommunen/musterstadt/rounds`, { headers: { origin }, data: { workedFieldKeys: ['1', '2', '3', '4', '5', '6', '7'], participants: '' } });
    expect(started.status(), await started.text()).toBe(201);
    // A paper questionnaire of the Ordnungsamt, entered by the Koordination.
    const paper = await page.request.put(`${origin}/api/kommunen/musterstadt/rounds/2/answers/1.1.1`, { headers: { origin }, data: { value: 'ja', comment: '', evidence: '', expectedVersion: 0, onBehalfOf: 'Ordnungsamt' } });
    expect(paper.status(), await paper.text()).toBe(200);
    await page.goto(roundUrl);
    const section = page.getByRole('region', { name: 'Frist und Erinnerungen' });
    await section.waitFor();

    // A deadline in the past is refused in the form, in German, and nothing is saved.
    await section.getByLabel('Frist für die Antworten').fill(addDays(today, -1));
    await section.getByRole('button', { name: 'Frist speichern' }).click();
    await section.getByText('Die Frist liegt in der Vergangenheit.').first().waitFor();
    expect(await section.getByText('Die Frist ist gespeichert.').count()).toBe(0);
    await expectNoAxeViolations(page, 'Frist in der Vergangenheit');

    // Two days ahead with a reminder two days before: due at once, and the page says so.
    await section.getByLabel('Frist für die Antworten').fill(inTwoDays);
    await section.getByLabel('Automatisch erinnern').check();
    await section.getByLabel('Tage vor der Frist').fill('2');
    await section.getByRole('button', { name: 'Frist speichern' }).click();
    await section.getByText('Die automatische Erinnerung ist damit schon fällig').waitFor();
    await page.getByText(`Frist: ${longDate(inTwoDays)} (noch 2 Tage)`).first().waitFor();

    // The server's loop sends it; the page then shows it as sent, and per person when they were reminded.
    await expect.poll(() => journey.mails.length, { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(async () => {
      await page.reload();
      await section.waitFor();
      return section.getByText(/Automatische Erinnerung gesendet am/).count();
    }, { timeout: 30_000 }).toBe(1);
    // Every automatic reminder has gone out once the page says so (none is still on its way).
    const sentText = (await section.getByText(/Automatische Erinnerung gesendet am/).textContent()) ?? '';
    const automatic = Number(/an (\d+) Personen/.exec(sentText)?.[1] ?? (sentText.includes('eine Person') ? 1 : 0));
    await expect.poll(() => journey.mails.length, { timeout: 30_000 }).toBe(automatic);
    await section.getByText(/zuletzt erinnert am/).first().waitFor();
    await expectNoAxeViolations(page, 'Runde mit gesendeter automatischer Erinnerung');

    // Whom to remind: everyone with open questions, herself not preselected.
    const whom = section.getByRole('group', { name: 'Wen erinnern?' });
    const boxes = whom.getByRole('checkbox');
    const own = whom.getByRole('checkbox', { name: /\(Sie selbst\)$/ });
    if (await own.count()) expect(await own.isChecked()).toBe(false);
    const checked = await boxes.evaluateAll((inputs) => inputs.filter((input) => (input as HTMLInputElement).checked).length);
    expect(checked).toBeGreaterThan(0);
    // One fewer: taken off the list, the button counts along.
    await whom.getByRole('checkbox', { checked: true }).first().uncheck();
    const count = checked - 1;
    const sendButton = section.getByRole('button', { name: count === 1 ? 'Erinnerung an eine Person senden' : `Erinnerung an ${count} Personen senden` });
    await sendButton.click();
    // All of them were reminded a moment ago: nothing is sent before the Koordination confirms.
    const warning = section.getByRole('alert').filter({ hasText: 'Kürzlich erinnert' });
    await warning.getByText('In den letzten 24 Stunden schon erinnert:').waitFor();
    await expectNoAxeViolations(page, 'Rückfrage vor erneuter Erinnerung');
    expect(journey.mails.length).toBe(automatic);
    await warning.getByRole('button', { name: count === 1 ? 'Trotzdem an eine Person senden' : `Trotzdem an ${count} Personen senden` }).click();
    await page.getByText(count === 1 ? 'Eine Erinnerung wird gesendet.' : `${count} Erinnerungen werden gesendet.`).waitFor();
    await expect.poll(() => journey.mails.length, { timeout: 30_000 }).toBe(automatic + count);

    // The E-Mail-Protokoll tells the automatic reminders from those she sent.
    await page.goto(`${origin}/kommunen/musterstadt/e-mail-protokoll`);
    await page.getByRole('heading', { level: 1, name: 'E-Mail-Protokoll' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'Erinnerung (automatisch)' }).first().waitFor();
    await page.getByRole('row').filter({ hasText: /Erinnerung \(von .+\)/ }).first().waitFor();

    // „Was ist noch offen?“: the Stelle of the paper questionnaire, and each open question a link.
    await page.goto(roundUrl);
    const open = page.getByRole('region', { name: 'Was ist noch offen?' });
    await open.getByText('Papierbogen, ohne Erinnerung').waitFor();
    await open.locator('summary').first().click();
    await open.getByRole('link', { name: /^Leitfrage \d+\.\d+\.\d+$/ }).first().click();
    await page.waitForURL(/\/handlungsfeld\/\d+#frage-\d+-\d+-\d+$/);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(journey.problems()).toEqual([]);
  }, 240_000);

  it('Mitwirkende see the deadline in the list of Kommunen, on the Kommune page, in the round and on the field page', async () => {
    const page = await journey.signedIn(mitwirkende);
    const text = `Frist: ${longDate(inTwoDays)} (noch 2 Tage)`;
    // The list of Kommunen, where she lands after signing in.
    await page.getByRole('row', { name: /Musterstadt/ }).getByText(text).waitFor();
    await expectNoAxeViolations(page, 'Kommunen mit Frist');
    await page.goto(`${origin}/kommunen/musterstadt`);
    await page.getByText(text).waitFor();
    await page.goto(roundUrl);
    await page.getByText(text).first().waitFor();
    await expectNoAxeViolations(page, 'Runde mit Frist für Mitwirkende');
    await page.goto(`${roundUrl}/handlungsfeld/1`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByText(text).waitFor();
    await expectNoAxeViolations(page, 'Handlungsfeld mit Frist');
  }, 120_000);

  it('a link to a question keeps its anchor through the sign-in', async () => {
    const page = await journey.newPage();
    await page.goto(`${roundUrl}/handlungsfeld/1#frage-1-1-2`);
    await page.waitForURL(/\/anmelden\?weiter=.*%23frage-1-1-2/);
    await page.getByLabel('E-Mail-Adresse').fill(mitwirkende);
    await page.getByLabel('Passwort', { exact: true }).fill(journey.password);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForURL(/\/selbstcheck\/2\/handlungsfeld\/1#frage-1-1-2$/);
    await page.getByRole('heading', { level: 1 }).waitFor();
  }, 120_000);

  it('closing the round mails Koordination and Mitwirkende „Runde abgeschlossen“ and Lesende „Ergebnisse verfügbar“; the link lands on the results', async () => {
    const page = await journey.signedIn(koordination);
    const before = journey.mails.length;
    await page.goto(roundUrl);
    await page.getByRole('button', { name: 'Runde abschließen' }).click();
    const confirmation = page.getByRole('region', { name: 'Runde 2 abschließen' });
    await confirmation.getByLabel(/^Ich schließe die Runde ab, obwohl/).check();
    await confirmation.getByRole('button', { name: 'Ja, abschließen' }).click();
    await page.getByText(/Diese Runde wurde am .* abgeschlossen/).waitFor();

    const mailTo = (email: string) => journey.mails.slice(before).find((mail) => mail.to.includes(email));
    await expect.poll(() => !!mailTo(mitwirkende) && !!mailTo('buergermeisterin@musterstadt.example'), { timeout: 30_000 }).toBe(true);
    // The text without quoted-printable's soft line breaks.
    const text = (email: string) => decodedMail(mailTo(email)!).replace(/=\r?\n/g, '');
    const team = text(mitwirkende);
    expect(team).toContain('die Runde 2 des Selbstchecks Weltoffene Kommune');
    expect(team).toContain('ist abgeschlossen');
    const reader = text('buergermeisterin@musterstadt.example');
    expect(reader).toContain('Zu den Ergebnissen');
    // The one who closed it gets no mail about it.
    expect(mailTo(koordination)).toBeUndefined();
    const link = /https?:\/\/[^\s"<>]+\/selbstcheck\/2\/ergebnisse/.exec(reader)?.[0];
    expect(link).toBe(`${origin}/kommunen/musterstadt/selbstcheck/2/ergebnisse`);
    const lesende = await journey.signedIn('buergermeisterin@musterstadt.example');
    await lesende.goto(link!);
    await lesende.getByRole('heading', { level: 1, name: /Ergebnisse/ }).waitFor();
    await expectNoAxeViolations(lesende, 'Ergebnisse aus der E-Mail');
  });
});
