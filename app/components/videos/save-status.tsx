import type { SaveState } from "./use-video-mutations";

/** Says whether an inline edit is still on its way to the server or has landed. */
export function SaveStatus({ state }: { state: SaveState }) {
  return (
    <span role="status" className="save-status">
      {state === "saving" ? "Saving…" : state === "saved" ? "All changes saved" : null}
    </span>
  );
}
