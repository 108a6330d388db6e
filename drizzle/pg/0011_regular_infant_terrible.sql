CREATE TABLE "customer_merges" (
	"id" text PRIMARY KEY NOT NULL,
	"merge_id" text NOT NULL,
	"into_id" text NOT NULL,
	"from_id" text NOT NULL,
	"identity_id" text,
	"conversation_ids" text NOT NULL,
	"by" text NOT NULL,
	"at" bigint NOT NULL,
	"split_at" bigint
);
--> statement-breakpoint
CREATE TABLE "search_documents" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"kind" text NOT NULL,
	"conversation_id" text,
	"customer_id" text,
	"body" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "notes" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "merged_into" text;--> statement-breakpoint
ALTER TABLE "customer_merges" ADD CONSTRAINT "customer_merges_into_id_customers_id_fk" FOREIGN KEY ("into_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_merges" ADD CONSTRAINT "customer_merges_from_id_customers_id_fk" FOREIGN KEY ("from_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_merges_identity" ON "customer_merges" USING btree ("identity_id","split_at");--> statement-breakpoint
CREATE UNIQUE INDEX "search_documents_id" ON "search_documents" USING btree ("id");