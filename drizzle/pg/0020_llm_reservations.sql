CREATE TABLE "llm_reservations" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"cost" double precision NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "llm_reservations_created" ON "llm_reservations" USING btree ("created_at");