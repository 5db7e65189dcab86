import { statementSchema } from "@/lib/xapi/statement-schema";
import { z } from "zod";

export const processVideoJobSchema = z.object({ videoId: z.uuid() });
export type ProcessVideoJob = z.infer<typeof processVideoJobSchema>;

/** The invitation's link is derived from its id (lib/courses/invitation-token.ts): no token is ever stored in a job. */
export const invitationEmailJobSchema = z.object({ invitationId: z.uuid(), origin: z.url() });
export type InvitationEmailJob = z.infer<typeof invitationEmailJobSchema>;

export const transcribeVideoJobSchema = z.object({ videoId: z.uuid() });
export type TranscribeVideoJob = z.infer<typeof transcribeVideoJobSchema>;

/** xAPI statements built when the batch was recorded (so every retry sends the very same statements). */
export const xapiStatementsJobSchema = z.object({ statements: z.array(statementSchema).min(1) });
export type XapiStatementsJob = z.infer<typeof xapiStatementsJobSchema>;
