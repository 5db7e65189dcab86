ALTER TABLE "videos" ADD COLUMN "upload_activity_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "videos" ADD COLUMN "media_revision" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "videos" ADD COLUMN "processing_revision" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "videos_upload_activity_idx" ON "videos" USING btree ("upload_activity_at") WHERE "videos"."status" = 'uploading';