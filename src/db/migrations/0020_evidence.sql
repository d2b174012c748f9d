CREATE TABLE "evidence_chunk" (
	"version_id" text NOT NULL,
	"index" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "evidence_chunk_version_id_index_pk" PRIMARY KEY("version_id","index")
);
--> statement-breakpoint
CREATE TABLE "evidence_document" (
	"id" text PRIMARY KEY NOT NULL,
	"kommune_id" text NOT NULL,
	"title" text NOT NULL,
	"document_date" date,
	"released_for_readers" boolean DEFAULT false NOT NULL,
	"current_version" integer,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_by" text
);
--> statement-breakpoint
CREATE TABLE "evidence_link" (
	"document_id" text NOT NULL,
	"round_id" text NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evidence_link_document_id_round_id_kind_key_pk" PRIMARY KEY("document_id","round_id","kind","key")
);
--> statement-breakpoint
CREATE TABLE "evidence_version" (
	"id" text PRIMARY KEY NOT NULL,
	"document_id" text NOT NULL,
	"kommune_id" text NOT NULL,
	"number" integer,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text,
	"state" text DEFAULT 'staged' NOT NULL,
	"received" bigint DEFAULT 0 NOT NULL,
	"uploaded_by" text,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "evidence_chunk" ADD CONSTRAINT "evidence_chunk_version_id_evidence_version_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."evidence_version"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_document" ADD CONSTRAINT "evidence_document_kommune_id_kommune_id_fk" FOREIGN KEY ("kommune_id") REFERENCES "public"."kommune"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_document" ADD CONSTRAINT "evidence_document_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_document" ADD CONSTRAINT "evidence_document_deleted_by_user_id_fk" FOREIGN KEY ("deleted_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_link" ADD CONSTRAINT "evidence_link_document_id_evidence_document_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."evidence_document"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_link" ADD CONSTRAINT "evidence_link_round_id_round_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."round"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_link" ADD CONSTRAINT "evidence_link_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_version" ADD CONSTRAINT "evidence_version_document_id_evidence_document_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."evidence_document"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_version" ADD CONSTRAINT "evidence_version_kommune_id_kommune_id_fk" FOREIGN KEY ("kommune_id") REFERENCES "public"."kommune"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_version" ADD CONSTRAINT "evidence_version_uploaded_by_user_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evidence_document_kommune_idx" ON "evidence_document" USING btree ("kommune_id");--> statement-breakpoint
CREATE INDEX "evidence_link_round_idx" ON "evidence_link" USING btree ("round_id","kind","key");--> statement-breakpoint
CREATE UNIQUE INDEX "evidence_version_number_idx" ON "evidence_version" USING btree ("document_id","number");--> statement-breakpoint
CREATE INDEX "evidence_version_kommune_idx" ON "evidence_version" USING btree ("kommune_id");--> statement-breakpoint
CREATE INDEX "evidence_version_staged_idx" ON "evidence_version" USING btree ("state","uploaded_at");