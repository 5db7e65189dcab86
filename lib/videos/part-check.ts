import type { UploadedPart } from "@/lib/storage";
import { partLength } from "./part-plan";

export type PartProblems = { missing: number[]; unexpected: number[]; etagMismatch: number[]; wrongSize: number[]; notInStorage: number[] };

const normalizeEtag = (etag: string) => etag.trim().replace(/^W\//, "").replace(/^"|"$/g, "");

/** What keeps the parts the client lists, checked against the parts storage holds, from completing the upload. */
export function checkParts({
  plan,
  requested,
  stored,
}: {
  plan: { partSize: number; partCount: number; fileSize: number };
  requested: { partNumber: number; etag: string }[];
  stored: UploadedPart[];
}): PartProblems {
  const { partCount } = plan;
  const byNumber = new Map(stored.map((part) => [part.partNumber, part]));
  const requestedNumbers = new Set(requested.map((part) => part.partNumber));
  const problems: PartProblems = { missing: [], unexpected: [], etagMismatch: [], wrongSize: [], notInStorage: [] };
  for (let partNumber = 1; partNumber <= partCount; partNumber++) {
    if (!requestedNumbers.has(partNumber)) problems.missing.push(partNumber);
  }
  for (const part of requested) {
    const held = byNumber.get(part.partNumber);
    if (part.partNumber > partCount) problems.unexpected.push(part.partNumber);
    else if (!held) problems.notInStorage.push(part.partNumber);
    else if (normalizeEtag(held.etag) !== normalizeEtag(part.etag)) problems.etagMismatch.push(part.partNumber);
    else if (held.size !== partLength({ ...plan, partNumber: part.partNumber })) problems.wrongSize.push(part.partNumber);
  }
  return problems;
}

export function hasProblems(problems: PartProblems): boolean {
  return Object.values(problems).some((list) => list.length > 0);
}

export function describeProblems(problems: PartProblems): string {
  const parts: string[] = [];
  if (problems.missing.length) parts.push(`missing from the list: ${problems.missing.join(", ")}`);
  if (problems.notInStorage.length) parts.push(`not in storage: ${problems.notInStorage.join(", ")}`);
  if (problems.etagMismatch.length) parts.push(`ETag mismatch: ${problems.etagMismatch.join(", ")}`);
  if (problems.wrongSize.length) parts.push(`wrong size: ${problems.wrongSize.join(", ")}`);
  if (problems.unexpected.length) parts.push(`beyond the last part: ${problems.unexpected.join(", ")}`);
  return `The parts do not match the upload (${parts.join("; ")}). Upload those parts again, then complete.`;
}
