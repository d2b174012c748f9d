-- Two accepts of invitations at the same moment could give one person two password entries; keep the
-- oldest of each (provider, account) pair, then let a unique index refuse a second one.
DELETE FROM "account" AS a USING "account" AS b
  WHERE a."provider_id" = b."provider_id" AND a."account_id" = b."account_id"
    AND (a."created_at", a."id") > (b."created_at", b."id");--> statement-breakpoint
CREATE UNIQUE INDEX "account_provider_account_unique" ON "account" USING btree ("provider_id","account_id");
