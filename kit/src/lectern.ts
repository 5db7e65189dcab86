import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import type { APIRequestContext, Page } from "@playwright/test";
import { storeAdmin } from "@/dev/s3-store/admin-client";
import { faultRequestSchema } from "@/dev/s3-store/faults";
import { createUpload, createUploadApi } from "@/lib/upload-client";
import { openFileSource } from "@/lib/upload-client/node-file-source";
import { isWatchable } from "@/lib/videos/status";
import { type AdminApi, type kitVideoSchema } from "./api";
import { LecternError } from "./errors";
import { Library } from "./pages/library";
import { UploadWizard } from "./pages/upload-wizard";
import type { UserOptions, CourseOptions, Lectern, LecternCourse, LecternMember, LecternOptions, LecternUser, LecternVideo, LecternWaitState, StoreFault, UploadOptions } from "./types";
import { fixtureVideo } from "./video-fixture";
import type { z } from "zod";

const CONTENT_TYPES: Record<string, string> = { ".mp4": "video/mp4", ".mov": "video/quicktime", ".webm": "video/webm" };
const POLL_MS = 500;

type Context = {
  url: string;
  api: AdminApi;
  options: LecternOptions;
  /** A fresh API request context (its own cookies) on the app. */
  newRequest: () => Promise<APIRequestContext>;
};

/** Auth.js's own endpoints, as the sign-in form uses them: the context then carries the session cookie. */
async function signInOverHttp(request: APIRequestContext, user: LecternUser) {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  await request.post("/api/auth/callback/credentials", { form: { csrfToken, email: user.email, password: user.password, callbackUrl: "/courses" }, maxRedirects: 0 });
  const { cookies } = await request.storageState();
  if (!cookies.some((cookie) => cookie.name.endsWith("authjs.session-token"))) throw new LecternError(`Signing in as ${user.email} set no session cookie.`);
}

const toVideo = (dto: z.infer<typeof kitVideoSchema>): LecternVideo => ({ id: dto.id, courseId: dto.courseId, title: dto.title, status: dto.status, error: dto.processing.error });

/** One test's `lectern`: what it made is cleaned up by `dispose()`. */
export function createLectern(context: Context): Lectern & { dispose(): Promise<void> } {
  const { api, url, options } = context;
  const courses: LecternCourse[] = [];

  async function user({ name, password = `kit-${randomBytes(12).toString("base64url")}`, label = "user" }: UserOptions & { label?: string } = {}): Promise<LecternUser> {
    const tag = randomUUID().slice(0, 8);
    const chosenName = name ?? `${label[0]?.toUpperCase()}${label.slice(1)} ${tag}`;
    const created = await api.createUser({ email: `lectern-${label}-${tag}@example.com`, name: chosenName, password });
    return { id: created.id, email: created.email, name: chosenName, password };
  }

  async function addMember(course: { id: string }, role: LecternMember["role"]): Promise<LecternMember> {
    const { name, password, ...created } = await user({ label: role });
    const invitation = await api.invite(course.id, { email: created.email, role });
    const token = invitation.url?.split("/").at(-1);
    if (!token) throw new LecternError("The invitation came back without its link.");
    const request = await context.newRequest();
    try {
      const member = { id: created.id, email: created.email, name, password, role };
      await signInOverHttp(request, member);
      const accepted = await request.post("/api/v1/education/invitations/accept", { headers: { origin: new URL(url).origin }, data: { token } });
      if (!accepted.ok()) throw new LecternError(`${created.email} could not join the course: HTTP ${accepted.status()} ${await accepted.text()}`);
      return member;
    } finally {
      await request.dispose();
    }
  }

  async function course({ title, members = ["instructor"], lessons = ["Basics"] }: CourseOptions = {}): Promise<LecternCourse> {
    const created = await api.createCourse({ title: title ?? `Kit course ${randomUUID().slice(0, 8)}` });
    const made: LecternCourse = {
      id: created.id,
      title: created.title,
      lessons: [],
      members: [],
      storagePrefix: `videos/${created.id}/`,
      member(role) {
        const found = made.members.find((member) => member.role === role);
        if (!found) throw new LecternError(`The course has no ${role}: ask for one with lectern.course({ members: ["${role}"] }).`);
        return found;
      },
    };
    courses.push(made);
    for (const lesson of lessons) made.lessons.push(await api.addLesson(made.id, lesson).then(({ id, title: lessonTitle }) => ({ id, title: lessonTitle })));
    for (const role of members) made.members.push(await addMember(made, role));
    return made;
  }

  function lessonOf(course: LecternCourse, lesson: string | undefined) {
    if (lesson === undefined) return undefined;
    const found = course.lessons.find((candidate) => candidate.id === lesson || candidate.title === lesson);
    if (!found) throw new LecternError(`The course has no lesson "${lesson}" (it has ${course.lessons.map((candidate) => candidate.title).join(", ") || "none"}).`);
    return found;
  }

  async function signIn(page: Page, user: LecternUser) {
    await page.goto(new URL("/sign-in", url).toString());
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "My courses", level: 1 }).waitFor();
  }

  async function upload({ file, course, lesson, title, via, page, as }: UploadOptions): Promise<LecternVideo> {
    const chosenLesson = lessonOf(course, lesson);
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()];
    if (!type) throw new LecternError(`lectern.upload(): ${file} must be .mp4, .mov or .webm.`);
    if (via === "api") {
      const source = await openFileSource({ file, type });
      try {
        const uploaded = await createUpload({
          api: createUploadApi({ baseUrl: url, headers: { authorization: `Bearer ${options.adminToken}` } }),
          source,
          init: { courseId: course.id, lessonId: chosenLesson?.id, metadata: { title } },
        }).done;
        return toVideo(await api.video(uploaded.id));
      } finally {
        await source.close();
      }
    }
    if (via !== "ui") throw new LecternError(`lectern.upload(): via must be "api" or "ui" (got ${String(via)}).`);
    if (!page) throw new LecternError('lectern.upload({ via: "ui" }) needs the test\'s page: lectern.upload({ ..., via: "ui", page }).');
    const signedIn = (await page.context().cookies(url)).some((cookie) => cookie.name.endsWith("authjs.session-token"));
    if (!signedIn) {
      const uploader = as ?? course.members.find((member) => member.role === "owner" || member.role === "instructor");
      if (!uploader) throw new LecternError("Nobody to upload as: give `as`, or a course with an owner or instructor (the default).");
      await signIn(page, uploader);
    }
    const wizard = new UploadWizard(page);
    await wizard.goto(course.id);
    await wizard.upload(file, { title, lesson: chosenLesson?.title });
    const library = new Library(page);
    await library.video(title).waitFor();
    return toVideo(await api.video(await library.videoId(title)));
  }

  async function waitFor(video: { id: string }, state: LecternWaitState, { timeoutMs = 180_000 } = {}): Promise<LecternVideo> {
    if (!["playable", "ready", "failed"].includes(state)) throw new LecternError(`lectern.waitFor(): state must be playable, ready or failed (got ${String(state)}).`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = toVideo(await api.video(video.id));
      if (state === "playable" ? isWatchable(current.status) : current.status === state) return current;
      if (current.status === "failed") throw new LecternError(`Video ${current.id} failed instead of becoming ${state}: ${current.error ?? "no reason given"}`);
      if (state === "failed" && (current.status === "ready" || current.status === "aborted")) throw new LecternError(`Video ${current.id} became ${current.status} instead of failing.`);
      if (current.status === "aborted") throw new LecternError(`Video ${current.id} was aborted: it will never be ${state}.`);
      if (Date.now() > deadline) throw new LecternError(`Video ${current.id} is still ${current.status} after ${Math.round(timeoutMs / 1000)} s (waiting for ${state}).`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  function store() {
    const adminUrl = options.storeAdminUrl;
    if (!adminUrl) {
      throw new LecternError(
        "lectern.faults needs the local store's admin endpoint (LECTERN_STORE_ADMIN_URL, or the storeAdminUrl option). Real S3 cannot inject faults: run these tests against Lectern's local store (npm run dev, or the e2e stack).",
      );
    }
    const admin = storeAdmin(adminUrl.replace(/\/+$/, ""));
    const wrap = async <T>(call: () => Promise<T>): Promise<T> => {
      try {
        return await call();
      } catch (cause) {
        throw new LecternError(`The store admin at ${adminUrl} refused or did not answer (${cause instanceof Error ? cause.message : String(cause)}). Is it Lectern's local store?`);
      }
    };
    return { add: (fault: Record<string, unknown>) => wrap(() => admin.addFault(fault)), list: () => wrap(() => admin.listFaults()) };
  }

  async function nextFault({ course: target, ...fault }: StoreFault) {
    const course = target ?? courses.at(-1);
    if (!course) throw new LecternError("lectern.faults.next() hits this test's uploads: make a course with lectern.course() first (or pass `course`).");
    const admin = store();
    const parsed = faultRequestSchema.safeParse({ ...fault, keyPrefix: course.storagePrefix });
    if (!parsed.success) throw new LecternError(`lectern.faults.next(): ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "fault"}: ${issue.message}`).join("; ")}`);
    await admin.add(parsed.data);
  }

  /** Faults of this test's courses not injected yet. */
  async function remainingFaults() {
    const prefixes = new Set(courses.map((course) => course.storagePrefix));
    const { faults } = await store().list();
    return faults.filter((rule) => rule.keyPrefix !== undefined && prefixes.has(rule.keyPrefix)).reduce((sum, rule) => sum + rule.remaining, 0);
  }

  return {
    course,
    user: (options) => user(options),
    video: (videoOptions = {}) => fixtureVideo({ options: videoOptions, ffmpegPath: options.ffmpegPath, cacheDir: options.fixtureCacheDir }),
    upload,
    waitFor,
    signIn,
    faults: { next: nextFault, remaining: remainingFaults },
    async dispose() {
      // Archived, not deleted: the course and its videos stay for a look after a failure, out of everyone's lists.
      for (const made of courses) await api.archiveCourse(made.id).catch(() => undefined);
    },
  };
}
