/**
 * The derived files of a processed video, relative to its revision's prefix: what processing writes, what the media
 * route serves and what the API accepts as a media path. Pure, so schemas.ts (browser, CLI) can use it.
 */
export const MASTER_PLAYLIST = "hls/master.m3u8";
export const POSTER = "poster.jpg";
export const STORYBOARD_SPRITE = "storyboard.jpg";
export const STORYBOARD_VTT = "storyboard.vtt";

/** The DASH manifest, made at request time from the published CMAF renditions' playlists (it is not stored). */
export const DASH_MANIFEST = "dash/manifest.mpd";
/** The audio rendition of a CMAF video (video renditions carry no audio). */
export const AUDIO_RENDITION = "audio";
/** A CMAF rendition's initialization segment, beside its media playlist. */
export const INIT_SEGMENT = "init.mp4";

/** A rendition's media playlist, e.g. `hls/720p/index.m3u8` or `hls/audio/index.m3u8`. */
export const renditionPlaylist = (rendition: string) => `hls/${rendition}/index.m3u8`;

const RENDITION = `(?:[0-9]{2,4}p|${AUDIO_RENDITION})`;
const literal = (path: string) => path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** Matches a rendition playlist; group 1 is the rendition. */
export const RENDITION_PLAYLIST = new RegExp(`^hls/(${RENDITION})/index\\.m3u8$`);

/**
 * Every path a member may fetch; nothing else under the video's prefix (the source stays private). Segments are
 * MPEG-TS (`.ts`, videos processed before CMAF) or CMAF fMP4 (`init.mp4` + `.m4s`).
 */
export const MEDIA_PATH = new RegExp(
  `^(${[MASTER_PLAYLIST, DASH_MANIFEST, POSTER, STORYBOARD_SPRITE, STORYBOARD_VTT].map(literal).join("|")}|hls/${RENDITION}/index\\.m3u8|hls/${RENDITION}/${literal(INIT_SEGMENT)}|hls/${RENDITION}/segment_[0-9]{4,6}\\.(?:ts|m4s))$`,
);

/** The app's access-checked route for a media path of a video. */
export const mediaRoutePath = ({ videoId, path }: { videoId: string; path: string }) => `/api/v1/education/videos/${videoId}/media/${path}`;
