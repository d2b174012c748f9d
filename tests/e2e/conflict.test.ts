import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, watchPage } from '../support/browser.ts';
import { startJourney, type Journey } from '../support/journey.ts';

// Issue 14: a conflict never discards typed text. Two tabs of one person edit the same answer; the tab
// that saves second merges both against the version it started from: what only the other tab changed
// is taken over with a short note, and only what both changed differently is shown beside one's own
// with who saved it („Sie … in einem anderen Fenster“), to choose, or merge by editing.

let journey: Journey;
const port = 4170;
const origin = `http://localhost:${port}`;
const watchers: { problems: string[] }[] = [];

beforeAll(async () => {
  journey = await startJourney({ port, name: 'conflict', withDemo: true });
});
afterAll(() => journey?.close());

/** The accessible name Chromium itself computes for the element (what a screen reader announces). */
async function chromiumName(page: Page, selector: string): Promise<string> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
    return String(nodes[0]?.name?.value ?? '');
  } finally {
    await cdp.detach();
  }
}

const group = (page: Page, questionKey: string) => page.getByRole('group', { name: new RegExp(`^${questionKey.replaceAll('.', '\\.')} `) });

async function openComment(page: Page, questionKey: string) {
  const question = group(page, questionKey);
  const comment = question.getByLabel(/^Kommentar/);
  if (!(await comment.isVisible())) await question.getByText('Kommentar und Beleg').click();
  return comment;
}

describe('two tabs edit the same answer', () => {
  const field = `${origin}/kommunen/musterstadt/selbstcheck/2/handlungsfeld/1`;
  let first: Page;
  let second: Page;

  it('the tab that saves second keeps its text, sees both versions and merges them', async () => {
    first = await journey.signedIn('integrationsbuero@musterstadt.example');
    const started = await first.request.post(`${origin}/api/kommunen/musterstadt/rounds`, {
      data: { periodStart: null, periodEnd: null, workedFieldKeys: ['1', '2'], participants: 'Integrationsbüro' },
    });
    expect(started.status(), await started.text()).toBe(201);
    await first.goto(field);
    await group(first, '1.1.1').waitFor();
    // The second tab is opened before the first one saves: it knows only the empty answer.
    second = await first.context().newPage();
    watchers.push(watchPage(second));
    await second.goto(field);
    await group(second, '1.1.1').waitFor();

    await (await openComment(first, '1.1.1')).fill('Steuerungsgruppe tagt monatlich');
    await group(first, '1.1.1').getByText(/Gespeichert um/).waitFor({ timeout: 10_000 });

    const mine = await openComment(second, '1.1.1');
    await mine.fill('Beschluss des Rates von 2024');
    const conflict = group(second, '1.1.1').getByRole('alert');
    await conflict.getByText('Sie haben diese Antwort inzwischen in einem anderen Fenster geändert.').waitFor({ timeout: 10_000 });
    // Both texts are on the screen: one's own in the field, the other one in the panel.
    expect(await mine.inputValue()).toBe('Beschluss des Rates von 2024');
    await conflict.getByText('Steuerungsgruppe tagt monatlich').waitFor();
    await conflict.getByText('Beschluss des Rates von 2024').waitFor();
    await group(second, '1.1.1').getByText('Nicht gespeichert: Es gibt zwei Fassungen.', { exact: false }).waitFor();
    await expectNoAxeViolations(second, 'Fragebogen mit zwei Fassungen');

    // Merging by editing saves nothing yet; keeping one's version saves the merged text.
    await mine.fill('Steuerungsgruppe tagt monatlich; Beschluss des Rates von 2024');
    expect(await conflict.isVisible()).toBe(true);
    await conflict.getByRole('button', { name: 'Meine Fassung behalten' }).click();
    await group(second, '1.1.1').getByText(/Gespeichert um/).waitFor({ timeout: 10_000 });
    expect(await group(second, '1.1.1').getByRole('alert').count()).toBe(0);

    await first.reload();
    expect(await (await openComment(first, '1.1.1')).inputValue()).toBe('Steuerungsgruppe tagt monatlich; Beschluss des Rates von 2024');
  });

  it('„Andere Fassung übernehmen“ replaces one\'s own choice by the saved one', async () => {
    await group(first, '1.2.1').getByRole('radio', { name: 'ja', exact: true }).check();
    await group(first, '1.2.1').getByText(/Gespeichert um/).waitFor();
    // The second tab still believes 1.2.1 unanswered.
    const stale = group(second, '1.2.1');
    await stale.getByRole('radio', { name: 'nein', exact: true }).check();
    const conflict = stale.getByRole('alert');
    await conflict.getByText(/in einem anderen Fenster/).waitFor({ timeout: 10_000 });
    // One's own choice stays chosen until one decides.
    expect(await stale.getByRole('radio', { name: 'nein', exact: true }).isChecked()).toBe(true);
    await conflict.getByText('Gespeicherte Fassung:').waitFor();
    await conflict.getByRole('button', { name: 'Andere Fassung übernehmen' }).click();
    expect(await stale.getByRole('radio', { name: 'ja', exact: true }).isChecked()).toBe(true);
    expect(await stale.getByRole('alert').count()).toBe(0);
    // Nothing was saved by taking the other version: a reload shows the first tab's answer.
    await second.reload();
    await expect.poll(() => group(second, '1.2.1').getByRole('radio', { name: 'ja', exact: true }).isChecked()).toBe(true);
  });

  it('„Andere Fassung unten anfügen“ puts the other comment below one\'s own, to merge by editing and keep', async () => {
    await (await openComment(first, '1.1.2')).fill('Lenkungskreis seit 2023');
    await group(first, '1.1.2').getByText(/Gespeichert um/).waitFor({ timeout: 10_000 });
    // The second tab still knows the comment empty.
    const question = group(second, '1.1.2');
    const mine = await openComment(second, '1.1.2');
    await mine.fill('Geschäftsordnung vom Rat beschlossen');
    const conflict = question.getByRole('alert');
    await conflict.getByText('Sie haben diese Antwort inzwischen in einem anderen Fenster geändert.').waitFor({ timeout: 10_000 });
    await expectNoAxeViolations(second, 'Fragebogen mit „Andere Fassung unten anfügen“');
    await conflict.getByRole('button', { name: 'Andere Fassung unten anfügen' }).click();
    // Both texts in her field, the other one below; she goes on there, and nothing is saved yet.
    expect(await mine.inputValue()).toBe('Geschäftsordnung vom Rat beschlossen\nLenkungskreis seit 2023');
    await expect.poll(() => mine.evaluate((element) => element === document.activeElement)).toBe(true);
    await conflict.getByText(/Die andere Fassung steht jetzt im Feld unter Ihrer/).waitFor();
    expect(await conflict.getByRole('button', { name: 'Andere Fassung unten anfügen' }).count()).toBe(0);
    await question.getByText('Nicht gespeichert: Es gibt zwei Fassungen.', { exact: false }).waitFor();
    await expectNoAxeViolations(second, 'Fragebogen mit angefügter Fassung');
    if (process.env.WELTOFFEN_KEEP_SCREENSHOTS) {
      await question.scrollIntoViewIfNeeded();
      await second.screenshot({ path: `${process.env.WELTOFFEN_KEEP_SCREENSHOTS}/konflikt-angefuegt.png` });
    }
    await mine.fill('Geschäftsordnung vom Rat beschlossen; Lenkungskreis seit 2023');
    await conflict.getByRole('button', { name: 'Meine Fassung behalten' }).click();
    await question.getByText(/Gespeichert um/).waitFor({ timeout: 10_000 });
    expect(await question.getByRole('alert').count()).toBe(0);
    await first.reload();
    expect(await (await openComment(first, '1.1.2')).inputValue()).toBe('Geschäftsordnung vom Rat beschlossen; Lenkungskreis seit 2023');
  });

  it('a rating in one window and a comment only in the other are both kept without a question; a clash on the comment is offered', async () => {
    // The reviewer's case: Sozialamt, two tabs on Handlungsfeld 2, both opened before either saves.
    const url = `${origin}/kommunen/musterstadt/selbstcheck/2/handlungsfeld/2`;
    const tab1 = await journey.signedIn('sozialamt@musterstadt.example');
    await tab1.goto(url);
    await group(tab1, '2.1.2').waitFor();
    const tab2 = await tab1.context().newPage();
    watchers.push(watchPage(tab2));
    await tab2.goto(url);
    await group(tab2, '2.1.2').waitFor();

    await group(tab1, '2.1.2').getByRole('radio', { name: 'ja', exact: true }).check();
    await group(tab1, '2.1.2').getByText(/Gespeichert um/).waitFor({ timeout: 10_000 });
    const question = group(tab2, '2.1.2');
    const comment = await openComment(tab2, '2.1.2');
    await comment.fill('Siehe Sozialbericht 2025');
    // Only tab 1 changed the answer, only tab 2 the comment: both are kept, with a note and no question.
    await question
      .getByRole('status')
      .getByText('Sie haben diese Antwort inzwischen in einem anderen Fenster geändert. Übernommen: Antwort. Ihre eigenen Eingaben bleiben erhalten.')
      .waitFor({ timeout: 10_000 });
    await question.getByText(/Gespeichert um/).waitFor({ timeout: 10_000 });
    expect(await question.getByRole('alert').count()).toBe(0);
    expect(await question.getByRole('radio', { name: 'ja', exact: true }).isChecked()).toBe(true);
    expect(await comment.inputValue()).toBe('Siehe Sozialbericht 2025');
    await expectNoAxeViolations(tab2, 'Fragebogen mit übernommener Antwort');
    await tab1.reload();
    expect(await group(tab1, '2.1.2').getByRole('radio', { name: 'ja', exact: true }).isChecked()).toBe(true);
    expect(await (await openComment(tab1, '2.1.2')).inputValue()).toBe('Siehe Sozialbericht 2025');

    // Now both tabs change the comment differently: only the comment is offered for choice.
    await (await openComment(tab1, '2.1.2')).fill('Stand: Sozialbericht 2024');
    await group(tab1, '2.1.2').getByText(/Gespeichert um/).waitFor({ timeout: 10_000 });
    await comment.fill('Siehe Sozialbericht 2025 und Haushaltsplan');
    const conflict = question.getByRole('alert');
    await conflict.getByText('Sie haben diese Antwort inzwischen in einem anderen Fenster geändert.').waitFor({ timeout: 10_000 });
    expect(await conflict.locator('dt').allTextContents()).toEqual(['Kommentar']);
    await conflict.getByText('Stand: Sozialbericht 2024').waitFor();
    // The progress line says what is true: the change waits for a choice, nothing is being saved.
    const progress = tab2.locator('.answer-progress');
    await progress.getByText(/1 Änderung wartet auf Ihre Entscheidung/).waitFor();
    expect(await progress.textContent()).not.toContain('gespeichert');
    await expectNoAxeViolations(tab2, 'Fragebogen mit Wahl nur beim Kommentar');
    await conflict.getByRole('button', { name: 'Meine Fassung behalten' }).click();
    await question.getByText(/Gespeichert um/).waitFor({ timeout: 10_000 });
    expect(await progress.textContent()).not.toContain('Änderung');
    await tab1.reload();
    expect(await group(tab1, '2.1.2').getByRole('radio', { name: 'ja', exact: true }).isChecked()).toBe(true);
    expect(await (await openComment(tab1, '2.1.2')).inputValue()).toBe('Siehe Sozialbericht 2025 und Haushaltsplan');
    await tab1.context().close();
  });

  it('a draft left offline is merged on the next visit with what was saved meanwhile, not written over it', async () => {
    const signedIn = await journey.signedIn('sozialamt@musterstadt.example');
    // A page of its own: the failed request is expected here.
    const page = await signedIn.context().newPage();
    await page.route('**/answers/2.1.3', (route) => route.abort());
    await page.goto(`${origin}/kommunen/musterstadt/selbstcheck/2/handlungsfeld/2`);
    await (await openComment(page, '2.1.3')).fill('Entwurf ohne Netz');
    await group(page, '2.1.3').getByText(/Der Server ist nicht erreichbar/).waitFor({ timeout: 10_000 });
    // Meanwhile the answer „ja“ is saved elsewhere (another device): the kept draft knows only the empty answer.
    const saved = await page.request.put(`${origin}/api/kommunen/musterstadt/rounds/2/answers/2.1.3`, {
      data: { value: 'ja', comment: '', evidence: '', expectedVersion: 0 },
    });
    expect(saved.status(), await saved.text()).toBe(200);
    await page.unroute('**/answers/2.1.3');
    await page.reload();
    const question = group(page, '2.1.3');
    await question.getByRole('status').getByText(/Übernommen: Antwort\. Ihre eigenen Eingaben bleiben erhalten\./).waitFor({ timeout: 10_000 });
    await question.getByText(/Gespeichert um/).waitFor({ timeout: 10_000 });
    expect(await question.getByRole('alert').count()).toBe(0);
    await page.reload();
    expect(await group(page, '2.1.3').getByRole('radio', { name: 'ja', exact: true }).isChecked()).toBe(true);
    expect(await (await openComment(page, '2.1.3')).inputValue()).toBe('Entwurf ohne Netz');
    await signedIn.context().close();
  });

  it('the consolidation saves itself, keeps a draft while offline, filters and explains the mean', async () => {
    // A second person answers 1.2.1 the other way: criterion 1.2 now has disagreeing answers (ja, nein).
    const colleague = await journey.signedIn('personalamt@musterstadt.example');
    const answered = await colleague.request.put(`${origin}/api/kommunen/musterstadt/rounds/2/answers/1.2.1`, {
      data: { value: 'nein', comment: '', evidence: '', expectedVersion: 0 },
    });
    expect(answered.status(), await answered.text()).toBe(200);
    const page = first;
    await page.goto(`${origin}/kommunen/musterstadt/selbstcheck/2/konsolidierung`);
    await page.getByRole('heading', { level: 1, name: 'Konsolidierung der Runde 2' }).waitFor();
    const article = (key: string) => page.getByRole('article', { name: new RegExp(`^${key.replace('.', '\\.')} `) });

    await page.getByRole('checkbox', { name: 'Nur Kriterien mit abweichenden Antworten' }).check();
    await page.getByText('1 Kriterium entspricht der Auswahl.').waitFor();
    expect(await page.getByRole('article').count()).toBe(1);
    await article('1.2').waitFor();
    await expectNoAxeViolations(page, 'Konsolidierung gefiltert');
    await page.getByRole('checkbox', { name: 'Nur Kriterien mit abweichenden Antworten' }).uncheck();
    await page.getByRole('checkbox', { name: 'Nur offene Kriterien' }).check();
    await article('1.3').waitFor();
    expect(await article('1.2').count()).toBe(0);
    await page.getByRole('checkbox', { name: 'Nur offene Kriterien' }).uncheck();

    // The badges are part of the heading but read apart from the criterion's name.
    const consolidation = (await (await page.request.get(`${origin}/api/kommunen/musterstadt/rounds/2/consolidation`)).json()) as {
      fields: { criteria: { key: string; name: string; status: string; isDisputed: boolean }[] }[];
    };
    const open = consolidation.fields.flatMap((entry) => entry.criteria).find((entry) => entry.key === '1.3')!;
    expect(open.status).toBe('open');
    expect(await chromiumName(page, '[id="k-1.3"]')).toBe(`1.3 ${open.name} – offen`);
    await page.getByRole('heading', { level: 3, name: `1.3 ${open.name} – offen`, exact: true }).waitFor();
    const disputed = consolidation.fields.flatMap((entry) => entry.criteria).find((entry) => entry.key === '1.2')!;
    expect([disputed.isDisputed, disputed.status]).toEqual([true, 'rated']);
    expect(await chromiumName(page, '[id="k-1.2"]')).toBe(`1.2 ${disputed.name} – Abweichende Antworten`);

    // The mean of 1.2 (ja 3, nein 0 → 1,5) and how it leads to „eher ja“.
    const criterion = article('1.2');
    await criterion.getByText(/Errechnet: .* eher ja \(Mittelwert 1,5 aus 1 Leitfrage mit Wert\)/).waitFor();
    await page.getByText('So werden Mittelwert und errechnete Einschätzung gebildet').click();
    await page.getByText(/genau in der Mitte gilt die höhere \(ein Mittelwert von 1,5 ergibt „eher ja“\)/).waitFor();

    // No save button: a differing rating waits for its reason, then saves itself.
    expect(await criterion.getByRole('button', { name: /speichern/ }).count()).toBe(0);
    await criterion.getByLabel('Einschätzung im Bericht').selectOption('eher_nein');
    await criterion.getByText(/Noch nicht gespeichert: Bitte begründen Sie/).waitFor();
    await criterion.getByLabel('Begründung').fill('Die Rückmeldung des Personalamts wiegt hier schwerer.');
    await criterion.getByText(/Gespeichert um/).waitFor({ timeout: 10_000 });
    await expectNoAxeViolations(page, 'Konsolidierung automatisch gespeichert');

    // Offline, the changed reason stays as a draft and is saved on the next visit. (A page of its own:
    // the failed request is expected here.)
    const offline = await page.context().newPage();
    await offline.route('**/ratings/1.2', (route) => route.abort());
    await offline.goto(page.url());
    const offlineCriterion = offline.getByRole('article', { name: /^1\.2 / });
    await offlineCriterion.getByLabel('Begründung').fill('Die Rückmeldung des Personalamts wiegt schwerer; Stand Juni.');
    await offlineCriterion.getByText(/Der Server ist nicht erreichbar/).waitFor({ timeout: 10_000 });
    await offline.unroute('**/ratings/1.2');
    await offline.reload();
    await offline.getByRole('article', { name: /^1\.2 / }).getByText(/Gespeichert um/).waitFor({ timeout: 10_000 });
    await offline.close();
    await page.reload();
    await article('1.2').getByText(/Festgelegt: .* eher nein – „Die Rückmeldung des Personalamts wiegt schwerer; Stand Juni.“/).waitFor();
    expect(await article('1.2').getByLabel('Einschätzung im Bericht').inputValue()).toBe('eher_nein');
  });

  it('a rating saved meanwhile in another window is shown beside one\'s own, which stays', async () => {
    const url = `${origin}/kommunen/musterstadt/selbstcheck/2/konsolidierung`;
    await first.goto(url);
    const other = await first.context().newPage();
    watchers.push(watchPage(other));
    await other.goto(url);
    const mine = first.getByRole('article', { name: /^1\.2 / });
    const theirs = other.getByRole('article', { name: /^1\.2 / });
    await theirs.getByLabel('Begründung').fill('Fassung aus dem zweiten Fenster');
    await theirs.getByText(/Gespeichert um/).waitFor({ timeout: 10_000 });
    await mine.getByLabel('Begründung').fill('Fassung aus dem ersten Fenster');
    const conflict = mine.getByRole('alert');
    await conflict.getByText('Sie haben diese Einschätzung inzwischen in einem anderen Fenster geändert.').waitFor({ timeout: 10_000 });
    expect(await mine.getByLabel('Begründung').inputValue()).toBe('Fassung aus dem ersten Fenster');
    await conflict.getByText('Fassung aus dem zweiten Fenster').waitFor();
    // The summary line above follows the saved version.
    await mine.getByText(/Festgelegt: .* – „Fassung aus dem zweiten Fenster“/).waitFor();
    await expectNoAxeViolations(first, 'Konsolidierung mit zwei Fassungen');
    await conflict.getByRole('button', { name: 'Meine Fassung behalten' }).click();
    await mine.getByText(/Gespeichert um/).waitFor({ timeout: 10_000 });
    await other.reload();
    expect(await other.getByRole('article', { name: /^1\.2 / }).getByLabel('Begründung').inputValue()).toBe('Fassung aus dem ersten Fenster');

    // The rating changed in one window, only the reason in the other: both are kept without a question.
    const reloaded = other.getByRole('article', { name: /^1\.2 / });
    await reloaded.getByLabel('Einschätzung im Bericht').selectOption('nein');
    await reloaded.getByText(/Gespeichert um/).waitFor({ timeout: 10_000 });
    await mine.getByLabel('Begründung').fill('Begründung aus dem ersten Fenster, ergänzt');
    await mine
      .getByRole('status')
      .getByText('Sie haben diese Einschätzung inzwischen in einem anderen Fenster geändert. Übernommen: Einschätzung im Bericht. Ihre eigenen Eingaben bleiben erhalten.')
      .waitFor({ timeout: 10_000 });
    await mine.getByText(/Gespeichert um/).waitFor({ timeout: 10_000 });
    expect(await mine.getByRole('alert').count()).toBe(0);
    expect(await mine.getByLabel('Einschätzung im Bericht').inputValue()).toBe('nein');
    await other.reload();
    await other.getByRole('article', { name: /^1\.2 / }).getByText(/Festgelegt: .* nein – „Begründung aus dem ersten Fenster, ergänzt“/).waitFor();
  });

  it('no console errors', () => {
    expect([...journey.problems(), ...watchers.flatMap((watcher) => watcher.problems)]).toEqual([]);
  });
});
