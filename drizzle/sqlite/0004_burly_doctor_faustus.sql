CREATE TABLE `agent_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`label` text,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`agent_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agent_tokens_token_hash_unique` ON `agent_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `agent_tokens_agent` ON `agent_tokens` (`agent_id`,`id`);--> statement-breakpoint
CREATE TABLE `audit` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`actor_id` text NOT NULL,
	`action` text NOT NULL,
	`subject_id` text,
	`detail` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_at` ON `audit` (`at`,`id`);--> statement-breakpoint
CREATE INDEX `audit_actor` ON `audit` (`actor_id`,`at`,`id`);--> statement-breakpoint
-- Each agent's one token becomes its first row in agent_tokens (its id is the agent's).
INSERT INTO `agent_tokens` (`id`, `agent_id`, `token_hash`, `label`, `created_at`) SELECT `id`, `id`, `token_hash`, 'migrated', `created_at` FROM `agents`;--> statement-breakpoint
DROP INDEX `agents_token_hash_unique`;--> statement-breakpoint
ALTER TABLE `agents` DROP COLUMN `token_hash`;--> statement-breakpoint
ALTER TABLE `conversations` ADD `redacted_at` integer;--> statement-breakpoint
CREATE INDEX `conversations_retention` ON `conversations` (`status`,`redacted_at`,`updated_at`);--> statement-breakpoint
CREATE INDEX `conversations_customer` ON `conversations` (`customer_id`,`id`);--> statement-breakpoint
ALTER TABLE `customers` ADD `erased_at` integer;