CREATE TABLE "live_card" (
	"id" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"participant_id" text,
	"client_id" text,
	"field_key" text NOT NULL,
	"question_index" integer NOT NULL,
	"text" text NOT NULL,
	"author_name" text,
	"hidden" boolean DEFAULT false NOT NULL,
	"cluster_id" text,
	"merged_into_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_event" (
	"session_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"audience" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "live_event_session_id_seq_pk" PRIMARY KEY("session_id","seq")
);
--> statement-breakpoint
CREATE TABLE "live_group" (
	"id" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"field_key" text NOT NULL,
	"question_index" integer NOT NULL,
	"heading" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_participant" (
	"id" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"display_name" text,
	"name_consent" boolean DEFAULT false NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	"left_at" timestamp with time zone,
	CONSTRAINT "live_participant_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "live_rate_hit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_session" (
	"id" text PRIMARY KEY NOT NULL,
	"kommune_id" text NOT NULL,
	"workshop_id" text NOT NULL,
	"round_number" integer,
	"code" text NOT NULL,
	"field_keys" text[] NOT NULL,
	"questions" jsonb NOT NULL,
	"phase" text DEFAULT 'ergebnisse' NOT NULL,
	"status" text DEFAULT 'offen' NOT NULL,
	"locked" boolean DEFAULT false NOT NULL,
	"voting_open" boolean DEFAULT false NOT NULL,
	"votes_per_participant" integer NOT NULL,
	"max_votes_per_card" integer NOT NULL,
	"retention_days" integer NOT NULL,
	"last_event_seq" bigint DEFAULT 0 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "live_vote" (
	"session_id" text NOT NULL,
	"participant_id" text NOT NULL,
	"card_id" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "live_vote_participant_id_card_id_pk" PRIMARY KEY("participant_id","card_id")
);
--> statement-breakpoint
ALTER TABLE "live_card" ADD CONSTRAINT "live_card_session_id_live_session_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_session"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_card" ADD CONSTRAINT "live_card_participant_id_live_participant_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."live_participant"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_card" ADD CONSTRAINT "live_card_cluster_id_live_group_id_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."live_group"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_event" ADD CONSTRAINT "live_event_session_id_live_session_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_session"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_group" ADD CONSTRAINT "live_group_session_id_live_session_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_session"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_participant" ADD CONSTRAINT "live_participant_session_id_live_session_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_session"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_session" ADD CONSTRAINT "live_session_kommune_id_kommune_id_fk" FOREIGN KEY ("kommune_id") REFERENCES "public"."kommune"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_session" ADD CONSTRAINT "live_session_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_vote" ADD CONSTRAINT "live_vote_session_id_live_session_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_session"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_vote" ADD CONSTRAINT "live_vote_participant_id_live_participant_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."live_participant"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_vote" ADD CONSTRAINT "live_vote_card_id_live_card_id_fk" FOREIGN KEY ("card_id") REFERENCES "public"."live_card"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "live_card_client_idx" ON "live_card" USING btree ("participant_id","client_id");--> statement-breakpoint
CREATE INDEX "live_card_session_idx" ON "live_card" USING btree ("session_id","created_at");--> statement-breakpoint
CREATE INDEX "live_card_participant_idx" ON "live_card" USING btree ("participant_id","created_at");--> statement-breakpoint
CREATE INDEX "live_group_session_idx" ON "live_group" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "live_participant_session_idx" ON "live_participant" USING btree ("session_id","joined_at");--> statement-breakpoint
CREATE INDEX "live_rate_hit_key_idx" ON "live_rate_hit" USING btree ("key","at");--> statement-breakpoint
CREATE UNIQUE INDEX "live_session_open_code_idx" ON "live_session" USING btree ("code") WHERE "live_session"."status" = 'offen';--> statement-breakpoint
CREATE UNIQUE INDEX "live_session_open_workshop_idx" ON "live_session" USING btree ("kommune_id","workshop_id") WHERE "live_session"."status" = 'offen';--> statement-breakpoint
CREATE INDEX "live_session_kommune_idx" ON "live_session" USING btree ("kommune_id","created_at");--> statement-breakpoint
CREATE INDEX "live_vote_card_idx" ON "live_vote" USING btree ("session_id","card_id");