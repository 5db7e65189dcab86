/**
 * Storage keys are built from ids only, never from the user's filename:
 * `videos/{courseId}/{videoId}/source.{ext}` and derived files beside it.
 */
const EXTENSIONS: Record<string, string> = {
  "video/mp4": "mp4",
  "video/webm": "webm",
  "video/quicktime": "mov",
  "video/x-msvideo": "avi",
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function videoPrefix({ courseId, videoId }: { courseId: string; videoId: string }): string {
  if (!UUID.test(courseId) || !UUID.test(videoId)) throw new Error("video keys are built from UUIDs only");
  return `videos/${courseId.toLowerCase()}/${videoId.toLowerCase()}/`;
}

export function videoSourceKey({ courseId, videoId, contentType }: { courseId: string; videoId: string; contentType: string }): string {
  const extension = EXTENSIONS[contentType];
  if (!extension) throw new Error(`no storage extension for content type ${contentType}`);
  return `${videoPrefix({ courseId, videoId })}source.${extension}`;
}

/** The source a replacement uploads (`source-{replacementId}.{ext}`): beside the one the video plays, never over it. */
export function replacementSourceKey({ courseId, videoId, replacementId, contentType }: { courseId: string; videoId: string; replacementId: string; contentType: string }): string {
  const extension = EXTENSIONS[contentType];
  if (!extension) throw new Error(`no storage extension for content type ${contentType}`);
  if (!UUID.test(replacementId)) throw new Error("video keys are built from UUIDs only");
  return `${videoPrefix({ courseId, videoId })}source-${replacementId.toLowerCase()}.${extension}`;
}

/** A derived file (poster, storyboard, HLS playlist or segment) under the video's prefix. */
export function videoDerivedKey({ courseId, videoId, path }: { courseId: string; videoId: string; path: string }): string {
  if (!/^[a-z0-9][a-z0-9._/-]*$/i.test(path) || path.includes("..")) throw new Error(`invalid derived path ${path}`);
  return `${videoPrefix({ courseId, videoId })}${path}`;
}

/**
 * Where a processing run's outputs live, relative to the video's prefix: `r{n}/…`, so a new run is written beside
 * the published one instead of over it. Revision 0 is the layout from before revisions (straight under the prefix).
 */
export function revisionPath({ revision, path }: { revision: number; path: string }): string {
  if (!Number.isInteger(revision) || revision < 0) throw new Error(`invalid revision ${revision}`);
  return revision === 0 ? path : `r${revision}/${path}`;
}

/** A derived file of one revision. */
export function videoRevisionKey({ courseId, videoId, revision, path }: { courseId: string; videoId: string; revision: number; path: string }): string {
  return videoDerivedKey({ courseId, videoId, path: revisionPath({ revision, path }) });
}
