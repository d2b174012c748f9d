import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectNoAxeViolations, watchPage } from './browser.ts';

/**
 * The live workshop in the browser, as one reusable journey: it needs only the address of the app
 * (one server, or two behind nginx) and a signed-in-able Moderation, so the multi-process test can run
 * it unchanged. The Moderation opens a session for a workshop, five phones join (one through the QR
 * code's address), post cards (one while offline), the projection follows live, the Moderation merges
 * and groups, opens the voting, the phones give points, the projection ranks, the Moderation closes;
 * the workshop page and the Abschlussbericht show the Handlungsbedarfe with their points.
 */
export interface LiveJourneyOptions {
  browser: Browser;
  /** E-mail address and password of a person with live.moderate in the Kommune. */
  moderatorEmail: string;
  password: string;
  slug: string;
  /** A workshop of the Kommune whose Handlungsfelder include „4“ and „5“ (the demo's workshop). */
  workshopTitle: string;
  /** Where the screenshots go (projection at 1920×1080, phone at 360×740); none when absent. */
  screenshotDir?: string;
  /** axe on participant view (320 px and 200 % zoom), console and projection. */
  withAxe?: boolean;
}

export interface LiveJourneyResult {
  code: string;
  sessionId: string;
  /** Console errors and failed loads seen on every page of the journey. */
  problems: string[];
  screenshots: string[];
}

const needs = {
  multilingual: 'Mehrsprachige Informationen im Bürgerbüro',
  duplicate: 'Informationen in mehreren Sprachen anbieten',
  complaints: 'Unabhängige Beschwerdestelle für Diskriminierung einrichten',
};
const goodTeam = 'Das Integrationsbüro ist gut erreichbar';
const goodCourses = 'Die Fortbildungen sind gut besucht';
const honorCard = 'Die Ehrenamtskarte ist noch kaum bekannt';

/** Waits for a value in the page (the room is busy: eight browsers on a small machine), failing after 20 s. */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 100 });

const questionRadio = { worksWell: /schon gut/, notYet: /noch nicht so gut/, needs: /Handlungsbedarfe/ } as const;

/** Runs the whole workshop; fails (vitest expect) at the first step that does not hold. */
export async function runLiveWorkshopJourney(baseUrl: string, options: LiveJourneyOptions): Promise<LiveJourneyResult> {
  const { browser } = options;
  const origin = baseUrl.replace(/\/$/, '');
  const problems: { problems: string[] }[] = [];
  const contexts: BrowserContext[] = [];
  const screenshots: string[] = [];
  const newContext = async (contextOptions: Parameters<Browser['newContext']>[0] = {}) => {
    const context = await browser.newContext({ locale: 'de-DE', ...contextOptions });
    contexts.push(context);
    return context;
  };
  const openPage = async (context: BrowserContext) => {
    const page = await context.newPage();
    problems.push(watchPage(page));
    return page;
  };
  const shoot = async (page: Page, name: string, fullPage = false) => {
    if (!options.screenshotDir) return;
    mkdirSync(options.screenshotDir, { recursive: true });
    const file = path.join(options.screenshotDir, `${name}.png`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: file, fullPage });
    screenshots.push(file);
  };
  const axe = async (page: Page, label: string) => {
    if (options.withAxe) await expectNoAxeViolations(page, label);
  };

  try {
    // --- The Moderation prepares the session from the workshop page.
    const moderationContext = await newContext({ viewport: { width: 1280, height: 900 } });
    const console_ = await openPage(moderationContext);
    await console_.goto(`${origin}/anmelden`);
    await console_.getByLabel('E-Mail-Adresse').fill(options.moderatorEmail);
    await console_.getByLabel('Passwort', { exact: true }).fill(options.password);
    await console_.getByRole('button', { name: 'Anmelden' }).click();
    await console_.getByRole('heading', { level: 1, name: 'Kommunen' }).waitFor();
    await console_.goto(`${origin}/kommunen/${options.slug}/workshops`);
    await console_.getByRole('link', { name: `Live-Sitzung vorbereiten: ${options.workshopTitle}` }).click();
    await console_.getByRole('heading', { level: 2, name: 'Live-Sitzung vorbereiten' }).waitFor();
    // The workshop's Handlungsfelder are preselected.
    await poll(() => console_.getByRole('checkbox', { name: /Interkulturelle Öffnung und Antirassismus/ }).isChecked()).toBe(true);
    await poll(() => console_.getByRole('checkbox', { name: /Engagement und Beteiligung/ }).isChecked()).toBe(true);
    await axe(console_, 'Live-Sitzung vorbereiten');
    await console_.getByRole('button', { name: 'Live-Sitzung anlegen' }).click();
    const codeElement = console_.locator('.live-code');
    await codeElement.waitFor();
    const code = (await codeElement.textContent())!.trim();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}$/);
    const projectionHref = (await console_.getByRole('link', { name: /Projektion öffnen/ }).getAttribute('href'))!;
    const sessionId = /\/live\/([0-9a-f-]{36})\/projektor$/.exec(projectionHref)![1]!;
    const joinUrl = (await console_.locator('a[href*="/live/"]').filter({ hasText: '/live/' }).first().textContent())!.trim();
    expect(joinUrl.endsWith(`/live/${code}`)).toBe(true);
    await poll(() => console_.getByRole('img', { name: /^QR-Code zum Beitreten/ }).count()).toBe(1);
    await axe(console_, 'Moderation einer Live-Sitzung');

    // --- The projection, opened by the Moderation, shows the starting point.
    const projection = await openPage(moderationContext);
    await projection.setViewportSize({ width: 1920, height: 1080 });
    await projection.goto(`${origin}${projectionHref}`);
    await projection.getByText(code, { exact: true }).waitFor();
    await projection.getByRole('heading', { level: 2, name: 'Interkulturelle Öffnung und Antirassismus' }).waitFor();
    const bodySize = await projection.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.projection')!).fontSize));
    expect(bodySize).toBeGreaterThanOrEqual(28);
    await shoot(projection, 'projektion-1-ergebnisse');
    await axe(projection, 'Projektion: Ergebnisse ansehen');

    await console_.getByRole('button', { name: 'Sammeln', exact: true }).click();
    await console_.getByText('Aktuelle Phase: Sammeln').waitFor();
    await projection.getByText('Sammeln', { exact: true }).waitFor();

    // --- Five phones join: four by typing the code (in any spelling), one through the QR code's address.
    const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
    const join = async (name: string, consent: boolean, byQr = false) => {
      const context = await newContext(phone);
      const page = await openPage(context);
      if (byQr) {
        await page.goto(joinUrl);
        await poll(() => page.getByLabel('Sitzungscode').inputValue()).toBe(code);
      } else {
        await page.goto(`${origin}/live`);
        await page.getByLabel('Sitzungscode').fill(code.toLowerCase().replaceAll('-', ' '));
      }
      if (name) {
        await page.getByLabel(/^Anzeigename/).fill(name);
        if (consent) await page.getByLabel(/darf im Export/).check();
      }
      if (consent) await shoot(page, 'telefon-0-beitreten', true);
      await page.getByRole('button', { name: 'Teilnehmen' }).click();
      await page.getByRole('heading', { level: 2, name: 'Jetzt: Sammeln' }).waitFor();
      return { context, page };
    };
    const first = await join('Ayla', true);
    // The join form at 320 px and at 200 % zoom (a 1280 px window: 640 CSS pixels at scale 2).
    if (options.withAxe) {
      const narrow = await openPage(await newContext({ viewport: { width: 320, height: 640 } }));
      await narrow.goto(`${origin}/live/${code}`);
      await narrow.getByRole('button', { name: 'Teilnehmen' }).waitFor();
      await narrow.getByLabel(/^Anzeigename/).fill('Test');
      await expectNoAxeViolations(narrow, 'Beitreten, 320 px');
      expect(await narrow.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
      const zoomed = await openPage(await newContext({ viewport: { width: 640, height: 370 }, deviceScaleFactor: 2 }));
      await zoomed.goto(`${origin}/live/${code}`);
      await zoomed.getByRole('button', { name: 'Teilnehmen' }).waitFor();
      await expectNoAxeViolations(zoomed, 'Beitreten, 200 %');
      expect(await zoomed.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    }
    const second = await join('', false);
    const third = await join('Ben', false);
    const fourth = await join('', false);
    const fifth = await join('Chris', false, true);
    await console_.getByRole('heading', { level: 2, name: '5 Teilnehmende' }).waitFor();

    const post = async (page: Page, fieldName: string, question: RegExp, text: string, expectSent = true) => {
      await page.getByLabel('Handlungsfeld', { exact: true }).selectOption({ label: fieldName });
      await page.getByRole('radio', { name: question }).check();
      await page.getByLabel('Ihre Karte').fill(text);
      await page.getByRole('button', { name: 'Karte senden' }).click();
      const mine = page.locator('.live-mine__item', { hasText: text });
      if (expectSent) await mine.getByText('gesendet', { exact: true }).waitFor();
      return mine;
    };
    const field4 = 'Interkulturelle Öffnung und Antirassismus';
    const field5 = 'Engagement und Beteiligung';
    await post(first.page, field4, questionRadio.needs, needs.multilingual);
    await shoot(first.page, 'telefon-1-sammeln');
    await post(second.page, field4, questionRadio.needs, needs.duplicate);
    await post(third.page, field4, questionRadio.needs, needs.complaints);
    await post(fifth.page, field4, questionRadio.worksWell, goodCourses);
    await post(fifth.page, field5, questionRadio.notYet, honorCard);
    if (options.withAxe) {
      await first.page.setViewportSize({ width: 320, height: 740 });
      await expectNoAxeViolations(first.page, 'Teilnehmende beim Sammeln, 320 px');
      await first.page.setViewportSize({ width: 360, height: 740 });
    }

    // One phone loses the network: the card waits, and arrives once when the phone is back online.
    await fourth.context.setOffline(true);
    const waiting = await post(fourth.page, field4, questionRadio.worksWell, goodTeam, false);
    await waiting.getByText('wird gesendet', { exact: true }).waitFor();
    await fourth.context.setOffline(false);
    await waiting.getByText('gesendet', { exact: true }).waitFor();

    // The participant view while collecting, at 200 % zoom (a 1280 px window: 640 CSS pixels at scale 2).
    if (options.withAxe) {
      const zoomedContext = await newContext({ viewport: { width: 640, height: 370 }, deviceScaleFactor: 2 });
      const zoomed = await openPage(zoomedContext);
      await zoomed.goto(`${origin}/live/${code}`);
      await zoomed.getByRole('button', { name: 'Teilnehmen' }).click();
      await zoomed.getByRole('heading', { level: 2, name: 'Jetzt: Sammeln' }).waitFor();
      await zoomed.getByText(goodTeam, { exact: true }).waitFor();
      await expectNoAxeViolations(zoomed, 'Teilnehmende beim Sammeln, 200 %');
      expect(await zoomed.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
      await zoomed.getByRole('button', { name: 'Teilnahme beenden' }).click();
      await zoomed.getByRole('heading', { level: 1, name: 'An der Live-Sitzung teilnehmen' }).waitFor();
      await console_.getByRole('heading', { level: 2, name: '5 Teilnehmende' }).waitFor();
    }

    // The projection follows without a reload: every card once.
    for (const text of [needs.multilingual, needs.duplicate, needs.complaints, goodCourses, goodTeam]) await projection.getByText(text, { exact: true }).waitFor();
    expect(await projection.getByText(goodTeam, { exact: true }).count()).toBe(1);
    await shoot(projection, 'projektion-2-sammeln');
    await axe(projection, 'Projektion: Sammeln');
    // Other phones see the room's cards too.
    await third.page.getByText(goodTeam, { exact: true }).waitFor();

    // --- The Moderation orders: merges the duplicate, groups what goes together.
    await console_.getByRole('button', { name: 'Ordnen', exact: true }).click();
    await console_.getByText('Aktuelle Phase: Ordnen').waitFor();
    const cardItem = (text: string) => console_.locator('.live-moderation-card').filter({ has: console_.locator('.live-moderation-card__text', { hasText: text }) });
    const duplicate = cardItem(needs.duplicate);
    await duplicate.locator('summary').click();
    await duplicate.getByLabel('Zusammenführen mit').selectOption({ label: needs.multilingual });
    await duplicate.getByRole('button', { name: 'Zusammenführen' }).click();
    await poll(() => console_.getByText(needs.duplicate, { exact: true }).count()).toBe(0);
    await poll(() => projection.getByText(needs.duplicate, { exact: true }).count()).toBe(0);

    const worksWellBlock = console_.locator('.live-field', { has: console_.getByRole('heading', { level: 3, name: field4 }) });
    const newGroup = worksWellBlock.getByLabel(/^Neue Gruppe zu „Was läuft bei/);
    await newGroup.fill('Gute Zusammenarbeit');
    await newGroup.press('Enter');
    await console_.getByText('Gruppe: Gute Zusammenarbeit').waitFor();
    for (const text of [goodTeam, goodCourses]) {
      const item = cardItem(text);
      await item.locator('summary').click();
      await item.getByLabel('Gruppe', { exact: true }).selectOption({ label: 'Gute Zusammenarbeit' });
    }
    await projection.getByRole('heading', { level: 4, name: 'Gute Zusammenarbeit' }).waitFor();
    await poll(() => projection.locator('.projection-group', { hasText: 'Gute Zusammenarbeit' }).locator('li').count()).toBe(2);
    await axe(console_, 'Moderation beim Ordnen');
    await shoot(console_, 'moderation-ordnen', true);

    // --- Priorisieren: voting opens, the phones give points, the projection ranks.
    await console_.getByRole('button', { name: 'Priorisieren', exact: true }).click();
    await console_.getByRole('button', { name: 'Punktevergabe öffnen' }).click();
    await console_.getByText('Die Punktevergabe ist geöffnet.').waitFor();
    const give = async (page: Page, text: string, points: number) => {
      for (let point = 0; point < points; point++) {
        const before = await page.locator('.live-points-left').textContent();
        await page.getByRole('button', { name: `Einen Punkt mehr für „${text}“` }).click();
        await poll(() => page.locator('.live-points-left').textContent()).not.toBe(before);
      }
    };
    await first.page.getByRole('heading', { level: 2, name: 'Punkte vergeben' }).waitFor();
    await first.page.getByText('Sie haben noch 5 von 5 Punkten.').waitFor();
    await give(first.page, needs.multilingual, 3);
    // At most three points on one card: the button says so and gives no fourth.
    await poll(() => first.page.getByRole('button', { name: `Einen Punkt mehr für „${needs.multilingual}“` }).getAttribute('aria-disabled')).toBe('true');
    await give(first.page, needs.complaints, 1);
    await first.page.getByText('Sie haben noch 1 von 5 Punkten.').waitFor();
    await shoot(first.page, 'telefon-2-punkte');
    if (options.withAxe) await expectNoAxeViolations(first.page, 'Teilnehmende beim Punktevergeben');
    await second.page.getByRole('heading', { level: 2, name: 'Punkte vergeben' }).waitFor();
    await give(second.page, needs.complaints, 2);
    await second.page.getByText('Sie haben noch 3 von 5 Punkten.').waitFor();
    await give(third.page, needs.complaints, 3);
    await give(fifth.page, needs.multilingual, 2);

    const ranking = projection.locator('.projection-ranking li');
    await poll(() => ranking.allTextContents()).toEqual([`${needs.complaints}6 Punkte`, `${needs.multilingual}5 Punkte`]);
    await shoot(projection, 'projektion-3-priorisieren');
    await axe(projection, 'Projektion: Priorisieren');

    // --- The Moderation closes: the cards become the workshop documentation.
    await console_.getByRole('button', { name: 'Punktevergabe schließen' }).click();
    await console_.getByText('Die Punktevergabe ist geschlossen.').waitFor();
    await console_.getByRole('button', { name: 'Sitzung beenden und dokumentieren' }).click();
    const dialog = console_.getByRole('dialog');
    await dialog.getByText(/werden 30 Tage nach dem Ende gelöscht/).waitFor();
    await dialog.getByRole('button', { name: 'Beenden und dokumentieren' }).click();
    await console_.getByText('Die Live-Sitzung ist beendet. Ihre Ergebnisse stehen jetzt in der Workshop-Dokumentation.').waitFor();
    await first.page.getByRole('heading', { level: 1, name: 'Live-Sitzung beendet' }).waitFor();
    await shoot(first.page, 'telefon-3-beendet');
    await projection.getByText('Beendet', { exact: true }).waitFor();

    const workshops = await openPage(moderationContext);
    await workshops.goto(`${origin}/kommunen/${options.slug}/workshops`);
    const workshop = workshops.locator('article.workshop', { has: workshops.getByRole('heading', { level: 2, name: new RegExp(options.workshopTitle) }) });
    await workshop.getByText(`${needs.complaints} (6 Punkte)`).waitFor();
    await workshop.getByText(`${needs.multilingual} (5 Punkte)`).waitFor();
    await workshop.getByText(/Gute Zusammenarbeit: (Die Fortbildungen sind gut besucht; Das Integrationsbüro ist gut erreichbar|Das Integrationsbüro ist gut erreichbar; Die Fortbildungen sind gut besucht)/).waitFor();
    expect(await workshop.getByText(needs.duplicate).count()).toBe(0);

    const report = await openPage(moderationContext);
    await report.goto(`${origin}/kommunen/${options.slug}/bericht`);
    await report.getByRole('heading', { level: 1, name: /^Abschlussbericht/ }).waitFor();
    await report.getByText(needs.complaints).first().waitFor();
    // The report writes „(6 Punkte)“ with a no-break space.
    await report.getByText(new RegExp(`${needs.complaints}\\s+\\(6\\sPunkte\\)`)).first().waitFor();

    // The phone that went offline on purpose failed to load while offline: that is the point of the step.
    const expected = (problem: string) => problem.includes('net::ERR_INTERNET_DISCONNECTED');
    return { code, sessionId, problems: problems.flatMap((watcher) => watcher.problems).filter((problem) => !expected(problem)), screenshots };
  } finally {
    for (const context of contexts) await context.close().catch(() => {});
  }
}
