import { describe, expect, it } from "vitest";
import { buildWatchStatements, isoDuration, playedSegments, registrationId, type WatchStatementsInput } from "@/lib/xapi/statements";
import { statementSchema } from "@/lib/xapi/statement-schema";

const P = "https://w3id.org/xapi/video";
const ext = (name: string) => `${P}/extensions/${name}`;

const input = (overrides: Partial<WatchStatementsInput> = {}): WatchStatementsInput => ({
  origin: "https://lectern.example.edu",
  learnerId: "0b8f3b8e-4c1a-4a53-9d3e-4d8a5b1c2f10",
  course: { id: "5d2a0c8e-1b3f-4e6a-8c7d-9e0f1a2b3c4d", title: "Linear algebra" },
  video: { id: "7e4b1d2c-3a5f-4b6e-9d8c-1f2e3d4c5b6a", title: "Vectors", durationSeconds: 120.5 },
  sessionId: "c3d2e1f0-a9b8-4c7d-8e6f-5a4b3c2d1e0f",
  sequence: 3,
  recordedAt: new Date("2026-12-01T10:00:00.000Z"),
  playbackRate: 1.5,
  position: 64.25,
  events: [
    { type: "played", at: 10 },
    { type: "seeked", from: 30.1234, to: 50 },
    { type: "paused", at: 64.25 },
  ],
  progress: { intervals: [[0, 30.1234], [50, 64.25]], watchedShare: 0.36804 },
  ...overrides,
});

describe("xAPI Video Profile statements of a watch batch", () => {
  it("one statement per player event, in order, with the profile's verbs, and nothing else", () => {
    const statements = buildWatchStatements(input());
    expect(statements.map((statement) => statement.verb.id)).toEqual([`${P}/verbs/played`, `${P}/verbs/seeked`, `${P}/verbs/paused`]);
    for (const statement of statements) expect(statementSchema.safeParse(statement).success).toBe(true);
    expect(statements.every((statement) => statement.result?.completion === undefined)).toBe(true);
    expect(buildWatchStatements(input({ events: [] }))).toEqual([]);
  });

  it("actor: an account on the app's origin named by the learner's id, no email or name", () => {
    const [played] = buildWatchStatements(input());
    expect(played?.actor).toEqual({ objectType: "Agent", account: { homePage: "https://lectern.example.edu", name: "0b8f3b8e-4c1a-4a53-9d3e-4d8a5b1c2f10" } });
    expect(JSON.stringify(played)).not.toMatch(/@|mbox/);
  });

  it("object: the video page's public URL, typed as a video; context: the course as parent, the profile as category, the session", () => {
    const [played] = buildWatchStatements(input());
    expect(played?.object).toEqual({
      objectType: "Activity",
      id: "https://lectern.example.edu/courses/5d2a0c8e-1b3f-4e6a-8c7d-9e0f1a2b3c4d/videos/7e4b1d2c-3a5f-4b6e-9d8c-1f2e3d4c5b6a",
      definition: { type: `${P}/activity-type/video`, name: { und: "Vectors" } },
    });
    expect(played?.context?.contextActivities?.parent).toEqual([
      { objectType: "Activity", id: "https://lectern.example.edu/courses/5d2a0c8e-1b3f-4e6a-8c7d-9e0f1a2b3c4d", definition: { type: "http://adlnet.gov/expapi/activities/course", name: { und: "Linear algebra" } } },
    ]);
    expect(played?.context?.contextActivities?.category).toEqual([{ objectType: "Activity", id: P, definition: { type: "http://adlnet.gov/expapi/activities/profile" } }]);
    expect(played?.context?.registration).toBe(registrationId({ learnerId: input().learnerId, videoId: input().video.id }));
    expect(played?.context?.extensions).toEqual({ [ext("session-id")]: input().sessionId, [ext("length")]: 120.5, [ext("speed")]: "1.5x" });
    expect(played?.timestamp).toBe("2026-12-01T10:00:00.000Z");
  });

  it("result extensions as the profile requires them per verb (3 decimals)", () => {
    const [played, seeked, paused] = buildWatchStatements(input());
    expect(played?.result).toEqual({ extensions: { [ext("time")]: 10 } });
    expect(seeked?.result?.extensions).toMatchObject({ [ext("time-from")]: 30.123, [ext("time-to")]: 50 });
    expect(paused?.result?.extensions).toEqual({ [ext("time")]: 64.25, [ext("progress")]: 0.368, [ext("played-segments")]: "0.000[.]30.123[,]50.000[.]64.250" });
    // Completion threshold (0.9, not 1) and length: required on paused.
    expect(paused?.context?.extensions).toMatchObject({ [ext("completion-threshold")]: 0.9, [ext("length")]: 120.5 });
  });

  it("completed: once, when the batch completed the video, with completion, duration, time, progress and segments", () => {
    const statements = buildWatchStatements(input({ events: [], position: 119, progress: { intervals: [[0, 110]], watchedShare: 0.9129 }, completed: { timeSpentSeconds: 131.456 } }));
    expect(statements).toHaveLength(1);
    const [completed] = statements;
    expect(completed?.verb).toEqual({ id: "http://adlnet.gov/expapi/verbs/completed", display: { "en-US": "completed" } });
    expect(completed?.result).toEqual({
      completion: true,
      duration: "PT131.46S",
      extensions: { [ext("time")]: 119, [ext("progress")]: 0.913, [ext("played-segments")]: "0.000[.]110.000" },
    });
    expect(completed?.context?.extensions).toMatchObject({ [ext("completion-threshold")]: 0.9, [ext("length")]: 120.5 });
    expect(statementSchema.safeParse(completed).success).toBe(true);
  });

  it("ids are the same for the same batch (a retried job or a replayed batch is not stored twice) and differ otherwise", () => {
    const first = buildWatchStatements(input()).map((statement) => statement.id);
    expect(buildWatchStatements(input()).map((statement) => statement.id)).toEqual(first);
    expect(new Set(first).size).toBe(3);
    for (const id of first) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const next = buildWatchStatements(input({ sequence: 4 })).map((statement) => statement.id);
    expect(next.some((id) => first.includes(id))).toBe(false);
  });

  it("a video of unknown length gets no length extension; the video's language names the titles", () => {
    const [played] = buildWatchStatements(input({ video: { ...input().video, durationSeconds: null, language: "fr" } }));
    expect(played?.context?.extensions).not.toHaveProperty(ext("length"));
    expect(played?.object.definition?.name).toEqual({ fr: "Vectors" });
  });

  it("formats played segments and durations as the profile and xAPI write them", () => {
    expect(playedSegments([])).toBe("");
    expect(playedSegments([[1.5, 2]])).toBe("1.500[.]2.000");
    expect(isoDuration(218)).toBe("PT218S");
    expect(isoDuration(-1)).toBe("PT0S");
  });
});
