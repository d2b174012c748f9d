import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Actor } from '../src/domain/access.ts';
import { bundeslandNames } from '../src/domain/kommune.ts';
import { openRuntime } from '../src/server/wiring/runtime.ts';
import { getPeerComparison, getProgrammeOverview } from '../src/services/view-programme.ts';

/**
 * The whole of Germany: 11,000 Kommunen, each with a closed round of 100 questions answered, stored
 * results, a population, and a workshop for every third. Generated inside the database (set-based
 * SQL), then the programme overview and the peer comparison are timed: first call and warm (median).
 */

const operator: Actor = { userId: 'bench', programmeRole: 'programmteam', assignedKommuneIds: [], memberships: [] };
const round1 = (value: number) => Math.round(value * 10) / 10;

export async function measureScale(work: string, database: { name: 'pglite' | 'postgres'; url?: string }, kommunen = 11_000) {
  const runtime = await openRuntime(
    { dataDir: path.join(work, `scale-${database.name}`), databaseUrl: database.url, publicUrl: 'http://localhost:3000', authSecret: 'bench-secret-bench-secret-bench-secret-01', mailFrom: 'bench@localhost', catalogDir: path.resolve(import.meta.dirname, '../catalog') },
    () => {},
  );
  try {
    const db = runtime.services.db;
    const catalog = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../catalog/weltoffene-kommune-1.0.json'), 'utf8')) as { fields: { key: string; criteria: { key: string; questions: { key: string }[] }[] }[] };
    const questions = catalog.fields.flatMap((field) => field.criteria.flatMap((criterion) => criterion.questions.map((question) => ({ question: question.key, criterion: criterion.key, field: field.key })))).slice(0, 100);
    const generationStarted = performance.now();
    await db.execute(sql`create temporary table bench_question (question_key text, criterion_key text, field_key text)`);
    await db.execute(sql`insert into bench_question values ${sql.join(questions.map((entry) => sql`(${entry.question}, ${entry.criterion}, ${entry.field})`), sql`, `)}`);
    const lands = sql.raw(`array[${bundeslandNames.map((name) => `'${name}'`).join(',')}]`);
    await db.execute(sql`insert into "user" (id, name, email, email_verified) values ('bench-user', 'Bench', 'bench@example.org', true)`);
    await db.execute(sql`
      insert into kommune (id, slug, name, kind, bundesland, modules)
      select 'bench-k-' || g, 'bench-' || g, 'Kommune ' || to_char(g, 'FM00000'), case when g % 10 = 0 then 'Landkreis' else 'Stadt' end, (${lands})[1 + g % 16], '{1,2,3}'
      from generate_series(1, ${kommunen}) g`);
    await db.execute(sql`
      insert into kommune_document (kommune_id, kind, content)
      select id, 'profile', jsonb_build_object('population', 3000 + abs(hashtext(id)) % 400000) from kommune where id like 'bench-k-%'`);
    await db.execute(sql`
      insert into kommune_document (kommune_id, kind, content)
      select id, 'workshops', jsonb_build_object('workshops', jsonb_build_array(jsonb_build_object('id', 'workshop-' || substr(md5(id), 1, 8), 'roundNumber', 1,
        'fields', jsonb_build_array(jsonb_build_object('fieldKey', (1 + abs(hashtext(id)) % 7)::text), jsonb_build_object('fieldKey', (1 + abs(hashtext(id || 'b')) % 7)::text)))))
      from kommune where id like 'bench-k-%' and abs(hashtext(id)) % 3 = 0`);
    await db.execute(sql`
      insert into round (id, kommune_id, number, catalog_version_id, status, worked_field_keys, closed_at)
      select 'bench-r-' || substr(id, 9), id, 1, 'weltoffene-kommune@1.0', 'closed', '{1,2,3,4,5,6,7}', now() - (abs(hashtext(id)) % 900) * interval '1 day'
      from kommune where id like 'bench-k-%'`);
    await db.execute(sql`
      insert into answer (round_id, question_key, user_id, value)
      select r.id, q.question_key, 'bench-user', (array['ja', 'eher_ja', 'eher_nein', 'nein'])[1 + abs(hashtext(r.id || q.question_key)) % 4]
      from round r cross join bench_question q where r.id like 'bench-r-%'`);
    // Results as closing stores them: a criterion's rating is the option nearest the mean of its
    // answers (half up), a field's score the mean of its criteria's values, the overall the mean of fields.
    await db.execute(sql`
      create temporary table bench_rating as
      select a.round_id, q.criterion_key, q.field_key,
        floor(avg(case a.value when 'ja' then 3 when 'eher_ja' then 2 when 'eher_nein' then 1 else 0 end) + 0.5)::int as value
      from answer a join bench_question q on q.question_key = a.question_key where a.round_id like 'bench-r-%'
      group by a.round_id, q.criterion_key, q.field_key`);
    await db.execute(sql`
      insert into round_criterion_result (round_id, criterion_key, rating)
      select round_id, criterion_key, (array['nein', 'eher_nein', 'eher_ja', 'ja'])[value + 1] from bench_rating`);
    await db.execute(sql`
      insert into round_result (round_id, kommune_id, catalog_version_id, overall_score, level_index, field_scores)
      select f.round_id, 'bench-k-' || substr(f.round_id, 9), 'weltoffene-kommune@1.0', avg(f.score),
        case when avg(f.score) >= 75 then 3 when avg(f.score) >= 50 then 2 when avg(f.score) >= 25 then 1 else 0 end,
        jsonb_object_agg(f.field_key, f.score)
      from (select round_id, field_key, avg(value) / 3.0 * 100 as score from bench_rating group by round_id, field_key) f
      group by f.round_id`);
    // Statistics for the planner, as autovacuum would gather them after such a bulk load; without them
    // a measurement may catch the planner mid-way.
    await db.execute(sql`analyze`);
    const generationSeconds = round1((performance.now() - generationStarted) / 1000);
    const [counts] = (await db.execute(sql`select (select count(*) from kommune)::int as kommunen, (select count(*) from answer)::int as answers, (select count(*) from round_criterion_result)::int as ratings`) as unknown as { rows: { kommunen: number; answers: number; ratings: number }[] }).rows;

    const time = async (work: () => Promise<unknown>) => {
      const started = performance.now();
      await work();
      return performance.now() - started;
    };
    const measure = async (work: () => Promise<unknown>) => {
      const first = await time(work);
      const runs: number[] = [];
      for (let run = 0; run < 5; run++) runs.push(await time(work));
      return { firstMs: round1(first), warmMs: round1(runs.sort((a, b) => a - b)[2]!) };
    };
    const query = { sort: 'name' as const, descending: false, page: 1, pageSize: 50 };
    const barMs = database.name === 'postgres' ? 300 : 1000;
    return {
      database: database.name,
      generated: { ...counts, seconds: generationSeconds },
      overview: { ...(await measure(() => getProgrammeOverview(runtime.services, operator, query))), barMs },
      overviewFiltered: { ...(await measure(() => getProgrammeOverview(runtime.services, operator, { ...query, bundesland: 'Bayern', sort: 'result', descending: true }))), barMs },
      peerComparison: { ...(await measure(() => getPeerComparison(runtime.services, operator, `bench-${Math.min(4711, kommunen - 1)}`))), barMs },
    };
  } finally {
    await runtime.close();
  }
}
