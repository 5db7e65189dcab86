"use client";

import { useQuery } from "@tanstack/react-query";
import type Hls from "hls.js";
import type { HlsConfig } from "hls.js";
import { useCallback, useEffect, useRef, useState } from "react";
import type { ChaptersDto } from "@/lib/captions/chapters";
import type { CaptionTrackDto } from "@/lib/captions/schemas";
import { pickTrack, transcriptLines } from "@/lib/captions/transcript";
import { fetcher } from "@/lib/fetcher";
import { queryKeys } from "@/lib/query-keys";
import { formatDuration } from "../upload/format";
import { CAPTION_SIZES, type CaptionSize, useCaptionPreferences } from "./caption-preferences";
import { ChapterList } from "./chapter-list";
import { PlayerControls } from "./player-controls";
import { cueAt, parseStoryboard, type StoryboardCue } from "./storyboard";
import { TranscriptPanel } from "./transcript-panel";
import { reloadMaster, useRenditionReload } from "./use-rendition-reload";
import { useCaptionToggle } from "./use-caption-toggle";
import { useWatchTracking } from "./use-watch-tracking";

type Props = {
  videoId: string;
  src: string;
  poster: string | null;
  storyboardUrl: string | null;
  title: string;
  durationSeconds: number | null;
  /** The page's handle on the video element (the caption editor seeks and plays it). */
  mediaRef?: React.RefObject<HTMLVideoElement | null>;
  /** Where to start (seconds), from the page's `?t=` (a search hit's moment). */
  startAt?: number;
  /** The published renditions: when they change (a playable video's ladder), the player loads the master again. */
  renditions?: readonly { name: string }[];
};
type Level = { index: number; height: number; bitrate: number };

const AUTO = -1;

/**
 * HLS playback: hls.js wherever Media Source Extensions exist (so the quality
 * menu works), the browser's own HLS elsewhere (iOS Safari). Below the video,
 * a timeline shows storyboard thumbnails while hovering, and the captions
 * menu and size; beside it, the transcript. Caption tracks come from the master
 * playlist (EXT-X-MEDIA SUBTITLES), so both players show them.
 */
export function VideoPlayer({ videoId, src, poster, storyboardUrl, title, durationSeconds, mediaRef, startAt, renditions }: Props) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const hlsRef = useRef<Hls | null>(null);
  const { data: tracks = [] } = useQuery({
    queryKey: queryKeys.captions(videoId),
    queryFn: () => fetcher<{ data: CaptionTrackDto[] }>(`/api/v1/education/videos/${videoId}/captions`).then((body) => body.data),
  });
  const { data: chapters } = useQuery({
    queryKey: queryKeys.chapters(videoId),
    queryFn: () => fetcher<{ data: ChaptersDto }>(`/api/v1/education/videos/${videoId}/chapters`).then((body) => body.data),
  });
  const hasChapters = (chapters?.chapters.length ?? 0) > 0;
  const preferences = useCaptionPreferences();
  const shown = pickTrack(tracks, preferences.language);
  const toggleCaptions = useCaptionToggle({ tracks, shown, setLanguage: preferences.setLanguage });
  useWatchTracking({ videoRef, videoId, durationSeconds });
  const transcriptTrack = shown ?? tracks[0];
  const transcript = useQuery({
    queryKey: queryKeys.captionTrack({ videoId, language: transcriptTrack?.language ?? "", version: transcriptTrack?.version ?? 0 }),
    queryFn: async () => {
      const response = await fetch(transcriptTrack?.url ?? "", { credentials: "same-origin" });
      if (!response.ok) throw new Error("The transcript could not be loaded.");
      return transcriptLines(await response.text());
    },
    enabled: Boolean(transcriptTrack),
    staleTime: Number.POSITIVE_INFINITY,
  });

  // The language to show, read by the players' track events as well as by the effect below.
  const captionLanguageRef = useRef<string | undefined>(undefined);
  const applyCaptions = useCallback(() => {
    const video = videoRef.current;
    const language = captionLanguageRef.current?.toLowerCase();
    const hls = hlsRef.current;
    if (hls) {
      const index = language ? hls.subtitleTracks.findIndex((track) => track.lang?.toLowerCase() === language) : -1;
      if (hls.subtitleTrack !== index) hls.subtitleTrack = index;
      return;
    }
    if (!video) return;
    for (const track of Array.from(video.textTracks)) {
      if (track.kind !== "subtitles" && track.kind !== "captions") continue;
      track.mode = language && track.language.toLowerCase() === language ? "showing" : "disabled";
    }
  }, []);
  useEffect(() => {
    captionLanguageRef.current = shown?.language;
    applyCaptions();
  }, [applyCaptions, shown?.language]);
  const [levels, setLevels] = useState<Level[]>([]);
  const [chosen, setChosen] = useState(AUTO);
  // The chosen rendition's height: a reloaded master numbers its levels anew.
  const chosenHeightRef = useRef<number | undefined>(undefined);
  // Set by the effect below: loads the master again in place (renditions joined).
  const reloadRef = useRef<() => void>(() => {});
  const reload = useCallback(() => reloadRef.current(), []);
  useRenditionReload({ src, renditions, reload });
  const [playingHeight, setPlayingHeight] = useState<number>();
  const [error, setError] = useState<string>();
  // A reprocessed video switches to its new revision mid-viewing: the new player starts where the old one was.
  // The first player starts at `startAt` (paused), when given.
  const resumeRef = useRef<{ at: number; playing: boolean }>(startAt !== undefined && startAt > 0 ? { at: startAt, playing: false } : undefined);

  // The duration of what `src` plays (a replaced video's new version may be shorter than where the viewer was).
  const durationRef = useRef(durationSeconds);
  useEffect(() => {
    durationRef.current = durationSeconds;
  }, [durationSeconds]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const duration = durationRef.current;
    // Starting at or past the end of a shorter new version leaves the player stalled at its end: start it afresh.
    const resume = resumeRef.current && !(duration && resumeRef.current.at >= duration - 1) ? resumeRef.current : undefined;
    const restore = () => {
      if (!resume) return;
      video.currentTime = resume.at;
      if (resume.playing) void video.play().catch(() => {});
    };
    let cancelled = false;
    let hls: Hls | undefined;
    void import("hls.js").then(({ default: HlsPlayer }) => {
      if (cancelled) return;
      if (!HlsPlayer.isSupported()) {
        if (video.canPlayType("application/vnd.apple.mpegurl")) {
          video.src = src;
          // Native HLS (Safari) may start an EVENT playlist (a rendition still being written) at its live edge too.
          const start = () => {
            if (resume) restore();
            else if (video.currentTime > 0) video.currentTime = 0;
          };
          video.addEventListener("loadedmetadata", start, { once: true });
          video.textTracks.addEventListener("addtrack", applyCaptions);
        }
        else setError("This browser cannot play HLS video.");
        return;
      }
      const create = (config?: Partial<HlsConfig>) => {
        const player = new HlsPlayer(config);
        hls = player;
        hlsRef.current = player;
        player.on(HlsPlayer.Events.MANIFEST_PARSED, (_event, data) => {
          const listed = data.levels.map((level, index) => ({ index, height: level.height, bitrate: level.bitrate })).sort((a, b) => b.height - a.height);
          setLevels(listed);
          const kept = chosenHeightRef.current === undefined ? undefined : listed.find((level) => level.height === chosenHeightRef.current);
          if (kept) player.currentLevel = kept.index;
          setChosen(kept?.index ?? AUTO);
        });
        // hls.js picks its own initial subtitle track after listing them: enforce the viewer's choice whenever it switches.
        player.on(HlsPlayer.Events.SUBTITLE_TRACKS_UPDATED, applyCaptions);
        player.on(HlsPlayer.Events.SUBTITLE_TRACK_SWITCH, applyCaptions);
        player.on(HlsPlayer.Events.MANIFEST_PARSED, applyCaptions);
        player.on(HlsPlayer.Events.LEVEL_SWITCHED, (_event, data) => setPlayingHeight(player.levels[data.level]?.height));
        let recoveries = 0;
        player.on(HlsPlayer.Events.ERROR, (_event, data) => {
          if (!data.fatal) return;
          if (recoveries++ >= 3) {
            setError("Playback failed. Reload the page to try again.");
            player.destroy();
          } else if (data.type === HlsPlayer.ErrorTypes.MEDIA_ERROR) {
            player.recoverMediaError();
          } else {
            // Segment URLs are signed for a few hours: a fresh playlist brings fresh ones.
            const at = video.currentTime;
            player.loadSource(src);
            player.once(HlsPlayer.Events.MANIFEST_PARSED, () => {
              video.currentTime = at;
            });
          }
        });
        return player;
      };
      // A video published while its first rendition is written has an EVENT playlist, which hls.js would start at
      // its live edge: every video starts at its beginning (or where the viewer was).
      const player = create({ startPosition: resume?.at ?? 0 });
      player.once(HlsPlayer.Events.MANIFEST_PARSED, restore);
      player.loadSource(src);
      player.attachMedia(video);
      reloadRef.current = () => {
        if (hls) reloadMaster({ HlsPlayer, current: hls, create, src, video });
      };
    });
    return () => {
      reloadRef.current = () => {};
      resumeRef.current = video.currentTime > 0 ? { at: video.currentTime, playing: !video.paused } : undefined;
      cancelled = true;
      video.textTracks.removeEventListener("addtrack", applyCaptions);
      hls?.destroy();
      hlsRef.current = null;
    };
  }, [src, applyCaptions]);

  const choose = (index: number) => {
    setChosen(index);
    chosenHeightRef.current = levels.find((level) => level.index === index)?.height;
    const hls = hlsRef.current;
    if (hls) hls.currentLevel = index;
  };

  return (
    <div className={`player-layout${transcriptTrack || hasChapters ? " with-transcript" : ""}`}>
      <figure className="player" data-playing-height={playingHeight ?? ""} data-caption-size={preferences.size}>
        <video
          ref={(element) => {
            videoRef.current = element;
            if (mediaRef) mediaRef.current = element;
          }}
          controls playsInline preload="metadata" poster={poster ?? undefined} aria-label={`Video: ${title}`}>
          {chapters && hasChapters ? <track key={chapters.version} kind="chapters" label="Chapters" src={`${chapters.vttUrl}&v=${chapters.version}`} default /> : null}
        </video>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
        <figcaption className="player-bar">
          {storyboardUrl && durationSeconds ? <Timeline videoRef={videoRef} storyboardUrl={storyboardUrl} duration={durationSeconds} chapters={chapters?.chapters ?? []} /> : null}
          {levels.length > 1 ? (
            <label className="quality">
              Quality
              <select value={chosen} onChange={(event) => choose(Number(event.target.value))}>
                <option value={AUTO}>Auto{chosen === AUTO && playingHeight ? ` (${playingHeight}p)` : ""}</option>
                {levels.map((level) => (
                  <option key={level.index} value={level.index}>
                    {level.height}p
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {tracks.length > 0 ? (
            <>
              <label className="quality">
                Captions
                <select value={shown?.language ?? ""} onChange={(event) => preferences.setLanguage(event.target.value || null)}>
                  <option value="">Off</option>
                  {tracks.map((track) => (
                    <option key={track.language} value={track.language}>
                      {track.origin === "machine" && !track.reviewed ? `${track.label} (Machine · not reviewed)` : track.label}
                    </option>
                  ))}
                </select>
              </label>
              <label className="quality">
                Caption size
                <select value={preferences.size} onChange={(event) => preferences.setSize(event.target.value as CaptionSize)}>
                  {CAPTION_SIZES.map((option) => (
                    <option key={option.value} value={option.value}>
                      {option.label}
                    </option>
                  ))}
                </select>
              </label>
            </>
          ) : null}
          <PlayerControls videoRef={videoRef} toggleCaptions={toggleCaptions} />
        </figcaption>
      </figure>
      {transcriptTrack || hasChapters ? (
        <div className="player-side">
          {chapters && hasChapters ? <ChapterList videoRef={videoRef} chapters={chapters.chapters} /> : null}
          {transcriptTrack ? (
            <TranscriptPanel
              videoRef={videoRef}
              label={transcriptTrack.label}
              lines={transcript.data}
              error={transcript.error ? "The transcript could not be loaded. Reload the page to try again." : undefined}
            />
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** A seek bar that previews the frame under the pointer from the storyboard sprite. */
function Timeline({
  videoRef,
  storyboardUrl,
  duration,
  chapters,
}: {
  videoRef: React.RefObject<HTMLVideoElement | null>;
  storyboardUrl: string;
  duration: number;
  chapters: ChaptersDto["chapters"];
}) {
  const [cues, setCues] = useState<StoryboardCue[]>([]);
  const [time, setTime] = useState(0);
  const [hover, setHover] = useState<{ time: number; left: number }>();

  useEffect(() => {
    let cancelled = false;
    const base = new URL(storyboardUrl, location.href).href;
    fetch(base, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : ""))
      .then((vtt) => !cancelled && setCues(parseStoryboard(vtt, base)))
      .catch(() => {}); // previews are a nicety: the timeline works without them
    return () => {
      cancelled = true;
    };
  }, [storyboardUrl]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const update = () => setTime(video.currentTime);
    video.addEventListener("timeupdate", update);
    return () => video.removeEventListener("timeupdate", update);
  }, [videoRef]);

  const cue = hover ? cueAt(cues, hover.time) : undefined;
  return (
    <div className="timeline">
      <input
        type="range"
        aria-label="Seek"
        min={0}
        max={duration}
        step={0.1}
        value={Math.min(time, duration)}
        onChange={(event) => {
          const video = videoRef.current;
          if (video) video.currentTime = Number(event.target.value);
        }}
        onPointerMove={(event) => {
          const box = event.currentTarget.getBoundingClientRect();
          const ratio = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
          setHover({ time: ratio * duration, left: ratio * 100 });
        }}
        onPointerLeave={() => setHover(undefined)}
      />
      {chapters.length > 0 ? (
        <div className="chapter-marks" aria-hidden="true">
          {chapters
            .filter((chapter) => chapter.startSeconds > 0)
            .map((chapter) => (
              <span key={chapter.startSeconds} className="chapter-mark" data-testid="chapter-mark" title={chapter.title} style={{ left: `${(chapter.startSeconds / duration) * 100}%` }} />
            ))}
        </div>
      ) : null}
      {hover ? (
        <div className="seek-preview" style={{ left: `${hover.left}%` }} aria-hidden="true">
          {cue ? (
            <div
              className="seek-thumb"
              data-testid="seek-thumb"
              style={{ width: cue.width, height: cue.height, backgroundImage: `url("${cue.url}")`, backgroundPosition: `-${cue.x}px -${cue.y}px` }}
            />
          ) : null}
          <span>{formatDuration(hover.time)}</span>
        </div>
      ) : null}
    </div>
  );
}
