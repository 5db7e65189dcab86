import { ListMultipartUploadsCommand } from "@aws-sdk/client-s3";
import { createS3Client, type Storage } from "@/lib/storage/storage";

export type MultipartUploadSummary = { key: string; uploadId: string; initiated?: Date };

/** Unfinished multipart uploads under a prefix (all pages), straight from the service: the app never lists them. */
export async function listMultipartUploads(storage: Storage, { prefix, pageSize }: { prefix: string; pageSize?: number }): Promise<MultipartUploadSummary[]> {
  const client = createS3Client(storage.config);
  const Bucket = storage.config.bucket;
  const uploads: MultipartUploadSummary[] = [];
  try {
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const page = await client.send(new ListMultipartUploadsCommand({ Bucket, Prefix: prefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker, MaxUploads: pageSize }));
      for (const upload of page.Uploads ?? []) {
        if (upload.Key && upload.UploadId) uploads.push({ key: upload.Key, uploadId: upload.UploadId, initiated: upload.Initiated });
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
    } while (keyMarker);
  } finally {
    client.destroy();
  }
  return uploads;
}
