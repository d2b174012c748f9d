import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJourney, type Journey } from '../support/journey.ts';
import { runLiveWorkshopJourney } from '../support/live-journey.ts';

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
});
