import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJourney, type Journey } from '../support/journey.ts';
import { runLiveWorkshopJourney } from '../support/live-journey.ts';
import { expectNoAxeViolations, watchPage } from '../support/browser.ts';
import { codeAlphabet } from '../../src/domain/live-session.ts';

let journey: Journey;
const port = 4420;

beforeAll(async () => {
  journey = await startJourney({ port, name: 'live', withDemo: true });
});
afterAll(() => journey?.close());

describe('the live workshop in the browser', () => {
  it('runs a whole workshop: session, five phones, offline card, projection, merge, groups, points, close into the documentation', async () => {
    const result = await runLiveWorkshopJourney(journey.origin, {
      browser: journey.browser,
      moderatorEmail: 'integrationsbuero@musterstadt.example',
      password: journey.password,
      slug: 'musterstadt',
      workshopTitle: 'Selbstcheck-Workshop',
      screenshotDir: '/tmp/web16',
      withAxe: true,
    });
    expect(result.problems).toEqual([]);
    expect(result.screenshots.length).toBeGreaterThan(0);
  }, 300_000);

  it('the Moderation adds a card itself; a phone in one session that opens another session’s link is asked before it leaves', async () => {
    const moderation = await journey.browser.newContext({ locale: 'de-DE' });
    const request = moderation.request;
    const headers = { origin: journey.origin };
    expect((await request.post(`${journey.origin}/api/session`, { headers, data: { email: 'integrationsbuero@musterstadt.example', password: journey.password } })).status()).toBe(200);
    const workshops = (await (await request.get(`${journey.origin}/api/kommunen/musterstadt/documents/workshops`)).json()) as { content: { workshops: { id: string; fields: { fieldKey: string }[] }[] } };
    const workshop = workshops.content.workshops[0]!;
    const created = await request.post(`${journey.origin}/api/kommunen/musterstadt/live-sessions`, { headers, data: { workshopId: workshop.id, fieldKeys: workshop.fields.map((field) => field.fieldKey) } });
    expect(created.status(), await created.text()).toBe(201);
    const { session } = (await created.json()) as { session: { code: string } };
    const otherCode = session.code.slice(0, 9) + (session.code[9] === codeAlphabet[0] ? codeAlphabet[1] : codeAlphabet[0]);
    const formatted = (code: string) => `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;

    const phone = await journey.browser.newContext({ locale: 'de-DE', viewport: { width: 360, height: 740 } });
    const page = await phone.newPage();
    const watched = watchPage(page);
    await page.goto(`${journey.origin}/live/${session.code}`);
    await page.getByRole('button', { name: 'Teilnehmen' }).click();
    await page.getByRole('heading', { level: 2, name: /^Jetzt:/ }).waitFor();

    // The Moderation types a card someone said aloud; the phone shows it.
    const sessionId = ((await created.json()) as { session: { id: string } }).session.id;
    expect((await request.patch(`${journey.origin}/api/kommunen/musterstadt/live-sessions/${sessionId}`, { headers, data: { phase: 'sammeln' } })).status()).toBe(200);
    const console_ = await moderation.newPage();
    const consoleWatched = watchPage(console_);
    await console_.goto(`${journey.origin}/kommunen/musterstadt/workshops/${workshop.id}/live`);
    await console_.getByText(/^Karte selbst hinzufügen zu/).first().click();
    await console_.getByLabel('Frage', { exact: true }).first().selectOption({ index: 1 });
    await console_.getByLabel('Text der Karte').first().fill('Zuruf aus dem Raum: Sprechstunden am Abend');
    await expectNoAxeViolations(console_, 'Moderation: Karte selbst hinzufügen');
    await console_.getByRole('button', { name: 'Karte hinzufügen' }).first().click();
    await page.getByText('Zuruf aus dem Raum: Sprechstunden am Abend').waitFor();
    // The phone may show the card (pushed by the stream) before the Moderation's form has handled its own answer.
    await expect.poll(() => console_.getByLabel('Text der Karte').first().inputValue()).toBe('');
    expect(consoleWatched.problems).toEqual([]);

    // A second QR code: the phone asks, and staying keeps the first session.
    await page.goto(`${journey.origin}/live/${otherCode}`);
    await page.getByRole('heading', { level: 1, name: 'Andere Live-Sitzung?' }).waitFor();
    expect(await page.getByText(`zur Sitzung ${formatted(otherCode)} wechseln`).count()).toBe(1);
    await expectNoAxeViolations(page, 'Andere Live-Sitzung?');
    await page.getByRole('button', { name: 'In der bisherigen Sitzung bleiben' }).click();
    await page.getByRole('heading', { level: 2, name: /^Jetzt:/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/live');

    // Switching leaves the first session and offers the join form with the new code.
    await page.goto(`${journey.origin}/live/${otherCode}`);
    await page.getByRole('button', { name: 'Wechseln' }).click();
    await page.getByRole('button', { name: 'Teilnehmen' }).waitFor();
    expect(await page.getByLabel('Sitzungscode').inputValue()).toBe(formatted(otherCode));
    expect((await phone.request.get(`${journey.origin}/api/live/session`)).status()).toBe(401);
    expect(watched.problems).toEqual([]);
    await phone.close();
    await moderation.close();
  }, 120_000);
});
