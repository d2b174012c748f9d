import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, KommuneRole } from '../domain/access.ts';
import type { AnswerKey } from '../domain/catalog.ts';
import { setProgrammeMember, loadActor, upsertMembership } from '../db/repositories/member-repository.ts';
import { createTestRuntime, type TestRuntime } from '../../tests/support/database.ts';
import { dialogue, kickoff, narrative, partnership, profile, workshop } from '../../tests/support/reference-dessau-rosslau.ts';
import { checkGolden, sentencesOf } from '../../tests/support/report-sentences.ts';
import { saveAnswer } from './answer-questions.ts';
import { getRoundResults } from './compute-results.ts';
import { getConsolidation, setCriterionRating } from './consolidate-criteria.ts';
import { getReport } from './generate-report.ts';
import { saveDocument, type DocumentKindName } from './manage-documents.ts';
import { createKommune } from './manage-kommunen.ts';
import { createOffer } from './manage-offers.ts';
import { closeRound, getRoundOverview, startRound } from './manage-rounds.ts';

/**
 * The reference report (the Abschlussbericht of the Stadt Dessau-Roßlau, issue 13) re-created from
 * entered data: its Ausgangslage, Auftaktgespräch, a Selbstcheck-Runde whose criteria end up rated as
 * in the reference's table, the workshop with every Entwicklungspotenzial and Handlungsbedarf, the
 * dialogue event, Modul 3 and the Ausblick are entered through the services the routes call (so the
 * app's validation runs), and the generated report's sentences are compared with a golden text that a
 * person reads and approves (`tests/golden/report/reference-dessau-rosslau-aus-daten.txt`).
 *
 * The texts are the reference report's, with its line-end hyphenation joined and four slips of the
 * pen corrected (Hugo Junkers, Beispielsweise, Dies ist, integrationsstrategischen) and two spellings
 * made those of the glossary (Selbstcheck-Workshop, Online-Format).
 */

let runtime: TestRuntime;
const slugOf = { value: '' };

/** The clock of the services: the report's date decides its tenses (the reference was written in March 2021). */
function setClock(isoDate: string): void {
  runtime.services.now = () => new Date(isoDate);
}

interface Someone {
  name: string;
  email: string;
  kommuneRole?: KommuneRole;
  fieldKeys?: string[];
}

/** Who works on the Selbstcheck: the Integrationsbüro coordinates, the Steuerungsgruppe and two Dezernate contribute. */
const altmann: Someone = { name: 'Christian Altmann', email: 'christian.altmann@dessau-rosslau.example', kommuneRole: 'koordination' };
const hess: Someone = { name: 'Claudia Heß', email: 'claudia.hess@dessau-rosslau.example', kommuneRole: 'koordination' };
const steuerungsgruppe: Someone = { name: 'Steuerungsgruppe Integration', email: 'steuerungsgruppe@dessau-rosslau.example', kommuneRole: 'mitwirkende', fieldKeys: ['6', '7'] };
const soziales: Someone = { name: 'Dezernat Gesundheit, Soziales und Bildung', email: 'dezernat-soziales@dessau-rosslau.example', kommuneRole: 'mitwirkende', fieldKeys: ['2'] };
const wirtschaft: Someone = { name: 'Dezernat Wirtschaft und Stadtentwicklung', email: 'dezernat-wirtschaft@dessau-rosslau.example', kommuneRole: 'mitwirkende', fieldKeys: ['3'] };
const schmidt: Someone = { name: 'Kerstin Schmidt', email: 'kerstin.schmidt@demographie-lokal.example' };
const programmteam: Someone = { name: 'Programmteam', email: 'programmteam@weltoffene-kommune.example' };

const actors = new Map<Someone, Actor>();
const actor = (someone: Someone) => actors.get(someone)!;

/** A person with an account, as the factories create one; the actor is read back as a request would. */
async function createPerson(someone: Someone): Promise<string> {
  const { id } = await runtime.services.accounts.createUser({ email: someone.email, name: someone.name, password: 'ein-sicheres-Passwort-2026' });
  return id;
}

/**
 * The criteria table of the reference report (section 3, „Selbstcheck-Fragebogen: Ergebnisse je
 * Handlungsfeld“), symbol by symbol as printed there.
 */
const referenceTable: Record<string, string> = {
  'Strukturen und Prozesse zur Steuerung': '(✓)',
  'Stellenwert von Weltoffenheit in Politik und Verwaltung': '✓',
  'Weltoffenheit als Führungsaufgabe': '(✓)',
  Monitoring: '✗',
  Bildung: '(✓)',
  Sprache: '(✓)',
  'Arbeit und Ausbildung': '✓',
  Wohnen: '✓',
  'Gesundheit und Pflege': '(✓)',
  'Transport und Mobilität': '–',
  Kultur: '(✓)',
  Sport: '(✓)',
  'Sicherheit und Recht': '(✓)',
  'Orientierung für neu Zugezogene': '✓',
  'Weltoffenheit als Standortvorteil': '✓',
  'Vielfältige Potenziale werden genutzt': '✓',
  'Interkulturelle Kompetenzen in der Arbeitswelt': '(✓)',
  'Adäquate Einbindung in kommunale Wirtschaftskreisläufe': '✓',
  'Interkulturelles Denken und Handeln in Politik und Verwaltung': '(✗)',
  'Interkulturelles Denken in Institutionen und Gremien relevanter Akteure': '(✓)',
  'Menschen mit Einwanderungsgeschichte in Politik und Verwaltung': '(✗)',
  'Menschen mit Einwanderungsgeschichte in Institutionen und Gremien vor Ort': '✓',
  'Antirassismus in Politik und Verwaltung': '(✓)',
  'Antirassismus in Institutionen und Gremien weiterer Akteure vor Ort und im öffentlichen Raum': '✓',
  'Engagement unabhängig von Herkunft, Kultur, Weltanschauung und Religion': '(✓)',
  'Beteiligung an politischen Prozessen': '(✓)',
  'Globale Verantwortung': '✗',
  'Begegnung in öffentlichen Räumen': '✓',
  'Wertschätzung von Vielfalt durch Einwohner*innen': '(✓)',
  'Aktives Einstehen für Weltoffenheit durch Einwohner*innen': '(✓)',
  'Dialog mit und zwischen allen Einwohner*innen': '(✓)',
  'Berücksichtigung sprachlicher und kultureller Bedürfnisse': '(✓)',
  'Medialer Diskurs': '(✗)',
  'Adäquates Management von Konflikten': '(✓)',
};

/** The overall result the reference report states. */
const referenceLevel = 'Die Kommune ist auf dem Weg zur Weltoffenheit fortgeschritten.';

const byValue: AnswerKey[] = ['nein', 'eher_nein', 'eher_ja', 'ja'];
const valueOfSymbol: Record<string, number | null> = { '✗': 0, '(✗)': 1, '(✓)': 2, '✓': 3, '–': null };

/**
 * Two criteria whose answers say one thing and whose rating the Integrationsbüro set differently, with
 * its reason (the answers' value, then the rating and reason).
 */
const consolidations: Record<string, { answered: number; rating: AnswerKey; reason: string }> = {
  Monitoring: {
    answered: 1,
    rating: 'nein',
    reason: 'Ein Integrationsmonitoring gibt es nicht; die Fachbereiche haben einzelne Statistiken genannt, die kein Monitoring ersetzen.',
  },
  'Medialer Diskurs': {
    answered: 2,
    rating: 'eher_nein',
    reason: 'Die lokale Berichterstattung über Zuwanderung ist überwiegend problemorientiert; die Steuerungsgruppe schätzt den Stand strenger ein als die Fachbereiche.',
  },
};

/**
 * The second voice on a criterion: the first person answers every question with the criterion's
 * value, the second differs on some questions in a way that leaves the mean's rating as it is (one
 * step up and one down; at the ends of the scale one step inwards, which the rounding absorbs).
 */
function secondVoice(value: number, index: number): number {
  if (value === 3) return index === 2 ? 2 : 3;
  if (value === 0) return index === 2 ? 1 : 0;
  return index === 0 ? value + 1 : index === 1 ? value - 1 : value;
}

/** Who answers each Handlungsfeld besides Christian Altmann, who answers all of them. */
const secondBy: Record<string, Someone> = { '1': hess, '2': soziales, '3': wirtschaft, '4': hess, '5': hess, '6': steuerungsgruppe, '7': steuerungsgruppe };

const documents: Partial<Record<DocumentKindName, number>> = {};
/** Saves a process document as the form does: the whole content with the version it started from. */
async function save(by: Someone, kind: DocumentKindName, content: unknown): Promise<void> {
  const saved = await saveDocument(runtime.services, actor(by), slugOf.value, kind, { content, expectedVersion: documents[kind] ?? 0 });
  documents[kind] = saved.version;
}

beforeAll(async () => {
  runtime = await createTestRuntime();
  setClock('2020-01-15T09:00:00Z');

  // The Programmteam creates the Kommune and the offer of Modul 3, the Prozessbegleitung is assigned to it.
  const programmteamId = await createPerson(programmteam);
  await setProgrammeMember(runtime.services.db, programmteamId, 'programmteam', []);
  actors.set(programmteam, await loadActor(runtime.services.db, programmteamId));
  const kommune = await createKommune(runtime.services, actor(programmteam), {
    name: 'Dessau-Roßlau',
    kind: 'Stadt',
    designation: null,
    gemeindeschluessel: '15001000',
    bundesland: 'Sachsen-Anhalt',
    modules: [1, 2, 3],
  });
  slugOf.value = kommune.slug;
  const offer = await createOffer(runtime.services, actor(programmteam), { title: 'Impuls-Breakfast-Talk', format: 'Breakfast-Talk', topics: [], date: null, description: '' });

  const schmidtId = await createPerson(schmidt);
  await setProgrammeMember(runtime.services.db, schmidtId, 'prozessbegleitung', [kommune.id]);
  actors.set(schmidt, await loadActor(runtime.services.db, schmidtId));
  for (const someone of [altmann, hess, steuerungsgruppe, soziales, wirtschaft]) {
    const id = await createPerson(someone);
    await upsertMembership(runtime.services.db, { kommuneId: kommune.id, userId: id, role: someone.kommuneRole!, fieldKeys: someone.fieldKeys ?? null });
    actors.set(someone, await loadActor(runtime.services.db, id));
  }

  // Section 1 and the Auftaktgespräch, written by the Integrationsbüro.
  setClock('2020-02-20T10:00:00Z');
  await save(altmann, 'profile', profile);
  await save(altmann, 'kickoff', kickoff);

  // The Selbstcheck-Runde: March and April 2020, all seven Handlungsfelder.
  setClock('2020-03-02T08:00:00Z');
  await startRound(runtime.services, actor(altmann), slugOf.value, {
    workedFieldKeys: ['1', '2', '3', '4', '5', '6', '7'],
    periodStart: '2020-03-01',
    periodEnd: '2020-04-30',
    periodPrecision: 'month',
    participants: 'das Integrationsbüro (federführend), die verwaltungsinterne Steuerungsgruppe Integration und unterschiedliche Vertreter:innen aus den Dezernaten',
  });
  setClock('2020-04-20T12:00:00Z');
  const consolidation = await getConsolidation(runtime.services, actor(altmann), slugOf.value, 1);
  for (const field of consolidation.fields) {
    for (const criterion of field.criteria) {
      const symbol = referenceTable[criterion.name];
      if (symbol === undefined) throw new Error(`Kriterium „${criterion.name}“ fehlt in der Tabelle des Referenzberichts.`);
      const value = consolidations[criterion.name]?.answered ?? valueOfSymbol[symbol]!;
      for (const [index, question] of criterion.questions.entries()) {
        const first: AnswerKey = value === null ? 'keine_einschaetzung' : byValue[value]!;
        const second: AnswerKey = value === null ? 'keine_einschaetzung' : byValue[secondVoice(value, index)]!;
        await saveAnswer(runtime.services, actor(altmann), slugOf.value, 1, question.key, { value: first, comment: '', evidence: '', expectedVersion: 0 });
        await saveAnswer(runtime.services, actor(secondBy[field.key]!), slugOf.value, 1, question.key, { value: second, comment: '', evidence: '', expectedVersion: 0 });
      }
    }
  }
  // The Integrationsbüro sets two ratings differently from the answers, with its reasons.
  const afterAnswers = await getConsolidation(runtime.services, actor(hess), slugOf.value, 1);
  for (const criterion of afterAnswers.fields.flatMap((field) => field.criteria)) {
    const set = consolidations[criterion.name];
    if (set) await setCriterionRating(runtime.services, actor(hess), slugOf.value, 1, criterion.key, { rating: set.rating, reason: set.reason, expectedVersion: criterion.ratingVersion });
  }
  // Closed as the app closes it: the round's page lists the open questions, the close confirms them.
  setClock('2020-05-04T15:00:00Z');
  const overview = await getRoundOverview(runtime.services, actor(altmann), slugOf.value, 1);
  await closeRound(runtime.services, actor(altmann), slugOf.value, 1, overview.round.version, overview.review?.openQuestionCount ?? 0);

  // The workshop, documented by the Prozessbegleiterin.
  setClock('2020-07-10T09:00:00Z');
  await save(schmidt, 'workshops', { workshops: [workshop] });

  // The dialogue event of Modul 2 and the open offer of Modul 3.
  setClock('2020-11-20T09:00:00Z');
  await save(schmidt, 'dialogues', { events: [dialogue] });
  await save(altmann, 'offers', { statuses: [{ offerId: offer.id, status: 'offen' }] });

  // The Ausblick with the cooperation agreement.
  setClock('2021-03-01T09:00:00Z');
  await save(altmann, 'outlook', { narrative, partnerships: [partnership] });

  // The report is generated on 15 March 2021.
  setClock('2021-03-15T10:00:00Z');
});

afterAll(async () => {
  await runtime?.close();
});

describe('the reference report re-created from entered data (Stadt Dessau-Roßlau)', () => {
  it('the round was worked completely and closed; each criterion has the rating of the reference report’s table, the overall result its level', async () => {
    const results = await getRoundResults(runtime.services, actor(altmann), slugOf.value, 1);
    expect(results.round.status).toBe('closed');
    expect(results.fields.every((field) => field.isWorked && field.answeredQuestionCount === field.questionCount && field.openCriterionCount === 0)).toBe(true);
    const symbols = Object.fromEntries(results.fields.flatMap((field) => field.criteria.map((criterion) => [criterion.name, criterion.symbol])));
    expect(symbols).toEqual(referenceTable);
    expect(results.overall.levelText).toBe(referenceLevel);
    expect(results.overall.isProvisional).toBe(false);
  });

  it('the two ratings set differently from the answers keep their reasons', async () => {
    const consolidation = await getConsolidation(runtime.services, actor(hess), slugOf.value, 1);
    const set = consolidation.fields.flatMap((field) => field.criteria).filter((criterion) => criterion.consolidatedRating !== null);
    expect(Object.fromEntries(set.map((criterion) => [criterion.name, { rating: criterion.consolidatedRating, reason: criterion.reason }]))).toEqual(
      Object.fromEntries(Object.entries(consolidations).map(([name, entry]) => [name, { rating: entry.rating, reason: entry.reason }])),
    );
  });

  it('every sentence of the generated report is the approved golden text', async () => {
    const { report, roundNumber } = await getReport(runtime.services, actor(schmidt), slugOf.value);
    expect(roundNumber).toBe(1);
    expect(report.generatedOn).toBe('2021-03-15');
    checkGolden(
      'reference-dessau-rosslau-aus-daten',
      'der Referenzbericht der Stadt Dessau-Roßlau, seine Daten über die Dienste der Anwendung eingegeben (Abschnitte 1–5)',
      sentencesOf(report),
    );
  });
});
