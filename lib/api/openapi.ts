import { z } from "zod";
import { adminUserDtoSchema, createUserSchema, existingUserDetailsSchema } from "@/lib/admin/schemas";
import { apiTokenDtoSchema, createApiTokenSchema, createdApiTokenSchema } from "@/lib/auth/api-token-schemas";
import { chaptersDtoSchema, putChaptersSchema } from "@/lib/captions/chapters";
import { captionIssueSchema, captionTrackDtoSchema, putCaptionJsonSchema } from "@/lib/captions/schemas";
import {
  acceptInvitationSchema,
  bulkInviteResultSchema,
  bulkInviteSchema,
  invitationDtoSchema,
  inviteSchema,
  memberDtoSchema,
  updateMemberSchema,
} from "@/lib/courses/member-schemas";
import {
  courseDtoSchema,
  createCourseSchema,
  lessonDtoSchema,
  lessonInputSchema,
  lessonOrderSchema,
  lessonWithVideosSchema,
  listCoursesQuerySchema,
  orderMismatchDetailsSchema,
  updateCourseSchema,
  videoOrderSchema,
} from "@/lib/courses/schemas";
import {
  completeUploadSchema,
  errorBodySchema,
  listVideosQuerySchema,
  processingStatusSchema,
  replaceVideoSchema,
  signedPartsResultSchema,
  signPartsSchema,
  updateVideoSchema,
  uploadedPartsResultSchema,
  uploadInitResultSchema,
  uploadInitSchema,
  videoDtoSchema,
} from "@/lib/videos/schemas";
import { accessibilityReportSchema, courseSearchQuerySchema, searchHitSchema } from "@/lib/search/schemas";
import { analyticsQuerySchema, courseProgressSchema, videoAnalyticsSchema, videoProgressSchema, watchBatchSchema } from "@/lib/watch/schemas";

/** Components: every request and response body, as JSON Schema generated from the zod schemas the routes use. */
const schemas = {
  UploadInitRequest: uploadInitSchema,
  UploadInitResult: uploadInitResultSchema,
  ReplaceVideoRequest: replaceVideoSchema,
  SignPartsRequest: signPartsSchema,
  SignedParts: signedPartsResultSchema,
  UploadedParts: uploadedPartsResultSchema,
  CompleteUploadRequest: completeUploadSchema,
  UpdateVideoRequest: updateVideoSchema,
  ProcessingStatusRequest: processingStatusSchema,
  Video: videoDtoSchema,
  CreateApiTokenRequest: createApiTokenSchema,
  ApiToken: apiTokenDtoSchema,
  CreatedApiToken: createdApiTokenSchema,
  Member: memberDtoSchema,
  UpdateMemberRequest: updateMemberSchema,
  InviteRequest: inviteSchema,
  BulkInviteRequest: bulkInviteSchema,
  Invitation: invitationDtoSchema,
  BulkInviteResult: bulkInviteResultSchema,
  AcceptInvitationRequest: acceptInvitationSchema,
  CreateCourseRequest: createCourseSchema,
  UpdateCourseRequest: updateCourseSchema,
  Course: courseDtoSchema,
  LessonRequest: lessonInputSchema,
  Lesson: lessonDtoSchema,
  LessonWithVideos: lessonWithVideosSchema,
  LessonOrderRequest: lessonOrderSchema,
  VideoOrderRequest: videoOrderSchema,
  OrderMismatchDetails: orderMismatchDetailsSchema,
  PutCaptionsRequest: putCaptionJsonSchema,
  CaptionTrack: captionTrackDtoSchema,
  CaptionIssue: captionIssueSchema,
  PutChaptersRequest: putChaptersSchema,
  Chapters: chaptersDtoSchema,
  SearchHit: searchHitSchema,
  AccessibilityReport: accessibilityReportSchema.shape.data,
  CreateUserRequest: createUserSchema,
  AdminUser: adminUserDtoSchema,
  ExistingUserDetails: existingUserDetailsSchema,
  WatchBatch: watchBatchSchema,
  VideoProgress: videoProgressSchema,
  VideoAnalytics: videoAnalyticsSchema,
  CourseProgress: courseProgressSchema,
  Error: errorBodySchema,
} as const;

type SchemaName = keyof typeof schemas;

const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });
const data = (schema: object) => ({ type: "object", required: ["data"], properties: { data: schema } });
const json = (schema: object) => ({ content: { "application/json": { schema } } });
const ok = (description: string, schema: object, status = "200") => ({ [status]: { description, ...json(data(schema)) } });

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), { description: ERROR_DESCRIPTIONS[status] ?? "Error", ...json(ref("Error")) }]));

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid input (`validation_error` with per-field details, `bad_request`, `parts_mismatch`, `order_mismatch` with OrderMismatchDetails)",
  401: "Missing, invalid, expired or revoked credentials (the message says which)",
  403: "The caller's role does not allow this (`forbidden`), or a session-cookie request that changes something came from another site or sent a body that is not JSON (`cross_site_request`)",
  404: "Not found, or not visible to the caller",
  409: "Conflict with the video's or course's state or version (`conflict`, with the current one in details), a write to an archived course (`course_archived`); for members, the last owner (`details.reason: last_owner`) or an address already on the course (`already_member`)",
  410: "The invitation was used, revoked or has expired (`gone`, `details.state` says which)",
  413: "Body over 64 KB, or file over the size limit (`file_too_large`)",
  415: "Not an accepted video type (or, for captions, not text/vtt, application/x-subrip or application/json)",
  429: "Too many upload starts (see Retry-After)",
};

const idParam = (name: string) => ({ name, in: "path", required: true, schema: { type: "string", format: "uuid" } });
const listParams = Object.entries(z.toJSONSchema(listVideosQuerySchema, { io: "input" }).properties ?? {}).map(([name, schema]) => ({
  name,
  in: "query",
  required: false,
  schema,
}));
const courseListParams = Object.entries(z.toJSONSchema(listCoursesQuerySchema, { io: "input" }).properties ?? {}).map(([name, schema]) => ({
  name,
  in: "query",
  required: false,
  schema,
}));
const searchParams = Object.entries(z.toJSONSchema(courseSearchQuerySchema, { io: "input" }).properties ?? {}).map(([name, schema]) => ({
  name,
  in: "query",
  required: name === "q",
  schema,
}));
const analyticsParams = Object.entries(z.toJSONSchema(analyticsQuerySchema, { io: "input" }).properties ?? {}).map(([name, schema]) => ({
  name,
  in: "query",
  required: false,
  description: name === "from" ? "ISO date (from that day's start, UTC) or datetime" : "ISO date (to that day's end, UTC) or datetime",
  schema,
}));
const languageParam = { name: "language", in: "path", required: true, description: "BCP 47 tag (en, pt-BR); case-insensitive", schema: { type: "string", maxLength: 35 } };
// The token and admin routes live beside /education, not under it.
const tokenServers = [{ url: "/api/v1" }];

const page = { type: "object", required: ["data", "nextCursor"], properties: { data: { type: "array", items: ref("Video") }, nextCursor: { type: ["string", "null"] } } };

/** The OpenAPI 3.1 description of /api/v1/education, served at /api/v1/openapi.json. */
export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "Lectern API",
      version: "1.0.0",
      description:
        "Course-video uploads straight to S3-compatible storage. Errors are always `{error:{code,message,details?}}`. See docs/api.md for a walk-through.",
    },
    servers: [{ url: "/api/v1/education" }],
    security: [{ bearerToken: [] }, { sessionCookie: [] }],
    components: {
      securitySchemes: {
        bearerToken: { type: "http", scheme: "bearer", description: "An API token from the API tokens page (/settings/tokens) or `npm run token -- <email>`" },
        sessionCookie: { type: "apiKey", in: "cookie", name: "authjs.session-token" },
        processingSecret: { type: "apiKey", in: "header", name: "X-Processing-Secret" },
      },
      schemas: Object.fromEntries(
        Object.entries(schemas).map(([name, schema]) => [name, z.toJSONSchema(schema, { io: name.endsWith("Request") ? "input" : "output", unrepresentable: "any" })]),
      ),
    },
    paths: {
      "/courses": {
        get: {
          summary: "The caller's courses, with role and lessons, by title; archived ones only with include=archived",
          parameters: courseListParams,
          responses: { ...ok("Courses", { type: "array", items: ref("Course") }), ...errors(400, 401) },
        },
        post: {
          summary: "Create a course; the caller becomes its owner",
          description: "Anyone signed in may, unless the server runs with COURSE_CREATORS=admins: then only the addresses in ADMIN_EMAILS (others get 403).",
          requestBody: { required: true, ...json(ref("CreateCourseRequest")) },
          responses: { ...ok("Created", ref("Course"), "201"), ...errors(400, 401, 403) },
        },
      },
      "/courses/{courseId}": {
        parameters: [idParam("courseId")],
        get: { summary: "One course (any member)", responses: { ...ok("The course", ref("Course")), ...errors(401, 404) } },
        patch: {
          summary: "Edit title or description (owners, instructors; optimistic concurrency through `version`)",
          requestBody: { required: true, ...json(ref("UpdateCourseRequest")) },
          responses: { ...ok("The updated course", ref("Course")), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/courses/{courseId}/archive": {
        parameters: [idParam("courseId")],
        post: {
          summary: "Archive the course (owners): read-only, hidden from the course list unless include=archived",
          description: "Every write to the course, its lessons or its videos (uploads and edits included) then gets 409 `course_archived`; archiving again too.",
          responses: { ...ok("The archived course", ref("Course")), ...errors(401, 403, 404, 409) },
        },
      },
      "/courses/{courseId}/restore": {
        parameters: [idParam("courseId")],
        post: { summary: "Restore an archived course (owners; idempotent)", responses: { ...ok("The course", ref("Course")), ...errors(401, 403, 404) } },
      },
      "/courses/{courseId}/lessons": {
        parameters: [idParam("courseId")],
        get: {
          summary: "The course outline: lessons in order, each with its videos in order (any member; viewers see watchable videos only: playable and ready)",
          responses: { ...ok("Lessons", { type: "array", items: ref("LessonWithVideos") }), ...errors(401, 404) },
        },
        post: {
          summary: "Add a lesson at the end (owners, instructors)",
          requestBody: { required: true, ...json(ref("LessonRequest")) },
          responses: { ...ok("Created", ref("Lesson"), "201"), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/courses/{courseId}/lessons/order": {
        parameters: [idParam("courseId")],
        put: {
          summary: "Reorder the lessons (owners, instructors): list every lesson exactly once",
          requestBody: { required: true, ...json(ref("LessonOrderRequest")) },
          responses: { ...ok("The lessons in their new order", { type: "array", items: ref("Lesson") }), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/lessons/{lessonId}": {
        parameters: [idParam("lessonId")],
        patch: {
          summary: "Rename a lesson (owners, instructors)",
          requestBody: { required: true, ...json(ref("LessonRequest")) },
          responses: { ...ok("The lesson", ref("Lesson")), ...errors(400, 401, 403, 404, 409) },
        },
        delete: {
          summary: "Delete a lesson (owners, instructors): its videos stay in the course, unassigned; later lessons move up",
          responses: { "204": { description: "Deleted" }, ...errors(401, 403, 404, 409) },
        },
      },
      "/lessons/{lessonId}/videos/order": {
        parameters: [idParam("lessonId")],
        put: {
          summary: "Reorder a lesson's videos (owners, instructors): list every live video of the lesson exactly once",
          requestBody: { required: true, ...json(ref("VideoOrderRequest")) },
          responses: {
            ...ok("The video ids in their new order", { type: "object", required: ["videoIds"], properties: { videoIds: { type: "array", items: { type: "string", format: "uuid" } } } }),
            ...errors(400, 401, 403, 404, 409),
          },
        },
      },
      "/videos/upload-init": {
        post: {
          summary: "Start an upload: a video row, a multipart upload, and URLs for the first parts",
          requestBody: { required: true, ...json(ref("UploadInitRequest")) },
          responses: { ...ok("Upload started", ref("UploadInitResult"), "201"), ...errors(400, 401, 403, 404, 413, 415, 429) },
        },
      },
      "/videos/{id}/parts": {
        parameters: [idParam("id")],
        get: {
          summary: "The parts storage holds (for resuming)",
          responses: { ...ok("Parts", ref("UploadedParts")), ...errors(401, 403, 404) },
        },
        post: {
          summary: "Presigned URLs for up to 100 parts; records the parts the client reports finished",
          requestBody: { required: true, ...json(ref("SignPartsRequest")) },
          responses: { ...ok("Signed URLs", ref("SignedParts")), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/videos/{id}/complete": {
        parameters: [idParam("id")],
        post: {
          summary: "Verify every part against storage and complete (idempotent)",
          requestBody: { required: true, ...json(ref("CompleteUploadRequest")) },
          responses: { ...ok("The uploaded video", ref("Video")), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/videos/{id}/abort": {
        parameters: [idParam("id")],
        post: { summary: "Abort an unfinished upload", responses: { ...ok("The aborted video", ref("Video")), ...errors(401, 403, 404, 409) } },
      },
      "/videos/{id}": {
        parameters: [idParam("id")],
        get: { summary: "One video", responses: { ...ok("The video", ref("Video")), ...errors(401, 404) } },
        patch: {
          summary: "Edit details (optimistic concurrency through `version`)",
          requestBody: { required: true, ...json(ref("UpdateVideoRequest")) },
          responses: { ...ok("The updated video", ref("Video")), ...errors(400, 401, 403, 404, 409) },
        },
        delete: { summary: "Delete the video and its stored files", responses: { "204": { description: "Deleted" }, ...errors(401, 403, 404) } },
      },
      "/videos/{id}/reprocess": {
        parameters: [idParam("id")],
        post: {
          summary: "Process the video again (after a failure, or to refresh a ready one); owners and instructors",
          description:
            "A failed video becomes processing. A ready one stays ready, playing its current renditions, with processing.stage set until the new renditions replace them (or, if that fails, processing.error says why). 409 while the video is uploaded (already queued) or being processed (playable included: its ladder is still being encoded).",
          responses: { "202": { description: "Queued: the video (processing, or ready with processing.stage queued)", ...json(ref("Video")) }, ...errors(401, 403, 404, 409) },
        },
      },
      "/videos/{id}/replace": {
        parameters: [idParam("id")],
        post: {
          summary: "Start uploading a new source for the video (a re-recorded lecture); owners and instructors",
          description:
            "Answers like upload-init, for the same video id: upload the parts and complete (or abort) through /videos/{id}/parts, /complete and /abort. Until the new source is processed the video stays as it is (a ready video keeps playing its published renditions); then playback switches to the new renditions, and title, lesson, order and metadata stay. An aborted or failed replacement leaves the video as it was (GET /videos/{id} shows it in `replacement`). 409 while another replacement is being uploaded or processed, or the video is not ready or failed (or is being processed; a playable video is still improving its quality: replace it once it is ready).",
          requestBody: { required: true, ...json(ref("ReplaceVideoRequest")) },
          responses: { ...ok("Upload session", ref("UploadInitResult"), "201"), ...errors(400, 401, 403, 404, 409, 413, 415) },
        },
      },
      "/videos/{id}/media/{path}": {
        parameters: [
          idParam("id"),
          {
            name: "path",
            in: "path",
            required: true,
            description:
              "hls/master.m3u8, hls/{rendition}/index.m3u8, hls/{rendition}/segment_NNNN.ts (MPEG-TS videos) or hls/{rendition}/init.mp4 and segment_NNNN.m4s (CMAF videos; the rendition `audio` is their audio), dash/manifest.mpd (CMAF videos), hls/subtitles/{language}.m3u8 or .vtt (a caption track's WebVTT playlist and segment), poster.jpg, storyboard.jpg or storyboard.vtt, optionally under r{n}/ (the published revision, as in cdnUrl; any other revision is 404)",
            schema: { type: "string" },
          },
        ],
        get: {
          summary: "A processed video's media, for members of its course",
          description:
            "Playlists and the storyboard WebVTT are answered directly; media playlists list their segments (and, for CMAF, the `#EXT-X-MAP` init segment) as short-lived presigned storage URLs. Images and segments redirect (302) to such URLs. The master lists each caption track as `EXT-X-MEDIA:TYPE=SUBTITLES` (group `subs`, named by every variant's SUBTITLES attribute); a CMAF video's master also has the audio rendition as `EXT-X-MEDIA:TYPE=AUDIO` (group `audio`). Videos processed as CMAF (fMP4) also play as DASH: `dash/manifest.mpd` is a static MPD made from the published playlists at request time (renditions published later appear in it too): one video AdaptationSet (a Representation per rendition), one audio AdaptationSet when the video has sound, one text AdaptationSet (WebVTT, through this route) per caption track; segments are a SegmentList with a SegmentTimeline in each track's timescale and every Initialization and SegmentURL a presigned storage URL (or a STORAGE_PUBLIC_URL URL), so refetch the manifest before `Cache-Control: max-age` runs out. Videos still in MPEG-TS answer 404 for the DASH manifest. A first rendition published while it is still written (a long source remuxed as it is) is an EVENT media playlist without ENDLIST, served uncached (`max-age=0`) and reloaded by players until it ends; meanwhile the DASH manifest answers 409 with `Retry-After`.",
          responses: {
            "200": { description: "A playlist, WebVTT or DASH manifest", content: { "application/vnd.apple.mpegurl": {}, "text/vtt": {}, "application/dash+xml": {} } },
            "302": { description: "Redirect to a presigned storage URL" },
            ...errors(401, 404, 409),
          },
        },
      },
      "/videos/{id}/captions": {
        parameters: [idParam("id")],
        get: {
          summary: "The video's caption tracks (without their text), by language; every member who can see the video",
          responses: { ...ok("Tracks", { type: "array", items: ref("CaptionTrack") }), ...errors(401, 404) },
        },
      },
      "/videos/{id}/captions/generate": {
        parameters: [idParam("id")],
        post: {
          summary: "Queue machine captions for a watchable (playable or ready) video (owners and instructors; needs TRANSCRIPTION_URL on the server)",
          description:
            "A transcription job extracts 16 kHz mono audio and asks the configured OpenAI-compatible server for WebVTT in the video's metadata language; the result is stored as that language's `machine`, unreviewed track (a previous machine track is replaced). The video's `transcription` shows queued, running, failed (with `error`) or done. 409 `transcription_disabled` when the server has no TRANSCRIPTION_URL; 409 `conflict` while a run is queued or running, when the video does not play yet, or when a person's (uploaded or edited) track holds the language.",
          responses: { "202": { description: "Queued: the video, with transcription.status queued", ...json(ref("Video")) }, ...errors(401, 403, 404, 409) },
        },
      },
      "/videos/{id}/captions/{language}": {
        parameters: [idParam("id"), languageParam],
        get: {
          summary: "One track as WebVTT",
          responses: { "200": { description: "The track (ETag: its version)", content: { "text/vtt": { schema: { type: "string" } } } }, ...errors(401, 404) },
        },
        put: {
          summary: "Create or replace the track of a language from a WebVTT or SRT file (owners, instructors, editors)",
          description:
            "The body is the file itself (`text/vtt` or `application/x-subrip`, at most 2 MB, UTF-8 with or without BOM; `label`, `kind` and `version` in the query) or JSON `{format, content, label?, kind?, version?}`. SRT is converted to WebVTT. A file with problems gets 400 `invalid_caption_file` with `details.errors`: `[{line, message}]` (bad timestamp, end before start, cue past the video's end, not UTF-8, …). With `version`, only that version of the track is replaced (409 `conflict` with `details.current` otherwise). 201 when the track is new, 200 when replaced. Access is checked before the body is read.",
          parameters: [
            { name: "label", in: "query", required: false, schema: { type: "string", maxLength: 100 } },
            { name: "kind", in: "query", required: false, schema: { type: "string", enum: ["captions", "subtitles"] } },
            { name: "version", in: "query", required: false, schema: { type: "integer", minimum: 1 } },
          ],
          requestBody: {
            required: true,
            content: { "text/vtt": { schema: { type: "string" } }, "application/x-subrip": { schema: { type: "string" } }, "application/json": { schema: ref("PutCaptionsRequest") } },
          },
          responses: { ...ok("Replaced", ref("CaptionTrack")), ...ok("Created", ref("CaptionTrack"), "201"), ...errors(400, 401, 403, 404, 409, 413, 415) },
        },
        delete: { summary: "Remove the track (owners, instructors, editors)", responses: { "204": { description: "Deleted" }, ...errors(400, 401, 403, 404) } },
      },
      "/videos/{id}/chapters": {
        parameters: [idParam("id")],
        get: {
          summary: "The video's chapters (JSON), or with format=vtt a WebVTT chapters track",
          parameters: [{ name: "format", in: "query", required: false, schema: { type: "string", enum: ["json", "vtt"], default: "json" } }],
          responses: {
            "200": { description: "The chapters", content: { "application/json": { schema: data(ref("Chapters")) }, "text/vtt": { schema: { type: "string" } } } },
            ...errors(400, 401, 404),
          },
        },
        put: {
          summary: "Replace the chapters (owners, instructors, editors): ascending, each before the video's end, titles 1–120 characters",
          description: "With `version` (0 while there are none), only over that version: 409 `conflict` with `details.current` otherwise. 409 too while the video's duration is unknown.",
          requestBody: { required: true, ...json(ref("PutChaptersRequest")) },
          responses: { ...ok("The chapters", ref("Chapters")), ...errors(400, 401, 403, 404, 409, 413) },
        },
      },
      "/videos/{id}/watch": {
        parameters: [idParam("id")],
        post: {
          summary: "Record a batch of the caller's viewing (watched intervals in video seconds, position, playback rate); any member",
          description:
            "Intervals are merged per learner and video into unique seconds (rewatching or a higher speed adds nothing); a video is completed at 90 % of its seconds. A replayed batch (a sequence the session already had, or an earlier one) changes nothing and answers the current progress. Refused with 400 `validation_error` and nothing stored: intervals or position past the video's end (1 s tolerance), negative or empty intervals, more video seconds (overlaps counted) than can have played since the session's previous batch at its playbackRate (plus 5 s; a session's first batch: 10 s plus 5 s). 409 while the video is not watchable or its duration unknown, and for a sessionId of another user or video.",
          requestBody: { required: true, ...json(ref("WatchBatch")) },
          responses: { ...ok("The caller's progress after the batch", ref("VideoProgress")), ...errors(400, 401, 403, 404, 409, 413) },
        },
      },
      "/videos/{id}/progress": {
        parameters: [idParam("id")],
        get: { summary: "The caller's own progress on the video (resume position, unique share watched, completion); any member", responses: { ...ok("Progress", ref("VideoProgress")), ...errors(401, 404) } },
      },
      "/videos/{id}/analytics": {
        parameters: [idParam("id"), ...analyticsParams],
        get: {
          summary: "Views, unique viewers, watch time, average share watched, completion rate and a 100-point retention curve; owners, instructors",
          description:
            "Over the course's learners (viewer role; staff's own watching is left out). Views and watch time count sessions started in [from, to); viewers are the learners with such a session, with their whole record on the video. Both omitted: all retained data.",
          responses: { ...ok("Analytics", ref("VideoAnalytics")), ...errors(400, 401, 403, 404) },
        },
      },
      "/videos/{id}/processing-status": {
        parameters: [idParam("id")],
        post: {
          summary: "Internal: an external processor claims a video, reports progress, publishes results or a failure",
          description:
            "The worker's rules: status processing claims an uploaded (or reprocess-queued) video for jobId unless another live job owns it, and once owned records progress and a heartbeat (report at least every PROCESSING_STALL_SECONDS, or the run is failed); ready (with durationSeconds, cdnUrl, thumbnailUrl, transcodedVersions) and failed apply only for the owning job. The video's version never changes; any other status, or a report that does not apply now, is 409.",
          security: [{ processingSecret: [] }],
          requestBody: { required: true, ...json(ref("ProcessingStatusRequest")) },
          responses: { ...ok("The video", ref("Video")), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/courses/{courseId}/videos": {
        parameters: [idParam("courseId"), ...listParams],
        get: { summary: "A course's videos, newest first (keyset pagination)", responses: { "200": { description: "A page", ...json(page) }, ...errors(400, 401, 404) } },
      },
      "/courses/{courseId}/search": {
        parameters: [idParam("courseId"), ...searchParams],
        get: {
          summary: "Search the course's titles, tags, descriptions and captions; videos best first, each with its matching cues",
          description:
            "Any member (viewers find watchable videos only: playable and ready). PostgreSQL full-text search in the `simple` configuration (no stemming: courses mix languages); websearch syntax, the last word also matches as a prefix. Matched words come as `{text, match}` pieces, no HTML.",
          responses: {
            "200": {
              description: "A page of hits",
              ...json({ type: "object", required: ["data", "nextOffset"], properties: { data: { type: "array", items: ref("SearchHit") }, nextOffset: { type: ["integer", "null"] } } }),
            },
            ...errors(400, 401, 404),
          },
        },
      },
      "/courses/{courseId}/accessibility": {
        parameters: [idParam("courseId")],
        get: {
          summary: "Each video's caption state (none, unreviewed, reviewed) and the share of the watchable (ready and playable) minutes with reviewed captions; owners, instructors, editors",
          responses: { ...ok("The report", ref("AccessibilityReport")), ...errors(401, 403, 404) },
        },
      },
      "/courses/{courseId}/progress": {
        parameters: [idParam("courseId"), { name: "format", in: "query", required: false, schema: { type: "string", enum: ["json", "csv"], default: "json" } }],
        get: {
          summary: "Learners × watchable videos with unique share watched and completion; owners, instructors",
          description:
            "`format=csv`: an RFC 4180 attachment (CRLF, a header row; cells a spreadsheet would run as formulas start with an apostrophe): Name, Email, Videos completed, Average watched (%), Last watched (UTC), then per video its share watched (%) and completed (yes/no).",
          responses: {
            "200": { description: "The table", content: { "application/json": { schema: data(ref("CourseProgress")) }, "text/csv": { schema: { type: "string" } } } },
            ...errors(400, 401, 403, 404),
          },
        },
      },
      "/tokens": {
        servers: tokenServers,
        get: {
          summary: "The caller's API tokens, newest first (never the tokens themselves), revoked and expired ones included",
          responses: { "200": { description: "Tokens", ...json(data({ type: "array", items: ref("ApiToken") })) }, ...errors(401) },
        },
        post: {
          summary: "Create an API token for the caller; the token is in this response only",
          description: "Needs the session of a signed-in user: an API token cannot create tokens (403). `expiresInDays` omitted or null: never expires.",
          security: [{ sessionCookie: [] }],
          requestBody: { required: true, ...json(ref("CreateApiTokenRequest")) },
          responses: { ...ok("Created", ref("CreatedApiToken"), "201"), ...errors(400, 401, 403) },
        },
      },
      "/admin/users": {
        servers: tokenServers,
        post: {
          summary: "Create an account (administrators: the addresses in ADMIN_EMAILS)",
          description:
            "With a session or an API token of an ADMIN_EMAILS address; anyone else gets 403. Without `password` the account cannot sign in with one. " +
            "An address that already has an account (any case) is 409 `conflict` with ExistingUserDetails (`reason: account_exists` and the existing account).",
          requestBody: { required: true, ...json(ref("CreateUserRequest")) },
          responses: { ...ok("Created", ref("AdminUser"), "201"), ...errors(400, 401, 403, 409) },
        },
      },
      "/tokens/{id}": {
        servers: tokenServers,
        parameters: [idParam("id")],
        delete: {
          summary: "Revoke one of the caller's tokens (idempotent; it stays listed as revoked)",
          responses: { ...ok("The revoked token", ref("ApiToken")), ...errors(401, 404) },
        },
      },
      "/courses/{courseId}/members": {
        parameters: [idParam("courseId")],
        get: {
          summary: "The course's members (name, email, role, joined), owners first; owners and instructors",
          responses: { ...ok("Members", { type: "array", items: ref("Member") }), ...errors(401, 403, 404) },
        },
      },
      "/courses/{courseId}/members/{userId}": {
        parameters: [idParam("courseId"), idParam("userId")],
        patch: {
          summary: "Change a member's role",
          description: "Owners change anyone; instructors editors and viewers, to editor or viewer. The last owner cannot be demoted (409). Concurrent changes are serialised on the course.",
          requestBody: { required: true, ...json(ref("UpdateMemberRequest")) },
          responses: { ...ok("The member", ref("Member")), ...errors(400, 401, 403, 404, 409) },
        },
        delete: {
          summary: "Remove a member, or leave the course (your own userId)",
          description: "Owners remove anyone, instructors editors and viewers; anyone may leave. The last owner cannot be removed nor leave (409).",
          responses: { "204": { description: "Removed" }, ...errors(401, 403, 404, 409) },
        },
      },
      "/courses/{courseId}/invitations": {
        parameters: [idParam("courseId")],
        get: {
          summary: "Pending invitations (open, unexpired), newest first; owners and instructors",
          responses: { ...ok("Invitations", { type: "array", items: ref("Invitation") }), ...errors(401, 403, 404) },
        },
        post: {
          summary: "Invite an address with a role (emailed when the server has SMTP_URL)",
          description:
            "201 with a new invitation; 200 with the one already pending for the address (case-insensitive), unchanged. Owners invite any role, instructors editors and viewers (403 otherwise). Links expire after INVITATION_TTL_DAYS (14) and work once.",
          requestBody: { required: true, ...json(ref("InviteRequest")) },
          responses: { ...ok("Created", ref("Invitation"), "201"), ...ok("Already pending", ref("Invitation")), ...errors(400, 401, 403, 404, 409) },
        },
      },
      "/courses/{courseId}/invitations/bulk": {
        parameters: [idParam("courseId")],
        post: {
          summary: "Invite up to 500 addresses with one role; a result per address",
          description: "Each entry is invited, pending (the open invitation is returned), member or invalid; duplicates count once. Body up to 512 KB.",
          requestBody: { required: true, ...json(ref("BulkInviteRequest")) },
          responses: { ...ok("Results", ref("BulkInviteResult")), ...errors(400, 401, 403, 404, 413) },
        },
      },
      "/invitations/{id}": {
        parameters: [idParam("id")],
        delete: {
          summary: "Revoke a pending invitation (idempotent); owners any, instructors those for editors and viewers",
          responses: { ...ok("The revoked invitation", ref("Invitation")), ...errors(401, 403, 404, 409) },
        },
      },
      "/invitations/accept": {
        post: {
          summary: "Accept an invitation: the caller, whose email must be the invited address, joins the course",
          description: "The token is the last part of the invitation link. 403 when signed in as another address; 410 when used, revoked or expired; 404 for a token that names no invitation.",
          requestBody: { required: true, ...json(ref("AcceptInvitationRequest")) },
          responses: {
            "200": {
              description: "Joined (an existing membership keeps its role)",
              ...json(data({ type: "object", required: ["courseId", "role", "joined"], properties: { courseId: { type: "string", format: "uuid" }, role: { type: "string" }, joined: { type: "boolean" } } })),
            },
            ...errors(400, 401, 403, 404, 410),
          },
        },
      },
      "/lessons/{lessonId}/videos": {
        parameters: [idParam("lessonId"), ...listParams.filter((param) => param.name !== "lessonId")],
        get: { summary: "A lesson's videos, newest first", responses: { "200": { description: "A page", ...json(page) }, ...errors(400, 401, 404) } },
      },
    },
  };
}
