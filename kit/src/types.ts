// The kit's public shapes. Plain types (no imports but Playwright's), so the published declarations stand alone; contracts.ts checks
// at compile time that they match the app's shared zod schemas, so they cannot drift.

import type { Page } from "@playwright/test";

export type LecternRole = "owner" | "instructor" | "editor" | "viewer";

export type LecternVideoStatus = "uploading" | "uploaded" | "processing" | "playable" | "ready" | "failed" | "aborted";

/** What `waitFor` waits for: `playable` resolves for a `ready` video too (its whole ladder is published). */
export type LecternWaitState = "playable" | "ready" | "failed";

export type LecternUser = { id: string; email: string; name: string; password: string };

export type LecternMember = LecternUser & { role: LecternRole };

export type LecternCourse = {
  id: string;
  title: string;
  lessons: { id: string; title: string }[];
  members: LecternMember[];
  /** Where the course's uploads live in storage (faults are scoped to it). */
  storagePrefix: string;
  /** The first member with this role; throws when the course has none. */
  member(role: LecternRole): LecternMember;
};

export type LecternVideo = {
  id: string;
  courseId: string;
  title: string;
  status: LecternVideoStatus;
  /** Why processing failed (once `failed`). */
  error?: string | null;
};

export type CourseOptions = {
  title?: string;
  /** One fresh user per entry, in that role (default: one instructor). The admin token's user is the owner too. */
  members?: LecternRole[];
  /** Lesson titles, in order (default: one lesson, "Basics"). */
  lessons?: string[];
};

export type UserOptions = {
  /** Default: "User <random>". */
  name?: string;
  /** Default: a random one (it is on the returned user). At least 10 characters. */
  password?: string;
};

export type VideoOptions = {
  /** Default 5. */
  seconds?: number;
  /** Default 640×360. */
  width?: number;
  height?: number;
  /** A 440 Hz tone (default true). */
  audio?: boolean;
  /** mp4 (H.264/AAC, default), mov (H.264/AAC) or webm (VP8/Opus). */
  container?: "mp4" | "mov" | "webm";
};

export type PageLike = Page;

export type UploadOptions = {
  /** A path, e.g. from `lectern.video()`. */
  file: string;
  course: LecternCourse;
  /** A lesson id or title of the course. */
  lesson?: string;
  title: string;
  /** "api": the app's own upload client with the admin token; "ui": the wizard in `page`, by roles and labels. */
  via: "api" | "ui";
  page?: PageLike;
  /** For `via: "ui"`: who uploads (default: the course's first owner or instructor). Ignored when the page is signed in already. */
  as?: LecternUser;
};

export type WaitForOptions = { timeoutMs?: number };

export type StoreFault = {
  kind: "status" | "reset" | "latency" | "throttle" | "expired" | "mixed";
  /** How many requests it hits (default 1). */
  count?: number;
  /** Which requests (default UploadPart). */
  operation?: "UploadPart" | "PutObject" | "CompleteMultipartUpload" | "GetObject" | "any";
  /** The course whose uploads it hits (default: the last one `lectern.course()` made in this test). */
  course?: LecternCourse;
  /** The kind's own settings: `status` (500, 503, 429), `retryAfterSeconds`, `afterBytes`, `ms`, `bytesPerSecond`, `faults`, `every`, `rate`, `seed`. */
  [setting: string]: unknown;
};

export type LecternOptions = {
  /** The app's origin; default LECTERN_URL, else the project's baseURL. */
  url?: string;
  /** An API token of an ADMIN_EMAILS user; default LECTERN_ADMIN_TOKEN. */
  adminToken?: string;
  /** The local store's admin endpoint, for `faults`; default LECTERN_STORE_ADMIN_URL. */
  storeAdminUrl?: string;
  /** ffmpeg for `video()`; default FFMPEG_PATH, else the bundled @ffmpeg-installer/ffmpeg, else `ffmpeg` on PATH. */
  ffmpegPath?: string;
  /** Where `video()` caches fixtures; default LECTERN_FIXTURE_CACHE, else `<tmp>/lectern-playwright-fixtures`. */
  fixtureCacheDir?: string;
};

export type Lectern = {
  course(options?: CourseOptions): Promise<LecternCourse>;
  /** A fresh account on no course (`POST /api/v1/admin/users`), e.g. to invite by hand. */
  user(options?: UserOptions): Promise<LecternUser>;
  video(options?: VideoOptions): Promise<string>;
  upload(options: UploadOptions): Promise<LecternVideo>;
  waitFor(video: LecternVideo | { id: string }, state: LecternWaitState, options?: WaitForOptions): Promise<LecternVideo>;
  signIn(page: PageLike, user: LecternUser): Promise<void>;
  faults: {
    /** The next `count` matching requests for this test's uploads misbehave (local store only). */
    next(fault: StoreFault): Promise<void>;
    /** How many of this test's faults have not hit a request yet. */
    remaining(): Promise<number>;
  };
};
