ALTER TABLE `conversations` ADD `priority` text DEFAULT 'normal' NOT NULL;--> statement-breakpoint
ALTER TABLE `customers` ADD `tier` text DEFAULT 'standard' NOT NULL;