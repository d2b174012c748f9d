CREATE TABLE "kommune_document" (
	"kommune_id" text NOT NULL,
	"kind" text NOT NULL,
	"content" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "kommune_document_kommune_id_kind_pk" PRIMARY KEY("kommune_id","kind")
);
--> statement-breakpoint
-- Keep every stored Ausgangslage: it becomes the document of kind 'profile'.
INSERT INTO "kommune_document" ("kommune_id", "kind", "content", "version", "updated_at", "updated_by")
SELECT "kommune_id", 'profile', "content", "version", "updated_at", "updated_by" FROM "kommune_profile";--> statement-breakpoint
DROP TABLE "kommune_profile" CASCADE;--> statement-breakpoint
ALTER TABLE "kommune_document" ADD CONSTRAINT "kommune_document_kommune_id_kommune_id_fk" FOREIGN KEY ("kommune_id") REFERENCES "public"."kommune"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kommune_document" ADD CONSTRAINT "kommune_document_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;