/**
 * `npm run upload -- <file> --course <courseId> --title "…" [options]`: uploads a
 * video straight to storage; `--replace <videoId>` uploads a new source for an existing video instead. Interrupted uploads (Ctrl-C, a lost connection)
 * continue where they stopped when the same command runs again. The video id
 * is the last line on stdout.
 */
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { formatBytes } from "@/lib/format-bytes";
import { createUpload, createUploadApi, UploadError, type UploadedVideo, type UploadProgress, type UploadStarted } from "@/lib/upload-client";
import { openFileSource, type NodeFileSource } from "@/lib/upload-client/node-file-source";
import { descriptionSchema, difficultySchema, languageSchema, tagsSchema, titleSchema } from "@/lib/videos/schemas";

const usage = `Usage: npm run upload -- <file> --course <courseId> --title "…" [--lesson <id>] [--description …]
  [--tags a,b] [--difficulty beginner|intermediate|advanced] [--language en] [--concurrency 4]
  [--url http://localhost:3000] [--token <token>]
   or: npm run upload -- <file> --replace <videoId> [--concurrency 4] [--url …] [--token …]
  (a new source for the video: it keeps its title, lesson and details, and plays the old version until the new one is processed)
The token defaults to $LECTERN_TOKEN (create one with npm run token -- <email>), the URL to $LECTERN_URL.`;

const CONTENT_TYPES: Record<string, string> = {
  ".mp4": "video/mp4",
  ".webm": "video/webm",
  ".mov": "video/quicktime",
  ".avi": "video/x-msvideo",
};

const argsSchema = z
  .object({
  file: z
    .string({ message: "Give the video file to upload." })
    .refine((file) => Object.hasOwn(CONTENT_TYPES, path.extname(file).toLowerCase()), "The file must be .mp4, .webm, .mov or .avi."),
  course: z.uuid({ message: "--course must be a course id (a UUID)." }).optional(),
  title: z.string().pipe(titleSchema).optional(),
  replace: z.uuid({ message: "--replace must be a video id (a UUID)." }).optional(),
  lesson: z.uuid({ message: "--lesson must be a lesson id (a UUID)." }).optional(),
  description: descriptionSchema.optional(),
  tags: z
    .string()
    .transform((tags) => tags.split(",").map((tag) => tag.trim()).filter(Boolean))
    .pipe(tagsSchema)
    .optional(),
  difficulty: difficultySchema.optional(),
  language: languageSchema.optional(),
  concurrency: z.coerce.number().int().min(1, "--concurrency must be 1 to 16.").max(16, "--concurrency must be 1 to 16.").default(4),
  url: z.url({ protocol: /^https?$/, message: "--url must be an http(s) URL such as http://localhost:3000." }),
  token: z.string({ message: "Pass --token or set LECTERN_TOKEN (create one with npm run token -- <email>)." }).min(1),
})
  .superRefine((args, context) => {
    if (args.replace) {
      for (const field of ["course", "title", "lesson", "description", "tags", "difficulty", "language"] as const) {
        if (args[field] !== undefined) context.addIssue({ code: "custom", path: [field], message: `--${field} does not go with --replace: a replaced video keeps its details.` });
      }
    }
  });
type Args = z.infer<typeof argsSchema>;

const flag = { type: "string" } as const;
const options = {
  course: flag,
  title: flag,
  replace: flag,
  lesson: flag,
  description: flag,
  tags: flag,
  difficulty: flag,
  language: flag,
  concurrency: flag,
  url: flag,
  token: flag,
  help: { type: "boolean", short: "h" },
} as const;

/** The arguments, "help", or a message saying what is wrong with them. */
function parseArguments(argv: string[]): Args | "help" | { problem: string } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options });
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (positionals.length > 1) return { problem: `Upload one file at a time (got ${positionals.length}).` };
  const result = argsSchema.safeParse({
    ...values,
    file: positionals[0],
    url: values.url ?? process.env.LECTERN_URL ?? "http://localhost:3000",
    token: values.token ?? (process.env.LECTERN_TOKEN || undefined),
  });
  // Checked apart from the schema, so they are reported alongside any other problem.
  const missing = values.replace
    ? []
    : [
        ...(values.course ? [] : ["✖ --course is required (or --replace <videoId>).\n  → at course"]),
        ...(values.title ? [] : ["✖ --title is required.\n  → at title"]),
      ];
  const problems = [...(result.success ? [] : [z.prettifyError(result.error)]), ...missing];
  return result.success && problems.length === 0 ? result.data : { problem: problems.join("\n") };
}

// --- Resume: unfinished uploads by (server, course, file path, size, mtime) ---

type Unfinished = { baseUrl: string; courseId: string; file: string; size: number; mtimeMs: number; videoId: string };

const unfinishedSchema = z.array(
  z.object({ baseUrl: z.string(), courseId: z.string(), file: z.string(), size: z.number(), mtimeMs: z.number(), videoId: z.string() }),
);

function cacheFile(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  const root = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), ".cache");
  return path.join(root, "lectern", "uploads.json");
}

async function readUnfinished(): Promise<Unfinished[]> {
  try {
    const parsed = unfinishedSchema.safeParse(JSON.parse(await readFile(cacheFile(), "utf8")));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

type UploadKey = Omit<Unfinished, "videoId">;

const samePath = (a: UploadKey, b: UploadKey) => a.baseUrl === b.baseUrl && a.courseId === b.courseId && a.file === b.file;
const sameFile = (a: UploadKey, b: UploadKey) => samePath(a, b) && a.size === b.size && a.mtimeMs === b.mtimeMs;

/** Replaces the entry for the key's path (a file changed since is a new upload) with `entry`, or removes it; writes atomically. */
async function saveUnfinished({ key, entry }: { key: UploadKey; entry?: Unfinished }) {
  const entries = (await readUnfinished()).filter((existing) => !samePath(existing, key));
  if (entry) entries.push(entry);
  const file = cacheFile();
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(entries, null, 2)}\n`);
  await rename(temporary, file);
}

/** The resume cache is a convenience: failing to write it must not fail the upload. */
function warnCacheFailure(error: unknown) {
  console.error(`Warning: could not update ${cacheFile()}: ${error instanceof Error ? error.message : String(error)}`);
}

// --- Progress on stderr ---

function formatDuration(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

function createProgressLine() {
  const tty = process.stderr.isTTY;
  let lastStep = -1;
  let open = false;
  return {
    update(progress: UploadProgress) {
      // Parts on their way count too, so a big part shows movement before storage confirms it.
      const sent = Math.min(progress.totalBytes, progress.bytesDone + progress.bytesSending);
      const percent = progress.totalBytes > 0 ? (sent / progress.totalBytes) * 100 : 100;
      const speed = progress.bytesPerSecond > 0 ? `, ${formatBytes(progress.bytesPerSecond)}/s` : "";
      const left = progress.secondsLeft === null ? "" : `, ${formatDuration(progress.secondsLeft)} left`;
      const line = `${percent.toFixed(1)}% ${formatBytes(sent)} of ${formatBytes(progress.totalBytes)} (${progress.partsDone}/${progress.partCount} parts stored${speed}${left})`;
      if (tty) {
        process.stderr.write(`\r\x1b[2K${line}`);
        open = true;
        return;
      }
      const step = Math.floor(percent / 5);
      if (step === lastStep) return;
      lastStep = step;
      process.stderr.write(`${line}\n`);
    },
    /** Ends the updating line so the next message starts on its own. */
    end() {
      if (open) process.stderr.write("\n");
      open = false;
    },
  };
}

// --- Main ---

/** The server no longer has the upload (gone, finished or aborted), or it was another file: start again rather than fail. */
const cannotResume = (error: unknown): error is UploadError =>
  error instanceof UploadError && (error.code === "source_mismatch" || error.status === 404 || error.status === 409 || error.status === 410);

async function upload({ args, source, key, signal }: { args: Args; source: NodeFileSource; key: UploadKey; signal: AbortSignal }): Promise<UploadedVideo> {
  const api = createUploadApi({ baseUrl: args.url, headers: { authorization: `Bearer ${args.token}` } });
  const progress = createProgressLine();
  const start = args.replace
    ? { replace: { videoId: args.replace } }
    : {
        init: {
          courseId: args.course ?? "",
          lessonId: args.lesson,
          metadata: { title: args.title ?? "", description: args.description, tags: args.tags, difficulty: args.difficulty, language: args.language },
        },
      };
  let started = false;
  const common = {
    api,
    source,
    signal,
    concurrency: args.concurrency,
    onProgress: progress.update,
    onStart: async ({ videoId, partCount, partsStored, resumed }: UploadStarted) => {
      started = true;
      if (resumed) console.error(`Resuming upload ${videoId}: ${partsStored} of ${partCount} parts already stored`);
      else await saveUnfinished({ key, entry: { ...key, videoId } }).catch(warnCacheFailure);
    },
  };

  const saved = (await readUnfinished()).find((entry) => sameFile(entry, key));
  try {
    if (saved) {
      try {
        return await createUpload({ ...common, resume: { videoId: saved.videoId } }).done;
      } catch (error) {
        if (started || !cannotResume(error)) throw error;
        console.error(`Upload ${saved.videoId} cannot be resumed: ${error.message} Starting a new one.`);
      }
    }
    return await createUpload({ ...common, ...start }).done;
  } finally {
    progress.end();
  }
}

async function main(): Promise<number> {
  const args = parseArguments(process.argv.slice(2));
  if (args === "help") {
    console.log(usage);
    return 0;
  }
  if ("problem" in args) {
    console.error(`${args.problem}\n\n${usage}`);
    return 2;
  }
  const file = path.resolve(args.file);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile() || info.size === 0) {
    console.error(`${args.file} ${info ? "is not a non-empty file" : "does not exist or cannot be read"}.`);
    return 2;
  }

  const contentType = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
  const source = await openFileSource({ file, type: contentType });
  // A replacement is remembered under its video, apart from uploads of the same file as a new video.
  const courseId = args.replace ? `replace:${args.replace}` : (args.course ?? "");
  const key = { baseUrl: args.url.replace(/\/+$/, ""), courseId, file, size: info.size, mtimeMs: info.mtimeMs };
  const controller = new AbortController();
  const onInterrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on("SIGINT", onInterrupt);
  try {
    const video = await upload({ args, source, key, signal: controller.signal });
    await saveUnfinished({ key }).catch(warnCacheFailure);
    console.error(`Uploaded ${source.name} as video ${video.id} (${video.status}).`);
    console.log(video.id);
    return 0;
  } catch (error) {
    if (error instanceof UploadError && error.code === "aborted") {
      console.error("Stopped. Run the same command again to resume the upload.");
      return 130;
    }
    // The server says the upload is over (finished, aborted or swept): the next run starts a new one.
    if (error instanceof UploadError && error.status === 409) await saveUnfinished({ key }).catch(warnCacheFailure);
    console.error(`Upload failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    process.off("SIGINT", onInterrupt);
    await source.close();
  }
}

process.exitCode = await main();
