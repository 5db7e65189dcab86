import { z } from "zod";

export const processVideoJobSchema = z.object({ videoId: z.uuid() });
export type ProcessVideoJob = z.infer<typeof processVideoJobSchema>;
