// Node only, so not exported from index.ts (browsers use blobSource).
import { open } from "node:fs/promises";
import path from "node:path";
import { UploadError } from "./errors";
import type { UploadSource } from "./uploader";

export type NodeFileSource = UploadSource & { close(): Promise<void> };

/** A file read one part at a time: each slice reads just its range into a buffer of its own. */
export async function openFileSource({ file, type }: { file: string; type: string }): Promise<NodeFileSource> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    return {
      size,
      name: path.basename(file),
      type,
      async slice({ start, end }) {
        const buffer = new Uint8Array(end - start);
        for (let offset = 0; offset < buffer.length; ) {
          const { bytesRead } = await handle.read(buffer, offset, buffer.length - offset, start + offset);
          if (bytesRead === 0) throw new UploadError("source_changed", `${file} got shorter during the upload.`);
          offset += bytesRead;
        }
        return buffer;
      },
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
