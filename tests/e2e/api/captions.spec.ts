import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type postgres from "postgres";
import type { CaptionTrackDto } from "@/lib/captions/schemas";
import type { VideoDto } from "@/lib/videos/dto";
import { makeVideoFixture } from "../../helpers/video-fixtures";
import { expect, type Member, test, type World } from "./world";

const VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000 align:start\nHello, class.\n\n00:00:04.000 --> 00:00:06.500\nToday: options.\n";
const SRT = "1\r\n00:00:01,000 --> 00:00:03,000\r\n<i>Bonjour</i> la classe.\r\n\r\n2\r\n00:00:04,000 --> 00:00:06,000\r\nAujourd'hui\r\n";

/** A ready 10-second video row of the world's course (no media: the caption routes only need its duration). */
async function readyVideo(sql: postgres.Sql, world: World): Promise<string> {
  const id = randomUUID();
  await sql`
    insert into videos (id, course_id, title, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status, duration_seconds)
    values (${id}, ${world.courseId}, 'Captioned', 'c.mp4', 'local', 'lectern', ${`videos/${world.courseId}/${id}/source.mp4`}, 1000, 'video/mp4', 'ready', 10)`;
  return id;
}

test.describe("caption tracks over HTTP", () => {
  test("editors upload WebVTT and SRT, members list and read them as WebVTT, a stale version gets 409, delete removes", async ({ api, world, sql, request }) => {
    const videoId = await readyVideo(sql, world);
    const { owner, editor, viewer } = world.users;
    const put = (language: string, as: Member, body: string, contentType: string, query = "") =>
      api.call<CaptionTrackDto>("PUT", `/videos/${videoId}/captions/${language}${query}`, { as, body, headers: { "content-type": contentType } });

    const created = await put("en", editor, VTT, "text/vtt");
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ language: "en", label: "English", kind: "captions", origin: "uploaded", reviewed: true, cueCount: 2, version: 1, url: `/api/v1/education/videos/${videoId}/captions/en` });

    // SRT is converted; the language is stored in canonical case; label and kind from the query.
    const french = await put("fr-ca", owner, SRT, "application/x-subrip; charset=utf-8", "?kind=subtitles&label=Fran%C3%A7ais");
    expect(french.status).toBe(201);
    expect(french.body.data).toMatchObject({ language: "fr-CA", label: "Français", kind: "subtitles", cueCount: 2 });

    const list = await api.call<CaptionTrackDto[]>("GET", `/videos/${videoId}/captions`, { as: viewer });
    expect(list.status).toBe(200);
    expect(list.body.data.map((track) => track.language)).toEqual(["en", "fr-CA"]);

    const english = await request.get(`/api/v1/education/videos/${videoId}/captions/en`, { headers: { authorization: `Bearer ${viewer.token}` } });
    expect(english.status()).toBe(200);
    expect(english.headers()["content-type"]).toBe("text/vtt; charset=utf-8");
    expect(await english.text()).toBe(VTT);
    const converted = await request.get(`/api/v1/education/videos/${videoId}/captions/FR-ca`, { headers: { authorization: `Bearer ${viewer.token}` } });
    expect(await converted.text()).toBe("WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\n<i>Bonjour</i> la classe.\n\n2\n00:00:04.000 --> 00:00:06.000\nAujourd'hui\n");

    // JSON bodies carry the version: the current one replaces, a stale one gets 409 with the current track.
    const replaced = await api.call<CaptionTrackDto>("PUT", `/videos/${videoId}/captions/en`, {
      as: editor,
      body: { format: "vtt", content: VTT.replace("Hello", "Hi"), label: "English (CC)", version: 1 },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.data).toMatchObject({ label: "English (CC)", kind: "captions", version: 2 });
    const stale = await api.call("PUT", `/videos/${videoId}/captions/en`, { as: owner, body: { format: "srt", content: SRT, version: 1 } });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: "conflict", details: { current: { version: 2, label: "English (CC)" } } });
    expect(await (await request.get(`/api/v1/education/videos/${videoId}/captions/en`, { headers: { authorization: `Bearer ${viewer.token}` } })).text()).toContain("Hi, class.");
    const staleRaw = await put("en", owner, VTT, "text/vtt", "?version=1");
    expect(staleRaw.status).toBe(409);
    // A version for a track that does not exist (deleted meanwhile) is a conflict too, not a silent create.
    expect((await api.call("PUT", `/videos/${videoId}/captions/de`, { as: owner, body: { format: "vtt", content: VTT, version: 3 } })).status).toBe(409);

    expect((await api.call("DELETE", `/videos/${videoId}/captions/fr-CA`, { as: editor })).status).toBe(204);
    expect((await api.call("DELETE", `/videos/${videoId}/captions/fr-CA`, { as: editor })).status).toBe(404);
    expect((await api.call("GET", `/videos/${videoId}/captions/fr-CA`, { as: viewer })).status).toBe(404);
    expect((await api.call<CaptionTrackDto[]>("GET", `/videos/${videoId}/captions`, { as: viewer })).body.data.map((track) => track.language)).toEqual(["en"]);
  });

  test("saving over a machine track's version makes it edited and keeps it unreviewed until marked reviewed", async ({ api, world, sql }) => {
    const videoId = await readyVideo(sql, world);
    const { editor } = world.users;
    // As the transcription worker stores it.
    await sql`insert into caption_tracks (video_id, language, label, kind, origin, reviewed, content, cue_count) values (${videoId}, 'en', 'English', 'captions', 'machine', false, ${VTT}, 2)`;
    const save = (body: Record<string, unknown>) => api.call<CaptionTrackDto>("PUT", `/videos/${videoId}/captions/en`, { as: editor, body: { format: "vtt", ...body } });

    const edited = await save({ content: VTT.replace("Hello", "Hi"), version: 1 });
    expect(edited.status).toBe(200);
    expect(edited.body.data).toMatchObject({ origin: "edited", reviewed: false, version: 2 });
    const reviewed = await save({ content: VTT.replace("Hello", "Hi"), version: 2, reviewed: true });
    expect(reviewed.body.data).toMatchObject({ origin: "edited", reviewed: true, version: 3 });
    expect((await save({ content: VTT, version: 3 })).body.data).toMatchObject({ origin: "edited", reviewed: true, version: 4 });
    // A whole new file uploaded (no version) is the uploader's own: uploaded, reviewed unless it says otherwise.
    expect((await save({ content: VTT })).body.data).toMatchObject({ origin: "uploaded", reviewed: true });
    expect((await save({ content: VTT, reviewed: false })).body.data).toMatchObject({ origin: "uploaded", reviewed: false });
    const bad = await save({ content: VTT, reviewed: "yes" });
    expect(bad.status).toBe(400);
  });

  test("bad files get 400 with each problem's line; wrong types 415; bad languages 400", async ({ api, world, sql }) => {
    const videoId = await readyVideo(sql, world);
    const { editor } = world.users;
    const put = (body: string | Buffer, contentType: string, language = "en") =>
      api.call("PUT", `/videos/${videoId}/captions/${language}`, { as: editor, body: body as string, headers: { "content-type": contentType } });

    const bad = await put(
      "WEBVTT\n\n00:00:01,000 --> 00:00:02.000\ncomma\n\n00:00:05.000 --> 00:00:04.000\nbackwards\n\n00:00:09.000 --> 00:00:15.000\npast the end\n",
      "text/vtt",
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "invalid_caption_file", message: expect.stringMatching(/^The caption file has 3 problems: Bad timestamp/) });
    expect(bad.body.error?.details).toEqual({
      errors: [
        { line: 3, message: expect.stringMatching(/^Bad timestamp "00:00:01,000"/) },
        { line: 6, message: "The cue ends (00:00:04.000) before it starts (00:00:05.000): the end must come after the start." },
        { line: 9, message: "The cue ends at 00:00:15.000, past the video's end (00:00:10.000)." },
      ],
    });

    const latin1 = await put(Buffer.concat([Buffer.from("1\n00:00:01,000 --> 00:00:02,000\nCaf"), Buffer.from([0xe9]), Buffer.from("\n")]), "application/x-subrip");
    expect(latin1.status).toBe(400);
    expect(latin1.body.error?.details).toEqual({ errors: [{ line: 3, message: "Not UTF-8: byte 0xE9 does not belong here. Save the file as UTF-8." }] });
    const bom = await put(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(VTT)]), "text/vtt");
    expect(bom.status).toBe(201);

    expect((await put(VTT, "text/plain")).status).toBe(415);
    expect((await put(VTT, "text/vtt", "not a language")).body.error).toMatchObject({ code: "validation_error", details: { fieldErrors: { language: [expect.any(String)] } } });
    expect((await api.call("PUT", `/videos/${videoId}/captions/en`, { as: editor, body: { format: "ass", content: VTT } })).status).toBe(400);
    expect((await api.call("PUT", `/videos/${videoId}/captions/en?kind=karaoke`, { as: editor, body: VTT, headers: { "content-type": "text/vtt" } })).status).toBe(400);
  });

  test("files over 2 MB are refused while they are read", async ({ api, world, sql }) => {
    const videoId = await readyVideo(sql, world);
    const big = `WEBVTT\n\nNOTE ${"x".repeat(2 * 1024 * 1024)}\n`;
    const raw = await api.call("PUT", `/videos/${videoId}/captions/en`, { as: world.users.editor, body: big, headers: { "content-type": "text/vtt" } });
    expect(raw.status).toBe(413);
    expect(raw.body.error).toMatchObject({ code: "file_too_large", message: "The caption file is larger than 2 MB." });
    const json = await api.call("PUT", `/videos/${videoId}/captions/en`, { as: world.users.editor, body: { format: "vtt", content: big } });
    expect(json.status).toBe(400);
    expect(json.body.error?.details).toEqual({ errors: [{ line: null, message: expect.stringMatching(/at most 2 MB/) }] });
  });

  test("viewers cannot change captions; people outside the course find nothing", async ({ api, world, sql }) => {
    const videoId = await readyVideo(sql, world);
    const { owner, viewer, outsider } = world.users;
    const body = { format: "vtt", content: VTT };
    expect((await api.call("PUT", `/videos/${videoId}/captions/en`, { as: owner, body })).status).toBe(201);
    const refused = await api.call("PUT", `/videos/${videoId}/captions/en`, { as: viewer, body });
    expect(refused.status).toBe(403);
    expect(refused.body.error?.message).toBe("Only owners, instructors and editors can change captions.");
    expect((await api.call("DELETE", `/videos/${videoId}/captions/en`, { as: viewer })).status).toBe(403);
    for (const [method, path] of [["GET", "/captions"], ["GET", "/captions/en"], ["PUT", "/captions/en"], ["DELETE", "/captions/en"]] as const) {
      const response = await api.call(method, `/videos/${videoId}${path}`, { as: outsider, ...(method === "PUT" ? { body } : {}) });
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    // Viewers see only ready videos, and so only their captions.
    await sql`update videos set status = 'processing' where id = ${videoId}`;
    expect((await api.call("GET", `/videos/${videoId}/captions`, { as: viewer })).status).toBe(404);
    expect((await api.call("GET", `/videos/${videoId}/captions`, { as: owner })).status).toBe(200);
  });

  test("the master playlist lists each track as SUBTITLES with a WebVTT playlist mapped onto the segments' clock", async ({ api, world, request }, testInfo) => {
    test.setTimeout(120_000);
    const file = await makeVideoFixture({ path: testInfo.outputPath("captioned.mp4"), seconds: 4, width: 640, height: 360 });
    const data = new Uint8Array(await readFile(file));
    const { owner, viewer } = world.users;
    const init = await api.init(owner, { courseId: world.courseId, fileSize: data.length });
    await api.uploadAll(owner, init.body.data, data);
    const videoId = init.body.data.videoId;
    let video: VideoDto | undefined;
    await expect
      .poll(async () => {
        video = (await api.call<VideoDto>("GET", `/videos/${videoId}`, { as: owner })).body.data;
        return video.status;
      }, { timeout: 90_000 })
      .toBe("ready");
    const masterUrl = video?.cdnUrl ?? "";
    const get = (url: string) => request.get(url, { headers: { authorization: `Bearer ${viewer.token}` } });

    expect(await (await get(masterUrl)).text()).not.toContain("SUBTITLES");
    const cue = "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nHello\n";
    expect((await api.call("PUT", `/videos/${videoId}/captions/en`, { as: owner, body: { format: "vtt", content: cue } })).status).toBe(201);
    expect((await api.call("PUT", `/videos/${videoId}/captions/es`, { as: owner, body: { format: "vtt", content: cue.replace("Hello", "Hola"), kind: "subtitles" } })).status).toBe(201);

    const master = await get(masterUrl);
    expect(master.headers()["cache-control"]).toBe("private, max-age=0");
    const lines = (await master.text()).split("\n");
    // A CMAF video's audio rendition comes first, then the caption tracks.
    expect(lines.filter((line) => line.startsWith("#EXT-X-MEDIA:TYPE=AUDIO,"))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith("#EXT-X-MEDIA:TYPE=SUBTITLES,"))).toEqual([
      expect.stringMatching(/^#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",DEFAULT=NO,AUTOSELECT=YES,.*URI="subtitles\/en\.m3u8\?v=1"$/),
      expect.stringMatching(/^#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="Español",LANGUAGE="es",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI="subtitles\/es\.m3u8\?v=1"$/),
    ]);
    for (const variant of lines.filter((line) => line.startsWith("#EXT-X-STREAM-INF:"))) expect(variant).toContain('SUBTITLES="subs"');

    const playlistUrl = new URL("subtitles/en.m3u8?v=1", new URL(masterUrl, "http://app/")).pathname + "?v=1";
    const playlist = await get(playlistUrl);
    expect(playlist.headers()["content-type"]).toBe("application/vnd.apple.mpegurl");
    expect((await playlist.text()).split("\n")).toEqual(["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:4", "#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-PLAYLIST-TYPE:VOD", expect.stringMatching(/^#EXTINF:[34]\.\d{3},$/), "en.vtt?v=1", "#EXT-X-ENDLIST", ""]);
    const segment = await get(playlistUrl.replace("en.m3u8", "en.vtt"));
    expect(segment.headers()["content-type"]).toBe("text/vtt; charset=utf-8");
    // Cue time 0 is mapped onto the first CMAF fragment's decode time (90 kHz clock), which ffmpeg starts at 0 (its
    // start offset lives in the edit list); MPEG-TS videos map it about 1.4 s in (tests/unit/captions).
    const segmentText = await segment.text();
    const mapped = /^WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:(\d+),LOCAL:00:00:00\.000\n\n00:00:01\.000 --> 00:00:02\.500\nHello\n$/.exec(segmentText);
    expect(mapped, segmentText).not.toBeNull();
    expect(Number(mapped?.[1])).toBe(0);

    expect((await get(playlistUrl.replace("en.m3u8", "de.m3u8"))).status()).toBe(404);
    expect((await request.get(playlistUrl, { headers: { authorization: `Bearer ${world.users.outsider.token}` } })).status()).toBe(404);
  });
});
