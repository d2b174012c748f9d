ALTER TABLE "kommune" ADD COLUMN "designation" text;--> statement-breakpoint
-- Names were entered with their kind („Landkreis Beispielkreis“), and the report, which puts the
-- designation before the name, doubled it. Names are stored without it now: a name that begins with
-- its kind loses that word; one that begins with another designation of its kind („Hansestadt Rostock“
-- of kind Stadt) keeps that word as its designation. „Markt“ and „Flecken“ begin real names
-- („Markt Indersdorf“) and stay. Slugs do not change, so links keep working.
UPDATE "kommune" AS k
  SET "designation" = CASE WHEN d."word" = k."kind" THEN k."designation" ELSE d."word" END,
      "name" = regexp_replace(k."name", '^' || d."word" || '\s+', '')
  FROM (VALUES
    ('Stadt', 'Stadt'), ('Stadt', 'Hansestadt'), ('Stadt', 'Landeshauptstadt'), ('Stadt', 'Kreisstadt'),
    ('Stadt', 'Große Kreisstadt'), ('Stadt', 'Universitätsstadt'), ('Stadt', 'Bezirk'),
    ('Landkreis', 'Landkreis'), ('Landkreis', 'Kreis'), ('Landkreis', 'Region'),
    ('Gemeinde', 'Gemeinde'), ('Gemeinde', 'Ortsgemeinde'),
    ('Verbandsgemeinde', 'Verbandsgemeinde'), ('Samtgemeinde', 'Samtgemeinde'), ('Amt', 'Amt')
  ) AS d("kind", "word")
  WHERE k."kind" = d."kind"
    AND k."name" ~ ('^' || d."word" || '\s+\S')
    AND char_length(regexp_replace(k."name", '^' || d."word" || '\s+', '')) >= 2;
