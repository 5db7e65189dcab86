CREATE TABLE "caption_cues" (
	"track_id" uuid NOT NULL,
	"video_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"start_seconds" double precision NOT NULL,
	"end_seconds" double precision NOT NULL,
	"text" text NOT NULL,
	"search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple', "caption_cues"."text")) STORED NOT NULL,
	CONSTRAINT "caption_cues_track_id_position_pk" PRIMARY KEY("track_id","position")
);
--> statement-breakpoint
CREATE TABLE "caption_tracks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"video_id" uuid NOT NULL,
	"language" varchar(35) NOT NULL,
	"label" varchar(100) NOT NULL,
	"kind" varchar(16) NOT NULL,
	"origin" varchar(16) NOT NULL,
	"reviewed" boolean DEFAULT false NOT NULL,
	"content" text NOT NULL,
	"cue_count" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "caption_tracks_kind_check" CHECK ("caption_tracks"."kind" in ('captions', 'subtitles')),
	CONSTRAINT "caption_tracks_origin_check" CHECK ("caption_tracks"."origin" in ('uploaded', 'machine', 'edited'))
);
--> statement-breakpoint
CREATE TABLE "course_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"course_id" uuid NOT NULL,
	"email" varchar(320) NOT NULL,
	"role" "course_role" NOT NULL,
	"token_hash" text NOT NULL,
	"invited_by" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_by" uuid,
	"revoked_at" timestamp with time zone,
	"email_sent_at" timestamp with time zone,
	"email_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "course_invitations_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "course_invitations_email_lower_check" CHECK ("course_invitations"."email" = lower("course_invitations"."email"))
);
--> statement-breakpoint
CREATE TABLE "metric_counters" (
	"name" text NOT NULL,
	"labels" text NOT NULL,
	"value" double precision NOT NULL,
	CONSTRAINT "metric_counters_name_labels_pk" PRIMARY KEY("name","labels")
);
--> statement-breakpoint
CREATE TABLE "video_chapters" (
	"video_id" uuid PRIMARY KEY NOT NULL,
	"chapters" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
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
CREATE TABLE "worker_heartbeats" (
	"worker_id" text PRIMARY KEY NOT NULL,
	"host" text NOT NULL,
	"pid" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_heartbeat_at" timestamp with time zone NOT NULL,
	"active_jobs" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "videos" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "videos" ADD COLUMN "transcription_status" varchar(16);--> statement-breakpoint
ALTER TABLE "videos" ADD COLUMN "transcription_error" text;--> statement-breakpoint
ALTER TABLE "videos" ADD COLUMN "transcription_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "caption_cues" ADD CONSTRAINT "caption_cues_track_id_caption_tracks_id_fk" FOREIGN KEY ("track_id") REFERENCES "public"."caption_tracks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caption_cues" ADD CONSTRAINT "caption_cues_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caption_tracks" ADD CONSTRAINT "caption_tracks_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caption_tracks" ADD CONSTRAINT "caption_tracks_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_invitations" ADD CONSTRAINT "course_invitations_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_invitations" ADD CONSTRAINT "course_invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_invitations" ADD CONSTRAINT "course_invitations_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "video_chapters" ADD CONSTRAINT "video_chapters_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "video_chapters" ADD CONSTRAINT "video_chapters_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "video_replacements" ADD CONSTRAINT "video_replacements_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "video_replacements" ADD CONSTRAINT "video_replacements_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "caption_cues_search_vector_idx" ON "caption_cues" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "caption_cues_video_idx" ON "caption_cues" USING btree ("video_id");--> statement-breakpoint
CREATE UNIQUE INDEX "caption_tracks_video_language_key" ON "caption_tracks" USING btree ("video_id","language");--> statement-breakpoint
CREATE UNIQUE INDEX "course_invitations_open_email_key" ON "course_invitations" USING btree ("course_id","email") WHERE "course_invitations"."accepted_at" is null and "course_invitations"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "course_invitations_open_created_idx" ON "course_invitations" USING btree ("course_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "course_invitations"."accepted_at" is null and "course_invitations"."revoked_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "video_replacements_active_key" ON "video_replacements" USING btree ("video_id") WHERE "video_replacements"."status" in ('uploading', 'uploaded');--> statement-breakpoint
CREATE INDEX "video_replacements_video_created_idx" ON "video_replacements" USING btree ("video_id","created_at");--> statement-breakpoint
CREATE INDEX "users_email_lower_idx" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "videos_search_idx" ON "videos" USING gin ((setweight(to_tsvector('simple', coalesce("title", '')), 'A') || setweight(jsonb_to_tsvector('simple', coalesce("metadata" -> 'tags', '[]'::jsonb), '["string"]'), 'A') || setweight(to_tsvector('simple', coalesce("description", '')), 'B')));