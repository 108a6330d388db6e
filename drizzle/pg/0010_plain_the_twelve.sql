CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" bigint NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "sla_started_at" bigint;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "first_responded_at" bigint;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "first_response_breached_at" bigint;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "resolution_breached_at" bigint;--> statement-breakpoint
CREATE INDEX "conversations_sla" ON "conversations" USING btree ("status","sla_started_at","id");--> statement-breakpoint
CREATE INDEX "conversations_first_response" ON "conversations" USING btree ("first_responded_at");