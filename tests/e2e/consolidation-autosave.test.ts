import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../support/browser.ts';
import { startJourney, type Journey } from '../support/journey.ts';

// The consolidation saves through the same autosave as the questionnaire (components/autosave.ts), so
// it also offers the sign-in when the session expired while rating, and sends a save made offline
// again as soon as the network returns.

let journey: Journey;
const port = 4130;
const origin = `http://localhost:${port}`;
const url = `${origin}/kommunen/musterstadt/selbstcheck/2/konsolidierung`;

beforeAll(async () => {
  journey = await startJourney({ port, name: 'consolidation-autosave', withDemo: true });
});
afterAll(() => journey?.close());

const criterion = (page: Page, key: string) => page.getByRole('article', { name: new RegExp(`^${key.replace('.', '\\.')} `) });

describe('the consolidation saves like the questionnaire', () => {
  it('an expired session gets a sign-in link that returns to the page, and the rating is saved after signing in', async () => {
    const page = await journey.signedIn('integrationsbuero@musterstadt.example');
    const started = await page.request.post(`${origin}/api/kommunen/musterstadt/rounds`, {
      data: { periodStart: null, periodEnd: null, workedFieldKeys: ['1'], participants: 'Integrationsbüro' },
    });
    expect(started.status(), await started.text()).toBe(201);
    await page.goto(url);
    await page.getByRole('heading', { level: 1, name: 'Konsolidierung der Runde 2' }).waitFor();
    await page.context().clearCookies();
    const rating = criterion(page, '1.2');
    await rating.getByLabel('Einschätzung im Bericht').selectOption('eher_nein');
    await rating.getByLabel('Begründung').fill('Das Personalamt berichtet von Lücken.');
    await rating.getByText(/Ihre Anmeldung ist abgelaufen/).waitFor({ timeout: 10_000 });
    await expectNoAxeViolations(page, 'Konsolidierung, Anmeldung abgelaufen');
    await rating.getByRole('link', { name: 'Erneut anmelden und zu dieser Seite zurückkehren' }).click();
    await page.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor();
    await page.getByLabel('E-Mail-Adresse').fill('integrationsbuero@musterstadt.example');
    await page.getByLabel('Passwort').fill(journey.password);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForURL(url);
    await criterion(page, '1.2').getByText(/Gespeichert um/).waitFor({ timeout: 10_000 });
    await page.reload();
    await criterion(page, '1.2').getByText(/Festgelegt: .* eher nein – „Das Personalamt berichtet von Lücken.“/).waitFor();
  });

  it('a rating made offline is sent again as soon as the network returns', async () => {
    const page = await journey.signedIn('integrationsbuero@musterstadt.example');
    await page.goto(url);
    const rating = criterion(page, '1.3');
    await rating.waitFor();
    await page.context().setOffline(true);
    await rating.getByLabel('Einschätzung im Bericht').selectOption('eher_ja');
    await rating.getByLabel('Begründung').fill('Die Ausländerbehörde hat neue Sprechzeiten.');
    await rating.getByText(/Der Server ist nicht erreichbar/).waitFor({ timeout: 10_000 });
    await page.context().setOffline(false);
    await rating.getByText(/Gespeichert um/).waitFor({ timeout: 10_000 });
    await page.reload();
    await criterion(page, '1.3').getByText(/Festgelegt: .* eher ja – „Die Ausländerbehörde hat neue Sprechzeiten.“/).waitFor();
  });
});
