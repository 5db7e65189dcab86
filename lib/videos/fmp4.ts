/**
 * The two numbers of a CMAF (fragmented MP4) rendition that timing needs, read from a few hundred bytes of its
 * files (ISO/IEC 14496-12): the track's timescale (the init segment's `moov/trak/mdia/mdhd`) and where its first
 * fragment starts (the first media segment's `moof/traf/tfdt` baseMediaDecodeTime, in that timescale). Pure.
 */

type Box = { type: string; start: number; end: number; body: number };

const CONTAINERS = new Set(["moov", "trak", "mdia", "moof", "traf"]);

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** The boxes directly inside [start, end); stops at a box that runs past the bytes we have (a ranged read). */
function* boxes(bytes: Uint8Array, start: number, end: number): Generator<Box> {
  const data = view(bytes);
  let at = start;
  while (at + 8 <= end) {
    let size = data.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    let body = at + 8;
    if (size === 1) {
      if (at + 16 > end) return;
      size = Number(data.getBigUint64(at + 8));
      body = at + 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < body - at) return;
    yield { type, start: at, end: Math.min(at + size, end), body };
    at += size;
  }
}

/** The first box at this path of types (each but the last a container), e.g. moov → trak → mdia → mdhd. */
function find(bytes: Uint8Array, path: string[]): Box | undefined {
  let start = 0;
  let end = bytes.length;
  let found: Box | undefined;
  for (const [depth, type] of path.entries()) {
    found = undefined;
    for (const box of boxes(bytes, start, end)) {
      if (box.type === type) {
        found = box;
        break;
      }
    }
    if (!found || (depth < path.length - 1 && !CONTAINERS.has(type))) return undefined;
    start = found.body;
    end = found.end;
  }
  return found;
}

/** The media timescale (units per second) of the init segment's first track; undefined when it cannot be read. */
export function initTimescale(init: Uint8Array): number | undefined {
  const mdhd = find(init, ["moov", "trak", "mdia", "mdhd"]);
  if (!mdhd) return undefined;
  const version = init[mdhd.body];
  // FullBox header (4), then creation and modification times: 4 bytes each in version 0, 8 in version 1.
  const at = mdhd.body + 4 + (version === 1 ? 16 : 8);
  if (at + 4 > mdhd.end) return undefined;
  const timescale = view(init).getUint32(at);
  return timescale > 0 ? timescale : undefined;
}

/** The first fragment's baseMediaDecodeTime (in the track's timescale); undefined when the bytes hold no tfdt. */
export function firstDecodeTime(segment: Uint8Array): number | undefined {
  const tfdt = find(segment, ["moof", "traf", "tfdt"]);
  if (!tfdt) return undefined;
  const version = segment[tfdt.body];
  const at = tfdt.body + 4;
  if (at + (version === 1 ? 8 : 4) > tfdt.end) return undefined;
  const data = view(segment);
  return version === 1 ? Number(data.getBigUint64(at)) : data.getUint32(at);
}
