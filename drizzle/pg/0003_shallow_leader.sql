CREATE TABLE "faq_suggestions" (
	"id" text PRIMARY KEY NOT NULL,
	"conversation_id" text NOT NULL,
	"message_id" text,
	"entry_id" text,
	"new_entry" integer NOT NULL,
	"locale" text NOT NULL,
	"question" text NOT NULL,
	"answer" text,
	"source" text NOT NULL,
	"created_by" text NOT NULL,
	"status" text NOT NULL,
	"decided_by" text,
	"decided_at" bigint,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "faq_suggestions" ADD CONSTRAINT "faq_suggestions_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "faq_suggestions_status" ON "faq_suggestions" USING btree ("status","created_at");