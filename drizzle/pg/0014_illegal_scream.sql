CREATE TABLE "conversation_facts" (
	"conversation_id" text PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"team" text,
	"agent_id" text,
	"attributed_at" bigint,
	"opened_at" bigint NOT NULL,
	"handed_off_at" bigint,
	"first_response_at" bigint,
	"first_response_ms" bigint,
	"resolved_at" bigint,
	"resolution_ms" bigint,
	"csat_score" integer,
	"sla_breaches" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "conversation_facts_opened" ON "conversation_facts" USING btree ("opened_at");--> statement-breakpoint
CREATE INDEX "conversation_facts_resolved" ON "conversation_facts" USING btree ("resolved_at");