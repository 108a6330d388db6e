CREATE TABLE `faq_suggestions` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`message_id` text,
	`entry_id` text,
	`new_entry` integer NOT NULL,
	`locale` text NOT NULL,
	`question` text NOT NULL,
	`answer` text,
	`source` text NOT NULL,
	`created_by` text NOT NULL,
	`status` text NOT NULL,
	`decided_by` text,
	`decided_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `faq_suggestions_status` ON `faq_suggestions` (`status`,`created_at`);