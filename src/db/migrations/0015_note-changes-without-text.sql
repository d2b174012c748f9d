-- Notes are logged without their text (issue 14, security review): a person who deletes her note
-- means it, and an edit that removed a phone number leaves no copy of it. Entries logged before keep
-- who, when and which question or criterion, and say only what happened, as new entries do
-- (domain/round-change.ts, withoutNoteText): written (no before), deleted, or edited.
UPDATE "round_change"
  SET "after" = CASE
        WHEN jsonb_typeof("after") = 'object' AND "after"->>'status' IN ('written', 'edited', 'deleted') THEN jsonb_build_object('status', "after"->>'status')
        WHEN "before" IS NULL OR jsonb_typeof("before") <> 'object' THEN '{"status":"written"}'::jsonb
        ELSE '{"status":"edited"}'::jsonb
      END,
      "before" = NULL
  WHERE "kind" IN ('question-note', 'criterion-note');
