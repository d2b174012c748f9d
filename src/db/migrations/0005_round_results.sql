CREATE TABLE "round_criterion_result" (
	"round_id" text NOT NULL,
	"criterion_key" text NOT NULL,
	"rating" text,
	CONSTRAINT "round_criterion_result_round_id_criterion_key_pk" PRIMARY KEY("round_id","criterion_key")
);
--> statement-breakpoint
CREATE TABLE "round_result" (
	"round_id" text PRIMARY KEY NOT NULL,
	"kommune_id" text NOT NULL,
	"catalog_version_id" text NOT NULL,
	"overall_score" double precision,
	"level_index" integer,
	"field_scores" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "round_criterion_result" ADD CONSTRAINT "round_criterion_result_round_id_round_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."round"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_result" ADD CONSTRAINT "round_result_round_id_round_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."round"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_result" ADD CONSTRAINT "round_result_kommune_id_kommune_id_fk" FOREIGN KEY ("kommune_id") REFERENCES "public"."kommune"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "round_criterion_result_criterion_idx" ON "round_criterion_result" USING btree ("criterion_key","rating");--> statement-breakpoint
CREATE INDEX "round_result_kommune_idx" ON "round_result" USING btree ("kommune_id");