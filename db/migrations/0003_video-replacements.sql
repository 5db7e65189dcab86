CREATE TABLE "video_replacements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"video_id" uuid NOT NULL,
	"requested_by" uuid,
	"original_filename" varchar(255) NOT NULL,
	"storage_key" varchar(1024) NOT NULL,
	"file_size_bytes" bigint NOT NULL,
	"mime_type" varchar(100) NOT NULL,
	"upload_id" text NOT NULL,
	"part_size" bigint NOT NULL,
	"upload_parts_total" integer NOT NULL,
	"status" varchar(16) DEFAULT 'uploading' NOT NULL,
	"error" text,
	"upload_activity_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"uploaded_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "video_replacements_storage_key_unique" UNIQUE("storage_key"),
	CONSTRAINT "video_replacements_status_check" CHECK ("video_replacements"."status" in ('uploading', 'uploaded', 'published', 'failed', 'aborted')),
	CONSTRAINT "video_replacements_file_size_check" CHECK ("video_replacements"."file_size_bytes" > 0)
);
--> statement-breakpoint
ALTER TABLE "video_replacements" ADD CONSTRAINT "video_replacements_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "video_replacements" ADD CONSTRAINT "video_replacements_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "video_replacements_active_key" ON "video_replacements" USING btree ("video_id") WHERE "video_replacements"."status" in ('uploading', 'uploaded');--> statement-breakpoint
CREATE INDEX "video_replacements_video_created_idx" ON "video_replacements" USING btree ("video_id","created_at");