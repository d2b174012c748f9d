CREATE TABLE "resident_exclusion" (
	"id" text PRIMARY KEY NOT NULL,
	"survey_id" text NOT NULL,
	"from_at" timestamp with time zone NOT NULL,
	"to_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resident_open_answer" (
	"id" text PRIMARY KEY NOT NULL,
	"response_id" text NOT NULL,
	"survey_id" text NOT NULL,
	"question_index" integer NOT NULL,
	"text" text NOT NULL,
	"review" text DEFAULT 'offen' NOT NULL,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "resident_response" (
	"id" text PRIMARY KEY NOT NULL,
	"survey_id" text NOT NULL,
	"language" text NOT NULL,
	"answers" jsonb NOT NULL,
	"groups" jsonb NOT NULL,
	"device_hash" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"excluded_by" text
);
--> statement-breakpoint
CREATE TABLE "resident_survey" (
	"id" text PRIMARY KEY NOT NULL,
	"kommune_id" text NOT NULL,
	"round_id" text NOT NULL,
	"token" text NOT NULL,
	"set_version" text NOT NULL,
	"settings" jsonb NOT NULL,
	"status" text DEFAULT 'entwurf' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "resident_survey_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "survey_text" (
	"set_version" text NOT NULL,
	"language" text NOT NULL,
	"key" text NOT NULL,
	"text" text NOT NULL,
	"reviewed_at" timestamp with time zone,
	"reviewed_by" text,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_text_set_version_language_key_pk" PRIMARY KEY("set_version","language","key")
);
--> statement-breakpoint
ALTER TABLE "resident_exclusion" ADD CONSTRAINT "resident_exclusion_survey_id_resident_survey_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."resident_survey"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_exclusion" ADD CONSTRAINT "resident_exclusion_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_open_answer" ADD CONSTRAINT "resident_open_answer_response_id_resident_response_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."resident_response"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_open_answer" ADD CONSTRAINT "resident_open_answer_survey_id_resident_survey_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."resident_survey"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_open_answer" ADD CONSTRAINT "resident_open_answer_reviewed_by_user_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_response" ADD CONSTRAINT "resident_response_survey_id_resident_survey_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."resident_survey"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_response" ADD CONSTRAINT "resident_response_excluded_by_resident_exclusion_id_fk" FOREIGN KEY ("excluded_by") REFERENCES "public"."resident_exclusion"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_survey" ADD CONSTRAINT "resident_survey_kommune_id_kommune_id_fk" FOREIGN KEY ("kommune_id") REFERENCES "public"."kommune"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_survey" ADD CONSTRAINT "resident_survey_round_id_round_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."round"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_survey" ADD CONSTRAINT "resident_survey_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_text" ADD CONSTRAINT "survey_text_reviewed_by_user_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_text" ADD CONSTRAINT "survey_text_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "resident_open_answer_survey_idx" ON "resident_open_answer" USING btree ("survey_id","question_index");--> statement-breakpoint
CREATE UNIQUE INDEX "resident_response_device_idx" ON "resident_response" USING btree ("survey_id","device_hash");--> statement-breakpoint
CREATE INDEX "resident_response_survey_idx" ON "resident_response" USING btree ("survey_id","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "resident_survey_round_idx" ON "resident_survey" USING btree ("round_id");--> statement-breakpoint
CREATE INDEX "resident_survey_kommune_idx" ON "resident_survey" USING btree ("kommune_id");