"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { AppError } from "@/lib/errors";
import { fetcher } from "@/lib/fetcher";
import { queryKeys } from "@/lib/query-keys";
import { WATCH_BATCH_SECONDS, type WatchBatch } from "@/lib/watch/schemas";
import { WatchTracker } from "@/lib/watch/tracker";

const watchUrl = (videoId: string) => `/api/v1/education/videos/${videoId}/watch`;

/**
 * Records what the viewer watches of this video (a session per page load) and saves it: every
 * WATCH_BATCH_SECONDS while playing, on pause, on seeking away, at the end, and when the page is left or hidden
 * (a beacon: JSON, same-origin, so the session cookie and the CSRF check work as for any fetch).
 */
export function useWatchTracking({ videoRef, videoId, durationSeconds }: { videoRef: React.RefObject<HTMLVideoElement | null>; videoId: string; durationSeconds: number | null }) {
  const queryClient = useQueryClient();
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const tracker = new WatchTracker({ sessionId: crypto.randomUUID(), durationSeconds });
    const now = () => Math.round(performance.now());
    let sending: Promise<void> = Promise.resolve();

    const send = () => {
      // One at a time, in the tracker's order (the new batch, then any undelivered ones again).
      for (const batch of tracker.takeBatches(video.currentTime)) {
        sending = sending.then(() =>
          // keepalive: a batch under way when the page is left still arrives (the beacon after it says only what is new).
          fetcher(watchUrl(videoId), { method: "POST", body: JSON.stringify(batch), keepalive: true })
            .then(() => queryClient.invalidateQueries({ queryKey: queryKeys.watchProgress(videoId) }))
            .catch((error: unknown) => {
              // A refused batch (400) would be refused again: only a failure to deliver is sent again, as it was.
              if (error instanceof AppError && (error.status === 0 || error.status >= 500)) tracker.restore(batch);
            }),
        );
      }
    };
    const beacon = () => {
      for (const batch of tracker.takeBatches(video.currentTime)) {
        const body = JSON.stringify(batch satisfies WatchBatch);
        const sent = typeof navigator.sendBeacon === "function" && navigator.sendBeacon(watchUrl(videoId), new Blob([body], { type: "application/json" }));
        if (!sent) void fetch(watchUrl(videoId), { method: "POST", body, keepalive: true, headers: { "content-type": "application/json" } }).catch(() => {});
      }
    };

    let timer: ReturnType<typeof setInterval> | undefined;
    const stopTimer = () => {
      clearInterval(timer);
      timer = undefined;
    };
    const onPlay = () => {
      tracker.play(video.currentTime, now());
      if (timer === undefined) timer = setInterval(send, WATCH_BATCH_SECONDS * 1000);
    };
    const onPause = () => {
      stopTimer();
      tracker.pause(video.currentTime);
      send();
    };
    const onEnded = () => {
      stopTimer();
      tracker.ended(video.currentTime);
      send();
    };
    const onTime = () => {
      tracker.timeUpdate(video.currentTime, now());
      if (tracker.full) send();
    };
    const onSeeking = () => tracker.seekStart(video.currentTime);
    const onSeeked = () => {
      tracker.seekEnd(video.currentTime, now());
      send();
    };
    // The server checks a batch's seconds against its rate: what played at the old rate goes out at the old rate.
    const onRate = () => {
      if (video.playbackRate === tracker.playbackRate) return;
      send();
      tracker.setRate(video.playbackRate, now());
    };
    const onHidden = () => {
      if (document.visibilityState === "hidden") beacon();
    };

    tracker.setRate(video.playbackRate, now());
    if (!video.paused) onPlay();
    const listeners: [string, () => void][] = [
      ["play", onPlay],
      ["pause", onPause],
      ["ended", onEnded],
      ["timeupdate", onTime],
      ["seeking", onSeeking],
      ["seeked", onSeeked],
      ["ratechange", onRate],
    ];
    for (const [type, listener] of listeners) video.addEventListener(type, listener);
    window.addEventListener("pagehide", beacon);
    document.addEventListener("visibilitychange", onHidden);
    return () => {
      stopTimer();
      for (const [type, listener] of listeners) video.removeEventListener(type, listener);
      window.removeEventListener("pagehide", beacon);
      document.removeEventListener("visibilitychange", onHidden);
      // Leaving the video inside the app (a client-side navigation) is leaving it too.
      tracker.pause(video.currentTime);
      beacon();
    };
  }, [videoRef, videoId, durationSeconds, queryClient]);
}
