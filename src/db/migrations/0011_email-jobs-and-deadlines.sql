CREATE TABLE "email_job" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"kommune_id" text,
	"recipient" text NOT NULL,
	"payload" jsonb NOT NULL,
	"dedupe_key" text,
	"due_at" timestamp with time zone NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"error" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_job_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
ALTER TABLE "round" ADD COLUMN "deadline" text;--> statement-breakpoint
ALTER TABLE "round" ADD COLUMN "reminder_days_before" integer;--> statement-breakpoint
ALTER TABLE "email_job" ADD CONSTRAINT "email_job_kommune_id_kommune_id_fk" FOREIGN KEY ("kommune_id") REFERENCES "public"."kommune"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_job" ADD CONSTRAINT "email_job_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "email_job_due_idx" ON "email_job" USING btree ("state","due_at");--> statement-breakpoint
CREATE INDEX "email_job_kommune_idx" ON "email_job" USING btree ("kommune_id","created_at");