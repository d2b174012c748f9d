-- Catalog 1.1 separates „offen“ (no answer: rating NULL) from „keine Einschätzung möglich“ (a rating
-- without value), and the level now follows the percentage rounded half up. Stored results were written
-- under the old rules (NULL meant both), so they are removed here; the start-up stores them again for
-- every closed round (storeMissingRoundResults).
DELETE FROM "round_criterion_result";--> statement-breakpoint
DELETE FROM "round_result";
