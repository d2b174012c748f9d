import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../domain/access.ts';
import type { Bundle } from '../domain/bundle.ts';
import { DomainError } from '../domain/errors.ts';
import { createTestRuntime, type TestRuntime } from '../../tests/support/database.ts';
import { makeKommune, makePerson, type Person } from '../../tests/support/factories.ts';
import { TestClient } from '../../tests/support/http.ts';
import { getResidentSurvey } from './manage-resident-surveys.ts';
import { exportKommune, importKommune } from './transfer-kommune.ts';

// The Außensicht travels with its round in the Kommune bundle (issue 17): the survey's settings and
// link, every response with its device hash (one response per device also after a move), the
// exclusions with their reasons and which responses they left out, the Anmerkungen with their review.
// An import applies the rules the app applies when the same data comes in through the public page
// and the Kommune's page; an older bundle without a survey imports as a round without one.

const operator: Actor = { userId: 'cli', programmeRole: 'programmteam', assignedKommuneIds: [], memberships: [] };

let source: TestRuntime;
let target: TestRuntime;
let kommune: { id: string; slug: string };
let koordination: Person;
let bundle: Bundle;

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const settings = {
  fields: ['2', '6'],
  openQuestions: [{ text: 'Was sollte sich hier ändern?' }],
  opensOn: inDays(-1),
  closesOn: inDays(30),
  retentionMonths: 6,
  controller: 'Stadt Umzugsstadt, Koordinierungsstelle Integration, Rathausplatz 1',
};

/** A resident's phone answers as the page's script does: challenge, proof of work, response. */
async function answer(runtime: TestRuntime, token: string, body: Record<string, unknown>) {
  const phone = new TestClient(runtime, '198.51.100.20');
  const issued = await phone.post(`/api/umfrage/${token}/challenge`, {});
  expect(issued.status).toBe(200);
  const solution = await solveChallenge({ challenge: issued.body.challenge, deriveKey });
  const sent = await phone.post(`/api/umfrage/${token}/responses`, { language: 'de', open: [], groups: {}, ...body, challenge: issued.body.challenge, solution });
  expect(sent.status, JSON.stringify(sent.body)).toBe(201);
}

beforeAll(async () => {
  [source, target] = await Promise.all([createTestRuntime(), createTestRuntime()]);
  kommune = await makeKommune(source, 'Umzugsstadt');
  koordination = await makePerson(source, { kommune: { id: kommune.id, role: 'koordination' } });
  expect((await koordination.client.post(`/api/kommunen/${kommune.slug}/rounds`, { workedFieldKeys: ['1', '2', '6'] })).status).toBe(201);
  const base = `/api/kommunen/${kommune.slug}/rounds/1/survey`;
  const created = await koordination.client.post(base, { settings });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await koordination.client.post(`${base}/publish`, { version: created.body.survey.version })).status).toBe(200);
  const token = created.body.survey.url.split('/umfrage/')[1];
  // Twelve in a burst, left out with a reason; then eleven more, three with an Anmerkung.
  for (let index = 0; index < 12; index++) await answer(source, token, { answers: { '2.1': 'nicht-zu', '6.1': 'nicht-zu' } });
  const excluded = await koordination.client.post(`${base}/exclusions`, { fromAt: new Date(Date.now() - 3_600_000).toISOString(), toAt: new Date().toISOString(), reason: 'Zwölf gleiche Antworten in einer Minute' });
  expect(excluded.body, JSON.stringify(excluded.body)).toMatchObject({ excluded: 12 });
  for (let index = 0; index < 11; index++) {
    await answer(source, token, {
      answers: { '2.1': index % 2 ? 'zu' : 'eher-zu', '6.1': 'weiss-nicht' },
      groups: index < 5 ? { wohndauer: 'unter-5' } : {},
      open: index < 3 ? [`Mehr Begegnungsorte im Viertel ${index + 1}`] : [],
    });
  }
  const view = await koordination.client.get(base);
  const [released, discarded] = view.body.openAnswers as { id: string }[];
  expect((await koordination.client.post(`${base}/open-answers/review`, { ids: [released!.id], review: 'freigegeben' })).status).toBe(200);
  expect((await koordination.client.post(`${base}/open-answers/review`, { ids: [discarded!.id], review: 'verworfen' })).status).toBe(200);
  bundle = await exportKommune(source.services, operator, kommune.slug);
}, 120_000);
afterAll(async () => {
  await source?.close();
  await target?.close();
});

const withoutExportTime = (value: Bundle) => ({ ...value, exportedAt: undefined });
const copy = (value: Bundle) => JSON.parse(JSON.stringify(value)) as Bundle;
const survey = (value: Bundle) => value.rounds[0]!.residentSurvey!;

async function refusal(runtime: TestRuntime, value: unknown): Promise<{ field: string; message: string }> {
  const error = await importKommune(runtime.services, operator, value, { slug: 'abgelehnt' }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(DomainError);
  const details = (error as DomainError).detail as { field: string; message: string };
  return { field: details.field, message: details.message };
}

describe('the Außensicht in the Kommune bundle', () => {
  it('is exported with its round: settings, link, every response with its device hash and exclusion, the Anmerkungen with their review', () => {
    const exported = survey(bundle);
    expect(exported).toMatchObject({ status: 'veroeffentlicht', statementSet: '1.0', createdBy: koordination.email, settings: { fields: ['2', '6'], retentionMonths: 6 } });
    expect(exported.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(exported.exclusions).toEqual([{ fromAt: expect.any(String), toAt: expect.any(String), reason: 'Zwölf gleiche Antworten in einer Minute', createdBy: koordination.email, createdAt: expect.any(String) }]);
    expect(exported.responses).toHaveLength(23);
    expect(exported.responses.filter((response) => response.excludedBy === 0)).toHaveLength(12);
    expect(new Set(exported.responses.map((response) => response.device)).size).toBe(23);
    expect(exported.responses.every((response) => /^[0-9a-f]{64}$/.test(response.device) && response.receivedAt.endsWith(':00.000Z'))).toBe(true);
    const reviews = exported.responses.flatMap((response) => response.openAnswers.map((open) => [open.review, open.reviewedBy]));
    expect(reviews.sort()).toEqual([
      ['freigegeben', koordination.email],
      ['offen', null],
      ['verworfen', koordination.email],
    ]);
    // Nothing of a resident beyond the answers: no address, no cookie, no second.
    expect(Object.keys(exported.responses[0]!).sort()).toEqual(['answers', 'device', 'excludedBy', 'groups', 'language', 'openAnswers', 'receivedAt']);
  });

  it('comes back the same after an import into another installation, under the same link, with the same results', async () => {
    const result = await importKommune(target.services, operator, copy(bundle));
    expect(result).toMatchObject({ residentSurveys: 1, residentResponses: 23, surveysWithNewLink: 0 });
    const again = await exportKommune(target.services, operator, kommune.slug);
    expect(withoutExportTime(again)).toEqual(withoutExportTime(bundle));
    const [before, after] = await Promise.all([
      getResidentSurvey(source.services, operator, kommune.slug, 1),
      getResidentSurvey(target.services, operator, kommune.slug, 1),
    ]);
    expect(after.results).toEqual(before.results);
    expect(after.results).toMatchObject({ shown: true, responses: 10 });
    expect(after.survey!.responses).toEqual({ all: 23, excluded: 12, counted: 11 });
    expect(after.exclusions.map((entry) => [entry.reason, entry.responses])).toEqual([['Zwölf gleiche Antworten in einer Minute', 12]]);
    // The public link answers on the new installation.
    expect((await new TestClient(target).get(`/umfrage/${survey(bundle).token}`)).status).toBe(200);
  });

  it('a copy next to the original gets its own link, and the original keeps its link', async () => {
    const result = await importKommune(source.services, operator, copy(bundle), { slug: 'umzugsstadt-kopie' });
    expect(result).toMatchObject({ slug: 'umzugsstadt-kopie', residentSurveys: 1, surveysWithNewLink: 1 });
    const [original, kopie] = await Promise.all([exportKommune(source.services, operator, kommune.slug), exportKommune(source.services, operator, 'umzugsstadt-kopie')]);
    expect(survey(original).token).toBe(survey(bundle).token);
    expect(survey(kopie).token).not.toBe(survey(bundle).token);
    expect(survey(kopie).responses).toEqual(survey(bundle).responses);
  });

  it('an older bundle without the survey imports as a round without one', async () => {
    const older = copy(bundle) as unknown as { rounds: Record<string, unknown>[] };
    for (const round of older.rounds) delete round.residentSurvey;
    const result = await importKommune(target.services, operator, older, { slug: 'umzugsstadt-alt' });
    expect(result).toMatchObject({ residentSurveys: 0, residentResponses: 0 });
    expect((await exportKommune(target.services, operator, 'umzugsstadt-alt')).rounds[0]!.residentSurvey).toBeNull();
  });

  const bad: [string, (value: Bundle) => void, string, RegExp][] = [
    ['an unknown statement set', (value) => { survey(value).statementSet = '9.9'; }, '$.rounds[0].residentSurvey.statementSet', /Aussagensammlung 9\.9 .* nicht geladen/],
    ['a field without statements', (value) => { survey(value).settings.fields = ['2', '9']; }, '$.rounds[0].residentSurvey.settings.fields', /Handlungsfeld 9 gibt es keine Aussagen/],
    ['settings the form refuses', (value) => { survey(value).settings.retentionMonths = 0; }, '$.rounds[0].residentSurvey.settings.retentionMonths', /./],
    ['responses to a draft', (value) => { survey(value).status = 'entwurf'; survey(value).publishedAt = null; }, '$.rounds[0].residentSurvey.responses', /Entwurf hat noch keine Antworten/],
    ['a statement the survey does not ask', (value) => { survey(value).responses[3]!.answers = { '1.1': 'zu' }; }, '$.rounds[0].residentSurvey.responses[3]', /passt nicht zur Umfrage/],
    ['a response without a rated statement', (value) => { survey(value).responses[3]!.answers = {}; }, '$.rounds[0].residentSurvey.responses[3]', /bewertet keine Aussage/],
    ['an unknown group', (value) => { survey(value).responses[3]!.groups = { herkunft: 'nord' }; }, '$.rounds[0].residentSurvey.responses[3]', /passt nicht zur Umfrage/],
    ['a second response of one device', (value) => { survey(value).responses[5]!.device = survey(value).responses[4]!.device; }, '$.rounds[0].residentSurvey.responses[5].device', /ein Gerät antwortet einmal/],
    ['an exclusion that is not there', (value) => { survey(value).responses[0]!.excludedBy = 4; }, '$.rounds[0].residentSurvey.responses[0].excludedBy', /Ausschluss Nummer 4/],
    ['an exclusion of fewer than ten', (value) => { for (const response of survey(value).responses.filter((entry) => entry.excludedBy === 0).slice(3)) response.excludedBy = null; }, '$.rounds[0].residentSurvey.exclusions[0]', /3 Antworten heraus; .* mindestens 10/],
    ['an exclusion without a reason', (value) => { survey(value).exclusions[0]!.reason = 'weil'; }, '$.rounds[0].residentSurvey.exclusions[0].reason', /mindestens 10 Zeichen/],
    ['an Anmerkung to a question the survey does not have', (value) => { survey(value).responses.find((response) => response.openAnswers.length)!.openAnswers[0]!.question = 2; }, 'openAnswers[0].question', /eine offene Frage; die Nummer 2 gibt es nicht/],
    ['an empty Anmerkung', (value) => { survey(value).responses.find((response) => response.openAnswers.length)!.openAnswers[0]!.text = '  '; }, 'openAnswers[0].text', /nicht leer/],
    ['a reviewer who is not in people', (value) => { survey(value).responses.find((response) => response.openAnswers.some((open) => open.reviewedBy))!.openAnswers[0]!.reviewedBy = 'fremd@example.org'; }, 'openAnswers[0].reviewedBy', /fremd@example\.org steht nicht in „people“/],
    ['a device that is no hash', (value) => { survey(value).responses[0]!.device = 'abc'; }, '$.rounds[0].residentSurvey.responses[0].device', /SHA-256/],
    ['a language the survey has not', (value) => { (survey(value).responses[0] as { language: string }).language = 'fr'; }, '$.rounds[0].residentSurvey.responses[0].language', /Sprache/],
  ];
  it.each(bad)('refuses %s with its place in the file, and writes nothing', async (_name, spoil, field, message) => {
    const spoiled = copy(bundle);
    spoil(spoiled);
    const before = await exportKommune(target.services, operator, kommune.slug);
    const problem = await refusal(target, spoiled);
    expect(problem.field.endsWith(field) || problem.field === field, `${problem.field} ${problem.message}`).toBe(true);
    expect(problem.message).toMatch(message);
    expect(problem.message).toMatch(/Es wurde nichts übernommen\.$/);
    expect(withoutExportTime(await exportKommune(target.services, operator, kommune.slug))).toEqual(withoutExportTime(before));
    expect((await target.services.db.query.kommune.findMany()).map((row) => row.slug)).not.toContain('abgelehnt');
  });
});
