import { sql } from 'drizzle-orm';
import type { Database } from '../client.ts';

/**
 * Queries across all Kommunen for the programme overview, written for 11,000 Kommunen: one pass over
 * the Kommunen with their newest round, and aggregates over the stored round results.
 */

export interface KommuneOverviewRow {
  id: string;
  slug: string;
  name: string;
  kind: string;
  bundesland: string;
  modules: number[];
  population: number | null;
  roundId: string | null;
  roundNumber: number | null;
  roundStatus: string | null;
  catalogVersionId: string | null;
  workedFieldKeys: string[] | null;
  overallScore: number | null;
  levelIndex: number | null;
  lastActivity: Date;
  hasWorkshop: boolean;
  hasReport: boolean;
}

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

export async function listKommunenForOverview(db: Database): Promise<KommuneOverviewRow[]> {
  const result = await db.execute(sql`
    select k.id, k.slug, k.name, k.kind, k.bundesland, k.modules,
      (profile.content->>'population')::bigint as population,
      r.id as round_id, r.number as round_number, r.status as round_status, r.catalog_version_id, r.worked_field_keys,
      rr.overall_score, rr.level_index,
      greatest(k.updated_at, r.created_at, r.closed_at,
        (select max(d.updated_at) from kommune_document d where d.kommune_id = k.id),
        (select max(a.at) from audit_event a where a.kommune_id = k.id)) as last_activity,
      coalesce(jsonb_array_length(workshops.content->'workshops') > 0, false) as has_workshop,
      exists (select 1 from audit_event a where a.kommune_id = k.id and a.action = 'report.generated') as has_report
    from kommune k
    left join lateral (select * from round where round.kommune_id = k.id order by number desc limit 1) r on true
    left join round_result rr on rr.round_id = r.id
    left join kommune_document profile on profile.kommune_id = k.id and profile.kind = 'profile'
    left join kommune_document workshops on workshops.kommune_id = k.id and workshops.kind = 'workshops'
    where k.archived_at is null and k.import_job_id is null`);
  return rowsOf<Record<string, unknown>>(result).map((row) => ({
    id: row.id as string,
    slug: row.slug as string,
    name: row.name as string,
    kind: row.kind as string,
    bundesland: row.bundesland as string,
    modules: row.modules as number[],
    population: row.population === null ? null : Number(row.population),
    roundId: row.round_id as string | null,
    roundNumber: row.round_number === null ? null : Number(row.round_number),
    roundStatus: row.round_status as string | null,
    catalogVersionId: row.catalog_version_id as string | null,
    workedFieldKeys: row.worked_field_keys as string[] | null,
    overallScore: row.overall_score === null ? null : Number(row.overall_score),
    levelIndex: row.level_index === null ? null : Number(row.level_index),
    lastActivity: new Date(row.last_activity as string),
    hasWorkshop: row.has_workshop === true,
    hasReport: row.has_report === true,
  }));
}

/** Per open round: how many of its questions someone has answered with a value. */
export async function countAnsweredQuestions(db: Database, roundIds: readonly string[]): Promise<Map<string, number>> {
  if (!roundIds.length) return new Map();
  const result = await db.execute(sql`
    select round_id, count(distinct question_key)::int as answered from answer
    where round_id in (${sql.join(roundIds.map((id) => sql`${id}`), sql`, `)}) and value is not null
    group by round_id`);
  return new Map(rowsOf<{ round_id: string; answered: number }>(result).map((row) => [row.round_id, Number(row.answered)]));
}

/** The newest closed round of each Kommune in `kommuneIds`, as stored results. */
function newestClosed(kommuneIds: readonly string[] | null) {
  const filter = kommuneIds ? sql`where rr.kommune_id in (${sql.join(kommuneIds.map((id) => sql`${id}`), sql`, `)})` : sql``;
  return sql`(select distinct on (rr.kommune_id) rr.* from round_result rr join round r on r.id = rr.round_id ${filter} order by rr.kommune_id, r.number desc)`;
}

/** How many Kommunen reached each level in their newest closed round. */
export async function countLevels(db: Database, kommuneIds: readonly string[] | null): Promise<Map<number, number>> {
  const result = await db.execute(sql`select level_index, count(*)::int as count from ${newestClosed(kommuneIds)} latest where level_index is not null group by level_index`);
  return new Map(rowsOf<{ level_index: number; count: number }>(result).map((row) => [Number(row.level_index), Number(row.count)]));
}

/** Per criterion and rating: how many Kommunen rated it so in their newest closed round. */
export async function countCriterionRatings(db: Database, kommuneIds: readonly string[] | null) {
  const result = await db.execute(sql`
    select c.criterion_key, coalesce(c.rating, 'none') as rating, count(*)::int as count
    from ${newestClosed(kommuneIds)} latest join round_criterion_result c on c.round_id = latest.round_id
    group by c.criterion_key, c.rating`);
  return rowsOf<{ criterion_key: string; rating: string; count: number }>(result).map((row) => ({ criterionKey: row.criterion_key, rating: row.rating, count: Number(row.count) }));
}

/** The workshops documents of all Kommunen, for counting the Handlungsfelder chosen. */
export async function listWorkshopDocuments(db: Database, kommuneIds: readonly string[] | null) {
  const filter = kommuneIds ? sql`and kommune_id in (${sql.join(kommuneIds.map((id) => sql`${id}`), sql`, `)})` : sql``;
  const result = await db.execute(sql`select kommune_id, content from kommune_document where kind = 'workshops' ${filter}`);
  return rowsOf<{ kommune_id: string; content: unknown }>(result);
}

/** Field scores of the newest closed round of every Kommune, with population and kind, for peer groups. */
export async function listPeerResults(db: Database) {
  const result = await db.execute(sql`
    select latest.kommune_id, latest.field_scores, k.kind, (profile.content->>'population')::bigint as population
    from ${newestClosed(null)} latest
    join kommune k on k.id = latest.kommune_id and k.archived_at is null
    left join kommune_document profile on profile.kommune_id = k.id and profile.kind = 'profile'`);
  return rowsOf<{ kommune_id: string; field_scores: Record<string, number | null>; kind: string; population: string | number | null }>(result).map((row) => ({
    kommuneId: row.kommune_id,
    fieldScores: row.field_scores,
    kind: row.kind,
    population: row.population === null ? null : Number(row.population),
  }));
}

/** Every stored criterion rating of the newest closed round per Kommune, for the exports. */
export async function listRatingsForExport(db: Database) {
  const result = await db.execute(sql`
    select k.slug, k.name, k.kind, k.bundesland, k.gemeindeschluessel, r.number as round_number, r.closed_at, latest.catalog_version_id,
      c.criterion_key, c.rating
    from ${newestClosed(null)} latest
    join round r on r.id = latest.round_id
    join kommune k on k.id = latest.kommune_id
    join round_criterion_result c on c.round_id = latest.round_id
    order by k.name, c.criterion_key`);
  return rowsOf<Record<string, unknown>>(result);
}

/** Changes whenever a stored round result is added, replaced or removed (count and newest time). */
export async function roundResultsStamp(db: Database): Promise<string> {
  const result = await db.execute(sql`select count(*)::int as count, coalesce(max(created_at), 'epoch'::timestamptz) as newest from round_result`);
  const [row] = rowsOf<{ count: number; newest: string | Date }>(result);
  return `${row!.count}:${new Date(row!.newest).toISOString()}`;
}
