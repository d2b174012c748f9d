/** The live session's tables (schema.ts „Live-Sitzung“): sessions, participants, groups, cards, points, events, rate hits. */
import { and, asc, count, desc, eq, gt, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { liveCard, liveEvent, liveGroup, liveParticipant, liveRateHit, liveSession, liveVote } from '../schema.ts';

export type LiveSessionRow = typeof liveSession.$inferSelect;
export type LiveParticipantRow = typeof liveParticipant.$inferSelect;
export type LiveCardRow = typeof liveCard.$inferSelect;
export type LiveGroupRow = typeof liveGroup.$inferSelect;
export type LiveEventRow = typeof liveEvent.$inferSelect;

// Sessions --------------------------------------------------------------------------------------

export async function insertLiveSession(db: Database, values: typeof liveSession.$inferInsert): Promise<LiveSessionRow> {
  const [row] = await db.insert(liveSession).values(values).returning();
  return row!;
}

/** A session of this Kommune (never of another: the Kommune is part of the lookup). */
export async function findLiveSession(db: Database, kommuneId: string, id: string): Promise<LiveSessionRow | undefined> {
  const [row] = await db.select().from(liveSession).where(and(eq(liveSession.kommuneId, kommuneId), eq(liveSession.id, id)));
  return row;
}

export async function findLiveSessionById(db: Database, id: string): Promise<LiveSessionRow | undefined> {
  const [row] = await db.select().from(liveSession).where(eq(liveSession.id, id));
  return row;
}

/** Locks the session's row for the transaction: every change of a session is serialised on it. */
export async function lockLiveSession(db: Database, id: string): Promise<LiveSessionRow | undefined> {
  const [row] = await db.select().from(liveSession).where(eq(liveSession.id, id)).for('update');
  return row;
}

export async function findOpenLiveSessionByCode(db: Database, code: string): Promise<LiveSessionRow | undefined> {
  const [row] = await db.select().from(liveSession).where(and(eq(liveSession.code, code), eq(liveSession.status, 'offen')));
  return row;
}

export async function listLiveSessions(db: Database, kommuneId: string) {
  const participants = db
    .select({ sessionId: liveParticipant.sessionId, value: count().as('participants') })
    .from(liveParticipant)
    .where(isNull(liveParticipant.removedAt))
    .groupBy(liveParticipant.sessionId)
    .as('participants');
  const cards = db.select({ sessionId: liveCard.sessionId, value: count().as('cards') }).from(liveCard).groupBy(liveCard.sessionId).as('cards');
  return db
    .select({ session: liveSession, participantCount: sql<number>`coalesce(${participants.value}, 0)`.mapWith(Number), cardCount: sql<number>`coalesce(${cards.value}, 0)`.mapWith(Number) })
    .from(liveSession)
    .leftJoin(participants, eq(participants.sessionId, liveSession.id))
    .leftJoin(cards, eq(cards.sessionId, liveSession.id))
    .where(eq(liveSession.kommuneId, kommuneId))
    .orderBy(desc(liveSession.createdAt));
}

export async function updateLiveSession(db: Database, id: string, values: Partial<typeof liveSession.$inferInsert>): Promise<LiveSessionRow> {
  const [row] = await db.update(liveSession).set(values).where(eq(liveSession.id, id)).returning();
  return row!;
}

export async function deleteLiveSession(db: Database, id: string): Promise<void> {
  await db.delete(liveSession).where(eq(liveSession.id, id));
}

/** Closed sessions whose retention ended, and open ones without a change since `idleBefore`. */
export async function findExpiredLiveSessions(db: Database, now: Date, idleBefore: Date): Promise<{ toDelete: string[]; toClose: LiveSessionRow[] }> {
  const toDelete = await db
    .select({ id: liveSession.id })
    .from(liveSession)
    .where(and(eq(liveSession.status, 'beendet'), sql`${liveSession.closedAt} + make_interval(days => ${liveSession.retentionDays}) < ${now.toISOString()}::timestamptz`));
  const toClose = await db.select().from(liveSession).where(and(eq(liveSession.status, 'offen'), lt(liveSession.updatedAt, idleBefore)));
  return { toDelete: toDelete.map((row) => row.id), toClose };
}

// Events ----------------------------------------------------------------------------------------

/**
 * Appends a change's events, advances the session's last sequence number and wakes the streams (at
 * commit), in one statement: it runs under the session's row lock, which every other change of the
 * session waits for, so each round trip saved there shortens the queue.
 */
export async function appendLiveEvents(db: Database, sessionId: string, rows: (typeof liveEvent.$inferInsert & { seq: number; createdAt: Date })[]): Promise<void> {
  if (rows.length === 0) return;
  const values = sql.join(
    rows.map((row) => sql`(${row.sessionId}, ${row.seq}, ${row.type}, ${JSON.stringify(row.payload)}::jsonb, ${row.audience}, ${row.createdAt.toISOString()}::timestamptz)`),
    sql`, `,
  );
  const last = rows.at(-1)!;
  await db.execute(sql`
    with inserted as (insert into live_event (session_id, seq, type, payload, audience, created_at) values ${values} returning 1),
      advanced as (update live_session set last_event_seq = ${last.seq}, updated_at = ${last.createdAt.toISOString()}::timestamptz where id = ${sessionId} returning 1)
    select pg_notify('weltoffen_live', ${sessionId}) from (select count(*) from inserted) as i, (select count(*) from advanced) as a`);
}

/** Events after `after`, oldest first, at most `limit`; the Moderation's too unless only `all`. */
export async function listLiveEventsAfter(db: Database, sessionId: string, after: number, onlyAll: boolean, limit: number): Promise<LiveEventRow[]> {
  return db
    .select()
    .from(liveEvent)
    .where(and(eq(liveEvent.sessionId, sessionId), gt(liveEvent.seq, after), onlyAll ? eq(liveEvent.audience, 'all') : undefined))
    .orderBy(asc(liveEvent.seq))
    .limit(limit);
}

/** The oldest event still kept (null when none). */
export async function oldestLiveEventSeq(db: Database, sessionId: string): Promise<number | null> {
  const [row] = await db.select({ seq: sql<number | null>`min(${liveEvent.seq})`.mapWith(Number) }).from(liveEvent).where(eq(liveEvent.sessionId, sessionId));
  return row?.seq ?? null;
}

export async function pruneLiveEvents(db: Database, sessionId: string, upTo: number): Promise<void> {
  await db.delete(liveEvent).where(and(eq(liveEvent.sessionId, sessionId), lte(liveEvent.seq, upTo)));
}

export async function notifyLive(db: Database, sessionId: string): Promise<void> {
  await db.execute(sql`select pg_notify('weltoffen_live', ${sessionId})`);
}

// Participants ----------------------------------------------------------------------------------

export async function insertLiveParticipant(db: Database, values: typeof liveParticipant.$inferInsert): Promise<LiveParticipantRow> {
  const [row] = await db.insert(liveParticipant).values(values).returning();
  return row!;
}

/** The participant with this token and their session, in one statement (every phone request starts here). */
export async function findLiveParticipantByToken(db: Database, tokenHash: string): Promise<{ participant: LiveParticipantRow; session: LiveSessionRow } | undefined> {
  const [row] = await db
    .select({ participant: liveParticipant, session: liveSession })
    .from(liveParticipant)
    .innerJoin(liveSession, eq(liveSession.id, liveParticipant.sessionId))
    .where(eq(liveParticipant.tokenHash, tokenHash));
  return row;
}

export async function findLiveParticipant(db: Database, sessionId: string, id: string): Promise<LiveParticipantRow | undefined> {
  const [row] = await db.select().from(liveParticipant).where(and(eq(liveParticipant.sessionId, sessionId), eq(liveParticipant.id, id)));
  return row;
}

export async function listLiveParticipants(db: Database, sessionId: string): Promise<LiveParticipantRow[]> {
  return db.select().from(liveParticipant).where(eq(liveParticipant.sessionId, sessionId)).orderBy(asc(liveParticipant.joinedAt), asc(liveParticipant.id));
}

/**
 * The participants of a session, counted in one statement: `joined` who joined and were not removed
 * (leaving does not take back having been there), `present` those of them who have not left either.
 */
export async function countLiveParticipants(db: Database, sessionId: string): Promise<{ joined: number; present: number }> {
  const [row] = await db
    .select({ joined: count(), present: sql<number>`count(*) filter (where ${liveParticipant.leftAt} is null)`.mapWith(Number) })
    .from(liveParticipant)
    .where(and(eq(liveParticipant.sessionId, sessionId), isNull(liveParticipant.removedAt)));
  return { joined: row?.joined ?? 0, present: row?.present ?? 0 };
}

export async function updateLiveParticipant(db: Database, id: string, values: Partial<typeof liveParticipant.$inferInsert>): Promise<void> {
  await db.update(liveParticipant).set(values).where(eq(liveParticipant.id, id));
}

// Groups ----------------------------------------------------------------------------------------

export async function insertLiveGroup(db: Database, values: typeof liveGroup.$inferInsert): Promise<LiveGroupRow> {
  const [row] = await db.insert(liveGroup).values(values).returning();
  return row!;
}

export async function findLiveGroup(db: Database, sessionId: string, id: string): Promise<LiveGroupRow | undefined> {
  const [row] = await db.select().from(liveGroup).where(and(eq(liveGroup.sessionId, sessionId), eq(liveGroup.id, id)));
  return row;
}

export async function listLiveGroups(db: Database, sessionId: string): Promise<LiveGroupRow[]> {
  return db.select().from(liveGroup).where(eq(liveGroup.sessionId, sessionId)).orderBy(asc(liveGroup.position), asc(liveGroup.createdAt));
}

export async function countLiveGroups(db: Database, sessionId: string): Promise<number> {
  const [row] = await db.select({ value: count() }).from(liveGroup).where(eq(liveGroup.sessionId, sessionId));
  return row?.value ?? 0;
}

export async function updateLiveGroup(db: Database, id: string, values: Partial<typeof liveGroup.$inferInsert>): Promise<LiveGroupRow> {
  const [row] = await db.update(liveGroup).set(values).where(eq(liveGroup.id, id)).returning();
  return row!;
}

/** Deletes a group; its cards stay, ungrouped. Returns the ids of those cards. */
export async function deleteLiveGroup(db: Database, sessionId: string, id: string): Promise<string[]> {
  const cards = await db.update(liveCard).set({ clusterId: null }).where(and(eq(liveCard.sessionId, sessionId), eq(liveCard.clusterId, id))).returning({ id: liveCard.id });
  await db.delete(liveGroup).where(eq(liveGroup.id, id));
  return cards.map((card) => card.id);
}

// Cards -----------------------------------------------------------------------------------------

export async function insertLiveCard(db: Database, values: typeof liveCard.$inferInsert): Promise<LiveCardRow> {
  const [row] = await db.insert(liveCard).values(values).returning();
  return row!;
}

export async function findLiveCard(db: Database, sessionId: string, id: string): Promise<LiveCardRow | undefined> {
  const [row] = await db.select().from(liveCard).where(and(eq(liveCard.sessionId, sessionId), eq(liveCard.id, id)));
  return row;
}

/** A participant of this session and the card they sent with this clientId, if any, in one statement. */
export async function findLiveParticipantWithCard(
  db: Database,
  sessionId: string,
  participantId: string,
  clientId: string,
): Promise<{ participant: LiveParticipantRow; card: LiveCardRow | null } | undefined> {
  const [row] = await db
    .select({ participant: liveParticipant, card: liveCard })
    .from(liveParticipant)
    .leftJoin(liveCard, and(eq(liveCard.participantId, liveParticipant.id), eq(liveCard.clientId, clientId)))
    .where(and(eq(liveParticipant.sessionId, sessionId), eq(liveParticipant.id, participantId)));
  return row;
}

export async function listLiveCards(db: Database, sessionId: string): Promise<LiveCardRow[]> {
  return db.select().from(liveCard).where(eq(liveCard.sessionId, sessionId)).orderBy(asc(liveCard.createdAt), asc(liveCard.id));
}

export async function countLiveCards(db: Database, sessionId: string): Promise<number> {
  const [row] = await db.select({ value: count() }).from(liveCard).where(eq(liveCard.sessionId, sessionId));
  return row?.value ?? 0;
}

/** A session's cards, and those of one participant since `since`, in one query (the card post's two limits). */
export async function countLiveCardsOfSessionAndParticipant(db: Database, sessionId: string, participantId: string, since: Date): Promise<{ session: number; participant: number }> {
  const [row] = await db
    .select({
      session: count(),
      participant: sql<number>`count(*) filter (where ${liveCard.participantId} = ${participantId} and ${liveCard.createdAt} > ${since.toISOString()}::timestamptz)`.mapWith(Number),
    })
    .from(liveCard)
    .where(eq(liveCard.sessionId, sessionId));
  return { session: row?.session ?? 0, participant: row?.participant ?? 0 };
}

export async function updateLiveCard(db: Database, id: string, values: Partial<typeof liveCard.$inferInsert>): Promise<LiveCardRow> {
  const [row] = await db.update(liveCard).set(values).where(eq(liveCard.id, id)).returning();
  // An edited text replaces the old one in the kept events too: a stream resumed from an early id
  // (?after=0) must not bring back what the Moderation took out of the card (a name, an insult).
  if (values.text !== undefined) {
    await db
      .update(liveEvent)
      .set({ payload: sql`jsonb_set(${liveEvent.payload}, '{card,text}', to_jsonb(${values.text}::text))` })
      .where(and(eq(liveEvent.sessionId, row!.sessionId), inArray(liveEvent.type, ['card-added', 'card-changed']), sql`${liveEvent.payload}->'card'->>'id' = ${id}`));
  }
  return row!;
}

/** Which of these cards are hidden now. */
export async function hiddenLiveCardIds(db: Database, sessionId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: liveCard.id })
    .from(liveCard)
    .where(and(eq(liveCard.sessionId, sessionId), inArray(liveCard.id, [...ids]), eq(liveCard.hidden, true)));
  return new Set(rows.map((row) => row.id));
}

/** Cards merged into `id` follow it into its new target (so no chain is left behind). */
export async function repointMergedCards(db: Database, sessionId: string, from: string, to: string): Promise<void> {
  await db.update(liveCard).set({ mergedIntoId: to }).where(and(eq(liveCard.sessionId, sessionId), eq(liveCard.mergedIntoId, from)));
}

// Points ----------------------------------------------------------------------------------------

/** Points per card (all participants not removed). */
export async function voteTotals(db: Database, sessionId: string, cardIds?: readonly string[]): Promise<Map<string, number>> {
  const rows = await db
    .select({ cardId: liveVote.cardId, total: sql<number>`sum(${liveVote.count})`.mapWith(Number) })
    .from(liveVote)
    .where(and(eq(liveVote.sessionId, sessionId), cardIds ? inArray(liveVote.cardId, [...cardIds]) : undefined))
    .groupBy(liveVote.cardId);
  return new Map(rows.map((row) => [row.cardId, row.total]));
}

/** The most points one person holds in a session, in all and on one card (0 without points). */
export async function voteMaxima(db: Database, sessionId: string): Promise<{ mostInAll: number; mostOnOneCard: number }> {
  const result = (await db.execute(sql`
    select coalesce(max(total), 0) as most_in_all, coalesce(max(most), 0) as most_on_one_card
    from (select sum(count) as total, max(count) as most from live_vote where session_id = ${sessionId} group by participant_id) as per_person`)) as unknown as {
    rows: { most_in_all: number | string; most_on_one_card: number | string }[];
  };
  const row = result.rows[0];
  return { mostInAll: Number(row?.most_in_all ?? 0), mostOnOneCard: Number(row?.most_on_one_card ?? 0) };
}

export async function votesOf(db: Database, participantId: string): Promise<Map<string, number>> {
  const rows = await db.select({ cardId: liveVote.cardId, count: liveVote.count }).from(liveVote).where(eq(liveVote.participantId, participantId));
  return new Map(rows.map((row) => [row.cardId, row.count]));
}

export async function setVote(db: Database, values: { sessionId: string; participantId: string; cardId: string; count: number }): Promise<void> {
  if (values.count === 0) {
    await db.delete(liveVote).where(and(eq(liveVote.participantId, values.participantId), eq(liveVote.cardId, values.cardId)));
    return;
  }
  await db
    .insert(liveVote)
    .values(values)
    .onConflictDoUpdate({ target: [liveVote.participantId, liveVote.cardId], set: { count: values.count } });
}

/** Withdraws every point on a card (it is no longer a Handlungsbedarf). */
export async function deleteVotesOnCard(db: Database, cardId: string): Promise<void> {
  await db.delete(liveVote).where(eq(liveVote.cardId, cardId));
}

/** Withdraws a participant's points; returns the cards that had some. */
export async function deleteVotesOf(db: Database, participantId: string): Promise<string[]> {
  const rows = await db.delete(liveVote).where(eq(liveVote.participantId, participantId)).returning({ cardId: liveVote.cardId });
  return rows.map((row) => row.cardId);
}

/**
 * Moves the points on `from` to `to`. A person with points on both keeps at most `maxPerCard` on the
 * target; what is above goes back to them (they may give it again).
 */
export async function moveVotes(db: Database, sessionId: string, from: string, to: string, maxPerCard: number): Promise<void> {
  await db.execute(sql`
    insert into live_vote (session_id, participant_id, card_id, count)
    select session_id, participant_id, ${to}, least(count, ${maxPerCard}) from live_vote where session_id = ${sessionId} and card_id = ${from}
    on conflict (participant_id, card_id) do update set count = least(live_vote.count + excluded.count, ${maxPerCard})`);
  await db.delete(liveVote).where(and(eq(liveVote.sessionId, sessionId), eq(liveVote.cardId, from)));
}

// Rate hits -------------------------------------------------------------------------------------

/** Forgets the key's hits before `since` and counts those after it, in one statement. */
export async function pruneAndCountRateHits(db: Database, key: string, since: Date): Promise<number> {
  // A data-modifying WITH runs to completion even though the count does not read it.
  const result = (await db.execute(sql`
    with pruned as (delete from live_rate_hit where key = ${key} and at < ${since.toISOString()}::timestamptz)
    select count(*)::int as value from live_rate_hit where key = ${key} and at > ${since.toISOString()}::timestamptz`)) as unknown as { rows: { value: number }[] };
  return Number(result.rows[0]?.value ?? 0);
}

export async function recordRateHit(db: Database, key: string, at: Date): Promise<void> {
  await db.insert(liveRateHit).values({ key, at });
}

/** Records a hit if fewer than `limit` were recorded since `since`, in one statement; false when over it. */
export async function recordRateHitWithin(db: Database, key: string, at: Date, since: Date, limit: number): Promise<boolean> {
  const result = (await db.execute(sql`
    insert into live_rate_hit (key, at)
    select ${key}, ${at.toISOString()}::timestamptz
    where (select count(*) from live_rate_hit where key = ${key} and at > ${since.toISOString()}::timestamptz) < ${limit}
    returning 1 as recorded`)) as unknown as { rows: unknown[] };
  return result.rows.length > 0;
}

/** Forgets the hits outside every window (the key, a hash of an address, is kept no longer). */
export async function pruneRateHits(db: Database, before: Date, key?: string): Promise<void> {
  await db.delete(liveRateHit).where(and(lt(liveRateHit.at, before), key ? eq(liveRateHit.key, key) : undefined));
}

