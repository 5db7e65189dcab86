"use client";

import type Hls from "hls.js";
import type { HlsConfig } from "hls.js";
import { useEffect, useRef } from "react";

/** The published renditions as the page knows them (the video DTO's `transcodedVersions`, learned by polling). */
type Renditions = readonly { name: string }[];

const renditionsKey = (renditions: Renditions) =>
  renditions
    .map((rendition) => rendition.name)
    .sort()
    .join(",");

/**
 * A playable video's renditions join its master playlist as they are encoded, but hls.js reads the master once. When
 * the published renditions change under the same master URL (not on the first render), calls `reload`, which loads the master again without
 * stopping playback (see `reloadMaster`).
 */
export function useRenditionReload({ src, renditions, reload }: { src: string; renditions: Renditions | undefined; reload: () => void }) {
  const key = renditions ? renditionsKey(renditions) : "";
  const seen = useRef({ src, key });
  useEffect(() => {
    const before = seen.current;
    if (key === before.key && src === before.src) return;
    seen.current = { src, key };
    // A new master URL (a new revision) makes the player start afresh anyway.
    if (src === before.src) reload();
  }, [src, key, reload]);
}

/**
 * Loads the master playlist again in a fresh hls.js instance (made by `create`, with the player's event handlers) that
 * takes over the media element together with its MediaSource and buffered media (`transferMedia`): what is buffered
 * keeps playing, position and play state stay, and the new instance lists the new renditions. Where the MediaSource
 * cannot be handed over, the new instance attaches the element afresh and playback resumes where it was.
 */
export function reloadMaster({
  HlsPlayer,
  current,
  create,
  src,
  video,
}: {
  HlsPlayer: typeof Hls;
  current: Hls;
  create: (config: Partial<HlsConfig>) => Hls;
  src: string;
  video: HTMLVideoElement;
}): Hls {
  const at = video.currentTime;
  const playing = !video.paused;
  const transferred = current.transferMedia();
  // Handing the media over skips the old instance's clean-up of the caption <track> elements it added: without this the
  // captions would show twice once the new instance adds its own (the page's chapters track is not hls.js's).
  for (const node of Array.from(video.querySelectorAll("track"))) {
    if (node.kind === "subtitles" || node.kind === "captions") node.remove();
  }
  const next = create({ startPosition: at });
  // The manifest load resets the new instance's (empty) buffers: start it before the transferred ones are attached.
  next.loadSource(src);
  next.attachMedia(transferred ?? video);
  current.destroy();
  if (!transferred) {
    next.once(HlsPlayer.Events.MANIFEST_PARSED, () => {
      video.currentTime = at;
      if (playing) void video.play().catch(() => {});
    });
  }
  return next;
}
