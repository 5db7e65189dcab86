import { describe, expect, it } from "vitest";
import { requestTranscription } from "@/lib/captions/machine-captions";
import { AppError } from "@/lib/errors";
import { initUpload } from "@/lib/videos/uploads";
import { testDatabase } from "../helpers/db";
import { courseId, instructor } from "../helpers/processing-flow";

const { sql, close } = testDatabase();

describe("machine captions without TRANSCRIPTION_URL", () => {
  it("refuses Generate captions with 409 and says how to turn the feature on", async () => {
    expect(process.env.TRANSCRIPTION_URL).toBeUndefined();
    const { videoId } = await initUpload({
      actor: instructor,
      input: { courseId, filename: "lecture.mp4", fileSize: 1000, contentType: "video/mp4", metadata: { title: "Lecture" } },
    });
    // As if it were ready: the refusal is about the server's configuration, not the video.
    await sql`update videos set status = 'ready' where id = ${videoId}`;
    const refusal = await requestTranscription({ actor: instructor, videoId }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ status: 409, code: "transcription_disabled" });
    expect((refusal as AppError).message).toMatch(/set TRANSCRIPTION_URL to an OpenAI-compatible transcription server/);
    await close();
  });
});
