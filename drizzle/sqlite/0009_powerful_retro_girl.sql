CREATE TABLE `agent_routing` (
	`agent_id` text PRIMARY KEY NOT NULL,
	`capacity` integer NOT NULL,
	`status` text NOT NULL,
	`last_seen_at` integer,
	`last_assigned_at` integer,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `routing_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`match` text NOT NULL,
	`channel` text,
	`team_id` text NOT NULL,
	`priority` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `team_members` (
	`team_id` text NOT NULL,
	`agent_id` text NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `team_members_pair` ON `team_members` (`team_id`,`agent_id`);--> statement-breakpoint
CREATE INDEX `team_members_agent` ON `team_members` (`agent_id`);--> statement-breakpoint
CREATE TABLE `teams` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`auto_assign` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `teams_name_unique` ON `teams` (`name`);--> statement-breakpoint
DROP INDEX `conversations_assignee`;--> statement-breakpoint
CREATE INDEX `conversations_queue` ON `conversations` (`status`,`priority`,`waiting_since`,`id`);--> statement-breakpoint
CREATE INDEX `conversations_team_queue` ON `conversations` (`team`,`status`,`priority`,`waiting_since`,`id`);--> statement-breakpoint
CREATE INDEX `conversations_assignee` ON `conversations` (`assignee_id`,`status`,`priority`,`waiting_since`,`id`);