/**
 * `npm run bench:storage`: uploads 1 GiB through presigned UploadPart URLs
 * (8 MiB parts, 4 in parallel, the browser's way) and completes, then the
 * same file with @aws-sdk/lib-storage's Upload, each against a fresh local
 * store in its own process. Prints throughput and the store's peak RSS.
 * BENCH_SIZE_MIB changes the size.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Upload } from "@aws-sdk/lib-storage";
import { LOCAL_STORAGE_DEFAULTS } from "@/lib/development-defaults";
import { createS3Client, createStorage, type StorageConfig } from "@/lib/storage/storage";

const MiB = 1024 * 1024;
const SIZE = Number(process.env.BENCH_SIZE_MIB || 1024) * MiB;
const PART_SIZE = 8 * MiB;
const CONCURRENCY = 4;
const defaults = LOCAL_STORAGE_DEFAULTS;

type Result = { name: string; seconds: number; completeSeconds?: number; peakRssMiB: number };

async function main() {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), "lectern-bench-"));
  try {
    const source = path.join(work, "source.bin");
    await writeSource(source);
    console.log(`source: ${(SIZE / MiB).toFixed(0)} MiB, parts of ${PART_SIZE / MiB} MiB, ${CONCURRENCY} in parallel\n`);
    const results = [
      await withStore(path.join(work, "store-presigned"), (config) => presignedUpload(config, source)),
      await withStore(path.join(work, "store-lib-storage"), (config) => libStorageUpload(config, source)),
    ];
    print(results);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** The browser's way: presigned part URLs, each part read by slice and PUT with fetch. */
async function presignedUpload(config: StorageConfig, source: string) {
  const storage = createStorage(config);
  const key = "bench/presigned.bin";
  const started = performance.now();
  const { uploadId } = await storage.createMultipartUpload({ key, contentType: "application/octet-stream" });
  const count = Math.ceil(SIZE / PART_SIZE);
  const parts: { partNumber: number; etag: string }[] = [];
  let next = 1;
  const file = await fs.open(source);
  const worker = async () => {
    const buffer = Buffer.alloc(PART_SIZE);
    for (let partNumber = next++; partNumber <= count; partNumber = next++) {
      const offset = (partNumber - 1) * PART_SIZE;
      const length = Math.min(PART_SIZE, SIZE - offset);
      await file.read(buffer, 0, length, offset);
      const url = await storage.presignUploadPart({ key, uploadId, partNumber, contentLength: length, expiresIn: 3600 });
      const response = await fetch(url, { method: "PUT", body: buffer.subarray(0, length) });
      if (!response.ok) throw new Error(`part ${partNumber}: ${response.status}`);
      parts.push({ partNumber, etag: response.headers.get("etag") ?? "" });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await file.close();
  const completeStarted = performance.now();
  await storage.completeMultipartUpload({ key, uploadId, parts: parts.sort((a, b) => a.partNumber - b.partNumber) });
  const done = performance.now();
  storage.destroy();
  return { name: "presigned parts + fetch", seconds: (done - started) / 1000, completeSeconds: (done - completeStarted) / 1000 };
}

async function libStorageUpload(config: StorageConfig, source: string) {
  const client = createS3Client(config);
  const started = performance.now();
  await new Upload({
    client,
    params: { Bucket: config.bucket, Key: "bench/lib-storage.bin", Body: createReadStream(source), ContentType: "application/octet-stream" },
    partSize: PART_SIZE,
    queueSize: CONCURRENCY,
  }).done();
  const seconds = (performance.now() - started) / 1000;
  client.destroy();
  return { name: "@aws-sdk/lib-storage Upload", seconds };
}

/** Runs `run` against a fresh store in a child process and reads that process's peak RSS (VmHWM). */
async function withStore(dataDir: string, run: (config: StorageConfig) => Promise<Omit<Result, "peakRssMiB">>): Promise<Result> {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "dev/s3-store/main.ts", "--data-dir", dataDir, "--port", "0", "--admin-port", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const endpoint = await ready(child);
    const config: StorageConfig = {
      endpoint,
      region: defaults.region,
      bucket: defaults.bucket,
      credentials: { accessKeyId: defaults.accessKeyId, secretAccessKey: defaults.secretAccessKey },
      forcePathStyle: true,
      provider: "local",
    };
    const result = await run(config);
    const status = await fs.readFile(`/proc/${child.pid}/status`, "utf8").catch(() => "");
    const peakKiB = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return { ...result, peakRssMiB: peakKiB / 1024 };
  } finally {
    child.kill("SIGTERM");
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

function ready(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /READY (\{.*\})/.exec(output);
      if (match?.[1]) resolve((JSON.parse(match[1]) as { endpoint: string }).endpoint);
    });
    child.once("exit", (code) => reject(new Error(`store exited with ${code}`)));
  });
}

/** An incompressible file written in 8 MiB blocks (never the whole file in memory). */
async function writeSource(file: string) {
  const block = randomBytes(PART_SIZE);
  const out = createWriteStream(file);
  for (let written = 0; written < SIZE; written += PART_SIZE) {
    const chunk = block.subarray(0, Math.min(PART_SIZE, SIZE - written));
    chunk[0] = written / PART_SIZE; // no two blocks identical
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

function print(results: Result[]) {
  const mb = SIZE / 1e6;
  console.log("| upload | time | throughput | of which Complete | store peak RSS |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const result of results) {
    const complete = result.completeSeconds === undefined ? "–" : `${result.completeSeconds.toFixed(2)} s`;
    console.log(
      `| ${result.name} | ${result.seconds.toFixed(2)} s | ${(mb / result.seconds).toFixed(0)} MB/s | ${complete} | ${result.peakRssMiB.toFixed(0)} MiB |`,
    );
  }
  const worst = Math.max(...results.map((result) => result.peakRssMiB));
  console.log(`\nstore peak RSS target: under 200 MB — ${worst * 1.048576 < 200 ? "met" : "NOT met"} (${(worst * 1.048576).toFixed(0)} MB at most)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
