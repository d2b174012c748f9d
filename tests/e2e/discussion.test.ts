import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../support/browser.ts';
import { startJourney, type Journey } from '../support/journey.ts';

// The discussion per question and criterion (issue 14): a Mitwirkende writes a note under a
// question, the Koordination sees it with name and time and replies, then finds both in the
// consolidation and marks the thread as settled. WELTOFFEN_KEEP_SCREENSHOTS=<folder> keeps the
// pictures of the pages (also at 320 px width).

let journey: Journey;
const port = 4140;
let base: string;
const keep = process.env.WELTOFFEN_KEEP_SCREENSHOTS;

/** The first discussion on a questionnaire page (question 1.1.1), found by its summary whatever its count. */
const firstThread = (page: Page) => page.locator('details', { has: page.locator('summary', { hasText: /^Diskussion \(/ }) }).first();
/** A criterion's own discussion, on the questionnaire and in the consolidation. */
const criterionThread = (page: Page, key: string) => page.locator('details', { has: page.locator('summary', { hasText: `Diskussion zum Kriterium ${key} (` }) });
/** A question's discussion in the consolidation. */
const questionThread = (page: Page, scope: Locator, key: string) => scope.locator('details', { has: page.locator('summary', { hasText: `Diskussion zu Leitfrage ${key} (` }) });

async function picture(page: Page, name: string) {
  if (keep) await page.screenshot({ path: path.join(keep, `${name}.png`), fullPage: false });
}

beforeAll(async () => {
  journey = await startJourney({ port, name: 'discussion', withDemo: true });
});
afterAll(async () => {
  await journey?.close();
});

describe('discussion per question and criterion', () => {
  it('a Mitwirkende writes a note under a question; the Koordination sees it with name and time and replies', async () => {
    const koordination = await journey.signedIn('integrationsbuero@musterstadt.example');
    const origin = journey.origin;
    const started = await koordination.request.post(`${origin}/api/kommunen/musterstadt/rounds`, { headers: { origin }, data: { workedFieldKeys: ['1', '2'], participants: '' } });
    expect(started.status()).toBe(201);
    base = `${origin}/kommunen/musterstadt/selbstcheck/${(await started.json()).round.number}`;

    // Jonas Krüger (Personalamt) answers field 1.
    const jonas = await journey.signedIn('personalamt@musterstadt.example');
    await jonas.goto(`${base}/handlungsfeld/1`);
    const disclosure = firstThread(jonas);
    await disclosure.getByText('Diskussion (0)').click();
    await expectNoAxeViolations(jonas, 'Fragebogen mit geöffneter Diskussion');
    // An empty note is refused with a message at the field.
    await disclosure.getByRole('button', { name: 'Notiz hinzufügen' }).click();
    await disclosure.getByText('bitte einen Text eingeben').waitFor();
    await expectNoAxeViolations(jonas, 'Fragebogen mit Fehler in der Notiz');
    await disclosure.getByLabel('Neue Notiz zu Leitfrage 1.1.1').fill('Zählt die Ausbildungsmesse als Beleg?');
    await disclosure.getByRole('button', { name: 'Notiz hinzufügen' }).click();
    await disclosure.getByText('Zählt die Ausbildungsmesse als Beleg?').waitFor();
    await disclosure.getByText('Diskussion (1) – offen').waitFor();
    await expect.poll(() => disclosure.getByLabel('Neue Notiz zu Leitfrage 1.1.1').inputValue()).toBe('');
    await picture(jonas, 'fragebogen-diskussion');
    await jonas.setViewportSize({ width: 320, height: 800 });
    await disclosure.scrollIntoViewIfNeeded();
    await picture(jonas, 'fragebogen-diskussion-320');
    expect(await jonas.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);

    // Ayşe Yılmaz (Koordination) opens the same page: the note with name and time.
    await koordination.goto(`${base}/handlungsfeld/1`);
    const thread = firstThread(koordination);
    await thread.getByText('Diskussion (1) – offen').click();
    const note = thread.getByRole('listitem').filter({ hasText: 'Zählt die Ausbildungsmesse als Beleg?' });
    await note.getByText('Jonas Krüger').waitFor();
    const time = await note.locator('time').getAttribute('datetime');
    expect(Date.now() - Date.parse(time!)).toBeLessThan(10 * 60_000);
    // Someone else's note has no „Bearbeiten“ for her.
    expect(await note.getByRole('button', { name: 'Bearbeiten' }).count()).toBe(0);
    await thread.getByLabel('Neue Notiz zu Leitfrage 1.1.1').fill('Ja, mit dem Flyer als Beleg.');
    await thread.getByRole('button', { name: 'Notiz hinzufügen' }).click();
    await thread.getByText('Diskussion (2) – offen').waitFor();
    await expectNoAxeViolations(koordination, 'Fragebogen mit Antwort in der Diskussion');

    // Jonas sees the reply after a reload and corrects his own note.
    await jonas.setViewportSize({ width: 1280, height: 800 });
    await jonas.reload();
    const again = firstThread(jonas);
    await again.getByText('Diskussion (2) – offen').click();
    await again.getByText('Ja, mit dem Flyer als Beleg.').waitFor();
    const own = again.getByRole('listitem').filter({ hasText: 'Zählt die Ausbildungsmesse' });
    await own.getByRole('button', { name: 'Bearbeiten' }).click();
    await own.getByLabel('Ihre Notiz').fill('Zählt die Ausbildungsmesse 2026 als Beleg?');
    await own.getByRole('button', { name: 'Änderung speichern' }).click();
    await again.getByText('Zählt die Ausbildungsmesse 2026 als Beleg?').waitFor();
    await again.getByText(/bearbeitet/).waitFor();
    expect(journey.problems()).toEqual([]);
  });

  it('the Koordination finds both notes in the consolidation, counts open discussions and marks the thread as settled', async () => {
    const koordination = await journey.signedIn('integrationsbuero@musterstadt.example');
    await koordination.goto(`${base}/konsolidierung`);
    await koordination.getByText(/1 offene Diskussion$/).first().waitFor();
    await koordination.getByRole('checkbox', { name: 'Nur Kriterien mit offener Diskussion' }).check();
    await koordination.getByText('1 Kriterium entspricht der Auswahl.').waitFor();
    const criterion = koordination.getByRole('article', { name: /^1\.1 / });
    // The criterion's heading says so too, after a hidden dash like its other badges.
    await koordination.getByRole('heading', { level: 3, name: /^1\.1 .* – 1 offene Diskussion$/ }).waitFor();
    const thread = questionThread(koordination, criterion, '1.1.1');
    await thread.getByText('Diskussion zu Leitfrage 1.1.1 (2) – offen').click();
    await thread.getByText('Zählt die Ausbildungsmesse 2026 als Beleg?').waitFor();
    await thread.getByText('Ja, mit dem Flyer als Beleg.').waitFor();
    await thread.getByText('Jonas Krüger').waitFor();
    await expectNoAxeViolations(koordination, 'Konsolidierung mit Diskussion');
    await picture(koordination, 'konsolidierung-diskussion');

    // With the filter on, a settled criterion would leave the list: she looks at all of them again.
    await koordination.getByRole('checkbox', { name: 'Nur Kriterien mit offener Diskussion' }).uncheck();
    await thread.getByRole('button', { name: 'Als erledigt markieren (Leitfrage 1.1.1)' }).click();
    const settled = questionThread(koordination, criterion, '1.1.1');
    await settled.getByText('Diskussion zu Leitfrage 1.1.1 (2) – erledigt').waitFor();
    await settled.getByText('Erledigt von Ayşe Yılmaz am').waitFor();
    await koordination.getByText(/0 offene Diskussionen$/).first().waitFor();
    expect(await koordination.getByRole('heading', { level: 3, name: /offene Diskussion/ }).count()).toBe(0);
    // No new note in a settled thread; „Wieder öffnen“ is offered instead.
    expect(await settled.getByRole('button', { name: 'Notiz hinzufügen' }).count()).toBe(0);
    await settled.getByRole('button', { name: 'Wieder öffnen (Leitfrage 1.1.1)' }).waitFor();
    await expectNoAxeViolations(koordination, 'Konsolidierung mit erledigter Diskussion');
    await picture(koordination, 'konsolidierung-erledigt');
    await koordination.setViewportSize({ width: 320, height: 800 });
    await settled.scrollIntoViewIfNeeded();
    await picture(koordination, 'konsolidierung-erledigt-320');
    expect(await koordination.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);

    // On the questionnaire the thread is settled and collapsed, and says by whom.
    const jonas = await journey.signedIn('personalamt@musterstadt.example');
    await jonas.goto(`${base}/handlungsfeld/1`);
    const closed = firstThread(jonas);
    await closed.getByText('Diskussion (2) – erledigt').waitFor();
    expect(await closed.evaluate((element) => (element as HTMLDetailsElement).open)).toBe(false);
    await closed.getByText('Diskussion (2) – erledigt').click();
    await closed.getByText('Erledigt von Ayşe Yılmaz am').waitFor();
    expect(await closed.getByRole('button', { name: 'Bearbeiten' }).count()).toBe(0);

    // The change log names the note and the settling.
    await koordination.setViewportSize({ width: 1280, height: 800 });
    await koordination.goto(`${base}/aenderungen`);
    await koordination.getByText('Diskussion zu Leitfrage 1.1.1').first().waitFor();
    await koordination.getByText('Notiz zu Leitfrage 1.1.1').first().waitFor();
    // What happened to a note, never its text (security review: a deleted note is gone everywhere).
    await koordination.getByText('Status: bearbeitet').first().waitFor();
    await koordination.getByText('Status: geschrieben').first().waitFor();
    expect(await koordination.getByText(/Ausbildungsmesse|Flyer/).count()).toBe(0);
    await expectNoAxeViolations(koordination, 'Änderungen mit Diskussion');
    expect(journey.problems()).toEqual([]);
  });

  it('a Mitwirkende reads the criterion thread the Koordination started on her field page and replies; the Koordination sees the reply in the consolidation', async () => {
    const koordination = await journey.signedIn('integrationsbuero@musterstadt.example');
    await koordination.goto(`${base}/konsolidierung`);
    const started = criterionThread(koordination, '1.1');
    await started.getByText('Diskussion zum Kriterium 1.1 (0)').click();
    await started.getByLabel('Neue Notiz zu Kriterium 1.1').fill('Fehlt uns für das ganze Kriterium eine Zielzahl?');
    await started.getByRole('button', { name: 'Notiz hinzufügen' }).click();
    await started.getByText('Diskussion zum Kriterium 1.1 (1) – offen').waitFor();

    // Jonas (Mitwirkende, may not open the consolidation) finds it under the criterion's heading.
    const jonas = await journey.signedIn('personalamt@musterstadt.example');
    await jonas.goto(`${base}/handlungsfeld/1`);
    const section = jonas.getByRole('region', { name: /^1\.1 / });
    const thread = criterionThread(jonas, '1.1');
    await thread.getByText('Diskussion zum Kriterium 1.1 (1) – offen').waitFor();
    // Under the criterion's heading, before its first question.
    expect(await section.locator('details').first().locator('summary').textContent()).toBe('Diskussion zum Kriterium 1.1 (1) – offen');
    await thread.getByText('Diskussion zum Kriterium 1.1 (1) – offen').click();
    const note = thread.getByRole('listitem').filter({ hasText: 'Fehlt uns für das ganze Kriterium eine Zielzahl?' });
    await note.getByText('Ayşe Yılmaz').waitFor();
    await thread.getByLabel('Neue Notiz zu Kriterium 1.1').fill('Im Personalamt nicht, wir schlagen 10 Prozent vor.');
    await thread.getByRole('button', { name: 'Notiz hinzufügen' }).click();
    await thread.getByText('Diskussion zum Kriterium 1.1 (2) – offen').waitFor();
    await thread.getByText('Im Personalamt nicht, wir schlagen 10 Prozent vor.').waitFor();
    // Settling stays with the Koordination.
    expect(await thread.getByRole('button', { name: /Als erledigt markieren/ }).count()).toBe(0);
    await expectNoAxeViolations(jonas, 'Fragebogen mit Diskussion zum Kriterium');
    await picture(jonas, 'fragebogen-kriterium-diskussion');
    await jonas.setViewportSize({ width: 320, height: 800 });
    await thread.scrollIntoViewIfNeeded();
    await picture(jonas, 'fragebogen-kriterium-diskussion-320');
    expect(await jonas.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);

    await koordination.reload();
    const answered = criterionThread(koordination, '1.1');
    await answered.getByText('Diskussion zum Kriterium 1.1 (2) – offen').click();
    await answered.getByRole('listitem').filter({ hasText: 'Im Personalamt nicht, wir schlagen 10 Prozent vor.' }).getByText('Jonas Krüger').waitFor();
    await answered.getByRole('button', { name: 'Als erledigt markieren (Kriterium 1.1)' }).waitFor();
    await expectNoAxeViolations(koordination, 'Konsolidierung mit Antwort zum Kriterium');
    expect(journey.problems()).toEqual([]);
  });

  it('Lesende see no discussion', async () => {
    const lesende = await journey.signedIn('buergermeisterin@musterstadt.example');
    await lesende.goto(`${base}/handlungsfeld/1`);
    await lesende.getByRole('heading', { level: 2, name: /^1\.1 / }).waitFor();
    expect(await lesende.getByText(/^Diskussion \(/).count()).toBe(0);
    expect(await lesende.getByText(/^Diskussion zum Kriterium/).count()).toBe(0);
    expect(journey.problems()).toEqual([]);
  });
});
