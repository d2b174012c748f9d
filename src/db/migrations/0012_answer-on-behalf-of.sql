ALTER TABLE "answer" ADD COLUMN "on_behalf_of" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "answer" DROP CONSTRAINT "answer_round_id_question_key_user_id_pk";--> statement-breakpoint
ALTER TABLE "answer" ADD CONSTRAINT "answer_round_id_question_key_user_id_on_behalf_of_pk" PRIMARY KEY("round_id","question_key","user_id","on_behalf_of");
