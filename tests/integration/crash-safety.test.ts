import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '../support/database.ts';
import { prepareDemoInstallation, type DemoInstallation, type ServerProcess } from '../support/processes.ts';

/**
 * Crash safety: many clients save answers while the server is killed with SIGKILL at random moments,
 * 20 times. After every restart, each answer the server acknowledged with 2xx must be there, exactly
 * as acknowledged (or in a later version), and the database must open without help. Runs on PGlite,
 * and on PostgreSQL when DATABASE_URL is set (the CI's second leg).
 */

const kills = 20;
const port = 3961;
const origin = `http://127.0.0.1:${port}`;
const catalog = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../catalog/weltoffene-kommune-1.0.json'), 'utf8')) as {
  fields: { key: string; criteria: { questions: { key: string }[] }[] }[];
};
const questionKeys = catalog.fields.flatMap((field) => field.criteria.flatMap((criterion) => criterion.questions.map((question) => question.key)));
const values = ['ja', 'eher_ja', 'eher_nein', 'nein', 'keine_einschaetzung'] as const;
const writersPerPerson = 4;

interface Acknowledged {
  value: string;
  comment: string;
  version: number;
}

let installation: DemoInstallation;
let password: string;
let server: ServerProcess | undefined;

beforeAll(async () => {
  installation = await prepareDemoInstallation('crash', port);
  password = installation.password;
});
afterAll(async () => {
  await server?.stop();
  await installation?.remove();
});

const start = () => installation.start();

async function signIn(email: string): Promise<string> {
  const response = await fetch(`${origin}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email, password }),
  });
  expect(response.status).toBe(200);
  return response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
}

const call = (cookie: string, method: string, url: string, body?: unknown) =>
  fetch(`${origin}${url}`, {
    method,
    headers: { cookie, origin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** Every answer of one person in the round, with its version. */
async function readAnswers(cookie: string, round: number): Promise<Map<string, Acknowledged>> {
  const answers = new Map<string, Acknowledged>();
  for (const field of catalog.fields) {
    const response = await call(cookie, 'GET', `/api/kommunen/musterstadt/rounds/${round}/fields/${field.key}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { field: { criteria: { questions: { key: string; answer: (Acknowledged & { questionKey: string }) | null }[] }[] } };
    for (const question of body.field.criteria.flatMap((criterion) => criterion.questions)) {
      if (question.answer) answers.set(question.key, { value: question.answer.value, comment: question.answer.comment, version: question.answer.version });
    }
  }
  return answers;
}

describe(`crash safety on ${testDatabaseKind}`, () => {
  it(`every acknowledged answer survives ${kills} kills with SIGKILL`, async () => {
    server = await start();
    const people = ['integrationsbuero@musterstadt.example', 'programmteam@musterstadt.example'];
    const cookies = await Promise.all(people.map(signIn));
    const started = await call(cookies[0]!, 'POST', '/api/kommunen/musterstadt/rounds', {
      periodStart: null,
      periodEnd: null,
      workedFieldKeys: catalog.fields.map((field) => field.key),
      participants: '',
    });
    expect(started.status, await started.clone().text()).toBe(201);
    const round = ((await started.json()) as { round: { number: number } }).round.number;

    // What the server acknowledged, per person and question; and what each client believes the version is.
    const acknowledged = people.map(() => new Map<string, Acknowledged>());
    let saves = 0;
    let checked = 0;
    let counter = 0;

    for (let kill = 0; kill <= kills; kill++) {
      if (kill > 0) server = await start();
      // After a restart the sessions still hold (they live in the database) and every acknowledged answer is there.
      const known = await Promise.all(cookies.map((cookie) => readAnswers(cookie, round)));
      for (const [person, answers] of acknowledged.entries()) {
        for (const [questionKey, expected] of answers) {
          const found = known[person]!.get(questionKey);
          expect(found, `${people[person]} ${questionKey} nach Abbruch ${kill}`).toBeDefined();
          expect(found!.version, `${people[person]} ${questionKey}`).toBeGreaterThanOrEqual(expected.version);
          if (found!.version === expected.version) expect(found, `${people[person]} ${questionKey}`).toEqual(expected);
          checked += 1;
        }
      }
      if (kill === kills) break;

      const versions = known.map((answers) => new Map([...answers].map(([key, answer]) => [key, answer.version])));
      let isRunning = true;
      const writer = async (person: number, seed: number) => {
        while (isRunning) {
          const questionKey = questionKeys[(seed + counter * 7) % questionKeys.length]!;
          counter += 1;
          const comment = `Schreibvorgang ${counter}`;
          const value = values[counter % values.length]!;
          const expectedVersion = versions[person]!.get(questionKey) ?? 0;
          let response: Response;
          try {
            response = await call(cookies[person]!, 'PUT', `/api/kommunen/musterstadt/rounds/${round}/answers/${questionKey}`, { value, comment, evidence: '', expectedVersion });
          } catch {
            return; // the server is gone; this write was never acknowledged
          }
          if (response.status === 200) {
            const { answer } = (await response.json()) as { answer: Acknowledged };
            acknowledged[person]!.set(questionKey, { value, comment, version: answer.version });
            versions[person]!.set(questionKey, answer.version);
            saves += 1;
          } else if (response.status === 409) {
            const body = (await response.json()) as { current: { version: number } | null };
            versions[person]!.set(questionKey, body.current?.version ?? 0);
          } else {
            throw new Error(`Unerwartete Antwort ${response.status}: ${await response.text()}`);
          }
        }
      };
      const writers = people.flatMap((_, person) => Array.from({ length: writersPerPerson }, (__, index) => writer(person, index * 13 + kill)));
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 1_200));
      server.child.kill('SIGKILL');
      await server.exited;
      isRunning = false;
      await Promise.all(writers);
    }
    await server.stop();
    expect(saves).toBeGreaterThan(kills * 10);
    expect(checked).toBeGreaterThan(100);
    // For docs/quality.md: the figures of this run.
    console.info(`crash-safety ${testDatabaseKind}: ${kills} kills, ${saves} acknowledged saves, ${checked} answer checks`);
  }, 600_000);
});
