"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import type { CourseRole } from "@/db/schema";
import { fetcher } from "@/lib/fetcher";
import type { VideoDto } from "@/lib/videos/dto";
import { canNow, visibleStatuses } from "@/lib/videos/policy";
import { formatBytes } from "@/lib/format-bytes";
import { formatDuration } from "../upload/format";
import { CaptionEditor } from "./caption-editor";
import { CaptionManager } from "./caption-manager";
import { EditAlert } from "./edit-alert";
import { isTranscribing, MachineCaptions } from "./machine-captions";
import { EditableDetails } from "./editable-details";
import { InlineText } from "./inline-text";
import { ProcessingPanel } from "./processing-panel";
import { ReplaceVideo } from "./replace-video";
import { SaveStatus } from "./save-status";
import { isInFlight, statusText } from "./status-label";
import { ResumeNotice } from "./resume-notice";
import { useResumePoint } from "./use-resume-point";
import { useVideoMutations } from "./use-video-mutations";
import { VideoPlayer } from "./video-player";
import { queryKeys } from "@/lib/query-keys";

type Props = { initialVideo: VideoDto; role: CourseRole; archived: boolean; lessons: { id: string; title: string }[]; transcriptionEnabled: boolean; startAt?: number };

/**
 * A ready video can get a new revision (a replaced source, a reprocess) while someone watches it, and a viewer's page
 * learns of no run under way: it checks now and then, so the player switches once the new version is published.
 */
const READY_REFRESH_MS = 15_000;

/** One video's page: its details, edited in place by those allowed. */
export function VideoDetails({ initialVideo, role, archived, lessons, transcriptionEnabled, startAt }: Props) {
  const router = useRouter();
  const { data: video } = useQuery({
    queryKey: queryKeys.video(initialVideo.id),
    queryFn: () => fetcher<{ data: VideoDto }>(`/api/v1/education/videos/${initialVideo.id}`).then((body) => body.data),
    initialData: initialVideo,
    refetchInterval: (query) => {
      const current = query.state.data;
      if (!current) return false;
      return isInFlight(current) || isTranscribing(current) ? 2000 : current.playback.watchable ? READY_REFRESH_MS : false;
    },
  });
  const { save, reapply, remove, reprocess, reprocessing, saveState, conflict, error, dismiss } = useVideoMutations(video.courseId);
  const canEdit = canNow({ role, archived, action: "editMetadata" });
  const seesProcessing = visibleStatuses(role) === undefined;
  const lesson = lessons.find((candidate) => candidate.id === video.lessonId);
  const playerRef = useRef<HTMLVideoElement>(null);
  const [editingCaptions, setEditingCaptions] = useState<string>();
  const canEditCaptions = canNow({ role, archived, action: "editCaptions" });
  const resume = useResumePoint({ videoId: video.id, skip: startAt !== undefined });

  return (
    <article className="stack" aria-labelledby="video-title">
      <h1 id="video-title">
        <InlineText label="Title" value={video.title} editable={canEdit} onSave={(title) => title && save(video, { title })} />
      </h1>
      <p className="meta">
        <span className={`badge status-${video.status}`}>{statusText(video, { seesProcessing })}</span>
        {video.durationSeconds !== null ? <span>{formatDuration(video.durationSeconds)}</span> : null}
        <span>{formatBytes(video.fileSizeBytes)}</span>
        {lesson ? <span>{lesson.title}</span> : null}
        <span>{video.originalFilename}</span>
        <SaveStatus state={saveState} />
      </p>
      <EditAlert conflict={conflict} error={error} onReapply={reapply} onDismiss={dismiss} />
      {video.cdnUrl && video.transcodedVersions.length > 0 && resume.pending ? (
        <div className="card player-placeholder" aria-busy="true">
          <p className="muted">Loading the player…</p>
        </div>
      ) : video.cdnUrl && video.transcodedVersions.length > 0 ? (
        <VideoPlayer
          videoId={video.id}
          src={video.cdnUrl}
          poster={video.thumbnailUrl}
          storyboardUrl={video.storyboardUrl}
          title={video.title}
          durationSeconds={video.durationSeconds}
          mediaRef={playerRef}
          startAt={startAt ?? resume.at}
          renditions={video.transcodedVersions}
        />
      ) : (
        <div className="card player-placeholder">
          <p className="muted">Playback starts once the video is processed.</p>
        </div>
      )}
      {resume.at !== undefined && !resume.pending && video.cdnUrl ? <ResumeNotice at={resume.at} playerRef={playerRef} /> : null}
      {seesProcessing ? <ProcessingPanel video={video} canRetry={canNow({ role, archived, action: "reprocess" })} retrying={reprocessing} onRetry={() => reprocess(video)} /> : null}
      {canNow({ role, archived, action: "replace" }) ? <ReplaceVideo video={video} /> : null}
      <section className="card stack" aria-label="Details">
        <EditableDetails video={video} editable={canEdit} save={save} />
      </section>
      {canEditCaptions && editingCaptions ? (
        <CaptionEditor
          key={editingCaptions}
          videoId={video.id}
          language={editingCaptions}
          durationSeconds={video.durationSeconds}
          playerRef={playerRef}
          onClose={() => setEditingCaptions(undefined)}
        />
      ) : null}
      {canEditCaptions ? <CaptionManager videoId={video.id} onEdit={setEditingCaptions} /> : null}
      {canNow({ role, archived, action: "generateCaptions" }) ? <MachineCaptions video={video} enabled={transcriptionEnabled} /> : null}
      {canNow({ role, archived, action: "delete" }) ? (
        <button type="button" className="button danger" onClick={() => remove(video, () => router.push(`/courses/${video.courseId}`))}>
          Delete video
        </button>
      ) : null}
    </article>
  );
}
