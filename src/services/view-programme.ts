import type { Actor } from '../domain/access.ts';
import type { AnswerKey, Catalog } from '../domain/catalog.ts';
import { DomainError } from '../domain/errors.ts';
import {
  changeOf,
  comparePeers,
  counterpartIn,
  processStageLabels,
  processStages,
  progressOf,
  scoreChange,
  sizeClassLabels,
  sizeClassOf,
  stageOf,
  type ProcessStage,
} from '../domain/programme.ts';
import { displayPercent, openRating } from '../domain/scoring.ts';
import { workshopsSchema } from '../domain/workshop.ts';
import {
  countAnsweredQuestions,
  countCriterionRatings,
  countLevels,
  listKommunenForOverview,
  listPeerResults,
  listRatingsForExport,
  listWorkshopDocuments,
  roundResultsStamp,
} from '../db/repositories/programme-repository.ts';
import { listRounds } from '../db/repositories/round-repository.ts';
import type { ServiceContext } from './context.ts';
import { getCatalog, getCurrentCatalog } from './manage-catalogs.ts';
import { requireGlobal, requireKommune } from './require-kommune.ts';
import { getRoundResults } from './compute-results.ts';

const collator = new Intl.Collator('de', { sensitivity: 'base', numeric: true });

export const overviewSorts = ['name', 'stage', 'progress', 'activity', 'result'] as const;
export interface OverviewQuery {
  search?: string;
  bundesland?: string;
  kind?: string;
  stage?: ProcessStage;
  sort: (typeof overviewSorts)[number];
  descending: boolean;
  page: number;
  pageSize: number;
}

function questionCount(catalog: Catalog | undefined, fieldKeys: readonly string[] | null): number {
  if (!catalog || !fieldKeys) return 0;
  return catalog.fields.filter((field) => fieldKeys.includes(field.key)).reduce((sum, field) => sum + field.criteria.reduce((count, criterion) => count + criterion.questions.length, 0), 0);
}

async function countResults(context: ServiceContext, scope: readonly string[] | null) {
  const [levels, ratings] = await Promise.all([countLevels(context.db, scope), countCriterionRatings(context.db, scope)]);
  return { levels, ratings };
}

// Counting the ratings of all Kommunen reads every stored criterion rating (374,000 at 11,000
// Kommunen). They change only when a round is closed or reopened, so the unfiltered counts are kept
// per database and recounted when the stored results change (checked with one cheap query, so every
// process of an installation sees the same).
const allResultsCache = new WeakMap<ServiceContext['db'], { stamp: string; counts: Awaited<ReturnType<typeof countResults>> }>();

async function countAllResults(context: ServiceContext) {
  const stamp = await roundResultsStamp(context.db);
  const cached = allResultsCache.get(context.db);
  if (cached?.stamp === stamp) return cached.counts;
  const counts = await countResults(context, null);
  allResultsCache.set(context.db, { stamp, counts });
  return counts;
}

/**
 * The Programmteam's view across all Kommunen: each with modules, stage, progress and last activity
 * (filtered, sorted in German order, a page at a time), and over the filtered Kommunen the
 * distribution of overall levels, the criterion ratings as a heat map, and the Handlungsfelder chosen
 * in workshops.
 */
export async function getProgrammeOverview(context: ServiceContext, actor: Actor, query: OverviewQuery) {
  requireGlobal(actor, 'programme.manage');
  const current = await getCurrentCatalog(context.db);
  if (!current) throw new DomainError('catalog-missing');
  const rows = await listKommunenForOverview(context.db);
  const openRounds = rows.filter((row) => row.roundStatus === 'open').map((row) => row.roundId!);
  const answered = await countAnsweredQuestions(context.db, openRounds);
  const catalogs = new Map<string, Catalog | undefined>();
  for (const id of new Set(rows.map((row) => row.catalogVersionId).filter((id): id is string => id !== null))) catalogs.set(id, await getCatalog(context.db, id));

  const kommunen = rows.map((row) => {
    const stage = stageOf(row);
    return {
      slug: row.slug,
      name: row.name,
      kind: row.kind,
      bundesland: row.bundesland,
      modules: row.modules,
      stage,
      progress: progressOf(stage, row.roundId ? (answered.get(row.roundId) ?? 0) : 0, questionCount(row.catalogVersionId ? catalogs.get(row.catalogVersionId) : undefined, row.workedFieldKeys)),
      lastActivity: row.lastActivity.toISOString(),
      round: row.roundNumber === null ? null : { number: row.roundNumber, status: row.roundStatus as 'open' | 'closed' },
      resultPercent: row.overallScore === null ? null : displayPercent(row.overallScore),
      levelIndex: row.levelIndex,
      id: row.id,
    };
  });
  const search = query.search?.trim().toLocaleLowerCase('de');
  const filtered = kommunen.filter(
    (entry) =>
      (!search || entry.name.toLocaleLowerCase('de').includes(search)) &&
      (!query.bundesland || entry.bundesland === query.bundesland) &&
      (!query.kind || entry.kind === query.kind) &&
      (!query.stage || entry.stage === query.stage),
  );
  const compare: Record<OverviewQuery['sort'], (a: (typeof kommunen)[number], b: (typeof kommunen)[number]) => number> = {
    name: (a, b) => collator.compare(a.name, b.name),
    stage: (a, b) => processStages.indexOf(a.stage) - processStages.indexOf(b.stage) || collator.compare(a.name, b.name),
    progress: (a, b) => a.progress - b.progress || collator.compare(a.name, b.name),
    activity: (a, b) => a.lastActivity.localeCompare(b.lastActivity) || collator.compare(a.name, b.name),
    result: (a, b) => (a.resultPercent ?? -1) - (b.resultPercent ?? -1) || collator.compare(a.name, b.name),
  };
  filtered.sort(compare[query.sort]);
  if (query.descending) filtered.reverse();

  const isFiltered = filtered.length !== kommunen.length;
  const ids = isFiltered ? filtered.map((entry) => entry.id) : null;
  const scope = ids && ids.length === 0 ? [] : ids;
  const [{ levels, ratings }, workshopDocuments] =
    scope && scope.length === 0
      ? [{ levels: new Map<number, number>(), ratings: [] }, []]
      : await Promise.all([scope ? countResults(context, scope) : countAllResults(context), listWorkshopDocuments(context.db, scope)]);

  const catalog = current.catalog;
  const fieldChoices = new Map<string, number>();
  for (const document of workshopDocuments) {
    const parsed = workshopsSchema.safeParse(document.content);
    if (!parsed.success) continue;
    const chosen = new Set(parsed.data.workshops.flatMap((workshop) => workshop.fields.map((field) => field.fieldKey)));
    for (const key of chosen) fieldChoices.set(key, (fieldChoices.get(key) ?? 0) + 1);
  }
  const start = (query.page - 1) * query.pageSize;
  return {
    total: kommunen.length,
    matching: filtered.length,
    page: query.page,
    pageSize: query.pageSize,
    kommunen: filtered.slice(start, start + query.pageSize).map(({ id: _id, ...entry }) => ({ ...entry, stageLabel: processStageLabels[entry.stage] })),
    filters: {
      bundeslaender: [...new Set(kommunen.map((entry) => entry.bundesland))].sort(collator.compare),
      kinds: [...new Set(kommunen.map((entry) => entry.kind))].sort(collator.compare),
      stages: processStages.map((stage) => ({ key: stage, label: processStageLabels[stage], count: kommunen.filter((entry) => entry.stage === stage).length })),
    },
    levels: catalog.levels.map((level, index) => ({ index, text: level.text, minScore: level.minScore, count: levels.get(index) ?? 0 })),
    heatMap: {
      // „none“: criteria that were still open when their round closed.
      ratings: [...catalog.answerScale.map((option) => ({ key: option.key as string, label: option.label, symbol: option.symbol })), { key: 'none', label: openRating.label, symbol: openRating.symbol }],
      criteria: catalog.fields.flatMap((field) =>
        field.criteria.map((criterion) => {
          const counts = Object.fromEntries([...catalog.answerScale.map((option) => option.key), 'none'].map((key) => [key, ratings.find((entry) => entry.criterionKey === criterion.key && entry.rating === key)?.count ?? 0]));
          return { key: criterion.key, name: criterion.name, fieldKey: field.key, counts, total: Object.values(counts).reduce((sum, count) => sum + count, 0) };
        }),
      ),
    },
    workshopFields: catalog.fields.map((field) => ({ key: field.key, name: field.name, count: fieldChoices.get(field.key) ?? 0 })),
  };
}

/** Ratings of every Kommune's newest closed round, one row per Kommune and criterion, for CSV and XLSX. */
export async function getRatingsExport(context: ServiceContext, actor: Actor) {
  requireGlobal(actor, 'programme.manage');
  const rows = await listRatingsForExport(context.db);
  const catalogs = new Map<string, Catalog | undefined>();
  const header = ['Kommune', 'Kennung', 'Art', 'Land', 'AGS', 'Runde', 'Abgeschlossen am', 'Katalogversion', 'Handlungsfeld', 'Kriterium', 'Kriterium (Name)', 'Einschätzung', 'Wert'];
  const lines: (string | number | null)[][] = [];
  for (const row of rows) {
    const catalogId = row.catalog_version_id as string;
    if (!catalogs.has(catalogId)) catalogs.set(catalogId, await getCatalog(context.db, catalogId));
    const catalog = catalogs.get(catalogId);
    const criterionKey = row.criterion_key as string;
    const field = catalog?.fields.find((entry) => entry.criteria.some((criterion) => criterion.key === criterionKey));
    const criterion = field?.criteria.find((entry) => entry.key === criterionKey);
    const option = catalog?.answerScale.find((entry) => entry.key === row.rating);
    lines.push([
      row.name as string,
      row.slug as string,
      row.kind as string,
      row.bundesland as string,
      (row.gemeindeschluessel as string | null) ?? '',
      Number(row.round_number),
      row.closed_at ? new Date(row.closed_at as string).toISOString().slice(0, 10) : '',
      catalogId,
      field ? `${field.key}. ${field.name}` : '',
      criterionKey,
      criterion?.name ?? '',
      option?.label ?? openRating.label,
      option?.value ?? null,
    ]);
  }
  return { header, lines };
}

/**
 * A Kommune's field scores beside the quartiles of the other Kommunen of its size class, where that
 * group has at least five other closed rounds. No other Kommune is named or can be singled out.
 */
export async function getPeerComparison(context: ServiceContext, actor: Actor, slug: string) {
  const kommune = await requireKommune(context.db, actor, slug, 'round.read');
  const peers = await listPeerResults(context.db);
  const own = peers.find((entry) => entry.kommuneId === kommune.id);
  const current = await getCurrentCatalog(context.db);
  if (!current) throw new DomainError('catalog-missing');
  const ownPopulation = own?.population ?? null;
  const sizeClass = sizeClassOf(kommune.kind, ownPopulation);
  const fieldKeys = current.catalog.fields.map((field) => field.key);
  if (!own || !sizeClass) {
    return { sizeClass, sizeClassLabel: sizeClass ? sizeClassLabels[sizeClass] : null, hasOwnResult: !!own, fields: null };
  }
  const others = peers.filter((entry) => entry.kommuneId !== kommune.id && sizeClassOf(entry.kind, entry.population) === sizeClass).map((entry) => entry.fieldScores);
  const fields = comparePeers(fieldKeys, own.fieldScores, others).map((entry) => ({
    ...entry,
    name: current.catalog.fields.find((field) => field.key === entry.key)!.name,
    own: entry.own === null ? null : displayPercent(entry.own),
    // Shown as the own value is shown (whole percent, rounded down), so equal scores read as equal.
    group: entry.group && { count: entry.group.count, q1: displayPercent(entry.group.q1), median: displayPercent(entry.group.median), q3: displayPercent(entry.group.q3) },
  }));
  return { sizeClass, sizeClassLabel: sizeClassLabels[sizeClass], hasOwnResult: true, fields };
}

/** Change per criterion and Handlungsfeld between two rounds of a Kommune (older first). */
export async function compareRounds(context: ServiceContext, actor: Actor, slug: string, olderNumber: number, newerNumber: number) {
  const kommune = await requireKommune(context.db, actor, slug, 'round.read');
  if (olderNumber >= newerNumber) throw new DomainError('invalid-input', { field: 'from', message: 'Die frühere Runde muss vor der späteren liegen.' });
  const rounds = await listRounds(context.db, kommune.id);
  const older = rounds.find((round) => round.number === olderNumber);
  const newer = rounds.find((round) => round.number === newerNumber);
  if (!older || !newer) throw new DomainError('round-not-found');
  const [olderResults, newerResults, olderCatalog, newerCatalog] = await Promise.all([
    getRoundResults(context, actor, slug, olderNumber),
    getRoundResults(context, actor, slug, newerNumber),
    getCatalog(context.db, older.catalogVersionId),
    getCatalog(context.db, newer.catalogVersionId),
  ]);
  if (!olderCatalog || !newerCatalog) throw new DomainError('catalog-missing');
  const olderCriteria = new Map(olderResults.fields.flatMap((field) => (field.isWorked ? field.criteria.map((criterion) => [criterion.key, criterion] as const) : [])));
  const symbolOf = (key: AnswerKey | null) => (key ? (newerCatalog.answerScale.find((option) => option.key === key)?.symbol ?? '–') : '–');
  const fields = newerResults.fields.map((field) => {
    const before = olderResults.fields.find((entry) => entry.key === field.key);
    const olderScore = before?.isWorked ? before.score : null;
    const newerScore = field.isWorked ? field.score : null;
    return {
      key: field.key,
      name: field.name,
      before: olderScore === null ? null : displayPercent(olderScore),
      after: newerScore === null ? null : displayPercent(newerScore),
      change: scoreChange(olderScore, newerScore),
      criteria: field.criteria.map((criterion) => {
        const counterpart = counterpartIn(olderCatalog, newerCatalog, criterion.key);
        const previous = counterpart ? olderCriteria.get(counterpart) : undefined;
        const beforeRating = previous?.rating ?? null;
        const afterRating = field.isWorked ? criterion.rating : null;
        return {
          key: criterion.key,
          name: criterion.name,
          previousKey: counterpart,
          before: { rating: beforeRating, symbol: symbolOf(beforeRating), label: previous?.ratingLabel ?? null },
          after: { rating: afterRating, symbol: symbolOf(afterRating), label: field.isWorked ? criterion.ratingLabel : null },
          change: changeOf(newerCatalog, beforeRating, afterRating),
        };
      }),
    };
  });
  const changes = fields.flatMap((field) => field.criteria.map((criterion) => criterion.change));
  return {
    kommune: { slug: kommune.slug, name: kommune.name },
    older: { number: older.number, catalogVersionId: older.catalogVersionId, overall: olderResults.overall.displayPercent },
    newer: { number: newer.number, catalogVersionId: newer.catalogVersionId, overall: newerResults.overall.displayPercent },
    summary: { besser: changes.filter((change) => change === 'besser').length, gleich: changes.filter((change) => change === 'gleich').length, schlechter: changes.filter((change) => change === 'schlechter').length },
    fields,
  };
}
