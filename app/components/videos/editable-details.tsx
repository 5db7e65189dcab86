"use client";

import type { VideoDto } from "@/lib/videos/dto";
import { InlineText } from "./inline-text";
import type { Changes } from "./use-video-mutations";

/** A video's description and tags, edited in place by those allowed. */
export function EditableDetails({ video, editable, save }: { video: VideoDto; editable: boolean; save: (video: VideoDto, changes: Changes) => void }) {
  return (
    <>
      <InlineText
        label="Description"
        value={video.description ?? ""}
        placeholder="No description"
        multiline
        editable={editable}
        onSave={(description) => save(video, { description: description || null })}
        className="muted"
      />
      <InlineText
        label="Tags"
        value={video.metadata.tags.join(", ")}
        placeholder="No tags"
        editable={editable}
        onSave={(tags) => save(video, { tags: tags.split(",").map((tag) => tag.trim()).filter(Boolean) })}
        className="tags"
      />
    </>
  );
}
