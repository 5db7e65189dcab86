ALTER TABLE "videos" ADD COLUMN "processing_progress_percent" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "videos" ADD COLUMN "processing_stage" varchar(32);--> statement-breakpoint
ALTER TABLE "videos" ADD COLUMN "processing_attempt" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "videos" ADD COLUMN "processing_job_id" uuid;--> statement-breakpoint
ALTER TABLE "videos" ADD COLUMN "processing_heartbeat_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "videos" ADD COLUMN "purged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "videos" ADD CONSTRAINT "videos_processing_progress_check" CHECK ("videos"."processing_progress_percent" between 0 and 100);