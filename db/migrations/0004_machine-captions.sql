ALTER TABLE "videos" ADD COLUMN "transcription_status" varchar(16);--> statement-breakpoint
ALTER TABLE "videos" ADD COLUMN "transcription_error" text;--> statement-breakpoint
ALTER TABLE "videos" ADD COLUMN "transcription_updated_at" timestamp with time zone;