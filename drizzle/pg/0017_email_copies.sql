CREATE TABLE "email_copies" (
	"message_id" text PRIMARY KEY NOT NULL,
	"conversation_id" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer NOT NULL,
	"next_attempt_at" bigint NOT NULL,
	"lease_until" bigint,
	"lease_owner" text,
	"last_error" text,
	"external_id" text,
	"created_at" bigint NOT NULL,
	"sent_at" bigint
);
--> statement-breakpoint
ALTER TABLE "email_copies" ADD CONSTRAINT "email_copies_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "email_copies_due" ON "email_copies" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "email_copies_conversation" ON "email_copies" USING btree ("conversation_id","status");