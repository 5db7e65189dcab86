import type { CourseRole } from "@/db/schema";
import type { VideoStatus } from "./status";

export type VideoAction = "read" | "upload" | "editMetadata" | "delete" | "reprocess";

const ALLOWED: Record<CourseRole, readonly VideoAction[]> = {
  owner: ["read", "upload", "editMetadata", "delete", "reprocess"],
  instructor: ["read", "upload", "editMetadata", "delete", "reprocess"],
  editor: ["read", "editMetadata"],
  viewer: ["read"],
};

/** What a course role may do with the course's videos. */
export function can({ role, action }: { role: CourseRole; action: VideoAction }): boolean {
  return ALLOWED[role].includes(action);
}

/** Viewers only ever see videos that are ready to watch; everyone else sees all. */
export function visibleStatuses(role: CourseRole): readonly VideoStatus[] | undefined {
  return role === "viewer" ? ["ready"] : undefined;
}
