/**
 * Upload speed averaged over roughly the last `windowMs`. Parts finish in
 * bursts, so a rate between two neighbouring samples would swing wildly; the
 * base sample is the newest one at least `windowMs` old (or the start).
 */
export function createSpeedMeter({ windowMs = 20_000, now = () => performance.now() }: { windowMs?: number; now?: () => number } = {}) {
  let samples: { at: number; bytes: number }[] = [];
  return {
    /** Starts measuring afresh (after a pause the idle time must not count). */
    restart(bytes: number) {
      samples = [{ at: now(), bytes }];
    },
    /** Records the bytes sent so far and returns bytes per second. */
    sample(bytes: number): number {
      const at = now();
      samples.push({ at, bytes });
      while (samples.length > 2 && (samples[1]?.at ?? at) <= at - windowMs) samples.shift();
      const base = samples[0];
      if (!base || at <= base.at) return 0;
      // A failed part takes its in-flight bytes back: never a negative speed.
      return Math.max(0, ((bytes - base.bytes) * 1000) / (at - base.at));
    },
  };
}
