/**
 * IRIs of the xAPI Video Profile (https://w3id.org/xapi/video, v1.0.3: adlnet/xapi-authored-profiles
 * video/v1.0.3/video.jsonld and its statement data model) and of xAPI itself.
 */

/** The xAPI version we speak (the X-Experience-API-Version header). */
export const XAPI_VERSION = "1.0.3";

/** The profile's id: every Video Profile statement names it in `context.contextActivities.category`. */
export const VIDEO_PROFILE = "https://w3id.org/xapi/video";

export const VERBS = {
  played: "https://w3id.org/xapi/video/verbs/played",
  paused: "https://w3id.org/xapi/video/verbs/paused",
  seeked: "https://w3id.org/xapi/video/verbs/seeked",
  completed: "http://adlnet.gov/expapi/verbs/completed",
} as const;
export type VideoVerb = keyof typeof VERBS;

export const ACTIVITY_TYPES = {
  video: "https://w3id.org/xapi/video/activity-type/video",
  course: "http://adlnet.gov/expapi/activities/course",
  profile: "http://adlnet.gov/expapi/activities/profile",
} as const;

/** Context extensions. */
export const CONTEXT_EXTENSIONS = {
  sessionId: "https://w3id.org/xapi/video/extensions/session-id",
  length: "https://w3id.org/xapi/video/extensions/length",
  completionThreshold: "https://w3id.org/xapi/video/extensions/completion-threshold",
  speed: "https://w3id.org/xapi/video/extensions/speed",
} as const;

/** Result extensions. */
export const RESULT_EXTENSIONS = {
  time: "https://w3id.org/xapi/video/extensions/time",
  timeFrom: "https://w3id.org/xapi/video/extensions/time-from",
  timeTo: "https://w3id.org/xapi/video/extensions/time-to",
  progress: "https://w3id.org/xapi/video/extensions/progress",
  playedSegments: "https://w3id.org/xapi/video/extensions/played-segments",
} as const;
