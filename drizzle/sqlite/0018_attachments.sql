CREATE TABLE `attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`message_id` text,
	`customer_id` text,
	`owner` text,
	`sha256` text NOT NULL,
	`size` integer NOT NULL,
	`mime` text NOT NULL,
	`name` text NOT NULL,
	`inline` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `attachments_message` ON `attachments` (`message_id`);--> statement-breakpoint
CREATE INDEX `attachments_customer` ON `attachments` (`customer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `attachments_owner` ON `attachments` (`owner`,`created_at`);--> statement-breakpoint
CREATE INDEX `attachments_sha256` ON `attachments` (`sha256`);