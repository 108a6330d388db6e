CREATE TABLE "agent_routing" (
	"agent_id" text PRIMARY KEY NOT NULL,
	"capacity" integer NOT NULL,
	"status" text NOT NULL,
	"last_seen_at" bigint,
	"last_assigned_at" bigint
);
--> statement-breakpoint
CREATE TABLE "routing_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"match" text NOT NULL,
	"channel" text,
	"team_id" text NOT NULL,
	"priority" text,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "team_members" (
	"team_id" text NOT NULL,
	"agent_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"auto_assign" integer NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "teams_name_unique" UNIQUE("name")
);
--> statement-breakpoint
DROP INDEX "conversations_assignee";--> statement-breakpoint
ALTER TABLE "agent_routing" ADD CONSTRAINT "agent_routing_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "team_members_pair" ON "team_members" USING btree ("team_id","agent_id");--> statement-breakpoint
CREATE INDEX "team_members_agent" ON "team_members" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "conversations_queue" ON "conversations" USING btree ("status","priority","waiting_since","id");--> statement-breakpoint
CREATE INDEX "conversations_team_queue" ON "conversations" USING btree ("team","status","priority","waiting_since","id");--> statement-breakpoint
CREATE INDEX "conversations_assignee" ON "conversations" USING btree ("assignee_id","status","priority","waiting_since","id");