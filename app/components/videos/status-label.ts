export const STATUS_LABEL: Record<string, string> = {
  uploading: "Uploading",
  uploaded: "Uploaded",
  processing: "Processing",
  ready: "Ready",
  failed: "Failed",
  aborted: "Aborted",
};

/** Statuses that still change on their own: pages poll while a video is in one. */
export const IN_FLIGHT = new Set(["uploading", "uploaded", "processing"]);
