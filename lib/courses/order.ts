import { AppError } from "@/lib/errors";

export type OrderMismatch = { missing: string[]; extra: string[]; duplicated: string[] };

/** How a proposed order differs from the current set: ids left out, ids not in it, ids listed twice. */
export function orderMismatch({ current, proposed }: { current: readonly string[]; proposed: readonly string[] }): OrderMismatch | undefined {
  const known = new Set(current);
  const seen = new Set<string>();
  const duplicated = new Set<string>();
  for (const id of proposed) {
    if (seen.has(id)) duplicated.add(id);
    seen.add(id);
  }
  const missing = current.filter((id) => !seen.has(id));
  const extra = [...seen].filter((id) => !known.has(id));
  if (missing.length === 0 && extra.length === 0 && duplicated.size === 0) return undefined;
  return { missing, extra, duplicated: [...duplicated] };
}

/** Refuses (400 `order_mismatch`) a list that is not exactly the current set, saying what differs. */
export function assertSameSet({ current, proposed, noun }: { current: readonly string[]; proposed: readonly string[]; noun: "lessons" | "videos" }) {
  const mismatch = orderMismatch({ current, proposed });
  if (!mismatch) return;
  const parts = [
    mismatch.missing.length ? `${mismatch.missing.length} missing` : "",
    mismatch.extra.length ? `${mismatch.extra.length} not in it` : "",
    mismatch.duplicated.length ? `${mismatch.duplicated.length} listed twice` : "",
  ].filter(Boolean);
  throw new AppError("order_mismatch", `List every one of the ${noun} exactly once (${parts.join(", ")}); reload to get the current ${noun}.`, {
    status: 400,
    details: mismatch,
  });
}
