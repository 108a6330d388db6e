DROP INDEX `conversations_status`;--> statement-breakpoint
CREATE INDEX `conversations_assignee` ON `conversations` (`assignee_id`,`status`,`waiting_since`,`id`);--> statement-breakpoint
CREATE INDEX `conversations_status` ON `conversations` (`status`,`waiting_since`,`id`);