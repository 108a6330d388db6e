CREATE TABLE "agent_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"agent_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"label" text,
	"created_at" bigint NOT NULL,
	"expires_at" bigint,
	"last_used_at" bigint,
	"revoked_at" bigint,
	CONSTRAINT "agent_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "audit" (
	"id" text PRIMARY KEY NOT NULL,
	"at" bigint NOT NULL,
	"actor_id" text NOT NULL,
	"action" text NOT NULL,
	"subject_id" text,
	"detail" text NOT NULL
);
--> statement-breakpoint
-- Each agent's one token becomes its first row in agent_tokens (its id is the agent's).
INSERT INTO "agent_tokens" ("id", "agent_id", "token_hash", "label", "created_at") SELECT "id", "id", "token_hash", 'migrated', "created_at" FROM "agents";--> statement-breakpoint
ALTER TABLE "agents" DROP CONSTRAINT "agents_token_hash_unique";--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "redacted_at" bigint;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "erased_at" bigint;--> statement-breakpoint
ALTER TABLE "agent_tokens" ADD CONSTRAINT "agent_tokens_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_tokens_agent" ON "agent_tokens" USING btree ("agent_id","id");--> statement-breakpoint
CREATE INDEX "audit_at" ON "audit" USING btree ("at","id");--> statement-breakpoint
CREATE INDEX "audit_actor" ON "audit" USING btree ("actor_id","at","id");--> statement-breakpoint
CREATE INDEX "conversations_retention" ON "conversations" USING btree ("status","redacted_at","updated_at");--> statement-breakpoint
CREATE INDEX "conversations_customer" ON "conversations" USING btree ("customer_id","id");--> statement-breakpoint
ALTER TABLE "agents" DROP COLUMN "token_hash";