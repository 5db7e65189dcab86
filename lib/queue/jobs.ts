import { z } from "zod";

export const processVideoJobSchema = z.object({ videoId: z.uuid() });
export type ProcessVideoJob = z.infer<typeof processVideoJobSchema>;

/** The invitation's link is derived from its id (lib/courses/invitation-token.ts): no token is ever stored in a job. */
export const invitationEmailJobSchema = z.object({ invitationId: z.uuid(), origin: z.url() });
export type InvitationEmailJob = z.infer<typeof invitationEmailJobSchema>;

export const transcribeVideoJobSchema = z.object({ videoId: z.uuid() });
export type TranscribeVideoJob = z.infer<typeof transcribeVideoJobSchema>;
