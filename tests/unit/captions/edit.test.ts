import { describe, expect, it } from "vitest";
import { addCue, checkDraft, draftCues, draftFromWebVtt, mergeWithNext, shiftCues, splitCue, updateCue, writeDraft, deleteCue } from "@/lib/captions/edit";

const VTT = "WEBVTT\n\nNOTE kept\n\nintro\n00:00:01.000 --> 00:00:03.000 align:start\nHello, class.\n\n00:00:04.000 --> 00:00:06.500\nToday: <i>options</i>\npricing.\n";

const times = (draft: ReturnType<typeof draftFromWebVtt>) => draftCues(draft).map((cue) => [cue.start, cue.end, cue.text]);

describe("caption editing", () => {
  it("reads a track and writes it back unchanged (notes, identifiers and settings kept)", () => {
    const draft = draftFromWebVtt(VTT);
    expect(writeDraft(draft).webvtt).toBe(VTT);
    expect(checkDraft(draft, { durationSeconds: 8 })).toEqual({ byCue: new Map(), general: [] });
  });

  it("shifts every cue, never before 0", () => {
    const draft = draftFromWebVtt(VTT);
    expect(times(shiftCues(draft, 0.5))).toEqual([
      ["00:00:01.500", "00:00:03.500", "Hello, class."],
      ["00:00:04.500", "00:00:07.000", "Today: <i>options</i>\npricing."],
    ]);
    expect(times(shiftCues(draft, -2)).map(([start, end]) => [start, end])).toEqual([
      ["00:00:00.000", "00:00:01.000"],
      ["00:00:02.000", "00:00:04.500"],
    ]);
  });

  it("splits a cue at its midpoint or at a given time, and refuses a point outside it", () => {
    const draft = draftFromWebVtt(VTT);
    const [first, second] = draftCues(draft);
    const mid = splitCue(draft, first?.key ?? -1);
    expect(mid.ok && times(mid.draft)).toEqual([
      ["00:00:01.000", "00:00:02.000", "Hello,"],
      ["00:00:02.000", "00:00:03.000", "class."],
      ["00:00:04.000", "00:00:06.500", "Today: <i>options</i>\npricing."],
    ]);
    const at = splitCue(draft, second?.key ?? -1, 5.25);
    expect(at.ok && times(at.draft).slice(1)).toEqual([
      ["00:00:04.000", "00:00:05.250", "Today: <i>options</i>"],
      ["00:00:05.250", "00:00:06.500", "pricing."],
    ]);
    expect(splitCue(draft, second?.key ?? -1, 7)).toEqual({ ok: false, message: "The split point (00:00:07.000) must fall inside the cue (00:00:04.000 to 00:00:06.500)." });
  });

  it("merges a cue with the next, and there is nothing to merge the last with", () => {
    const draft = draftFromWebVtt(VTT);
    const [first, second] = draftCues(draft);
    const merged = mergeWithNext(draft, first?.key ?? -1);
    expect(merged.ok && times(merged.draft)).toEqual([["00:00:01.000", "00:00:06.500", "Hello, class.\nToday: <i>options</i>\npricing."]]);
    expect(mergeWithNext(draft, second?.key ?? -1).ok).toBe(false);
  });

  it("adds an empty cue in order, ending before the next cue starts; deletes one", () => {
    const draft = draftFromWebVtt(VTT);
    const added = addCue(draft, 3.2);
    expect(added.ok && times(added.draft)).toEqual([
      ["00:00:01.000", "00:00:03.000", "Hello, class."],
      ["00:00:03.200", "00:00:04.000", ""],
      ["00:00:04.000", "00:00:06.500", "Today: <i>options</i>\npricing."],
    ]);
    expect(addCue(draft, 7.9, { durationSeconds: 8 }).ok && true).toBe(true);
    expect(addCue(draft, 8, { durationSeconds: 8 }).ok).toBe(false);
    const [first] = draftCues(draft);
    expect(times(deleteCue(draft, first?.key ?? -1))).toHaveLength(1);
  });

  it("reports the server's messages at the cue they concern", () => {
    const draft = draftFromWebVtt(VTT);
    const [first, second] = draftCues(draft);
    const wrong = updateCue(updateCue(draft, first?.key ?? -1, { end: "00:00:00.500" }), second?.key ?? -1, { start: "00:00:4.000", text: "a --> b" });
    const issues = checkDraft(wrong, { durationSeconds: 8 });
    expect(issues.byCue.get(first?.key ?? -1)).toEqual(["The cue ends (00:00:00.500) before it starts (00:00:01.000): the end must come after the start."]);
    expect(issues.byCue.get(second?.key ?? -1)).toEqual([
      'Bad timestamp "00:00:4.000": expected hh:mm:ss.ttt or mm:ss.ttt, such as 00:01:02.500.',
      'A cue\'s text cannot contain "-->": if this is the next cue\'s timing line, put a blank line before it.',
    ]);
    const late = checkDraft(updateCue(draft, second?.key ?? -1, { end: "00:00:12.000" }), { durationSeconds: 8 });
    expect(late.byCue.get(second?.key ?? -1)).toEqual(["The cue ends at 00:00:12.000, past the video's end (00:00:08.000)."]);
  });
});
