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
ALTER TABLE "caption_cues" ADD CONSTRAINT "caption_cues_track_id_caption_tracks_id_fk" FOREIGN KEY ("track_id") REFERENCES "public"."caption_tracks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caption_cues" ADD CONSTRAINT "caption_cues_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "caption_cues_search_vector_idx" ON "caption_cues" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "caption_cues_video_idx" ON "caption_cues" USING btree ("video_id");--> statement-breakpoint
CREATE INDEX "videos_search_idx" ON "videos" USING gin ((setweight(to_tsvector('simple', coalesce("title", '')), 'A') || setweight(jsonb_to_tsvector('simple', coalesce("metadata" -> 'tags', '[]'::jsonb), '["string"]'), 'A') || setweight(to_tsvector('simple', coalesce("description", '')), 'B')));