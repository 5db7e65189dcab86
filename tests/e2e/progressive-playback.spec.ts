import { text } from "node:stream/consumers";
import type { Browser } from "@playwright/test";
import type postgres from "postgres";
import type { Storage } from "@/lib/storage/storage";
import { videoRevisionKey } from "@/lib/storage/keys";
import { MASTER_PLAYLIST } from "@/lib/videos/media-paths";
import { storeAdmin } from "@/dev/s3-store/admin-client";
import { e2eStack } from "./e2e-stack";
import { expect, SEED, SEED_PASSWORD, test } from "./fixtures";
import { CoursesPage } from "./pages/courses-page";
import { SignInPage } from "./pages/sign-in-page";
import { VideoPage } from "./pages/video-page";

/**
 * A processed video taken back to the moment its first rendition was published: the master lists the lowest rung
 * only, the DTO's renditions likewise, status playable at 40%. `publishRest` then does what the worker does when the
 * others are encoded: the full master, every rendition, and later `ready`. Played by the test so that the video
 * stays playable exactly as long as the test needs, however fast or slow the machine.
 */
async function rewindToPlayable({ sql, storage, videoId }: { sql: postgres.Sql; storage: Storage; videoId: string }) {
  const [video] = await sql<{ courseId: string; revision: number; versions: { name: string; height: number }[] }[]>`
    select course_id as "courseId", media_revision as revision, transcoded_versions as versions from videos where id = ${videoId}`;
  if (!video) throw new Error(`no video ${videoId}`);
  const masterKey = videoRevisionKey({ courseId: video.courseId, videoId, revision: video.revision, path: MASTER_PLAYLIST });
  const full = await text((await storage.getObjectStream({ key: masterKey })).body);
  const lowest = [...video.versions].sort((a, b) => a.height - b.height)[0];
  if (!lowest || video.versions.length < 2) throw new Error(`the video has ${video.versions.length} renditions; the test needs two or more`);
  // A variant is a STREAM-INF line and its URI on the next line.
  const lines = full.trimEnd().split("\n");
  const firstOnly = lines.filter((line, index) => {
    const uri = line.startsWith("#EXT-X-STREAM-INF") ? lines[index + 1] : line.startsWith("#") ? undefined : line;
    return uri === undefined || uri.startsWith(`${lowest.name}/`);
  });
  const put = (body: string) => storage.putObject({ key: masterKey, body, contentType: "application/vnd.apple.mpegurl" });
  await put(`${firstOnly.join("\n")}\n`);
  await sql`
    update videos set status = 'playable', processing_stage = 'transcoding', processing_progress_percent = 40, processing_completed_at = null,
      transcoded_versions = ${JSON.stringify([lowest])}::jsonb
    where id = ${videoId}`;
  return {
    lowest: lowest.name,
    /** The other renditions join the master (the video still playable, at `percent`). */
    async publishRest(percent: number) {
      await put(full);
      await sql`update videos set transcoded_versions = ${JSON.stringify(video.versions)}::jsonb, processing_progress_percent = ${percent} where id = ${videoId}`;
    },
    async ready() {
      await sql`
        update videos set status = 'ready', processing_stage = null, processing_progress_percent = 100, processing_completed_at = now() where id = ${videoId}`;
    },
  };
}

/**
 * A processed video taken back to the moment its first rendition was published while being written (a long source
 * remuxed from storage): the master lists the lowest rung only, whose media playlist and the audio's are EVENT
 * playlists listing their first `segments` segments, no ENDLIST. `grow` then stores them as the worker does while
 * the remux goes on, `finish` the whole VOD playlists.
 */
async function rewindToGrowing({ sql, storage, videoId, segments }: { sql: postgres.Sql; storage: Storage; videoId: string; segments: number }) {
  const ladder = await rewindToPlayable({ sql, storage, videoId });
  const [video] = await sql<{ courseId: string; revision: number }[]>`select course_id as "courseId", media_revision as revision from videos where id = ${videoId}`;
  if (!video) throw new Error(`no video ${videoId}`);
  const playlists = [`hls/${ladder.lowest}/index.m3u8`, "hls/audio/index.m3u8"].map((path) => videoRevisionKey({ courseId: video.courseId, videoId, revision: video.revision, path }));
  const whole = await Promise.all(playlists.map(async (key) => ({ key, text: await text((await storage.getObjectStream({ key })).body) })));
  // The audio's segments are as long as the video's (one ffmpeg run, 6 s each): the same count covers the same time.
  const cut = async (count: number) => {
    for (const { key, text: full } of whole) {
      const lines = full.trimEnd().split("\n").filter((line) => line !== "#EXT-X-ENDLIST");
      const header = lines.findIndex((line) => line.startsWith("#EXTINF"));
      const kept = [...lines.slice(0, header), ...lines.slice(header, header + count * 2)].map((line) => line.replace("#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-PLAYLIST-TYPE:EVENT"));
      await storage.putObject({ key, body: `${kept.join("\n")}\n`, contentType: "application/vnd.apple.mpegurl" });
    }
  };
  await cut(segments);
  return {
    ...ladder,
    grow: cut,
    async finish() {
      for (const { key, text: full } of whole) await storage.putObject({ key, body: full, contentType: "application/vnd.apple.mpegurl" });
    },
  };
}

/** Signs a learner (the seeded viewer) in, in a browser context of its own, and opens the video's page. */
async function openAsLearner({ browser, baseURL, url }: { browser: Browser; baseURL: string | undefined; url: string }) {
  const context = await browser.newContext({ baseURL });
  const learnerPage = await context.newPage();
  const signIn = new SignInPage(learnerPage);
  await signIn.goto();
  await signIn.signIn(SEED.users.student.email, SEED_PASSWORD);
  await new CoursesPage(learnerPage).expectLoaded();
  await learnerPage.goto(url);
  return { context, learner: new VideoPage(learnerPage) };
}

test.describe("progressive publishing", () => {
  test("with the real worker: a learner starts watching the passthrough rendition while the ladder encodes, and the menu gains the rest", async ({
    page,
    browser,
    signInAs,
    coursePage,
    videoPage,
    freshCourse,
    realVideo,
    sql,
  }, testInfo) => {
    test.setTimeout(300_000);
    await signInAs("instructor");
    const title = "Passthrough first";
    // H.264/AAC at 854×480: remuxed as is into a first rendition (480p), then 360p is encoded.
    const file = await realVideo("passthrough-first.mp4", { seconds: 120, width: 854, height: 480 });
    await coursePage.goto(freshCourse.id);
    await coursePage.chooseFile(file);
    await coursePage.fillDetails({ title });
    await coursePage.startUpload();
    // The video's row exists from upload-init on: its id names the storage prefix to hold.
    let videoId = "";
    await expect
      .poll(async () => (videoId = (await sql<{ id: string }[]>`select id from videos where course_id = ${freshCourse.id} and title = ${title}`)[0]?.id ?? ""), { timeout: 30_000 })
      .not.toBe("");
    // The ladder's uploads wait: the first file stored under the 360p rendition is held 30 s by the store, so the
    // video stays playable at least that long after the ladder is encoded however fast the machine is (the e2e
    // store's fault injection; nothing in the app knows of it). The video lasts long enough to still play then.
    await storeAdmin(e2eStack().storage.adminEndpoint).addFault({
      operation: "PutObject",
      keyPrefix: `videos/${freshCourse.id}/${videoId}/r1/hls/360p/`,
      kind: "latency",
      ms: 30_000,
      count: 1,
    });
    await expect(coursePage.uploadedMessage).toBeVisible({ timeout: 60_000 });

    // Staff: playable within seconds, the improving label on the library and the video page.
    await expect(coursePage.video(title).locator(".badge")).toHaveText(/^Playable · improving quality · \d+%$/, { timeout: 60_000 });
    const url = `/courses/${freshCourse.id}/videos/${videoId}`;
    await page.goto(url);
    await expect(videoPage.status).toHaveText(/^Playable · improving quality · \d+%$/);
    await expect(videoPage.improvingPanel).toBeVisible();

    const { context, learner } = await openAsLearner({ browser, baseURL: testInfo.project.use.baseURL, url });
    try {
      await expect(learner.player(title)).toBeVisible();
      await expect(learner.status).toHaveText("Playable");
      await learner.play(title);
      await expect.poll(() => learner.currentTime(title), { timeout: 30_000 }).toBeGreaterThan(1);
      await expect.poll(() => learner.playingHeight()).toBe("480");
      await expect(learner.quality).toHaveCount(0); // one rendition so far
      expect(await sql<{ status: string }[]>`select status from videos where id = ${videoId}`).toEqual([{ status: "playable" }]);

      // The ladder is published: the learner's menu gains 360p while the video plays on.
      const before = await learner.currentTime(title);
      await expect(learner.quality.getByRole("option")).toHaveText([/^Auto/, "480p", "360p"], { timeout: 180_000 });
      expect(await learner.isPlaying(title)).toBe(true);
      expect(await learner.currentTime(title)).toBeGreaterThan(before);
      await learner.quality.selectOption({ label: "360p" });
      await expect.poll(() => learner.playingHeight(), { timeout: 30_000 }).toBe("360");
      await expect(videoPage.status).toHaveText("Ready", { timeout: 20_000 });
      await expect(videoPage.improvingPanel).toHaveCount(0);
    } finally {
      await context.close();
    }
  });

  test("a learner watches a playable video while it improves, and the quality menu gains the renditions that join; staff see the progress, then Ready", async ({
    page,
    browser,
    signInAs,
    readyVideo,
    videoPage,
    coursePage,
    freshCourse,
    sql,
    mediaStorage,
  }, testInfo) => {
    test.setTimeout(300_000);
    await signInAs("instructor");
    const title = "Improving lecture";
    const { videoId, url } = await readyVideo({ title, seconds: 60, width: 854, height: 480 });
    // Captions the learner turns on: the master lists them (from the database), so they come back after a reload.
    await sql`
      insert into caption_tracks (video_id, language, label, kind, origin, reviewed, content, cue_count)
      values (${videoId}, 'en', 'English', 'captions', 'uploaded', true, ${"WEBVTT\n\n00:00:00.000 --> 00:01:00.000\nThe whole lecture, captioned.\n"}, 1)`;
    const ladder = await rewindToPlayable({ sql, storage: mediaStorage, videoId });

    // Staff: the library and the video page say how far the quality is, and the page polls on its own.
    await coursePage.goto(freshCourse.id);
    await expect(coursePage.video(title).locator(".badge")).toHaveText("Playable · improving quality · 40%");
    await expect(coursePage.video(title).getByRole("progressbar", { name: `Quality progress of ${title}` })).toHaveAttribute("aria-valuenow", "40");
    await page.goto(url);
    await expect(videoPage.status).toHaveText("Playable · improving quality · 40%");
    await expect(videoPage.improvingPanel).toContainText("Improving quality · Encoding renditions · 40%");
    await expect(videoPage.player(title)).toBeVisible();

    // A learner opens it while only the lowest rung is out: it plays, captions on.
    const { context: learnerContext, learner } = await openAsLearner({ browser, baseURL: testInfo.project.use.baseURL, url });
    try {
      await expect(learner.player(title)).toBeVisible();
      await expect(learner.status).toHaveText("Playable");
      await expect(learner.improvingPanel).toHaveCount(0);
      await learner.captions.selectOption({ label: "English" });
      await learner.play(title);
      await expect.poll(() => learner.currentTime(title), { timeout: 30_000 }).toBeGreaterThan(2);
      await expect.poll(() => learner.playingHeight()).toBe("360");
      await expect(learner.quality).toHaveCount(0); // one rendition: nothing to choose yet
      await expect.poll(() => learner.showingTrackLanguages(title)).toEqual(["en"]);

      // The other renditions join: the player loads the master again and the menu gains them, playback going on.
      const before = await learner.currentTime(title);
      await ladder.publishRest(70);
      await expect(learner.quality.getByRole("option")).toHaveText([/^Auto/, "480p", "360p"], { timeout: 20_000 });
      expect(await learner.isPlaying(title)).toBe(true);
      await expect.poll(() => learner.currentTime(title), { timeout: 15_000 }).toBeGreaterThan(before + 1);
      await expect.poll(() => learner.showingTrackLanguages(title)).toEqual(["en"]);
      await learner.quality.selectOption({ label: "480p" });
      await expect.poll(() => learner.playingHeight(), { timeout: 30_000 }).toBe("480");
      expect(await learner.isPlaying(title)).toBe(true);

      // Staff see the progress move, then Ready, without reloading.
      await expect(videoPage.status).toHaveText("Playable · improving quality · 70%");
      await ladder.ready();
      await expect(videoPage.status).toHaveText("Ready");
      await expect(videoPage.improvingPanel).toHaveCount(0);
      await expect(learner.status).toHaveText("Ready", { timeout: 20_000 });
      expect(await learner.isPlaying(title)).toBe(true);
    } finally {
      await learnerContext.close();
    }
  });

  test("a learner watches a rendition published while it is written: it starts at the beginning, plays on as it grows, and ends whole", async ({
    browser,
    signInAs,
    readyVideo,
    sql,
    mediaStorage,
  }, testInfo) => {
    test.setTimeout(240_000);
    await signInAs("instructor");
    const title = "Growing lecture";
    const { videoId, url } = await readyVideo({ title, seconds: 60, width: 854, height: 480 });
    // 5 of its 10 segments (30 s) are out: a live-edge start would be ~12 s in, three target durations from the end.
    const growing = await rewindToGrowing({ sql, storage: mediaStorage, videoId, segments: 5 });
    const { context, learner } = await openAsLearner({ browser, baseURL: testInfo.project.use.baseURL, url });
    try {
      await learner.play(title);
      await expect.poll(() => learner.currentTime(title), { timeout: 30_000 }).toBeGreaterThan(0.5);
      expect(await learner.currentTime(title)).toBeLessThan(6);
      expect(await learner.duration(title)).toBeLessThan(35);
      // The worker stores more of it, then the whole: the player's reloads of the playlist see it grow, playback going on.
      await growing.grow(8);
      await expect.poll(() => learner.duration(title), { timeout: 30_000 }).toBeGreaterThan(45);
      await growing.finish();
      await expect.poll(() => learner.duration(title), { timeout: 30_000 }).toBeGreaterThan(59);
      expect(await learner.isPlaying(title)).toBe(true);
      const at = await learner.currentTime(title);
      await learner.seekTo(title, 55);
      await expect.poll(() => learner.currentTime(title), { timeout: 20_000 }).toBeGreaterThan(Math.max(at, 55.5));
    } finally {
      await context.close();
    }
  });
});
