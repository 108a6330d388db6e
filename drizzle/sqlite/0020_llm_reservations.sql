CREATE TABLE `llm_reservations` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`cost` real NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `llm_reservations_created` ON `llm_reservations` (`created_at`);