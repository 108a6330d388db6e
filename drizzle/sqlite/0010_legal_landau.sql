CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `conversations` ADD `sla_started_at` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `first_responded_at` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `first_response_breached_at` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `resolution_breached_at` integer;--> statement-breakpoint
CREATE INDEX `conversations_sla` ON `conversations` (`status`,`sla_started_at`,`id`);--> statement-breakpoint
CREATE INDEX `conversations_first_response` ON `conversations` (`first_responded_at`);