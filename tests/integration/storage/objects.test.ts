import { Readable } from "node:stream";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, describe, expect, it } from "vitest";
import { storageErrorCode } from "@/lib/storage/storage";
import { bytes, s3ErrorOf, storageTarget } from "../../helpers/storage-target";

const target = storageTarget();
const { storage, prefix, config } = target;
afterAll(async () => {
  await storage.deletePrefix({ prefix }).catch(() => {});
  target.close();
});

async function text(body: Readable) {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("objects", () => {
  const data = bytes(100_000, 11);

  it("puts a stream of known length and reads it back, whole and by range", async () => {
    const key = `${prefix}ranges.bin`;
    await storage.putObject({ key, body: Readable.from([data.subarray(0, 40_000), data.subarray(40_000)]), contentLength: data.length, contentType: "application/octet-stream" });

    const whole = await storage.getObjectStream({ key });
    expect(whole.contentLength).toBe(data.length);
    expect((await text(whole.body)).equals(data)).toBe(true);

    const middle = await storage.getObjectStream({ key, range: { start: 10, end: 19 } });
    expect(middle.contentRange).toBe(`bytes 10-19/${data.length}`);
    expect((await text(middle.body)).equals(data.subarray(10, 20))).toBe(true);

    const tail = await storage.getObjectStream({ key, range: { start: 99_990 } });
    expect((await text(tail.body)).equals(data.subarray(99_990))).toBe(true);

    const url = await storage.presignGetObject({ key, expiresIn: 60 });
    const suffix = await fetch(url, { headers: { range: "bytes=-5" } });
    expect(suffix.status).toBe(206);
    expect(suffix.headers.get("content-range")).toBe(`bytes 99995-99999/${data.length}`);
    expect(Buffer.from(await suffix.arrayBuffer()).equals(data.subarray(-5))).toBe(true);

    const beyond = await fetch(url, { headers: { range: `bytes=${data.length}-` } });
    expect(await s3ErrorOf(beyond)).toMatchObject({ status: 416, code: "InvalidRange" });
  });

  it("heads, serves a download name, and deletes", async () => {
    const key = `${prefix}report.txt`;
    await storage.putObject({ key, body: "hello", contentType: "text/plain" });
    expect(await storage.headObject({ key })).toMatchObject({ size: 5, contentType: "text/plain" });

    const download = await fetch(await storage.presignGetObject({ key, expiresIn: 60, filename: "Lesson 1 – notes.txt" }));
    expect(download.headers.get("content-disposition")).toBe("attachment; filename*=UTF-8''Lesson%201%20%E2%80%93%20notes.txt");
    expect(await download.text()).toBe("hello");

    await storage.deleteObjects({ keys: [key] });
    expect(await storage.headObject({ key })).toBeUndefined();
    await storage.deleteObjects({ keys: [key] }); // deleting what is gone is not an error
    const error = await storage.getObjectStream({ key }).then(() => "found", storageErrorCode);
    expect(error).toBe("NoSuchKey");
  });

  it("lists by prefix with continuation, and deletes many and by prefix", async () => {
    const keys = Array.from({ length: 7 }, (_, index) => `${prefix}list/item-${index}.txt`);
    await Promise.all(keys.map((key) => storage.putObject({ key, body: key, contentType: "text/plain" })));
    expect(await storage.listKeys({ prefix: `${prefix}list/`, pageSize: 3 })).toEqual(keys);

    await storage.deleteObjects({ keys: keys.slice(0, 2) });
    expect(await storage.listKeys({ prefix: `${prefix}list/` })).toEqual(keys.slice(2));
    expect(await storage.deletePrefix({ prefix: `${prefix}list/`, pageSize: 2 })).toBe(5);
    expect(await storage.listKeys({ prefix: `${prefix}list/` })).toEqual([]);
  });

  it("groups keys under a delimiter into common prefixes, across pages", async () => {
    const base = `${prefix}tree/`;
    const keys = ["a/1", "a/2", "b/1", "c", "d/1", "e"].map((key) => `${base}${key}`);
    await Promise.all(keys.map((key) => storage.putObject({ key, body: "x", contentType: "text/plain" })));
    const seen: { contents: string[]; prefixes: string[] }[] = [];
    let token: string | undefined;
    do {
      const page = await target.client.send(
        new ListObjectsV2Command({ Bucket: config.bucket, Prefix: base, Delimiter: "/", MaxKeys: 2, ContinuationToken: token }),
      );
      seen.push({
        contents: (page.Contents ?? []).map((object) => object.Key?.slice(base.length) ?? ""),
        prefixes: (page.CommonPrefixes ?? []).map((entry) => entry.Prefix?.slice(base.length) ?? ""),
      });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    expect(seen.flatMap((page) => page.prefixes)).toEqual(["a/", "b/", "d/"]);
    expect(seen.flatMap((page) => page.contents)).toEqual(["c", "e"]);
    expect(seen.every((page) => page.contents.length + page.prefixes.length <= 2)).toBe(true);
  });

  it("builds public URLs under STORAGE_PUBLIC_URL without double slashes", () => {
    const url = storage.publicUrl({ key: "videos/c/v/poster 1.jpg" });
    if (config.publicUrl) expect(url).toBe("https://cdn.example.com/media/videos/c/v/poster%201.jpg");
    else expect(url).toBeUndefined();
  });
});
