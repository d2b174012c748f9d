CREATE TABLE "kommune_import" (
	"id" text PRIMARY KEY NOT NULL,
	"kommune_id" text,
	"started_by" text,
	"created_kommune" boolean NOT NULL,
	"status" text NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"total" integer NOT NULL,
	"created_user_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"message" text,
	"result" jsonb,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "kommune" ADD COLUMN "import_job_id" text;--> statement-breakpoint
ALTER TABLE "kommune" ADD COLUMN "imported_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "kommune_import" ADD CONSTRAINT "kommune_import_kommune_id_kommune_id_fk" FOREIGN KEY ("kommune_id") REFERENCES "public"."kommune"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "kommune_import_one_running" ON "kommune_import" USING btree ("kommune_id") WHERE status = 'running';--> statement-breakpoint
CREATE INDEX "kommune_import_started_by_idx" ON "kommune_import" USING btree ("started_by","started_at");