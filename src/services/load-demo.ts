import { randomBytes, randomUUID } from 'node:crypto';
import type { KommuneRole, ProgrammeRole } from '../domain/access.ts';
import { recordAudit } from '../db/repositories/audit-repository.ts';
import { findKommuneBySlug, insertKommune, listKommunen } from '../db/repositories/kommune-repository.ts';
import { setProgrammeMember, upsertMembership } from '../db/repositories/member-repository.ts';
import { findUserByEmail } from '../db/repositories/user-repository.ts';
import {
  insertChange,
  insertRound,
  updateRoundIfVersion,
  writeAnswerIfVersion,
  writeRatingIfVersion,
} from '../db/repositories/round-repository.ts';
import { catalogForKind, hasAnswerOption, type AnswerKey, type Catalog } from '../domain/catalog.ts';
import { writeDocumentIfVersion } from '../db/repositories/document-repository.ts';
import { profileSchema, type Profile } from '../domain/profile.ts';
import { kickoffSchema } from '../domain/kickoff.ts';
import { workshopsSchema } from '../domain/workshop.ts';
import { dialoguesSchema } from '../domain/dialogue.ts';
import { measureFromActionNeed, outlookSchema } from '../domain/outlook.ts';
import { insertOffer, listOffers } from '../db/repositories/offer-repository.ts';
import { insertNote, insertSettledThread } from '../db/repositories/discussion-repository.ts';
import { insertResponsesForBundle, insertSurveyWithExclusions } from '../db/repositories/resident-survey-repository.ts';
import { orderedFields, surveySettingsSchema, type openAnswerReviews } from '../domain/resident-survey-results.ts';
import { getStatementSet } from './manage-survey-texts.ts';
import type { ServiceContext } from './context.ts';
import { getCurrentCatalog } from './manage-catalogs.ts';
import { storeRoundResult } from './store-round-results.ts';

export const demoSlug = 'musterstadt';

interface DemoPerson {
  email: string;
  name: string;
  programmeRole?: ProgrammeRole;
  kommuneRole?: KommuneRole;
  fieldKeys?: string[];
}

/** The people of the demo: one of every role, some Mitwirkende limited to their Handlungsfelder. */
export const demoPeople: readonly DemoPerson[] = [
  { email: 'programmteam@musterstadt.example', name: 'Paula Programm', programmeRole: 'programmteam' },
  { email: 'begleitung@musterstadt.example', name: 'Bernd Begleiter', programmeRole: 'prozessbegleitung' },
  { email: 'integrationsbuero@musterstadt.example', name: 'Ayşe Yılmaz', kommuneRole: 'koordination' },
  { email: 'personalamt@musterstadt.example', name: 'Jonas Krüger', kommuneRole: 'mitwirkende', fieldKeys: ['1', '4'] },
  { email: 'sozialamt@musterstadt.example', name: 'Marija Nowak', kommuneRole: 'mitwirkende', fieldKeys: ['2', '6'] },
  { email: 'wirtschaft@musterstadt.example', name: 'Thomas Weiß', kommuneRole: 'mitwirkende', fieldKeys: ['3'] },
  { email: 'buergermeisterin@musterstadt.example', name: 'Dr. Helga Sommer', kommuneRole: 'lesende' },
];

/**
 * Whether the demo is loaded, and how many other Kommunen the database holds (archived ones too): the
 * CLI loads the demo into a database with real Kommunen only when told to.
 */
export async function countKommunenBesideDemo(context: ServiceContext): Promise<{ hasDemo: boolean; count: number }> {
  const kommunen = await listKommunen(context.db, { includeArchived: true });
  return { hasDemo: kommunen.some((row) => row.slug === demoSlug), count: kommunen.filter((row) => row.slug !== demoSlug).length };
}

/**
 * Loads the demo Kommune Musterstadt with members of every role. All demo accounts get one random
 * password, returned once; there is no built-in password.
 */
export async function loadDemo(
  context: ServiceContext,
): Promise<{ isCreated: boolean; slug: string; password: string | null; people: readonly DemoPerson[] }> {
  if (await findKommuneBySlug(context.db, demoSlug)) {
    return { isCreated: false, slug: demoSlug, password: null, people: demoPeople };
  }
  const password = randomBytes(12).toString('base64url');
  const kommuneId = randomUUID();
  await insertKommune(context.db, {
    id: kommuneId,
    slug: demoSlug,
    name: 'Musterstadt',
    kind: 'Stadt',
    gemeindeschluessel: '15099999',
    bundesland: 'Sachsen-Anhalt',
    modules: [1, 2, 3],
  });
  for (const person of demoPeople) {
    const existing = await findUserByEmail(context.db, person.email);
    const userId =
      existing?.id ?? (await context.accounts.createUser({ email: person.email, name: person.name, password })).id;
    if (person.programmeRole) {
      await setProgrammeMember(
        context.db,
        userId,
        person.programmeRole,
        person.programmeRole === 'prozessbegleitung' ? [kommuneId] : [],
      );
    }
    if (person.kommuneRole) {
      await upsertMembership(context.db, {
        kommuneId,
        userId,
        role: person.kommuneRole,
        fieldKeys: person.fieldKeys ?? null,
      });
    }
  }
  await loadDemoRound(context, kommuneId);
  const koordinationId = (await findUserByEmail(context.db, 'integrationsbuero@musterstadt.example'))!.id;
  await writeDocumentIfVersion(context.db, { kommuneId, kind: 'profile' }, demoProfile, koordinationId, 0);
  await loadDemoProcess(context, kommuneId, koordinationId);
  await recordAudit(context.db, { actorUserId: null, action: 'demo.loaded', kommuneId });
  return { isCreated: true, slug: demoSlug, password, people: demoPeople };
}

/** A small deterministic random generator, so the demo is the same on every machine. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** How far Musterstadt is in each Handlungsfeld (mean answer value 0–3), for believable answers. */
const demoStrength: Record<string, number> = { '1': 2.3, '2': 2.0, '3': 1.4, '4': 1.7, '5': 2.1, '6': 2.4, '7': 1.6 };
const byValue: AnswerKey[] = ['nein', 'eher_nein', 'eher_ja', 'ja'];

function demoAnswer(random: () => number, strength: number): AnswerKey {
  if (random() < 0.08) return 'keine_einschaetzung';
  const value = Math.round(Math.min(3, Math.max(0, strength + (random() - 0.5) * 2.2)));
  return byValue[value]!;
}

/**
 * Musterstadt is a kreisangehörige Stadt: Gesundheitsamt, Ausländerbehörde and Einbürgerung are the
 * Landkreis's tasks, so its people answer these questions of catalog 1.1 „trifft nicht zu“.
 */
const demoNotApplicable = new Set(['2.5.1', '2.9.1', '2.9.2']);

const demoComments: Record<string, string> = {
  '1.1.1': 'Das Integrationsbüro ist seit 2016 mit zwei Vollzeitstellen besetzt.',
  '1.4.1': 'Integrationsmonitoring zuletzt 2024; Fortschreibung geplant.',
  '2.9.1': 'Die Ausländerbehörde ist beim Landkreis angesiedelt.',
  '7.2.3': 'Dolmetschpool über den Landkreis; Wartezeiten bis zu zwei Wochen.',
  '4.5.1': 'Noch kein geregeltes Verfahren; Beschwerden gehen an das Bürgerbüro.',
  '7.4.2': 'Kooperation mit der Beratungsstelle für Gemeinwesenmediation.',
};
const demoEvidence: Record<string, string> = {
  '1.1.3': 'Ratsbeschluss zum Integrationskonzept vom 14.03.2023',
  '5.2.1': 'https://www.musterstadt.example/integrationsbeirat',
};

/**
 * Round 1 of Musterstadt: every person answers the fields assigned to them, the Koordination also
 * answers fields 1 and 2 (with real disagreements), some questions get "keine Einschätzung möglich",
 * three criteria are consolidated with a reason, and the round is closed.
 */
async function loadDemoRound(context: ServiceContext, kommuneId: string): Promise<void> {
  const current = await getCurrentCatalog(context.db);
  if (!current) return;
  // Musterstadt is a Stadt: the questions and wording of catalog 1.1 for that kind.
  const catalog: Catalog = catalogForKind(current.catalog, 'Stadt');
  const canSayNotApplicable = hasAnswerOption(catalog, 'trifft_nicht_zu');
  const people = new Map<string, string>();
  for (const person of demoPeople) {
    const found = await findUserByEmail(context.db, person.email);
    if (found) people.set(person.email, found.id);
  }
  const koordinationId = people.get('integrationsbuero@musterstadt.example')!;
  const roundRow = await insertRound(context.db, {
    id: randomUUID(),
    kommuneId,
    number: 1,
    catalogVersionId: current.id,
    status: 'open',
    workedFieldKeys: catalog.fields.map((field) => field.key),
    periodStart: '2026-09-01',
    periodEnd: '2026-10-30',
    // Started before it was closed (2026-11-02), whenever the demo is loaded: a round is never closed before it began.
    createdAt: new Date('2026-09-01T08:00:00Z'),
    participants:
      'das Integrationsbüro (federführend), die verwaltungsinterne Steuerungsgruppe Integration, das Personalamt, das Sozialamt und die Wirtschaftsförderung',
    createdBy: koordinationId,
  });
  const random = seeded(2026);
  const answerers: { email: string; fieldKeys: string[]; bias: number }[] = [
    { email: 'personalamt@musterstadt.example', fieldKeys: ['1', '4'], bias: 0 },
    { email: 'sozialamt@musterstadt.example', fieldKeys: ['2', '6'], bias: 0 },
    { email: 'wirtschaft@musterstadt.example', fieldKeys: ['3'], bias: 0 },
    // The Koordination answers 5 and 7 alone, and 1 and 2 as a second, more critical voice.
    { email: 'integrationsbuero@musterstadt.example', fieldKeys: ['5', '7', '1', '2'], bias: -0.9 },
  ];
  for (const answerer of answerers) {
    const userId = people.get(answerer.email)!;
    for (const field of catalog.fields.filter((entry) => answerer.fieldKeys.includes(entry.key))) {
      const ownField = !['1', '2'].includes(field.key) || answerer.bias === 0;
      for (const question of field.criteria.flatMap((criterion) => criterion.questions)) {
        const value = canSayNotApplicable && demoNotApplicable.has(question.key) ? 'trifft_nicht_zu' : demoAnswer(random, demoStrength[field.key]! + (ownField ? 0 : answerer.bias));
        await writeAnswerIfVersion(
          context.db,
          { roundId: roundRow.id, questionKey: question.key, userId },
          {
            value,
            comment: ownField ? (demoComments[question.key] ?? '') : '',
            evidence: ownField ? (demoEvidence[question.key] ?? '') : '',
          },
          0,
        );
      }
    }
  }
  const consolidations: [string, AnswerKey, string][] = [
    ['1.1', 'ja', 'Die Steuerungsgruppe tagt seit 2024 monatlich; das Integrationskonzept ist beschlossen.'],
    ['4.5', 'eher_nein', 'Eine Beschwerdestelle fehlt noch; das Thema steht im Maßnahmenplan.'],
    ['7.3', 'eher_ja', 'Die Pressestelle berichtet regelmäßig; die Einschätzung der Fachbereiche war zu streng.'],
  ];
  for (const [criterionKey, rating, reason] of consolidations) {
    await writeRatingIfVersion(context.db, { roundId: roundRow.id, criterionKey }, { rating, reason, updatedBy: koordinationId }, 0);
    await insertChange(context.db, { roundId: roundRow.id, changedBy: koordinationId, kind: 'rating', subject: criterionKey, before: null, after: { rating, reason } });
  }
  await loadDemoDiscussion(context, kommuneId, roundRow.id, people);
  await loadDemoSurvey(context, kommuneId, roundRow.id, koordinationId);
  const closed = await updateRoundIfVersion(context.db, roundRow.id, roundRow.version, { status: 'closed', closedAt: new Date('2026-11-02T15:00:00Z') });
  await storeRoundResult(context.db, closed!, catalog);
  await insertChange(context.db, { roundId: roundRow.id, changedBy: koordinationId, kind: 'round', subject: 'closed', before: { status: 'open' }, after: { status: 'closed', openQuestions: 0 } });
}

/**
 * Two discussions of the demo round, so a first look shows what the discussion is for: one on a
 * criterion, settled in the consolidation, one on a question, still open when the round was closed.
 */
async function loadDemoDiscussion(context: ServiceContext, kommuneId: string, roundId: string, people: Map<string, string>): Promise<void> {
  const notes: { email: string; name: string; kind: 'question' | 'criterion'; key: string; at: string; body: string }[] = [
    { email: 'personalamt@musterstadt.example', name: 'Jonas Krüger', kind: 'criterion', key: '4.5', at: '2026-10-12T09:14:00Z', body: 'Für Beschäftigte gibt es die AGG-Beschwerdestelle im Personalamt. Für Bürger:innen gibt es keine feste Stelle; ihre Beschwerden landen beim Bürgerbüro oder direkt in den Ämtern. Deshalb habe ich bei 4.5.1 eher nein gewählt.' },
    { email: 'integrationsbuero@musterstadt.example', name: 'Ayşe Yılmaz', kind: 'criterion', key: '4.5', at: '2026-10-13T14:02:00Z', body: 'Sollten wir das Kriterium dann nicht insgesamt niedriger einschätzen? Ohne Beschwerdestelle fehlt ein wichtiger Baustein.' },
    { email: 'personalamt@musterstadt.example', name: 'Jonas Krüger', kind: 'criterion', key: '4.5', at: '2026-10-14T08:20:00Z', body: 'Einverstanden. Die anderen drei Leitfragen sind erfüllt, aber 4.5.1 wiegt für die Menschen vor Ort schwerer.' },
    { email: 'integrationsbuero@musterstadt.example', name: 'Ayşe Yılmaz', kind: 'criterion', key: '4.5', at: '2026-10-28T10:30:00Z', body: 'In der Steuerungsgruppe besprochen: Ich habe „eher nein“ festgelegt; eine Beschwerdestelle für Bürger:innen steht im Maßnahmenplan.' },
    { email: 'wirtschaft@musterstadt.example', name: 'Thomas Weiß', kind: 'question', key: '3.1.1', at: '2026-10-20T08:45:00Z', body: 'Die neue Standortbroschüre nennt Weltoffenheit nur in einem Satz, die Website gar nicht. Reicht das schon für „eher ja“? Ich habe vorerst „eher nein“ gewählt.' },
  ];
  for (const note of notes) {
    await insertNote(context.db, { id: randomUUID(), roundId, kommuneId, kind: note.kind, subjectKey: note.key, authorId: people.get(note.email) ?? null, authorName: note.name, body: note.body, createdAt: new Date(note.at) });
  }
  await insertSettledThread(context.db, { roundId, kind: 'criterion', subjectKey: '4.5', settledAt: new Date('2026-10-28T10:31:00Z'), settledById: people.get('integrationsbuero@musterstadt.example') ?? null, settledByName: 'Ayşe Yılmaz' });
}

/** How residents of Musterstadt see each statement (mean 0–3): lower than the administration where help is hard to find. */
const demoOutsideStrength: Record<string, number> = {
  '1.1': 2.0, '1.2': 1.8, '2.1': 1.5, '2.2': 0.9, '2.3': 2.1, '3.1': 1.1, '3.2': 1.7, '4.1': 1.9, '4.2': 0.8,
  '4.3': 1.2, '5.1': 2.2, '5.2': 1.0, '6.1': 2.3, '6.2': 1.8, '6.3': 1.9, '7.1': 1.5, '7.2': 1.3,
};
/** Statements many residents cannot judge, so „weiß nicht“ is more common. */
const demoOftenUnknown = new Set(['3.1', '4.3', '7.2']);
const demoOpenAnswers: [string, (typeof openAnswerReviews)[number]][] = [
  ['Mehr Begegnungsorte im Bahnhofsviertel, zum Beispiel ein Stadtteilcafé.', 'freigegeben'],
  ['Die Formulare im Bürgerbüro gibt es nur auf Deutsch. Das ist für viele schwer.', 'freigegeben'],
  ['Ich wusste nicht, an wen ich mich wenden kann, als ich bei der Wohnungssuche abgelehnt wurde.', 'freigegeben'],
  ['Das Sommerfest im Stadtpark war toll, bitte jedes Jahr!', 'freigegeben'],
  ['Herr M. im Bürgerbüro war am 3. Oktober sehr unfreundlich zu mir.', 'verworfen'],
  ['Mehr Sprachkurse am Abend für Berufstätige.', 'offen'],
];

/**
 * The Außensicht of round 1: a survey in October 2026 with 146 responses in five languages, twelve of
 * them a burst in one night minute that the Koordination left out with a reason, and six Anmerkungen
 * (four released, one discarded because it names a person, one not yet reviewed). Kept 36 months.
 */
async function loadDemoSurvey(context: ServiceContext, kommuneId: string, roundId: string, koordinationId: string): Promise<void> {
  const set = getStatementSet(context.db);
  const surveyId = randomUUID();
  const exclusionId = randomUUID();
  const burstMinute = new Date('2026-10-14T01:13:00Z');
  await insertSurveyWithExclusions(
    context.db,
    {
      id: surveyId,
      kommuneId,
      roundId,
      token: randomBytes(16).toString('base64url'),
      setVersion: set.version,
      settings: surveySettingsSchema.parse({
        fields: orderedFields(set, Object.keys(demoStrength)),
        openQuestions: [{ text: 'Was würde das Zusammenleben in Musterstadt verbessern?' }],
        opensOn: '2026-10-05',
        closesOn: '2026-10-25',
        retentionMonths: 36,
        controller: 'Stadt Musterstadt, Integrationsbüro, Markt 1, 06800 Musterstadt, integrationsbuero@musterstadt.example',
      }),
      status: 'veroeffentlicht',
      createdBy: koordinationId,
      createdAt: new Date('2026-09-28T09:00:00Z'),
      publishedAt: new Date('2026-10-02T11:30:00Z'),
    },
    [{ id: exclusionId, surveyId, fromAt: burstMinute, toAt: burstMinute, reason: 'Zwölf gleiche Antworten in derselben Minute nachts, vermutlich ein Skript', createdBy: koordinationId, createdAt: new Date('2026-10-14T08:05:00Z') }],
  );
  const random = seeded(1710);
  const pick = <T>(entries: readonly (readonly [T, number])[]): T => {
    let left = random() * entries.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [value, weight] of entries) if ((left -= weight) < 0) return value;
    return entries[entries.length - 1]![0];
  };
  const languages = [['de', 96], ['de-x-ls', 6], ['en', 8], ['tr', 12], ['ar', 9], ['uk', 3]] as const;
  const agreement = ['nicht-zu', 'eher-nicht-zu', 'eher-zu', 'zu'] as const;
  const batch: Parameters<typeof insertResponsesForBundle>[1] = [];
  for (let index = 0; index < 134; index++) {
    const language = pick(languages);
    const wohndauer = pick([['unter-5', 30], ['ab-5', 55], ['nicht-hier', 5], ['', 10]] as const);
    const alter = pick([['unter-30', 25], ['30-64', 55], ['ab-65', 12], ['', 8]] as const);
    const shift = wohndauer === 'unter-5' ? -0.3 : 0;
    const answers: Record<string, string> = {};
    for (const statement of set.statements) {
      if (random() < 0.04) continue;
      if (random() < (demoOftenUnknown.has(statement.key) ? 0.25 : 0.08)) answers[statement.key] = 'weiss-nicht';
      else answers[statement.key] = agreement[Math.round(Math.min(3, Math.max(0, (demoOutsideStrength[statement.key] ?? 1.5) + shift + (random() - 0.5) * 3.2)))]!;
    }
    // Spread over the 21 days, in the daytime.
    const receivedAt = new Date(Date.parse('2026-10-05T06:00:00Z') + Math.floor(random() * 21) * 86_400_000 + Math.floor(random() * 14 * 60) * 60_000);
    const responseId = randomUUID();
    const open = demoOpenAnswers[index % 22 === 0 ? index / 22 : -1];
    batch.push({
      response: { id: responseId, surveyId, language, answers, groups: { ...(wohndauer ? { wohndauer } : {}), ...(alter ? { alter } : {}) }, deviceHash: randomBytes(32).toString('hex'), receivedAt },
      openAnswers: open
        ? [{ id: randomUUID(), responseId, surveyId, questionIndex: 0, text: open[0], review: open[1], reviewedBy: open[1] === 'offen' ? null : koordinationId, reviewedAt: open[1] === 'offen' ? null : new Date('2026-10-27T09:00:00Z') }]
        : [],
    });
  }
  for (let index = 0; index < 12; index++) {
    const answers = Object.fromEntries(set.statements.map((statement) => [statement.key, 'nicht-zu']));
    batch.push({ response: { id: randomUUID(), surveyId, language: 'de', answers, groups: {}, deviceHash: randomBytes(32).toString('hex'), receivedAt: burstMinute, excludedBy: exclusionId }, openAnswers: [] });
  }
  await insertResponsesForBundle(context.db, batch);
}

/** Musterstadt's Ausgangslage, invented for the demo in the shape of the reference report. */
const demoProfile: Profile = profileSchema.parse({
  population: 74_218,
  populationSource: 'Statistisches Landesamt',
  populationDate: '31.12.2025',
  foreignShare: 7.4,
  foreignShareSource: 'Einwohnermeldeamt Musterstadt',
  foreignShareDate: '31.12.2025',
  facts: [
    { label: 'Kinder mit Migrationshintergrund in Kindertageseinrichtungen', value: 14.2, unit: '%', source: 'Jugendamt', referenceDate: '03/2026' },
    { label: 'Schutzsuchende in kommunaler Unterbringung', value: 412, unit: 'Personen', source: 'Sozialamt', referenceDate: '06/2026' },
  ],
  districtRange: { areaKind: 'Stadtteil', lowestShare: 1.3, lowestName: 'Waldsiedlung', highestShare: 21.6, highestName: 'Bahnhofsviertel' },
  administrationHead: { title: 'Oberbürgermeisterin', name: 'Dr. Helga Sommer' },
  projectLeads: [
    { name: 'Ayşe Yılmaz', unit: 'Integrationsbüro' },
    { name: 'Jonas Krüger', unit: 'Personalamt' },
  ],
  challenges: [
    'Zuzug vieler Familien mit kleinen Kindern seit 2022: **Kita- und Schulplätze** werden knapp.',
    'Interkulturelle Öffnung der Verwaltung, besonders in Bürgerbüro und Ausländerbehörde.',
    'Fachkräftegewinnung für Pflege und Handwerk gemeinsam mit den Kammern.',
  ],
  furtherConditions:
    'Musterstadt hat seit 2016 ein Integrationsbüro und seit 2023 ein vom Rat beschlossenes Integrationskonzept.\n\n- Steuerungsgruppe Integration (monatlich)\n- Integrationsbeirat mit zwölf gewählten Mitgliedern\n\n> „Wir wollen, dass alle hier mitreden können.“',
});

/** Kick-off, a workshop on two Handlungsfelder, a dialogue event, Modul 3 and the plan of measures. */
async function loadDemoProcess(context: ServiceContext, kommuneId: string, koordinationId: string): Promise<void> {
  const write = (kind: string, content: unknown) => writeDocumentIfVersion(context.db, { kommuneId, kind }, content, koordinationId, 0);
  await write(
    'kickoff',
    kickoffSchema.parse({
      date: '2026-06-18',
      participants: [
        { name: 'Dr. Helga Sommer', role: 'Oberbürgermeisterin', organisation: 'Stadt Musterstadt' },
        { name: 'Ayşe Yılmaz', role: 'Leiterin des Integrationsbüros', organisation: 'Stadt Musterstadt' },
        { name: 'Bernd Begleiter', role: 'Prozessbegleitung', organisation: 'Programmteam Weltoffen' },
      ],
      excused: [{ name: 'Jonas Krüger', role: 'Personalamt', organisation: 'Stadt Musterstadt' }],
      keyStatements:
        'Musterstadt wächst durch Zuzug und will Vielfalt als Stärke gestalten.\n\n- Der Selbstcheck soll alle Dezernate einbeziehen.\n- Die Oberbürgermeisterin unterstützt die Zusammenarbeit im Programm.',
    }),
  );
  const workshopId = 'workshop-musterstadt-1';
  const workshops = workshopsSchema.parse({
    workshops: [
      {
        id: workshopId,
        roundNumber: 1,
        date: '2026-11-10',
        startTime: '14:00',
        endTime: '18:00',
        participantsTotal: 24,
        participantsBySector: { verwaltung: 12, politik: 4, zivilgesellschaft: 6, wirtschaft: 2 },
        moderation: { person: 'Bernd Begleiter', organisation: 'Programmteam Weltoffen', role: 'Prozessbegleiter' },
        documentationShared: true,
        fields: [
          {
            fieldKey: '4',
            qualifier: 'Antidiskriminierung',
            worksWell: ['Das Integrationsbüro ist in der Verwaltung gut vernetzt.', 'Fortbildungen zu interkultureller Kompetenz werden angeboten.'],
            notYet: ['Antirassismus ist noch nicht strukturell verankert.', 'Führungskräfte nehmen selten an Fortbildungen teil.'],
            potentials:
              'Nach Einschätzung der Teilnehmenden besteht Entwicklungspotenzial auf der Leitungsebene. Interkulturelle Kompetenz spielt bei Stellenbesetzungen noch kaum eine Rolle.\n\n> „Wir müssen Haltung zeigen, nicht nur Broschüren verteilen.“',
            actionNeeds: [
              { text: 'Haltungsarbeit und interkulturelle Schulungen auf allen Ebenen der Verwaltung vertiefen', subpoints: ['Personalentwicklung', 'Diversität bei Stellenbesetzungen berücksichtigen'] },
              { text: 'Eine unabhängige Beschwerdestelle für Diskriminierung einrichten', subpoints: [] },
            ],
          },
          {
            fieldKey: '5',
            worksWell: ['Der Integrationsbeirat ist aktiv und wird gehört.'],
            notYet: ['Die Ehrenamtskarte ist in der Stadtgesellschaft noch wenig bekannt.'],
            potentials: 'Engagement von Menschen mit Einwanderungsgeschichte wird noch zu selten sichtbar gewürdigt.',
            actionNeeds: [{ text: 'Engagementwürdigung breiter bekannt machen', subpoints: ['Ehrenamtskarte mehrsprachig bewerben'] }],
          },
        ],
      },
    ],
  });
  await write('workshops', workshops);
  await write(
    'dialogues',
    dialoguesSchema.parse({
      events: [
        {
          id: 'dialog-musterstadt-1',
          title: 'Dialogveranstaltung „Musterstadt engagiert sich“',
          date: '2026-11-20',
          startTime: '17:00',
          endTime: '20:00',
          format: 'hybrid',
          participants: 45,
          participantsApproximate: true,
          focusFieldKey: '5',
          partners: ['Freiwilligenagentur Musterstadt', 'Integrationsbeirat'],
          purposes: ['informieren', 'beraten'],
          description: 'Einwohner:innen, Vereine und Verwaltung haben über Engagement und Beteiligung gesprochen.',
          results: '- Die Freiwilligenagentur bietet mehrsprachige Sprechstunden an.\n- Ein jährlicher Engagementtag wird geplant.',
        },
      ],
    }),
  );
  const offer = (await listOffers(context.db)).find((entry) => entry.title === 'Impuls-Breakfast-Talk') ??
    (await insertOffer(context.db, randomUUID(), { title: 'Impuls-Breakfast-Talk', format: 'Impuls-Breakfast-Talk', topics: ['strategische Kommunikation'], date: '2027-02-04', description: '' }));
  await write('offers', { statuses: [{ offerId: offer.id, status: 'angemeldet' }] });
  const needs = workshops.workshops[0]!.fields.flatMap((field) => field.actionNeeds.map((need) => ({ workshopId, fieldKey: field.fieldKey, actionNeed: need.text })));
  await write(
    'outlook',
    outlookSchema.parse({
      narrative:
        'Musterstadt will die Ergebnisse des Selbstchecks in eine Zukunftsstrategie Weltoffenheit überführen und den Selbstcheck in drei Jahren wiederholen.\n\n## Engagement und Beteiligung\n\nDie Dialogveranstaltung hat erste Meilensteine formuliert; sie münden in eine Engagementstruktur, die die Freiwilligenagentur koordiniert.',
      partnerships: [
        {
          title: 'Kooperationsvereinbarung',
          partners: ['Freiwilligenagentur Musterstadt', 'Integrationsbeirat', 'Volkshochschule Musterstadt'],
          date: '2027-01-15',
          fieldKeys: ['5', '6'],
          aim: 'Engagement von Zugewanderten stärken',
        },
      ],
      goals: [
        {
          title: 'Antirassismus strukturell verankern',
          measures: [
            { ...measureFromActionNeed(needs[0]!), responsible: 'Personalamt', start: '2027-01-01', end: '2027-12-31', status: 'laufend', nextReview: '2027-06-30' },
            { ...measureFromActionNeed(needs[1]!), responsible: 'Integrationsbüro', start: '2027-03-01', status: 'geplant', nextReview: '2027-09-30' },
          ],
        },
        {
          title: 'Engagement sichtbar würdigen',
          measures: [{ ...measureFromActionNeed(needs[2]!), responsible: 'Freiwilligenagentur', partners: 'Integrationsbeirat', status: 'geplant' }],
        },
      ],
    }),
  );
}
