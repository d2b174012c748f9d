CREATE TABLE "answer" (
	"round_id" text NOT NULL,
	"question_key" text NOT NULL,
	"user_id" text NOT NULL,
	"value" text,
	"comment" text DEFAULT '' NOT NULL,
	"evidence" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "answer_round_id_question_key_user_id_pk" PRIMARY KEY("round_id","question_key","user_id")
);
--> statement-breakpoint
CREATE TABLE "criterion_rating" (
	"round_id" text NOT NULL,
	"criterion_key" text NOT NULL,
	"rating" text,
	"reason" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "criterion_rating_round_id_criterion_key_pk" PRIMARY KEY("round_id","criterion_key")
);
--> statement-breakpoint
CREATE TABLE "round" (
	"id" text PRIMARY KEY NOT NULL,
	"kommune_id" text NOT NULL,
	"number" integer NOT NULL,
	"catalog_version_id" text NOT NULL,
	"status" text NOT NULL,
	"worked_field_keys" text[] NOT NULL,
	"period_start" text,
	"period_end" text,
	"participants" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "round_change" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"round_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"changed_by" text,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
ALTER TABLE "answer" ADD CONSTRAINT "answer_round_id_round_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."round"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer" ADD CONSTRAINT "answer_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "criterion_rating" ADD CONSTRAINT "criterion_rating_round_id_round_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."round"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "criterion_rating" ADD CONSTRAINT "criterion_rating_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round" ADD CONSTRAINT "round_kommune_id_kommune_id_fk" FOREIGN KEY ("kommune_id") REFERENCES "public"."kommune"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round" ADD CONSTRAINT "round_catalog_version_id_catalog_version_id_fk" FOREIGN KEY ("catalog_version_id") REFERENCES "public"."catalog_version"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round" ADD CONSTRAINT "round_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_change" ADD CONSTRAINT "round_change_round_id_round_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."round"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_change" ADD CONSTRAINT "round_change_changed_by_user_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "round_number_unique" ON "round" USING btree ("kommune_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "round_one_open" ON "round" USING btree ("kommune_id") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "round_change_round_idx" ON "round_change" USING btree ("round_id","id");