import { afterAll, describe, expect, it } from "vitest";
import { SEED } from "@/dev/seed";
import { storage, storageConfig } from "@/lib/storage";
import { createStorage } from "@/lib/storage/storage";
import { sweep } from "@/lib/videos/sweeper";
import { startReplacement } from "@/lib/videos/replacements";
import { completeUpload, initUpload, listUploadedParts, signParts } from "@/lib/videos/uploads";
import { testDatabase } from "../helpers/db";
import { listMultipartUploads } from "../helpers/multipart-uploads";

const instructor = { id: SEED.users.instructor.id };
const courseId = SEED.courses.trading.id;
const { sql, close } = testDatabase();
const TTL_HOURS = 24;
// Sweeps here run at the real time with the real TTL; only this file's rows are made to look old.
const sweepNow = (store = storage) => sweep({ storage: store, uploadTtlHours: TTL_HOURS });

afterAll(async () => {
  await close();
});

async function start(title: string, fileSize = 6 * 1024 * 1024) {
  return initUpload({ actor: instructor, input: { courseId, filename: `${title}.mp4`, fileSize, contentType: "video/mp4", metadata: { title } } });
}

/** As if the upload began, and last showed activity, `hours` ago. */
async function age(videoId: string, hours: number) {
  await sql`update videos set created_at = now() - make_interval(hours => ${hours}), upload_activity_at = now() - make_interval(hours => ${hours}) where id = ${videoId}`;
}

async function status(videoId: string) {
  const [row] = await sql<{ status: string }[]>`select status from videos where id = ${videoId}`;
  return row?.status;
}

const openUploads = (videoId: string) => listMultipartUploads(storage, { prefix: `videos/${courseId}/${videoId}/` });

describe("the sweeper", () => {
  it("aborts a replacement upload idle for longer than the TTL, and only that: the video plays on, and may be replaced again", async () => {
    const ready = async (title: string) => {
      const init = await start(title, 1000);
      // As if uploaded and processed (a replacement needs a video that has a source).
      await sql`update videos set status = 'ready', uploaded_at = now() where id = ${init.videoId}`;
      return init.videoId;
    };
    const idleId = await ready("replacement-abandoned");
    const busyId = await ready("replacement-in-progress");
    const input = { filename: "take-2.mp4", fileSize: 6 * 1024 * 1024, contentType: "video/mp4" };
    const idle = await startReplacement({ actor: instructor, videoId: idleId, input });
    await startReplacement({ actor: instructor, videoId: busyId, input });
    await sql`update video_replacements set upload_activity_at = now() - make_interval(hours => ${TTL_HOURS + 1}) where video_id = ${idleId}`;
    await sql`update video_replacements set upload_activity_at = now() - make_interval(hours => ${TTL_HOURS + 1}) where video_id = ${busyId}`;
    await signParts({ actor: instructor, videoId: busyId, partNumbers: [1] }); // activity: it is not abandoned

    const report = await sweepNow();
    expect(report.abortedReplacements).toBeGreaterThanOrEqual(1);
    const replacementOf = async (videoId: string) => (await sql<{ status: string }[]>`select status from video_replacements where video_id = ${videoId}`)[0]?.status;
    expect(await replacementOf(idleId)).toBe("aborted");
    expect(await replacementOf(busyId)).toBe("uploading");
    expect(await status(idleId)).toBe("ready");
    const replacementUploads = async (videoId: string) => (await openUploads(videoId)).filter((upload) => upload.key.includes("/source-"));
    expect(await replacementUploads(idleId)).toEqual([]);
    expect(await replacementUploads(busyId)).toHaveLength(1);
    // Not the one it aborted: another replacement may start.
    const again = await startReplacement({ actor: instructor, videoId: idleId, input });
    expect(again.storageKey).not.toBe(idle.storageKey);
  });

  it("never aborts an upload with recent part activity, however long ago it began", async () => {
    const signed = await start("resumed-by-signing");
    await age(signed.videoId, 48);
    await signParts({ actor: instructor, videoId: signed.videoId, partNumbers: [1] });

    const listed = await start("resumed-by-listing");
    await age(listed.videoId, 48);
    await listUploadedParts({ actor: instructor, videoId: listed.videoId });

    const abandoned = await start("abandoned");
    await age(abandoned.videoId, TTL_HOURS + 1);

    await sweepNow();
    expect(await status(signed.videoId)).toBe("uploading");
    expect(await openUploads(signed.videoId)).toHaveLength(1);
    expect(await status(listed.videoId)).toBe("uploading");
    expect(await openUploads(listed.videoId)).toHaveLength(1);
    expect(await status(abandoned.videoId)).toBe("aborted");
    expect(await openUploads(abandoned.videoId)).toEqual([]);
  });

  it("leaves alone an upload whose complete holds the row lock", async () => {
    const init = await start("completing", 1000);
    await age(init.videoId, TTL_HOURS + 1);
    const [part] = init.parts;
    if (!part) throw new Error("one part URL");
    const put = await fetch(part.url, { method: "PUT", body: new Uint8Array(1000) });
    expect(put.status).toBe(200);

    let sweeping: Promise<unknown> | undefined;
    await sql.begin(async (tx) => {
      // The complete's transaction: the row is locked while storage assembles the object.
      await tx`select id from videos where id = ${init.videoId} for update`;
      sweeping = sweepNow();
      await Promise.race([sweeping, new Promise((resolve) => setTimeout(resolve, 2000))]);
      expect(await openUploads(init.videoId)).toHaveLength(1);
    });
    await sweeping;
    expect(await status(init.videoId)).toBe("uploading");
    // The complete still succeeds afterwards: nothing of the upload was lost.
    const done = await completeUpload({ actor: instructor, videoId: init.videoId, parts: [{ partNumber: 1, etag: put.headers.get("etag") ?? "" }] });
    expect(done.status).toBe("uploaded");
  });

  it("keeps the upload open and completable when storage refuses the abort, and aborts it on a later sweep", async () => {
    const init = await start("storage-down", 1000);
    await age(init.videoId, TTL_HOURS + 1);
    const refusing = createStorage({ ...storageConfig, credentials: { accessKeyId: "wrong", secretAccessKey: "wrong" } });
    const failed = await sweepNow(refusing);
    expect(failed.errors).toBeGreaterThanOrEqual(1);
    expect(await status(init.videoId)).toBe("uploading");
    expect(await openUploads(init.videoId)).toHaveLength(1);

    await sweepNow();
    expect(await status(init.videoId)).toBe("aborted");
    expect(await openUploads(init.videoId)).toEqual([]);
  });

  it("finds stale uploads through an index, not a scan of every video", async () => {
    const plan = await sql.begin(async (tx) => {
      await tx`set local enable_seqscan = off`;
      return tx.unsafe(
        `explain select id from videos where status = 'uploading' and upload_activity_at < now() - interval '24 hours' order by upload_activity_at limit 100`,
      );
    });
    expect(plan.map((line) => String(line["QUERY PLAN"])).join("\n")).toContain("videos_upload_activity_idx");
  });
});
