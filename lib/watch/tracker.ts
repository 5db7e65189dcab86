import { MAX_BATCH_EVENTS, MAX_BATCH_INTERVALS, type WatchBatch, type WatchEvent, type WatchInterval } from "./schemas";
import { SEQUENCE_WINDOW } from "./sequences";

/**
 * What one viewing of a video watched, in video seconds, from the media element's events: no DOM, no timers, no
 * network (the player's hook feeds it and sends its batches). Only playback that really advanced counts: a jump
 * of the playhead (a seek, a stall recovered far away) starts a new interval instead of filling the gap, so
 * watching at 2× or rewatching a part never counts a second twice within a batch, and the server merges batches.
 */
export type WatchTrackerOptions = {
  sessionId: string;
  /** The video's duration when known: intervals and positions are clamped to it (the server refuses beyond it). */
  durationSeconds?: number | null;
};

/** A timeupdate may follow the previous one by up to this much more video time than the wall clock allows. */
const SLACK_SECONDS = 0.5;

/** Undelivered batches kept to send again: the server tells a late batch from a replay within its last SEQUENCE_WINDOW. */
const MAX_UNDELIVERED = SEQUENCE_WINDOW - 2;

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

/** Sorted, disjoint union of intervals (touching ones joined). */
export function mergeIntervals(intervals: readonly WatchInterval[]): WatchInterval[] {
  const sorted = [...intervals.filter(([start, end]) => end > start)].sort((a, b) => a[0] - b[0]);
  const merged: WatchInterval[] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

export class WatchTracker {
  readonly sessionId: string;
  private readonly duration: number | undefined;
  private sequence = 0;
  private rate = 1;
  private playing = false;
  private seeking = false;
  /** The playhead as last seen (the `from` of a seek, the end of the open interval). */
  private position = 0;
  /** Start of the stretch being watched now, while playing. */
  private openStart: number | undefined;
  /** Wall clock (ms) of the last timeupdate, to tell playback from a jump. */
  private lastTick: number | undefined;
  private intervals: WatchInterval[] = [];
  private events: WatchEvent[] = [];
  private lastSentPosition: number | undefined;
  /** Batches that could not be delivered, to go out again as they were. */
  private undelivered: WatchBatch[] = [];
  /**
   * Nothing is said before the first play: opening the page (at 0, or seeking to the resume point) must neither
   * overwrite the resume point nor count as a view.
   */
  private started = false;

  constructor({ sessionId, durationSeconds }: WatchTrackerOptions) {
    this.sessionId = sessionId;
    this.duration = durationSeconds && durationSeconds > 0 ? durationSeconds : undefined;
  }

  private clamp(seconds: number): number {
    const at = Math.max(0, Number.isFinite(seconds) ? seconds : 0);
    return round(this.duration === undefined ? at : Math.min(at, this.duration));
  }

  private close() {
    if (this.openStart !== undefined && this.position > this.openStart) this.intervals = mergeIntervals([...this.intervals, [this.openStart, this.position]]);
    this.openStart = this.playing && !this.seeking ? this.position : undefined;
  }

  private event(event: WatchEvent) {
    const last = this.events.at(-1);
    // A drag along the seek bar is one seek, from where it started to where it ended.
    if (event.type === "seeked" && last?.type === "seeked" && last.to === event.from) last.to = event.to;
    else this.events.push(event);
    if (this.events.length > MAX_BATCH_EVENTS) this.events.splice(0, this.events.length - MAX_BATCH_EVENTS);
  }

  play(position: number, wallMs: number) {
    this.position = this.clamp(position);
    if (this.playing) return;
    this.playing = true;
    this.started = true;
    this.lastTick = wallMs;
    if (!this.seeking) this.openStart = this.position;
    this.event({ type: "played", at: this.position });
  }

  pause(position: number) {
    if (!this.playing) return;
    this.advance(position);
    this.playing = false;
    this.close();
    this.event({ type: "paused", at: this.position });
  }

  /** The end of the video: like a pause, without a paused statement of its own. */
  ended(position: number) {
    this.advance(position);
    this.playing = false;
    this.close();
  }

  /** Counts the playhead's move to `position` as watched when playback explains it, else starts afresh there. */
  timeUpdate(position: number, wallMs: number) {
    if (this.seeking) return;
    const at = this.clamp(position);
    if (this.playing && this.lastTick !== undefined) {
      const allowed = ((wallMs - this.lastTick) / 1000) * this.rate + SLACK_SECONDS;
      const moved = at - this.position;
      if (moved < 0 || moved > allowed) {
        this.close();
        this.position = at;
        this.openStart = this.playing ? at : undefined;
      } else this.position = at;
    } else this.position = at;
    this.lastTick = wallMs;
  }

  private advance(position: number) {
    const at = this.clamp(position);
    // A pause reports where playback stopped: only a small step forward is playback.
    if (!this.seeking && at >= this.position && at - this.position <= 1 + SLACK_SECONDS * this.rate) this.position = at;
  }

  /** The media element started seeking to `to` (the element's currentTime is already there). */
  seekStart(to: number) {
    const target = this.clamp(to);
    const from = this.position;
    if (!this.seeking) {
      this.seeking = true;
      this.close();
      this.openStart = undefined;
    }
    // Before the first play, a seek is the player opening at the resume point (or the viewer choosing where to start).
    if (target !== from && this.started) this.event({ type: "seeked", from, to: target });
    this.position = target;
  }

  /** The seek finished at `position`: watching (if playing) starts from there. */
  seekEnd(position: number, wallMs: number) {
    this.seeking = false;
    this.position = this.clamp(position);
    this.lastTick = wallMs;
    this.openStart = this.playing ? this.position : undefined;
  }

  setRate(rate: number, wallMs: number) {
    // What played so far played at the old rate.
    if (this.playing && !this.seeking) this.lastTick = wallMs;
    this.rate = rate;
  }

  get playbackRate() {
    return this.rate;
  }

  /** True when the batch should go now rather than at the next tick (it is full). */
  get full(): boolean {
    return this.intervals.length >= MAX_BATCH_INTERVALS - 1 || this.events.length >= MAX_BATCH_EVENTS;
  }

  /**
   * Everything since the last batch, with the playhead as the resume point; null when there is nothing new to say.
   * The open stretch is cut at the playhead and goes on from there in the next batch.
   */
  takeBatch(position?: number): WatchBatch | null {
    if (position !== undefined && !this.seeking) this.advance(position);
    if (this.openStart !== undefined && this.position > this.openStart) {
      this.intervals = mergeIntervals([...this.intervals, [this.openStart, this.position]]);
      this.openStart = this.position;
    }
    if (!this.started || (this.intervals.length === 0 && this.events.length === 0 && this.lastSentPosition === this.position)) return null;
    const batch: WatchBatch = {
      sessionId: this.sessionId,
      sequence: this.sequence++,
      position: this.position,
      intervals: this.intervals.slice(0, MAX_BATCH_INTERVALS),
      playbackRate: this.rate,
      ...(this.events.length > 0 ? { events: this.events } : {}),
    };
    this.intervals = this.intervals.slice(MAX_BATCH_INTERVALS);
    this.events = [];
    this.lastSentPosition = this.position;
    return batch;
  }

  /**
   * What to send now, in this order: a new batch when there is anything new (`takeBatch`), then the undelivered ones,
   * newest first. An undelivered batch goes out again as it was, with its own sequence: if it did reach the server
   * after all (only its answer was lost), the server takes it for the replay it is, where merged into a later batch
   * its seconds would count twice in the session's watch time. Newest first: the newest is held to the time since
   * the session's last recorded batch, the older ones then arrive late and are held to what the whole session can
   * have played (sent oldest first, each would be held to the moment since the one just before it).
   */
  takeBatches(position?: number): WatchBatch[] {
    const next = this.takeBatch(position);
    const again = this.undelivered.sort((a, b) => b.sequence - a.sequence);
    this.undelivered = [];
    return next ? [next, ...again] : again;
  }

  /** A batch that could not be delivered (a network error, a 5xx): it goes out again with the next `takeBatches`. */
  restore(batch: WatchBatch) {
    if (this.undelivered.some((kept) => kept.sequence === batch.sequence)) return;
    this.undelivered.push(batch);
    if (this.undelivered.length > MAX_UNDELIVERED) {
      this.undelivered.sort((a, b) => a.sequence - b.sequence);
      this.undelivered.splice(0, this.undelivered.length - MAX_UNDELIVERED);
    }
  }
}
