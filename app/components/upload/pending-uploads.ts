import { useMemo, useSyncExternalStore } from "react";

/**
 * Unfinished uploads, remembered in this browser so a reload or a crashed tab
 * can continue them: choosing the same file again resumes from the parts
 * storage already holds.
 */
export type PendingUpload = { courseId: string; videoId: string; name: string; size: number; lastModified: number; title: string };

const KEY = "lectern.pendingUploads";
const CHANGED = "lectern:pending-uploads";

/** The course's pending uploads, kept in step with localStorage (other tabs included); none during server rendering. */
export function usePendingUploads(courseId: string): PendingUpload[] {
  const raw = useSyncExternalStore(subscribe, () => window.localStorage.getItem(KEY) ?? "[]", () => "[]");
  return useMemo(() => parse(raw).filter((upload) => upload.courseId === courseId), [raw, courseId]);
}

function subscribe(onChange: () => void) {
  window.addEventListener("storage", onChange);
  window.addEventListener(CHANGED, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(CHANGED, onChange);
  };
}

function parse(raw: string): PendingUpload[] {
  try {
    const all = JSON.parse(raw) as unknown;
    return Array.isArray(all) ? (all as PendingUpload[]) : [];
  } catch {
    return [];
  }
}

function writeAll(uploads: PendingUpload[]) {
  try {
    window.localStorage.setItem(KEY, JSON.stringify(uploads));
    window.dispatchEvent(new Event(CHANGED));
  } catch {
    // Private mode or a full quota: uploads still work, they just cannot be resumed after a reload.
  }
}

function readAll(): PendingUpload[] {
  return parse(window.localStorage.getItem(KEY) ?? "[]");
}

export function rememberPendingUpload(upload: PendingUpload) {
  writeAll([...readAll().filter((other) => other.videoId !== upload.videoId), upload]);
}

export function forgetPendingUpload(videoId: string) {
  writeAll(readAll().filter((upload) => upload.videoId !== videoId));
}

/** The pending upload of this very file (same name, size and modification time), if any. */
export function findPendingUpload(courseId: string, file: File): PendingUpload | undefined {
  return readAll().find(
    (upload) => upload.courseId === courseId && upload.name === file.name && upload.size === file.size && upload.lastModified === file.lastModified,
  );
}

