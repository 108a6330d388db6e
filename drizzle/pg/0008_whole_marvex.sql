ALTER TABLE "conversations" ADD COLUMN "priority" text DEFAULT 'normal' NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "tier" text DEFAULT 'standard' NOT NULL;