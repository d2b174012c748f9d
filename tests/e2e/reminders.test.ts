import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUsersWithoutPassword } from '../../src/db/repositories/bundle-repository.ts';
import { findKommuneBySlug } from '../../src/db/repositories/kommune-repository.ts';
import { upsertMembership } from '../../src/db/repositories/member-repository.ts';
import { openRuntime } from '../../src/server/wiring/runtime.ts';
import { decodedMail, type CapturedMail } from '../support/smtp.ts';
import { expectNoAxeViolations } from '../support/browser.ts';
import { catalogDir } from '../support/database.ts';
import { startJourney, type Journey } from '../support/journey.ts';

// Issue 14, deadlines and reminders: the Koordination sets a deadline with an automatic reminder,
// sees who has what open (with links to the questions), previews the German mail, sends the
// reminders (received by a real SMTP server, once each) and finds them in the E-Mail-Protokoll. A
// person from an import without a password sets one through the reminder's link and lands on the question.

let journey: Journey;
let origin: string;
let roundUrl: string;
let received: CapturedMail[] = [];
const imported = 'importiert@musterstadt.example';

/** A Mitwirkende of field 1 as a bundle import brings them in: an account without a password. */
async function addImportedPerson(dataDir: string) {
  const runtime = await openRuntime({ dataDir, publicUrl: 'http://localhost:4150', mailFrom: 'test@localhost', catalogDir }, () => {});
  try {
    const kommune = (await findKommuneBySlug(runtime.services.db, 'musterstadt'))!;
    const id = randomUUID();
    await insertUsersWithoutPassword(runtime.services.db, [{ id, email: imported, name: 'Ida Import' }]);
    await upsertMembership(runtime.services.db, { kommuneId: kommune.id, userId: id, role: 'mitwirkende', fieldKeys: ['1'] });
  } finally {
    await runtime.close();
  }
}

beforeAll(async () => {
  journey = await startJourney({ port: 4150, name: 'reminders', withDemo: true, smtp: true, env: { MAIL_INTERVAL_SECONDS: '1' }, prepare: addImportedPerson });
  ({ origin, mails: received } = journey);
  roundUrl = `${origin}/kommunen/musterstadt/selbstcheck/2`;
}, 180_000);

afterAll(() => journey?.close());

const signedIn = (email: string) => journey.signedIn(email);

describe('deadline and reminders', () => {
  it('the Koordination sets a deadline, sends reminders after a preview and sees them in the E-Mail-Protokoll', async () => {
    const page = await signedIn('integrationsbuero@musterstadt.example');
    // The demo's round 1 is closed: the Koordination starts round 2 (as the selbstcheck journey does in the form).
    const started = await page.request.post(`${origin}/api/kommunen/musterstadt/rounds`, { headers: { origin }, data: { workedFieldKeys: ['1', '2', '3', '4', '5', '6', '7'], participants: '' } });
    expect(started.status(), await started.text()).toBe(201);
    await page.goto(roundUrl);
    const section = page.getByRole('region', { name: 'Frist und Erinnerungen' });
    await section.waitFor();
    // Far enough ahead that the automatic reminder is not yet due.
    const deadline = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    await section.getByLabel('Frist für die Antworten').fill(deadline);
    await section.getByLabel('Automatisch erinnern').check();
    await section.getByLabel('Tage vor der Frist').fill('5');
    await section.getByRole('button', { name: 'Frist speichern' }).click();
    await section.getByText('Die Frist ist gespeichert.').waitFor();
    const [year, month, day] = deadline.split('-');
    const longDate = new Intl.DateTimeFormat('de-DE', { day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(deadline));
    await section.getByText(`Frist: ${longDate}`).waitFor();
    await expectNoAxeViolations(page, 'Runde mit Frist und Erinnerungen');

    // Who has what open, with links to the questions; the mail as a preview.
    const sendButton = section.getByRole('button', { name: /^Erinnerung an/ });
    const label = (await sendButton.textContent()) ?? '';
    const count = Number(/(\d+) Personen/.exec(label)?.[1] ?? (label.includes('eine Person') ? 1 : 0));
    expect(count).toBeGreaterThan(0);
    await section.getByText(/^Vorschau der E-Mail an/).click();
    await section.getByText(`Bitte beantworten Sie sie bis zum ${day}.${month}.${year}.`, { exact: false }).waitFor();
    await expectNoAxeViolations(page, 'Vorschau der Erinnerung');

    await sendButton.click();
    await page.getByText(count === 1 ? 'Eine Erinnerung wird gesendet.' : `${count} Erinnerungen werden gesendet.`).waitFor();
    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(count);
    const recipients = received.map((mail) => mail.to[0]);
    expect(new Set(recipients).size).toBe(count);
    expect(received.find((mail) => mail.to[0] !== imported)!.data).toContain(`${origin}/kommunen/musterstadt/selbstcheck/2/handlungsfeld/`);

    await page.getByRole('link', { name: 'Zum E-Mail-Protokoll' }).click();
    await page.getByRole('heading', { level: 1, name: 'E-Mail-Protokoll' }).waitFor();
    await expect.poll(async () => {
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'E-Mail-Protokoll' }).waitFor();
      return page.getByRole('row').filter({ hasText: 'gesendet' }).filter({ hasText: 'Erinnerung' }).count();
    }, { timeout: 30_000 }).toBe(count);
    await expectNoAxeViolations(page, 'E-Mail-Protokoll');

    // A link of the list lands on the open question's Handlungsfeld.
    await page.goto(roundUrl);
    await section.getByRole('link', { name: /offene Leitfrage/ }).first().click();
    await page.waitForURL(/\/handlungsfeld\/\d+#frage-/);
    await page.getByRole('heading', { level: 1 }).waitFor();

    // The person without a password got a personal link instead: it sets a password and leads on to
    // the open question; it works once.
    expect(recipients).toContain(imported);
    const link = /(http:\/\/localhost:\d+\/einladung\/[A-Za-z0-9_-]+\?weiter=\S+)/.exec(decodedMail(received.find((mail) => mail.to[0] === imported)!))?.[1];
    expect(link).toBeDefined();
    const newcomer = await journey.newPage();
    await newcomer.goto(link!);
    await newcomer.getByRole('heading', { level: 1, name: 'Einladung annehmen' }).waitFor();
    await expectNoAxeViolations(newcomer, 'Einladung aus einer Erinnerung');
    await newcomer.getByLabel('Name').fill('Ida Import');
    await newcomer.getByLabel('Neues Passwort').fill('Ein eigenes Passwort 2027');
    await newcomer.getByRole('button', { name: 'Konto anlegen und Einladung annehmen' }).click();
    await newcomer.waitForURL(/\/selbstcheck\/2\/handlungsfeld\/1#frage-/);
    await newcomer.getByRole('heading', { level: 1 }).waitFor();
    await expectNoAxeViolations(newcomer, 'Fragebogen nach dem ersten Passwort');
    const again = await journey.newPage();
    await again.goto(link!);
    await again.getByText('bereits angenommen').first().waitFor();
    // The server's loop sends nothing twice.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(received).toHaveLength(count);
    expect(journey.problems()).toEqual([]);
  }, 240_000);

  it('Mitwirkende see neither the reminders nor the E-Mail-Protokoll', async () => {
    const page = await signedIn('personalamt@musterstadt.example');
    await page.goto(roundUrl);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('region', { name: 'Frist und Erinnerungen' }).count()).toBe(0);
    await page.goto(`${origin}/kommunen/musterstadt/e-mail-protokoll`);
    await page.getByText('Dafür fehlt Ihnen die Berechtigung.').waitFor();
  }, 120_000);
});
