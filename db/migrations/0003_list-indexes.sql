DROP INDEX "videos_course_created_idx";--> statement-breakpoint
DROP INDEX "videos_lesson_created_idx";--> statement-breakpoint
CREATE INDEX "videos_uploaded_by_created_idx" ON "videos" USING btree ("uploaded_by","created_at");--> statement-breakpoint
CREATE INDEX "videos_course_created_idx" ON "videos" USING btree ("course_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "videos"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "videos_lesson_created_idx" ON "videos" USING btree ("lesson_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "videos"."deleted_at" is null;