ALTER TABLE `drafts` ADD `status` text DEFAULT 'ready' NOT NULL;--> statement-breakpoint
ALTER TABLE `drafts` ADD `status_reason` text;--> statement-breakpoint
ALTER TABLE `drafts` ADD `source_ids` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `drafts` ADD `ungrounded` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `drafts` ADD `needs_check` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `drafts` ADD `needs_check_reason` text;--> statement-breakpoint
ALTER TABLE `drafts` ADD `input_tokens` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `drafts` ADD `output_tokens` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `drafts` ADD `cache_write_tokens` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `drafts` ADD `cache_read_tokens` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `drafts` ADD `outcome` text;--> statement-breakpoint
ALTER TABLE `drafts` ADD `edit_permille` integer;--> statement-breakpoint
ALTER TABLE `drafts` ADD `outcome_agent_id` text;--> statement-breakpoint
ALTER TABLE `drafts` ADD `outcome_at` integer;--> statement-breakpoint
CREATE INDEX `drafts_created` ON `drafts` (`created_at`);