DROP INDEX "conversations_status";--> statement-breakpoint
CREATE INDEX "conversations_assignee" ON "conversations" USING btree ("assignee_id","status","waiting_since","id");--> statement-breakpoint
CREATE INDEX "conversations_status" ON "conversations" USING btree ("status","waiting_since","id");