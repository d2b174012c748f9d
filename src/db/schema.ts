import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  customType,
  date,
  doublePrecision,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

// ── better-auth's tables (names of the JS keys are what its drizzle adapter expects) ──────────────
export const user = pgTable('user', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const session = pgTable(
  'session',
  {
    id: text('id').primaryKey(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    token: text('token').notNull().unique(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
  },
  (table) => [index('session_user_idx').on(table.userId)],
);

export const account = pgTable(
  'account',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true }),
    refreshTokenExpiresAt: timestamp('refresh_token_expires_at', { withTimezone: true }),
    scope: text('scope'),
    password: text('password'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  // One credential per person: two accepts at the same moment cannot both set a first password.
  // One directory account (OpenID Connect `sub`) per person: two first sign-ins at once with two
  // directory accounts of the same e-mail cannot both be linked (server/wiring/auth.ts).
  (table) => [
    index('account_user_idx').on(table.userId),
    uniqueIndex('account_provider_account_unique').on(table.providerId, table.accountId),
    uniqueIndex('account_one_oidc_per_user').on(table.userId).where(sql`${table.providerId} = 'oidc'`),
  ],
);

export const verification = pgTable('verification', {
  id: text('id').primaryKey(),
  identifier: text('identifier').notNull(),
  value: text('value').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

// ── Weltoffen ─────────────────────────────────────────────────────────────────────────────────────
export const kommune = pgTable('kommune', {
  id: text('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  /** How the report calls it („Hansestadt“, „Kreis“): one of the kind's designations; null is the kind itself. */
  designation: text('designation'),
  gemeindeschluessel: text('gemeindeschluessel'),
  bundesland: text('bundesland').notNull(),
  modules: integer('modules').array().notNull().default(sql`'{1}'::integer[]`),
  archivedAt: timestamp('archived_at', { withTimezone: true }),
  /** The bundle import writing into this Kommune; while set, the Kommune is neither listed nor usable. */
  importJobId: text('import_job_id'),
  /** When a bundle was imported into this Kommune: a Kommune takes at most one import. */
  importedAt: timestamp('imported_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * A bundle import, written in chunks so the server stays responsive: its progress for the person
 * who started it, and what to remove if the process dies half-way (kept in the database, since
 * several processes may serve one PostgreSQL).
 */
export const kommuneImport = pgTable(
  'kommune_import',
  {
    id: text('id').primaryKey(),
    kommuneId: text('kommune_id').references(() => kommune.id, { onDelete: 'set null' }),
    /** Who started it (no foreign key: the CLI imports as the operator, who has no account). */
    startedBy: text('started_by'),
    /** Whether the import created the Kommune (a failed one then removes it) or fills an existing one. */
    createdKommune: boolean('created_kommune').notNull(),
    /** running → done | failed */
    status: text('status').notNull(),
    done: integer('done').notNull().default(0),
    total: integer('total').notNull(),
    /** People the import created; a failed import removes those nothing else refers to. */
    createdUserIds: text('created_user_ids').array().notNull().default(sql`'{}'::text[]`),
    message: text('message'),
    result: jsonb('result'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    /** Renewed with every chunk; an import whose heartbeat is old died with its process. */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [
    // One running import per Kommune: a second one at the same moment fails here.
    uniqueIndex('kommune_import_one_running').on(table.kommuneId).where(sql`status = 'running'`),
    index('kommune_import_started_by_idx').on(table.startedBy, table.startedAt),
  ],
);

/** People of the programme (Programmteam, Prozessbegleitung); one programme per installation. */
export const programmeMember = pgTable('programme_member', {
  userId: text('user_id')
    .primaryKey()
    .references(() => user.id, { onDelete: 'cascade' }),
  role: text('role').notNull(),
  createdAt: createdAt(),
});

/** Kommunen assigned to a Prozessbegleitung. */
export const processAssignment = pgTable(
  'process_assignment',
  {
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    kommuneId: text('kommune_id')
      .notNull()
      .references(() => kommune.id, { onDelete: 'cascade' }),
  },
  (table) => [primaryKey({ columns: [table.userId, table.kommuneId] })],
);

export const kommuneMember = pgTable(
  'kommune_member',
  {
    kommuneId: text('kommune_id')
      .notNull()
      .references(() => kommune.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    fieldKeys: text('field_keys').array(),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.kommuneId, table.userId] }), index('kommune_member_user_idx').on(table.userId)],
);

export const invitation = pgTable(
  'invitation',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    email: text('email').notNull(),
    role: text('role').notNull(),
    kommuneId: text('kommune_id').references(() => kommune.id, { onDelete: 'cascade' }),
    fieldKeys: text('field_keys').array(),
    assignedKommuneIds: text('assigned_kommune_ids').array(),
    invitedBy: text('invited_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedBy: text('accepted_by').references(() => user.id, { onDelete: 'set null' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /**
     * invitation | set-password. A set-password link (a reminder's personal link for a member
     * without a password) only sets the password while the membership exists; it never grants a role.
     */
    purpose: text('purpose').notNull().default('invitation'),
  },
  (table) => [index('invitation_kommune_idx').on(table.kommuneId)],
);

/** One-time links that create the first account of an installation. */
export const setupToken = pgTable('setup_token', {
  tokenHash: text('token_hash').primaryKey(),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
});

/** Immutable catalog versions as loaded from catalog/*.json. */
export const catalogVersion = pgTable(
  'catalog_version',
  {
    id: text('id').primaryKey(),
    catalogId: text('catalog_id').notNull(),
    version: text('version').notNull(),
    title: text('title').notNull(),
    content: jsonb('content').notNull(),
    contentHash: text('content_hash').notNull(),
    loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('catalog_version_unique').on(table.catalogId, table.version)],
);

export const auditEvent = pgTable(
  'audit_event',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorUserId: text('actor_user_id'),
    action: text('action').notNull(),
    kommuneId: text('kommune_id'),
    details: jsonb('details').notNull().default({}),
  },
  (table) => [index('audit_event_kommune_idx').on(table.kommuneId, table.at)],
);

/** Sign-in attempts, kept in the database so that the limit holds across processes. */
export const loginAttempt = pgTable(
  'login_attempt',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    key: text('key').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    succeeded: boolean('succeeded').notNull(),
  },
  (table) => [index('login_attempt_key_idx').on(table.key, table.at)],
);

/** Texts the operator configures: Impressum, Datenschutz, contact for accessibility feedback. */
export const siteText = pgTable('site_text', {
  key: text('key').primaryKey(),
  body: text('body').notNull(),
  updatedAt: updatedAt(),
  updatedBy: text('updated_by').references(() => user.id, { onDelete: 'set null' }),
});

/** Values an installation generates once and every process shares, such as the session secret. */
export const instanceSetting = pgTable('instance_setting', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});

/**
 * Work that only one may run at a time across every server process (a person's report): held by a
 * row until its holder releases it, or until it expires when the holder's process died.
 */
export const workLease = pgTable('work_lease', {
  key: text('key').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

// ── Selbstcheck ───────────────────────────────────────────────────────────────────────────────────
/** A Selbstcheck round of a Kommune on one catalog version; one open round per Kommune at a time. */
export const round = pgTable(
  'round',
  {
    id: text('id').primaryKey(),
    kommuneId: text('kommune_id')
      .notNull()
      .references(() => kommune.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    catalogVersionId: text('catalog_version_id')
      .notNull()
      .references(() => catalogVersion.id),
    status: text('status').notNull(),
    workedFieldKeys: text('worked_field_keys').array().notNull(),
    periodStart: text('period_start'),
    periodEnd: text('period_end'),
    // 'day' or 'month' (domain/round.ts): whether reports show the period's dates or only its months.
    periodPrecision: text('period_precision').notNull().default('day'),
    participants: text('participants').notNull().default(''),
    /** The day answers should be in (YYYY-MM-DD), shown to everyone of the round; null: none. */
    deadline: text('deadline'),
    /** Days before the deadline the server reminds those with open questions by itself; null: off. */
    reminderDaysBefore: integer('reminder_days_before'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('round_number_unique').on(table.kommuneId, table.number),
    uniqueIndex('round_one_open').on(table.kommuneId).where(sql`status = 'open'`),
  ],
);

/** One person's answer to one guiding question in a round. `version` guards against lost updates. */
export const answer = pgTable(
  'answer',
  {
    roundId: text('round_id')
      .notNull()
      .references(() => round.id, { onDelete: 'cascade' }),
    questionKey: text('question_key').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    value: text('value'),
    comment: text('comment').notNull().default(''),
    evidence: text('evidence').notNull().default(''),
    /**
     * A returned paper questionnaire entered by the Koordination (`userId`) for a named department
     * („Sozialamt“); '' for a person's own answer. Part of the key: the Koordination keeps her own
     * answer and one per department, and each department counts as a respondent of its own.
     */
    onBehalfOf: text('on_behalf_of').notNull().default(''),
    version: integer('version').notNull().default(1),
    updatedAt: updatedAt(),
  },
  (table) => [primaryKey({ columns: [table.roundId, table.questionKey, table.userId, table.onBehalfOf] })],
);

/** The consolidated rating of a criterion, set by the Koordination. */
export const criterionRating = pgTable(
  'criterion_rating',
  {
    roundId: text('round_id')
      .notNull()
      .references(() => round.id, { onDelete: 'cascade' }),
    criterionKey: text('criterion_key').notNull(),
    rating: text('rating'),
    reason: text('reason').notNull().default(''),
    version: integer('version').notNull().default(1),
    updatedAt: updatedAt(),
    updatedBy: text('updated_by').references(() => user.id, { onDelete: 'set null' }),
  },
  (table) => [primaryKey({ columns: [table.roundId, table.criterionKey] })],
);

/** Who changed which answer, rating or round setting, when, from what to what. */
export const roundChange = pgTable(
  'round_change',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    roundId: text('round_id')
      .notNull()
      .references(() => round.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    changedBy: text('changed_by').references(() => user.id, { onDelete: 'set null' }),
    kind: text('kind').notNull(),
    subject: text('subject').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (table) => [index('round_change_round_idx').on(table.roundId, table.id)],
);

/**
 * A note in the discussion of a question or a criterion of a round (domain/discussion.ts). The
 * author's name is kept as written, so a thread stays readable after an account is deleted; a
 * deleted note keeps its place with an empty body.
 */
export const roundNote = pgTable(
  'round_note',
  {
    id: text('id').primaryKey(),
    roundId: text('round_id')
      .notNull()
      .references(() => round.id, { onDelete: 'cascade' }),
    /** The round's Kommune, so every read can be checked against the tenant without a join. */
    kommuneId: text('kommune_id')
      .notNull()
      .references(() => kommune.id, { onDelete: 'cascade' }),
    /** 'question' | 'criterion' */
    kind: text('kind').notNull(),
    /** The question's or criterion's key in the round's catalog version („1.2.3“, „1.2“). */
    subjectKey: text('subject_key').notNull(),
    authorId: text('author_id').references(() => user.id, { onDelete: 'set null' }),
    authorName: text('author_name').notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (table) => [index('round_note_subject_idx').on(table.roundId, table.kind, table.subjectKey, table.createdAt), index('round_note_author_idx').on(table.authorId, table.createdAt)],
);

/** Whether the discussion of a question or criterion is settled, by whom and when; no row: open. */
export const roundThread = pgTable(
  'round_thread',
  {
    roundId: text('round_id')
      .notNull()
      .references(() => round.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    subjectKey: text('subject_key').notNull(),
    settledAt: timestamp('settled_at', { withTimezone: true }).notNull(),
    settledById: text('settled_by_id').references(() => user.id, { onDelete: 'set null' }),
    settledByName: text('settled_by_name').notNull(),
  },
  (table) => [primaryKey({ columns: [table.roundId, table.kind, table.subjectKey] })],
);

// ── Prozess ───────────────────────────────────────────────────────────────────────────────────────
/**
 * Process documents of a Kommune, one versioned JSON document per kind (Ausgangslage, Auftaktgespräch,
 * …), each validated by its schema in src/domain.
 */
export const kommuneDocument = pgTable(
  'kommune_document',
  {
    kommuneId: text('kommune_id')
      .notNull()
      .references(() => kommune.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    content: jsonb('content').notNull(),
    version: integer('version').notNull().default(1),
    updatedAt: updatedAt(),
    updatedBy: text('updated_by').references(() => user.id, { onDelete: 'set null' }),
  },
  (table) => [primaryKey({ columns: [table.kommuneId, table.kind] })],
);

/** Offers of Modul 3 for decision makers, kept by the Programmteam. */
export const programmeOffer = pgTable('programme_offer', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  format: text('format').notNull().default(''),
  topics: text('topics').array().notNull().default(sql`'{}'::text[]`),
  date: text('date'),
  description: text('description').notNull().default(''),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

// ── Programme overview ────────────────────────────────────────────────────────────────────────────
/**
 * The results of a closed round as scored when it was closed: what the programme overview, the peer
 * comparison and the exports read, so they never score thousands of rounds on the fly.
 */
export const roundResult = pgTable(
  'round_result',
  {
    roundId: text('round_id')
      .primaryKey()
      .references(() => round.id, { onDelete: 'cascade' }),
    kommuneId: text('kommune_id')
      .notNull()
      .references(() => kommune.id, { onDelete: 'cascade' }),
    catalogVersionId: text('catalog_version_id').notNull(),
    overallScore: doublePrecision('overall_score'),
    levelIndex: integer('level_index'),
    /** Handlungsfeld key → score 0–100 (null: not worked or no rating). */
    fieldScores: jsonb('field_scores').notNull(),
    computedAt: createdAt(),
  },
  (table) => [index('round_result_kommune_idx').on(table.kommuneId)],
);

/** Each criterion's rating in a closed round (the consolidated one where set, else the derived one). */
export const roundCriterionResult = pgTable(
  'round_criterion_result',
  {
    roundId: text('round_id')
      .notNull()
      .references(() => round.id, { onDelete: 'cascade' }),
    criterionKey: text('criterion_key').notNull(),
    rating: text('rating'),
  },
  (table) => [primaryKey({ columns: [table.roundId, table.criterionKey] }), index('round_criterion_result_criterion_idx').on(table.criterionKey, table.rating)],
);

// ── E-mail ────────────────────────────────────────────────────────────────────────────────────────
/**
 * Every e-mail the server sends by itself (reminders, notifications): queued here and sent by a loop
 * in the server, which claims due jobs with FOR UPDATE SKIP LOCKED, so that several processes on one
 * PostgreSQL never send one twice; the rows are also the Kommune's „E-Mail-Protokoll“.
 */
export const emailJob = pgTable(
  'email_job',
  {
    id: text('id').primaryKey(),
    /** reminder | round-closed | results-available | measure-review (domain/email.ts) */
    kind: text('kind').notNull(),
    kommuneId: text('kommune_id').references(() => kommune.id, { onDelete: 'cascade' }),
    recipient: text('recipient').notNull(),
    /** The rendered mail: subject, text, html. */
    payload: jsonb('payload').notNull(),
    /** Set where one event must give one mail only (an automatic reminder per round and person). */
    dedupeKey: text('dedupe_key').unique(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    /** pending → sending → sent | not-sent (no SMTP) | failed (retries used up, or interrupted while sending) */
    state: text('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** While sending: when a process that died while sending is given up on. */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    error: text('error'),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (table) => [index('email_job_due_idx').on(table.state, table.dueAt), index('email_job_kommune_idx').on(table.kommuneId, table.createdAt)],
);

// ── Live-Sitzung (issue 16) ───────────────────────────────────────────────────────────────────────
/**
 * The live session of a workshop (domain/live-session.ts): participants without an account post cards
 * and give points; every change is an event row (live_event) with the session's next sequence number,
 * which the streams of every server process read after a NOTIFY on the channel weltoffen_live.
 */
export const liveSession = pgTable(
  'live_session',
  {
    id: text('id').primaryKey(),
    kommuneId: text('kommune_id')
      .notNull()
      .references(() => kommune.id, { onDelete: 'cascade' }),
    /** The workshop's id inside the Kommune's workshops document. */
    workshopId: text('workshop_id').notNull(),
    roundNumber: integer('round_number'),
    /** 10 characters of domain/live-session.ts's alphabet; unique among open sessions. */
    code: text('code').notNull(),
    fieldKeys: text('field_keys').array().notNull(),
    /** The three guiding questions. */
    questions: jsonb('questions').$type<[string, string, string]>().notNull(),
    phase: text('phase').notNull().default('ergebnisse'),
    /** offen | beendet */
    status: text('status').notNull().default('offen'),
    locked: boolean('locked').notNull().default(false),
    votingOpen: boolean('voting_open').notNull().default(false),
    votesPerParticipant: integer('votes_per_participant').notNull(),
    maxVotesPerCard: integer('max_votes_per_card').notNull(),
    retentionDays: integer('retention_days').notNull(),
    /** The sequence number of the session's last event; the next event gets this + 1 under the row lock. */
    lastEventSeq: bigint('last_event_seq', { mode: 'number' }).notNull().default(0),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    /** The last change of any kind (the clean-up closes a session idle for 30 days). */
    updatedAt: updatedAt(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('live_session_open_code_idx').on(table.code).where(sql`${table.status} = 'offen'`),
    uniqueIndex('live_session_open_workshop_idx').on(table.kommuneId, table.workshopId).where(sql`${table.status} = 'offen'`),
    index('live_session_kommune_idx').on(table.kommuneId, table.createdAt),
  ],
);

/** A person in a live session: known only by the hash of the random token in the wo_live cookie. */
export const liveParticipant = pgTable(
  'live_participant',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => liveSession.id, { onDelete: 'cascade' }),
    /** SHA-256 of the cookie's token (hex). */
    tokenHash: text('token_hash').notNull().unique(),
    displayName: text('display_name'),
    /** Whether the person agreed that the name appears in the export. */
    nameConsent: boolean('name_consent').notNull().default(false),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
    /** Removed by the Moderation: the cookie stops working, the points are withdrawn. */
    removedAt: timestamp('removed_at', { withTimezone: true }),
    /** Left by the person (the cookie was cleared). */
    leftAt: timestamp('left_at', { withTimezone: true }),
  },
  (table) => [index('live_participant_session_idx').on(table.sessionId, table.joinedAt)],
);

/** A group of cards under a heading (the UI's „Gruppe“). */
export const liveGroup = pgTable(
  'live_group',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => liveSession.id, { onDelete: 'cascade' }),
    fieldKey: text('field_key').notNull(),
    questionIndex: integer('question_index').notNull(),
    heading: text('heading').notNull(),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
  },
  (table) => [index('live_group_session_idx').on(table.sessionId)],
);

/** A card; participant_id null: added by the Moderation. */
export const liveCard = pgTable(
  'live_card',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => liveSession.id, { onDelete: 'cascade' }),
    participantId: text('participant_id').references(() => liveParticipant.id, { onDelete: 'set null' }),
    /** Made on the phone: posting the same one twice returns the first card. */
    clientId: text('client_id'),
    fieldKey: text('field_key').notNull(),
    questionIndex: integer('question_index').notNull(),
    text: text('text').notNull(),
    /** The display name at posting time, or null. */
    authorName: text('author_name'),
    hidden: boolean('hidden').notNull().default(false),
    clusterId: text('cluster_id').references(() => liveGroup.id, { onDelete: 'set null' }),
    mergedIntoId: text('merged_into_id'),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('live_card_client_idx').on(table.participantId, table.clientId),
    index('live_card_session_idx').on(table.sessionId, table.createdAt),
    index('live_card_participant_idx').on(table.participantId, table.createdAt),
  ],
);

/** A participant's points on one card (a row only while count > 0). */
export const liveVote = pgTable(
  'live_vote',
  {
    sessionId: text('session_id')
      .notNull()
      .references(() => liveSession.id, { onDelete: 'cascade' }),
    participantId: text('participant_id')
      .notNull()
      .references(() => liveParticipant.id, { onDelete: 'cascade' }),
    cardId: text('card_id')
      .notNull()
      .references(() => liveCard.id, { onDelete: 'cascade' }),
    count: integer('count').notNull(),
  },
  (table) => [primaryKey({ columns: [table.participantId, table.cardId] }), index('live_vote_card_idx').on(table.sessionId, table.cardId)],
);

/** The session's changes in order: what every stream sends (audience all | moderation). */
export const liveEvent = pgTable(
  'live_event',
  {
    sessionId: text('session_id')
      .notNull()
      .references(() => liveSession.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    audience: text('audience').notNull(),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.sessionId, table.seq] })],
);

/**
 * Hits counted against the live session's limits (joins per address, point changes per participant),
 * kept only for the limit's window: the key holds a hash of the address, never the address.
 */
export const liveRateHit = pgTable(
  'live_rate_hit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    key: text('key').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('live_rate_hit_key_idx').on(table.key, table.at)],
);

/**
 * The texts of the Außensicht's statement set per language (issue 17, decision 022): seeded from
 * `catalog/aussensicht-<version>/<language>.json`, edited and reviewed by the Programmteam. A row
 * never edited in the app (`updatedBy` null) follows its file at every start; an edited one stays.
 * A language is offered to residents only when every text is present and reviewed.
 */
export const surveyText = pgTable(
  'survey_text',
  {
    setVersion: text('set_version').notNull(),
    language: text('language').notNull(),
    key: text('key').notNull(),
    text: text('text').notNull(),
    /** Set when reviewed; null while a draft (also after any edit). */
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewedBy: text('reviewed_by').references(() => user.id, { onDelete: 'set null' }),
    /** Null while the text is the shipped file's. */
    updatedBy: text('updated_by').references(() => user.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
  },
  (table) => [primaryKey({ columns: [table.setVersion, table.language, table.key] })],
);

/** A Kommune's resident survey (Außensicht), tied to a round of its Selbstcheck. */
export const residentSurvey = pgTable(
  'resident_survey',
  {
    id: text('id').primaryKey(),
    kommuneId: text('kommune_id')
      .notNull()
      .references(() => kommune.id, { onDelete: 'cascade' }),
    roundId: text('round_id')
      .notNull()
      .references(() => round.id, { onDelete: 'cascade' }),
    /** The random part of the public link (`/umfrage/<token>`); unguessable, unique. */
    token: text('token').notNull().unique(),
    setVersion: text('set_version').notNull(),
    /** `SurveySettings` of domain/resident-survey-results.ts, checked on every write and read. */
    settings: jsonb('settings').notNull(),
    /** entwurf | veroeffentlicht */
    status: text('status').notNull().default('entwurf'),
    version: integer('version').notNull().default(1),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (table) => [uniqueIndex('resident_survey_round_idx').on(table.roundId), index('resident_survey_kommune_idx').on(table.kommuneId)],
);

/**
 * One resident's answers. No name, address or IP: only the hash of the one-time device token (one
 * response per device and survey) and the minute it arrived (to exclude a burst).
 */
export const residentResponse = pgTable(
  'resident_response',
  {
    id: text('id').primaryKey(),
    surveyId: text('survey_id')
      .notNull()
      .references(() => residentSurvey.id, { onDelete: 'cascade' }),
    language: text('language').notNull(),
    answers: jsonb('answers').$type<Record<string, string>>().notNull(),
    groups: jsonb('groups').$type<Record<string, string>>().notNull(),
    /** SHA-256 (hex) of the device token the page handed out. */
    deviceHash: text('device_hash').notNull(),
    /** Arrival, cut to the minute. */
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    excludedBy: text('excluded_by').references(() => residentExclusion.id, { onDelete: 'set null' }),
  },
  (table) => [uniqueIndex('resident_response_device_idx').on(table.surveyId, table.deviceHash), index('resident_response_survey_idx').on(table.surveyId, table.receivedAt)],
);

/** An answer to one of the survey's open questions; shown only after the Koordination released it. */
export const residentOpenAnswer = pgTable(
  'resident_open_answer',
  {
    id: text('id').primaryKey(),
    responseId: text('response_id')
      .notNull()
      .references(() => residentResponse.id, { onDelete: 'cascade' }),
    surveyId: text('survey_id')
      .notNull()
      .references(() => residentSurvey.id, { onDelete: 'cascade' }),
    questionIndex: integer('question_index').notNull(),
    text: text('text').notNull(),
    /** offen | freigegeben | verworfen */
    review: text('review').notNull().default('offen'),
    reviewedBy: text('reviewed_by').references(() => user.id, { onDelete: 'set null' }),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
  },
  (table) => [index('resident_open_answer_survey_idx').on(table.surveyId, table.questionIndex)],
);

/** Responses of a time window the Koordination left out of the results (a suspicious burst), with the logged reason. */
export const residentExclusion = pgTable('resident_exclusion', {
  id: text('id').primaryKey(),
  surveyId: text('survey_id')
    .notNull()
    .references(() => residentSurvey.id, { onDelete: 'cascade' }),
  fromAt: timestamp('from_at', { withTimezone: true }).notNull(),
  toAt: timestamp('to_at', { withTimezone: true }).notNull(),
  reason: text('reason').notNull(),
  createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
});

// ── Belege (issue 18, decision 023): files stored in the database in chunks ───────────────────────

/**
 * Bytes as PostgreSQL `bytea`. drizzle has no column for it: PGlite hands back a Uint8Array, pg a
 * Buffer (a Uint8Array too); both take a Buffer.
 */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)),
  fromDriver: (value) => value,
});

/**
 * A Beleg of a Kommune: title and date of the document, its versions below. Visible once a version
 * is ready (`current_version` set); a deletion keeps the row (title, who, when) for the log, while
 * its versions, bytes and links are removed.
 */
export const evidenceDocument = pgTable(
  'evidence_document',
  {
    id: text('id').primaryKey(),
    kommuneId: text('kommune_id')
      .notNull()
      .references(() => kommune.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    /** The date the document carries (a council decision's day), not the upload's. */
    documentDate: date('document_date', { mode: 'string' }),
    /** Lesende see the document only once the Koordination released it. */
    releasedForReaders: boolean('released_for_readers').notNull().default(false),
    /** Number of the newest ready version; null while the first upload is still staged. */
    currentVersion: integer('current_version'),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    deletedBy: text('deleted_by').references(() => user.id, { onDelete: 'set null' }),
  },
  (table) => [index('evidence_document_kommune_idx').on(table.kommuneId)],
);

/**
 * One uploaded file of a document. `staged` while its bytes arrive (`received` = bytes stored so
 * far; invisible, swept after 24 hours), `ready` once checked; the number is given when it becomes
 * ready, so abandoned uploads leave no gap.
 */
export const evidenceVersion = pgTable(
  'evidence_version',
  {
    id: text('id').primaryKey(),
    documentId: text('document_id')
      .notNull()
      .references(() => evidenceDocument.id, { onDelete: 'cascade' }),
    kommuneId: text('kommune_id')
      .notNull()
      .references(() => kommune.id, { onDelete: 'cascade' }),
    number: integer('number'),
    /** As sanitised by domain/evidence-file.ts once ready; the name the browser gave while staged. */
    fileName: text('file_name').notNull(),
    /** By content once ready; the claimed one while staged. */
    mediaType: text('media_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    /** Hex SHA-256 of the bytes; null while staged. */
    sha256: text('sha256'),
    /** staged | ready */
    state: text('state').notNull().default('staged'),
    received: bigint('received', { mode: 'number' }).notNull().default(0),
    uploadedBy: text('uploaded_by').references(() => user.id, { onDelete: 'set null' }),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('evidence_version_number_idx').on(table.documentId, table.number),
    index('evidence_version_kommune_idx').on(table.kommuneId),
    index('evidence_version_staged_idx').on(table.state, table.uploadedAt),
  ],
);

/**
 * The bytes of a version in pieces of 256 KiB: piece `index` holds bytes from index × 256 KiB on,
 * so a file is streamed in and out one piece at a time and a range is found without reading others.
 */
export const evidenceChunk = pgTable(
  'evidence_chunk',
  {
    versionId: text('version_id')
      .notNull()
      .references(() => evidenceVersion.id, { onDelete: 'cascade' }),
    index: integer('index').notNull(),
    data: bytea('data').notNull(),
  },
  (table) => [primaryKey({ columns: [table.versionId, table.index] })],
);

/** A document backs a question's answer or a criterion of a round. */
export const evidenceLink = pgTable(
  'evidence_link',
  {
    documentId: text('document_id')
      .notNull()
      .references(() => evidenceDocument.id, { onDelete: 'cascade' }),
    roundId: text('round_id')
      .notNull()
      .references(() => round.id, { onDelete: 'cascade' }),
    /** question | criterion */
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.documentId, table.roundId, table.kind, table.key] }), index('evidence_link_round_idx').on(table.roundId, table.kind, table.key)],
);
