export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PARTS = 10_000;

/**
 * One part size for the whole upload: the configured size (at least 5 MiB,
 * S3's minimum), grown in whole MiB until the file fits in 10,000 parts. All
 * parts are equal but the last, which R2 requires.
 */
export function planParts({ fileSize, preferredPartSize }: { fileSize: number; preferredPartSize: number }) {
  const MiB = 1024 * 1024;
  let partSize = Math.max(MIN_PART_SIZE, preferredPartSize);
  if (Math.ceil(fileSize / partSize) > MAX_PARTS) partSize = Math.ceil(fileSize / MAX_PARTS / MiB) * MiB;
  return { partSize, partCount: Math.max(1, Math.ceil(fileSize / partSize)) };
}

/** The exact byte length of one part. */
export function partLength({ partNumber, partSize, partCount, fileSize }: { partNumber: number; partSize: number; partCount: number; fileSize: number }) {
  return partNumber < partCount ? partSize : fileSize - partSize * (partCount - 1);
}
