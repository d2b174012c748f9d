CREATE TABLE "round_note" (
	"id" text PRIMARY KEY NOT NULL,
	"round_id" text NOT NULL,
	"kommune_id" text NOT NULL,
	"kind" text NOT NULL,
	"subject_key" text NOT NULL,
	"author_id" text,
	"author_name" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"edited_at" timestamp with time zone,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "round_thread" (
	"round_id" text NOT NULL,
	"kind" text NOT NULL,
	"subject_key" text NOT NULL,
	"settled_at" timestamp with time zone NOT NULL,
	"settled_by_id" text,
	"settled_by_name" text NOT NULL,
	CONSTRAINT "round_thread_round_id_kind_subject_key_pk" PRIMARY KEY("round_id","kind","subject_key")
);
--> statement-breakpoint
ALTER TABLE "round_note" ADD CONSTRAINT "round_note_round_id_round_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."round"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_note" ADD CONSTRAINT "round_note_kommune_id_kommune_id_fk" FOREIGN KEY ("kommune_id") REFERENCES "public"."kommune"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_note" ADD CONSTRAINT "round_note_author_id_user_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_thread" ADD CONSTRAINT "round_thread_round_id_round_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."round"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_thread" ADD CONSTRAINT "round_thread_settled_by_id_user_id_fk" FOREIGN KEY ("settled_by_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "round_note_subject_idx" ON "round_note" USING btree ("round_id","kind","subject_key","created_at");--> statement-breakpoint
CREATE INDEX "round_note_author_idx" ON "round_note" USING btree ("author_id","created_at");