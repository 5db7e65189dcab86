import { createHash } from "node:crypto";
import { access, mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { resolveBinaries, runFfmpeg, runFfprobe } from "@/lib/processing/ffmpeg";

/** Bump when the picture or the sound changes, so cached files of the old recipe are not reused. */
const RECIPE_VERSION = 1;
const FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
const CACHE_DIR = path.join(process.cwd(), ".data", "fixtures");

export type LectureFixtureOptions = {
  seconds: number;
  /** Where the cache lives (.data/fixtures by default). */
  cacheDir?: string;
  width?: number;
  height?: number;
  rate?: number;
};

/** A codec a browser does not play as is, so the pipeline must encode before anything plays (issue 14's 0.25× goal). */
export type NeedsEncodingCodec = "hevc" | "vp9" | "h264-10bit";

const ffmpegBinary = () => resolveBinaries({ ffmpegPath: process.env.FFMPEG_PATH }).ffmpeg;

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/**
 * The file for `key` under .data/fixtures, made by `make` the first time only (written under a temporary name and
 * renamed, so an interrupted run never leaves a half file that later runs would take for the fixture).
 */
export async function cachedFixture({
  name,
  key,
  make,
  cacheDir = CACHE_DIR,
}: {
  name: string;
  key: unknown;
  make: (output: string) => Promise<void>;
  cacheDir?: string;
}): Promise<{ path: string; generated: boolean }> {
  const hash = createHash("sha256").update(JSON.stringify({ key, RECIPE_VERSION })).digest("hex").slice(0, 12);
  const file = path.join(cacheDir, `${name}-${hash}.mp4`);
  if (await exists(file)) return { path: file, generated: false };
  await mkdir(cacheDir, { recursive: true });
  const partial = `${file}.partial-${process.pid}.mp4`;
  try {
    await make(partial);
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
  return { path: file, generated: true };
}

async function ffmpegHas({ list, name }: { list: "-filters" | "-encoders"; name: string }): Promise<boolean> {
  const output = await runFfprobe({ binary: ffmpegBinary(), args: ["-hide_banner", list] }).catch(() => "");
  return output.split("\n").some((line) => line.trim().split(/\s+/)[1] === name);
}

const encode = ({ args, seconds }: { args: string[]; seconds: number }) =>
  runFfmpeg({ binary: ffmpegBinary(), args: ["-y", ...args], timeoutMs: Math.round(600_000 + seconds * 10_000), stallMs: 120_000 });

/** Escapes a drawtext text for the filter graph (its own level, then the graph's). */
const drawtextText = (text: string) => text.replace(/\\/g, "\\\\").replace(/:/g, "\\:").replace(/'/g, "\\'").replace(/,/g, "\\,");

/**
 * The slide shown at time t: one every 25–42 s (30 s on average, wobbling so the changes do not fall on a grid).
 * A monotone expression, so each slide shows once.
 */
const SLIDE = "floor(t/30+0.33*sin(t/47))";

/** Slide text: a title and bullets whose numbers follow the slide (drawtext's %{eif:…} expansion), so each slide differs. */
function slideText({ width, height }: { width: number; height: number }): string[] {
  const scale = height / 1080;
  const size = (value: number) => Math.max(8, Math.round(value * scale));
  const number = (expression: string) => `%{eif:${expression}:d}`;
  const slide = (multiplier: number, offset: number, modulo: number) => `mod(${SLIDE}*${multiplier}+${offset},${modulo})`;
  const lines = [
    `• Point ${number(slide(7, 3, 19))}: a diagram and a worked example`,
    `• Measured value ${number(slide(37, 11, 997))} ± ${number(slide(13, 5, 97))} units`,
    `• See chapter ${number(`${slide(5, 2, 12)}+1`)}, exercise ${number(`${slide(11, 1, 30)}+1`)}`,
    `• Takeaway ${number(`${slide(3, 1, 9)}+1`)}: compare both approaches`,
    `• Next: question ${number(`${slide(17, 4, 40)}+1`)} from the reading`,
  ];
  const draw = ({ text, fontSize, color, y }: { text: string; fontSize: number; color: string; y: number }) =>
    `drawtext=fontfile=${FONT}:fontsize=${size(fontSize)}:fontcolor=${color}:x=${size(60)}:y=${size(y)}:text='${drawtextText(text)}'`;
  void width;
  return [
    draw({ text: `Lecture 7 · Slide ${number(`${SLIDE}+1`)}`, fontSize: 64, color: "white", y: 28 }),
    ...lines.map((text, index) => draw({ text, fontSize: 40, color: "0x222222", y: 200 + index * 80 })),
  ];
}

/** Without a font (or a drawtext filter): bars where the text lines would be, their lengths following the slide. */
function slideBars({ height }: { width: number; height: number }): string[] {
  const scale = height / 1080;
  const px = (value: number) => Math.round(value * scale);
  return Array.from({ length: 5 }, (_, index) =>
    `drawbox=x=${px(80)}:y=${px(200 + index * 80)}:w=${px(400)}+mod(${SLIDE}*${97 + index * 31}\\,${px(800)}):h=${px(36)}:color=0x333333@1:t=fill`,
  );
}

/**
 * The lecture's filter graph: a slide (header band, text, two "chart" bars, all changing with the slide), a talking
 * head in the bottom right corner (a moving test pattern with camera-like noise, changing every frame), and a red
 * pointer gliding over the slide. Audio: a voice-like tone (a wobbling pitch with two harmonics, syllables at ~4.6 Hz,
 * pauses) over faint pink noise, mono 48 kHz.
 */
function lectureGraph({ width, height, text }: { width: number; height: number; text: boolean }): string {
  const scale = height / 1080;
  const px = (value: number) => Math.round(value * scale);
  const slide = [
    `drawbox=x=0:y=0:w=iw:h=${px(120)}:color=0x1f3a5f@1:t=fill`,
    `drawbox=x=${px(1100)}:y=${px(300)}+mod(${SLIDE}*59\\,${px(200)}):w=${px(120)}:h=${px(200)}+mod(${SLIDE}*97\\,${px(300)}):color=0x3b7dd8@1:t=fill`,
    `drawbox=x=${px(1260)}:y=${px(250)}+mod(${SLIDE}*83\\,${px(200)}):w=${px(120)}:h=${px(250)}+mod(${SLIDE}*41\\,${px(300)}):color=0xd8843b@1:t=fill`,
    ...(text ? slideText({ width, height }) : slideBars({ width, height })),
  ];
  const margin = px(40);
  return [
    `[0:v]${slide.join(",")}[slide]`,
    "[1:v]noise=alls=14:allf=t+u[head]",
    `[slide][head]overlay=x=W-w-${margin}:y=H-h-${margin}[withhead]`,
    `[withhead][2:v]overlay=x='${px(200)}+${px(1400)}*(0.5+0.5*sin(0.23*t))':y='${px(200)}+${px(500)}*(0.5+0.5*sin(0.31*t+1))'[v]`,
    "[3:a][4:a]amix=inputs=2:normalize=0,aformat=channel_layouts=mono[a]",
  ].join(";");
}

const VOICE =
  "(0.5*sin(2*PI*(130+25*sin(2*PI*0.7*t))*t)+0.2*sin(4*PI*(130+25*sin(2*PI*0.7*t))*t)+0.08*sin(6*PI*(130+25*sin(2*PI*0.7*t))*t))" +
  "*pow(abs(sin(2*PI*2.3*t)),2)*gt(sin(2*PI*0.17*t)+0.3*sin(2*PI*0.53*t),-0.7)";

/**
 * A lecture-like H.264/AAC MP4 made with ffmpeg's lavfi sources only (deterministic): slides that change every
 * 25–42 s, a moving pointer, a noisy talking-head inset, a voice-like sound. Encoded once (x264 veryfast, CRF 20,
 * a keyframe every 2 s as screen recorders write them) and cached under .data/fixtures by its parameters.
 */
export async function makeLectureFixture({ seconds, width = 1920, height = 1080, rate = 30, cacheDir }: LectureFixtureOptions) {
  const text = (await exists(FONT)) && (await ffmpegHas({ list: "-filters", name: "drawtext" }));
  const scale = height / 1080;
  const head = `${Math.round((480 * scale) / 2) * 2}x${Math.round((270 * scale) / 2) * 2}`;
  const pointer = Math.max(4, Math.round(24 * scale));
  return cachedFixture({
    cacheDir,
    name: `lecture-${seconds}s-${width}x${height}`,
    key: { seconds, width, height, rate, text },
    make: (output) =>
      encode({
        seconds,
        args: [
          "-f", "lavfi", "-i", `color=c=0xf4f1ea:s=${width}x${height}:r=${rate}:d=${seconds}`,
          "-f", "lavfi", "-i", `testsrc2=s=${head}:r=${rate}:d=${seconds}`,
          "-f", "lavfi", "-i", `color=c=red:s=${pointer}x${pointer}:r=${rate}:d=${seconds}`,
          "-f", "lavfi", "-i", `aevalsrc='${VOICE.replace(/,/g, "\\,")}':s=48000:d=${seconds}`,
          "-f", "lavfi", "-i", `anoisesrc=color=pink:seed=7:amplitude=0.02:r=48000:d=${seconds}`,
          "-filter_complex", lectureGraph({ width, height, text }),
          "-map", "[v]", "-map", "[a]",
          "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-g", String(rate * 2), "-pix_fmt", "yuv420p",
          "-c:a", "aac", "-b:a", "128k",
          "-t", String(seconds),
          output,
        ],
      }),
  });
}

/** The first codec of HEVC, VP9, 10-bit H.264 this ffmpeg can write. */
export async function needsEncodingCodec(): Promise<NeedsEncodingCodec> {
  if (await ffmpegHas({ list: "-encoders", name: "libx265" })) return "hevc";
  if (await ffmpegHas({ list: "-encoders", name: "libvpx-vp9" })) return "vp9";
  return "h264-10bit";
}

const CODEC_ARGS: Record<NeedsEncodingCodec, string[]> = {
  hevc: ["-c:v", "libx265", "-preset", "ultrafast", "-crf", "26", "-pix_fmt", "yuv420p", "-tag:v", "hvc1", "-x265-params", "log-level=error"],
  vp9: ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1", "-crf", "32", "-b:v", "0", "-pix_fmt", "yuv420p"],
  "h264-10bit": ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p10le"],
};

/** Re-encodes `input` (a lecture or an excerpt of it) to `codec`, audio copied. */
export async function reencodeForNeedsEncoding({ input, output, codec, seconds, rate = 30 }: { input: string; output: string; codec: NeedsEncodingCodec; seconds: number; rate?: number }) {
  await encode({ seconds, args: ["-i", input, "-map", "0:v:0", "-map", "0:a:0", ...CODEC_ARGS[codec], "-g", String(rate * 2), "-c:a", "copy", output] });
  return output;
}

/**
 * The lecture re-encoded to a codec browsers do not all play (HEVC where ffmpeg has libx265, else VP9, else 10-bit
 * H.264), audio copied: a source the pipeline cannot pass through. Cached like the lecture.
 */
export async function makeNeedsEncodingLectureFixture(options: LectureFixtureOptions & { codec?: NeedsEncodingCodec }) {
  const codec = options.codec ?? (await needsEncodingCodec());
  const lecture = await makeLectureFixture(options);
  const rate = options.rate ?? 30;
  const made = await cachedFixture({
    cacheDir: options.cacheDir,
    name: `lecture-${options.seconds}s-${options.width ?? 1920}x${options.height ?? 1080}-${codec}`,
    key: { lecture: path.basename(lecture.path), codec },
    make: async (output) => {
      await reencodeForNeedsEncoding({ input: lecture.path, output, codec, seconds: options.seconds, rate });
    },
  });
  return { ...made, codec, generated: made.generated || lecture.generated };
}

/**
 * `seconds` of the lecture from `start`, cut without re-encoding (a keyframe every 2 s, so the cut falls on one), or
 * that cut re-encoded to a needs-encoding `codec`: what the preset bench encodes. Cached like the lecture.
 */
export async function makeLectureExcerptFixture({
  lecture: options,
  start,
  seconds,
  codec,
}: {
  lecture: LectureFixtureOptions;
  start: number;
  seconds: number;
  codec?: NeedsEncodingCodec;
}) {
  const lecture = await makeLectureFixture(options);
  const name = `lecture-excerpt-${start}s+${seconds}s`;
  const cut = await cachedFixture({
    cacheDir: options.cacheDir,
    name,
    key: { lecture: path.basename(lecture.path), start, seconds },
    make: (output) =>
      encode({ seconds, args: ["-ss", String(start), "-i", lecture.path, "-t", String(seconds), "-map", "0", "-c", "copy", "-avoid_negative_ts", "make_zero", output] }),
  });
  if (!codec) return cut;
  return cachedFixture({
    cacheDir: options.cacheDir,
    name: `${name}-${codec}`,
    key: { cut: path.basename(cut.path), codec },
    make: async (output) => {
      await reencodeForNeedsEncoding({ input: cut.path, output, codec, seconds, rate: options.rate });
    },
  });
}
