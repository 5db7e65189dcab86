import { readFile } from "node:fs/promises";
import type { VideoDto } from "@/lib/videos/dto";
import { makeVideoFixture } from "../../helpers/video-fixtures";
import { expect, test } from "./world";

test.describe("processed media over HTTP", () => {
  test("members fetch the playlists, segments, poster and storyboard; nobody else does; staff can reprocess", async ({ api, world, request }, testInfo) => {
    test.setTimeout(120_000);
    const file = await makeVideoFixture({ path: testInfo.outputPath("clip.mp4"), seconds: 4, width: 640, height: 360 });
    const data = new Uint8Array(await readFile(file));
    const { owner, viewer, editor, outsider } = world.users;
    const init = await api.init(owner, { courseId: world.courseId, fileSize: data.length });
    const done = await api.uploadAll(owner, init.body.data, data);
    expect(done.body.data.status).toBe("uploaded");
    const videoId = init.body.data.videoId;

    let video: VideoDto | undefined;
    await expect
      .poll(async () => {
        video = (await api.call<VideoDto>("GET", `/videos/${videoId}`, { as: owner })).body.data;
        return video.status;
      }, { timeout: 90_000 })
      .toBe("ready");
    if (!video?.cdnUrl || !video.thumbnailUrl || !video.storyboardUrl) throw new Error("a ready video has media URLs");
    expect(video.transcodedVersions.map((version) => version.name)).toEqual(["360p"]);
    expect(video.processing).toMatchObject({ progressPercent: 100, stage: null, error: null });

    const get = (url: string, as?: { token: string }, maxRedirects = 0) =>
      request.get(url, { headers: as ? { authorization: `Bearer ${as.token}` } : {}, maxRedirects });

    const master = await get(video.cdnUrl, viewer);
    expect(master.status()).toBe(200);
    expect(master.headers()["content-type"]).toBe("application/vnd.apple.mpegurl");
    expect(await master.text()).toContain("RESOLUTION=640x360");
    const playlist = await (await get(video.cdnUrl.replace("master.m3u8", "360p/index.m3u8"), viewer)).text();
    const segments = playlist.split("\n").filter((line) => line.startsWith("http"));
    expect(segments.length).toBeGreaterThan(0);
    for (const segment of segments) expect((await request.get(segment)).status()).toBe(200); // presigned: no token needed

    // New videos are CMAF: they play as DASH too, through the same route and access rules.
    const dashUrl = video.cdnUrl.replace("hls/master.m3u8", "dash/manifest.mpd");
    const dash = await get(dashUrl, viewer);
    expect(dash.status()).toBe(200);
    expect(dash.headers()["content-type"]).toBe("application/dash+xml");
    expect(dash.headers()["cache-control"]).toMatch(/^private, max-age=[1-9][0-9]*$/);
    const mpd = await dash.text();
    expect(mpd).toMatch(/<MPD [^>]*type="static"/);
    const dashUrls = [...mpd.matchAll(/(?:sourceURL|media)="([^"]+)"/g)].map((match) => (match[1] ?? "").replace(/&amp;/g, "&"));
    expect(dashUrls.length).toBeGreaterThan(1);
    for (const url of dashUrls) expect((await request.get(url)).status()).toBe(200);
    expect((await get(dashUrl)).status()).toBe(401);
    const refused = await get(dashUrl, outsider);
    expect(refused.status()).toBe(404);
    expect(await refused.json()).toMatchObject({ error: { code: "not_found" } });

    const poster = await get(video.thumbnailUrl, editor);
    expect(poster.status()).toBe(302);
    expect((await request.get(poster.headers().location ?? "")).headers()["content-type"]).toBe("image/jpeg");
    expect(await (await get(video.storyboardUrl, viewer)).text()).toMatch(/^WEBVTT/);

    expect((await get(video.cdnUrl)).status()).toBe(401);
    expect((await get(video.cdnUrl, outsider)).status()).toBe(404);
    expect((await get(video.cdnUrl.replace("hls/master.m3u8", "source.mp4"), owner)).status()).toBe(404);

    const reprocessed = await api.call<VideoDto>("POST", `/videos/${videoId}/reprocess`, { as: editor });
    expect(reprocessed.status).toBe(403);
    const again = await api.call<VideoDto>("POST", `/videos/${videoId}/reprocess`, { as: owner });
    expect(again.status).toBe(202);
    // A ready video stays ready while it is processed again: the earlier renditions still play, for viewers too.
    expect(again.body.data).toMatchObject({ status: "ready", processing: { stage: "queued", progressPercent: 0 } });
    expect((await get(video.cdnUrl, owner)).status()).toBe(200);
    expect((await get(video.cdnUrl, viewer)).status()).toBe(200);
    expect((await api.call("POST", `/videos/${videoId}/reprocess`, { as: owner })).status).toBe(409);
    let republished: VideoDto | undefined;
    await expect
      .poll(async () => {
        republished = (await api.call<VideoDto>("GET", `/videos/${videoId}`, { as: viewer })).body.data;
        return [republished.status, republished.processing.stage];
      }, { timeout: 90_000 })
      .toEqual(["ready", null]);
    // Published at once under a new revision; the replaced one still plays while the URLs handed out for it last.
    if (!republished?.cdnUrl) throw new Error("a republished video has a cdnUrl");
    expect(republished.cdnUrl).not.toBe(video.cdnUrl);
    expect((await get(video.cdnUrl, viewer)).status()).toBe(200);
    const newPlaylist = await (await get(republished.cdnUrl.replace("master.m3u8", "360p/index.m3u8"), viewer)).text();
    const revision = /\/media\/(r\d+)\//.exec(republished.cdnUrl)?.[1];
    for (const segment of newPlaylist.split("\n").filter((line) => line.startsWith("http"))) {
      expect(segment).toContain(`/${revision}/`);
      expect((await request.get(segment)).status()).toBe(200);
    }
    // A player that loaded the old revision before the switch keeps playing it (the sweeper removes it once those URLs expire).
    expect((await request.get(segments[0] ?? "")).status()).toBe(200);
  });
});
