CREATE TABLE `conversation_facts` (
	`conversation_id` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`team` text,
	`agent_id` text,
	`attributed_at` integer,
	`opened_at` integer NOT NULL,
	`handed_off_at` integer,
	`first_response_at` integer,
	`first_response_ms` integer,
	`resolved_at` integer,
	`resolution_ms` integer,
	`csat_score` integer,
	`sla_breaches` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `conversation_facts_opened` ON `conversation_facts` (`opened_at`);--> statement-breakpoint
CREATE INDEX `conversation_facts_resolved` ON `conversation_facts` (`resolved_at`);