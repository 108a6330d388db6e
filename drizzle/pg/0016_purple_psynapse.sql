ALTER TABLE "drafts" ADD COLUMN "status" text DEFAULT 'ready' NOT NULL;--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "status_reason" text;--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "source_ids" text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "ungrounded" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "needs_check" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "needs_check_reason" text;--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "input_tokens" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "output_tokens" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "cache_write_tokens" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "cache_read_tokens" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "outcome" text;--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "edit_permille" integer;--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "outcome_agent_id" text;--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "outcome_at" bigint;--> statement-breakpoint
CREATE INDEX "drafts_created" ON "drafts" USING btree ("created_at");