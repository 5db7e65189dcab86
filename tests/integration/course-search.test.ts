import { randomUUID } from "node:crypto";
import { sql as drizzleSql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db";
import { insertCaptionTrack, updateCaptionTrack } from "@/db/queries/caption-tracks";
import { courseSearchSql } from "@/db/queries/course-search";
import { courseAccessibility } from "@/lib/search/accessibility";
import { searchCourse } from "@/lib/search/course-search";
import { testDatabase } from "../helpers/db";

const { sql, close } = testDatabase();
afterAll(close);

async function course() {
  const courseId = randomUUID();
  const ownerId = randomUUID();
  const viewerId = randomUUID();
  await sql`insert into courses (id, title) values (${courseId}, 'Search test')`;
  for (const [id, role] of [
    [ownerId, "owner"],
    [viewerId, "viewer"],
  ] as const) {
    await sql`insert into users (id, email) values (${id}, ${`search-${id}@example.com`})`;
    await sql`insert into course_members (course_id, user_id, role) values (${courseId}, ${id}, ${role})`;
  }
  return { courseId, owner: { id: ownerId }, viewer: { id: viewerId } };
}

async function video({ courseId, title, description = null, tags = [], status = "ready" }: { courseId: string; title: string; description?: string | null; tags?: string[]; status?: string }) {
  const [row] = await sql<{ id: string }[]>`
    insert into videos (course_id, title, description, metadata, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status, duration_seconds)
    values (${courseId}, ${title}, ${description}, ${JSON.stringify({ tags })}::jsonb, 'v.mp4', 'local', 'lectern', ${`videos/${randomUUID()}/source.mp4`}, 1000, 'video/mp4', ${status}, 600)
    returning id`;
  if (!row) throw new Error("no video");
  return row.id;
}

const vtt = (cues: [number, number, string][]) =>
  `WEBVTT\n\n${cues.map(([start, end, text]) => `${new Date(start * 1000).toISOString().slice(11, 23)} --> ${new Date(end * 1000).toISOString().slice(11, 23)}\n${text}`).join("\n\n")}\n`;

const track = (content: string) => ({ label: "English", kind: "captions" as const, origin: "uploaded" as const, reviewed: true, content, cueCount: 1, updatedBy: null });

describe("the course search", () => {
  it("ranks a title match first, says which cues matched with highlighted words, and hides unready videos from viewers", async () => {
    const { courseId, owner, viewer } = await course();
    const titled = await video({ courseId, title: "Photosynthesis explained", description: "Light and leaves." });
    const tagged = await video({ courseId, title: "Plants, part two", tags: ["chlorophyll"] });
    const captioned = await video({ courseId, title: "Cells" });
    await insertCaptionTrack({
      videoId: captioned,
      language: "en",
      values: track(vtt([[1, 4, "Welcome back."], [12.5, 16, "Now <v Ana>photosynthesis</v> turns light into sugar."], [20, 22, "Goodbye."]])),
    });
    const hidden = await video({ courseId, title: "Draft", status: "processing" });
    await insertCaptionTrack({ videoId: hidden, language: "en", values: track(vtt([[3, 5, "More photosynthesis here."]])) });

    const found = await searchCourse({ actor: owner, courseId, query: { q: "photosynthesis", limit: 20, offset: 0 } });
    expect(found.data.map((hit) => hit.video.id)).toEqual([titled, ...[captioned, hidden].sort((a, b) => (found.data.findIndex((h) => h.video.id === a) < found.data.findIndex((h) => h.video.id === b) ? -1 : 1))]);
    expect(found.data[0]?.title).toEqual([{ text: "Photosynthesis", match: true }, { text: " explained", match: false }]);
    const cueHit = found.data.find((hit) => hit.video.id === captioned);
    expect(cueHit?.matchedDetails).toBe(false);
    expect(cueHit?.cueMatches).toBe(1);
    expect(cueHit?.cues).toEqual([
      { language: "en", startSeconds: 12.5, endSeconds: 16, text: [{ text: "Now ", match: false }, { text: "photosynthesis", match: true }, { text: " turns light into sugar", match: false }] },
    ]);

    const asViewer = await searchCourse({ actor: viewer, courseId, query: { q: "photosynthesis", limit: 20, offset: 0 } });
    expect(asViewer.data.map((hit) => hit.video.id).sort()).toEqual([titled, captioned].sort());

    // Tags, a prefix of the last word, phrases and the description.
    expect((await searchCourse({ actor: viewer, courseId, query: { q: "chloro", limit: 20, offset: 0 } })).data.map((hit) => hit.video.id)).toEqual([tagged]);
    expect((await searchCourse({ actor: viewer, courseId, query: { q: '"into sugar"', limit: 20, offset: 0 } })).data.map((hit) => hit.video.id)).toEqual([captioned]);
    expect((await searchCourse({ actor: viewer, courseId, query: { q: '"sugar into"', limit: 20, offset: 0 } })).data).toEqual([]);
    const leaves = await searchCourse({ actor: viewer, courseId, query: { q: "leaves", limit: 20, offset: 0 } });
    expect(leaves.data[0]?.description).toEqual([{ text: "Light and ", match: false }, { text: "leaves", match: true }]);
    // Punctuation only: no words, no hits (and no error).
    expect((await searchCourse({ actor: viewer, courseId, query: { q: "?!", limit: 20, offset: 0 } })).data).toEqual([]);
  });

  it("re-indexes a track's cues when it is rewritten, and pages with nextOffset", async () => {
    const { courseId, owner } = await course();
    const id = await video({ courseId, title: "Rewritten" });
    const row = await insertCaptionTrack({ videoId: id, language: "en", values: track(vtt([[1, 2, "alpha"]])) });
    if (!row) throw new Error("no track");
    await updateCaptionTrack({ id: row.id, values: track(vtt([[5, 6, "beta"]])) });
    expect((await searchCourse({ actor: owner, courseId, query: { q: "alpha", limit: 20, offset: 0 } })).data).toEqual([]);
    expect((await searchCourse({ actor: owner, courseId, query: { q: "beta", limit: 20, offset: 0 } })).data[0]?.cues[0]?.startSeconds).toBe(5);

    for (let n = 0; n < 3; n++) await video({ courseId, title: `Gamma ${n}` });
    const first = await searchCourse({ actor: owner, courseId, query: { q: "gamma", limit: 2, offset: 0 } });
    expect(first.data).toHaveLength(2);
    expect(first.nextOffset).toBe(2);
    const second = await searchCourse({ actor: owner, courseId, query: { q: "gamma", limit: 2, offset: 2 } });
    expect(second.data).toHaveLength(1);
    expect(second.nextOffset).toBeNull();
  });
});

describe("the accessibility report", () => {
  it("gives each video's caption state and the share of ready minutes with reviewed captions; viewers are refused", async () => {
    const { courseId, owner, viewer } = await course();
    const reviewed = await video({ courseId, title: "Reviewed" });
    await insertCaptionTrack({ videoId: reviewed, language: "en", values: track(vtt([[1, 2, "hi"]])) });
    const machine = await video({ courseId, title: "Machine" });
    await insertCaptionTrack({ videoId: machine, language: "fr", values: { ...track(vtt([[1, 2, "salut"]])), origin: "machine", reviewed: false } });
    const none = await video({ courseId, title: "None" });
    await sql`update videos set duration_seconds = 1200 where id = ${none}`;
    // Not ready: listed, but not part of the course's minutes.
    await video({ courseId, title: "Processing", status: "processing" });

    const report = await courseAccessibility({ actor: owner, courseId });
    expect(Object.fromEntries(report.videos.map((row) => [row.title, row.captionState]))).toEqual({ Reviewed: "reviewed", Machine: "unreviewed", None: "none", Processing: "none" });
    expect(report.videos.find((row) => row.id === machine)?.tracks).toEqual([{ language: "fr", label: "English", origin: "machine", reviewed: false }]);
    expect(report.readySeconds).toBe(2400);
    expect(report.reviewedSeconds).toBe(600);
    expect(report.reviewedShare).toBe(0.25);
    await expect(courseAccessibility({ actor: viewer, courseId })).rejects.toMatchObject({ status: 403 });
    await expect(courseAccessibility({ actor: { id: randomUUID() }, courseId })).rejects.toMatchObject({ status: 404 });
  });
});

type PlanNode = { "Node Type": string; "Index Name"?: string; "Relation Name"?: string; Plans?: PlanNode[] };
const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

describe("the search query's plan", () => {
  let fixture: Awaited<ReturnType<typeof course>>;
  beforeAll(async () => {
    fixture = await course();
    const other = await course();
    // Thousands of videos (most in other courses) and tens of thousands of cues, a few of which say "mitochondria".
    for (const { courseId, count } of [
      { courseId: fixture.courseId, count: 1000 },
      { courseId: other.courseId, count: 3000 },
    ]) {
      await sql`
        insert into videos (course_id, title, description, original_filename, storage_provider, storage_bucket, storage_key, file_size_bytes, mime_type, status, duration_seconds)
        select ${courseId}, 'Lecture ' || n, 'About topic ' || n, 'v.mp4', 'local', 'lectern', 'videos/' || gen_random_uuid() || '/source.mp4', 1000, 'video/mp4', 'ready', 600
        from generate_series(1, ${count}) n`;
    }
    await sql`
      insert into caption_tracks (video_id, language, label, kind, origin, reviewed, content, cue_count)
      select id, 'en', 'English', 'captions', 'machine', false, 'WEBVTT', 10 from videos where course_id in (${fixture.courseId}, ${other.courseId})`;
    await sql`
      insert into caption_cues (track_id, video_id, position, start_seconds, end_seconds, text)
      select t.id, t.video_id, n, n * 10, n * 10 + 5, case when n = 3 and random() < 0.02 then 'the mitochondria is the powerhouse' else 'word ' || n || ' of lecture ' || left(t.id::text, 8) end
      from caption_tracks t join videos v on v.id = t.video_id cross join generate_series(1, 10) n
      where v.course_id in (${fixture.courseId}, ${other.courseId})`;
    await sql`analyze videos`;
    await sql`analyze caption_cues`;
  }, 120_000);

  it("finds cues and videos through their GIN indexes, with no sequential scan of the cues", async () => {
    const query = courseSearchSql({ courseId: fixture.courseId, q: "mitochondria", prefixLast: true, statuses: ["ready"], limit: 21, offset: 0 });
    const [row] = (await db.execute(drizzleSql`explain (analyze, format json) ${query}`)) as unknown as { "QUERY PLAN": [{ Plan: PlanNode; "Execution Time": number }] }[];
    const plan = row?.["QUERY PLAN"][0];
    if (!plan) throw new Error("no plan");
    const all = nodes(plan.Plan);
    const indexes = all.map((node) => node["Index Name"]).filter(Boolean);
    expect(indexes).toContain("caption_cues_search_vector_idx");
    expect(indexes).toContain("videos_search_idx");
    expect(all.filter((node) => node["Node Type"] === "Seq Scan" && node["Relation Name"] === "caption_cues")).toEqual([]);
    const [counts] = await sql<{ videos: number; cues: number }[]>`select (select count(*)::int from videos) as videos, (select count(*)::int from caption_cues) as cues`;
    console.log(`course search plan over ${counts?.videos} videos and ${counts?.cues} cues (${plan["Execution Time"]} ms):`, JSON.stringify(plan.Plan, ["Node Type", "Index Name", "Relation Name", "Plans", "Actual Rows", "Actual Total Time"]));
  });
});

describe("highlighted", () => {
  it("splits ts_headline output into pieces and keeps a matched phrase in one", async () => {
    const { highlighted } = await import("@/lib/search/course-search");
    expect(highlighted("The \uE000Krebs\uE001 \uE000cycle\uE001 makes \uE000energy\uE001")).toEqual([
      { text: "The ", match: false },
      { text: "Krebs cycle", match: true },
      { text: " makes ", match: false },
      { text: "energy", match: true },
    ]);
  });
});
