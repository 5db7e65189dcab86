import { COMPLETION_SHARE, type WatchEvent, type WatchInterval } from "@/lib/watch/schemas";
import { nameUuid } from "./name-uuid";
import type { XapiStatement } from "./statement-schema";
import { ACTIVITY_TYPES, CONTEXT_EXTENSIONS, RESULT_EXTENSIONS, VERBS, VIDEO_PROFILE, type VideoVerb } from "./vocabulary";

/** What one recorded watch batch says, with the learner's record on the video after it was merged. */
export type WatchStatementsInput = {
  /** The app's public origin (APP_URL, else the address the learner used): activity ids and the actor's homePage. */
  origin: string;
  learnerId: string;
  course: { id: string; title: string };
  video: { id: string; title: string; durationSeconds: number | null; language?: string | null };
  sessionId: string;
  sequence: number;
  /** When the server recorded the batch: every statement's timestamp (the player's events carry no time). */
  recordedAt: Date;
  playbackRate: number;
  position: number;
  events: readonly WatchEvent[];
  /** The learner's whole record on the video after this batch: merged unique intervals and their share of it. */
  progress: { intervals: readonly WatchInterval[]; watchedShare: number };
  /** Present when this batch completed the video: seconds of video played over all the learner's sessions. */
  completed?: { timeSpentSeconds: number };
};

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** The profile's played-segments: "0.000[.]12.000[,]14.000[.]21.000". */
export function playedSegments(intervals: readonly WatchInterval[]): string {
  return intervals.map(([start, end]) => `${start.toFixed(3)}[.]${end.toFixed(3)}`).join("[,]");
}

/** ISO 8601 duration to the hundredth of a second (xAPI compares durations at 0.01 s). */
export function isoDuration(seconds: number): string {
  return `PT${Math.round(Math.max(0, seconds) * 100) / 100}S`;
}

/** The profile's speed: "1x", "1.5x". */
export const speed = (rate: number) => `${round3(rate)}x`;

/** Activity ids are the pages people open: the video's and the course's public URLs. */
export function videoActivityId({ origin, courseId, videoId }: { origin: string; courseId: string; videoId: string }) {
  return new URL(`/courses/${courseId}/videos/${videoId}`, origin).href;
}
export function courseActivityId({ origin, courseId }: { origin: string; courseId: string }) {
  return new URL(`/courses/${courseId}`, origin).href;
}

/**
 * The registration: the profile aggregates progress, played-segments and completion per registration, and Lectern
 * measures them per learner and video across all their viewings (resume on any device), so it is one id per learner
 * and video. The viewing session goes in the session-id extension.
 */
export const registrationId = ({ learnerId, videoId }: { learnerId: string; videoId: string }) => nameUuid(`registration/${learnerId}/${videoId}`);

/**
 * The xAPI Video Profile statements of one recorded batch: one per player event (played, paused, seeked), in order,
 * and `completed` when the batch completed the video. Pure: the same input gives the same statements, ids included.
 *
 * Privacy: the actor is an account on this Lectern (homePage: its origin; name: the learner's opaque user id), never
 * an email address or a name; the LRS's operator maps ids to people through Lectern if they need to.
 */
export function buildWatchStatements(input: WatchStatementsInput): XapiStatement[] {
  const { origin, learnerId, course, video, sessionId, sequence } = input;
  const timestamp = input.recordedAt.toISOString();
  const language = input.video.language ?? "und";
  const length = video.durationSeconds !== null ? { [CONTEXT_EXTENSIONS.length]: round3(video.durationSeconds) } : {};
  const progress = {
    [RESULT_EXTENSIONS.progress]: round3(Math.min(1, Math.max(0, input.progress.watchedShare))),
    [RESULT_EXTENSIONS.playedSegments]: playedSegments(input.progress.intervals),
  };
  const base = (verb: VideoVerb, key: string, extensions: Record<string, unknown>): XapiStatement => ({
    id: nameUuid(`statement/${sessionId}/${sequence}/${key}`),
    actor: { objectType: "Agent", account: { homePage: new URL(origin).origin, name: learnerId } },
    verb: { id: VERBS[verb], display: { "en-US": verb } },
    object: {
      objectType: "Activity",
      id: videoActivityId({ origin, courseId: course.id, videoId: video.id }),
      definition: { type: ACTIVITY_TYPES.video, name: { [language]: video.title } },
    },
    context: {
      registration: registrationId({ learnerId, videoId: video.id }),
      contextActivities: {
        parent: [{ objectType: "Activity", id: courseActivityId({ origin, courseId: course.id }), definition: { type: ACTIVITY_TYPES.course, name: { [language]: course.title } } }],
        category: [{ objectType: "Activity", id: VIDEO_PROFILE, definition: { type: ACTIVITY_TYPES.profile } }],
      },
      platform: "Lectern",
      extensions: { [CONTEXT_EXTENSIONS.sessionId]: sessionId, ...length, ...extensions },
    },
    timestamp,
  });
  // The completion threshold is not 1, so the profile wants it on paused and completed.
  const threshold = { [CONTEXT_EXTENSIONS.completionThreshold]: COMPLETION_SHARE };

  const statements = input.events.map((event, index): XapiStatement => {
    const key = `${index}`;
    switch (event.type) {
      case "played": {
        const statement = base("played", key, { [CONTEXT_EXTENSIONS.speed]: speed(input.playbackRate) });
        return { ...statement, result: { extensions: { [RESULT_EXTENSIONS.time]: round3(event.at) } } };
      }
      case "paused": {
        const statement = base("paused", key, threshold);
        return { ...statement, result: { extensions: { [RESULT_EXTENSIONS.time]: round3(event.at), ...progress } } };
      }
      case "seeked": {
        const statement = base("seeked", key, {});
        return { ...statement, result: { extensions: { [RESULT_EXTENSIONS.timeFrom]: round3(event.from), [RESULT_EXTENSIONS.timeTo]: round3(event.to), ...progress } } };
      }
    }
  });
  if (input.completed) {
    const statement = base("completed", "completed", threshold);
    statements.push({
      ...statement,
      result: {
        completion: true,
        duration: isoDuration(input.completed.timeSpentSeconds),
        extensions: { [RESULT_EXTENSIONS.time]: round3(input.position), ...progress },
      },
    });
  }
  return statements;
}
