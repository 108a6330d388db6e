CREATE TABLE `customer_merges` (
	`id` text PRIMARY KEY NOT NULL,
	`merge_id` text NOT NULL,
	`into_id` text NOT NULL,
	`from_id` text NOT NULL,
	`identity_id` text,
	`conversation_ids` text NOT NULL,
	`by` text NOT NULL,
	`at` integer NOT NULL,
	`split_at` integer,
	FOREIGN KEY (`into_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`from_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `customer_merges_identity` ON `customer_merges` (`identity_id`,`split_at`);--> statement-breakpoint
CREATE TABLE `search_documents` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`kind` text NOT NULL,
	`conversation_id` text,
	`customer_id` text,
	`body` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_documents_id` ON `search_documents` (`id`);--> statement-breakpoint
ALTER TABLE `customers` ADD `notes` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `merged_into` text;