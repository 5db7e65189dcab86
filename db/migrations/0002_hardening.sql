CREATE TABLE "sign_in_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
DROP INDEX "videos_course_created_idx";--> statement-breakpoint
DROP INDEX "videos_lesson_created_idx";--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "videos" ADD COLUMN "upload_activity_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "videos" ADD COLUMN "media_revision" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "videos" ADD COLUMN "processing_revision" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "videos" ADD COLUMN "superseded_purge_after" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "sign_in_throttle_window_started_at_idx" ON "sign_in_throttle" USING btree ("window_started_at");--> statement-breakpoint
CREATE INDEX "sessions_user_id_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "videos_uploaded_by_created_idx" ON "videos" USING btree ("uploaded_by","created_at");--> statement-breakpoint
CREATE INDEX "videos_upload_activity_idx" ON "videos" USING btree ("upload_activity_at") WHERE "videos"."status" = 'uploading';--> statement-breakpoint
CREATE INDEX "videos_superseded_purge_idx" ON "videos" USING btree ("superseded_purge_after") WHERE "videos"."superseded_purge_after" is not null;--> statement-breakpoint
CREATE INDEX "videos_course_created_idx" ON "videos" USING btree ("course_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "videos"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "videos_lesson_created_idx" ON "videos" USING btree ("lesson_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "videos"."deleted_at" is null;