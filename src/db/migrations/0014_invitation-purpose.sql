ALTER TABLE "invitation" ADD COLUMN "purpose" text DEFAULT 'invitation' NOT NULL;--> statement-breakpoint
-- Reminder links made before this migration: no inviter, still open. They become set-password links (fail-closed: they only set a password while the membership exists).
UPDATE "invitation" SET "purpose" = 'set-password' WHERE "invited_by" IS NULL AND "kommune_id" IS NOT NULL AND "accepted_at" IS NULL AND "revoked_at" IS NULL;
