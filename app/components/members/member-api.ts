import type { CourseRole } from "@/db/schema";
import type { BulkInviteResult, InvitationDto, MemberDto } from "@/lib/courses/member-schemas";
import { fetcher } from "@/lib/fetcher";

const base = (courseId: string) => `/api/v1/education/courses/${courseId}`;

/** The members page's calls to the API (the same routes API clients use). */
export const memberApi = {
  members: async (courseId: string) => (await fetcher<{ data: MemberDto[] }>(`${base(courseId)}/members`)).data,
  invitations: async (courseId: string) => (await fetcher<{ data: InvitationDto[] }>(`${base(courseId)}/invitations`)).data,
  changeRole: async ({ courseId, userId, role }: { courseId: string; userId: string; role: CourseRole }) =>
    (await fetcher<{ data: MemberDto }>(`${base(courseId)}/members/${userId}`, { method: "PATCH", body: JSON.stringify({ role }) })).data,
  remove: ({ courseId, userId }: { courseId: string; userId: string }) => fetcher<void>(`${base(courseId)}/members/${userId}`, { method: "DELETE" }),
  invite: async ({ courseId, email, role }: { courseId: string; email: string; role: CourseRole }) =>
    (await fetcher<{ data: InvitationDto }>(`${base(courseId)}/invitations`, { method: "POST", body: JSON.stringify({ email, role }) })).data,
  inviteMany: async ({ courseId, emails, role }: { courseId: string; emails: string[]; role: CourseRole }) =>
    (await fetcher<{ data: BulkInviteResult }>(`${base(courseId)}/invitations/bulk`, { method: "POST", body: JSON.stringify({ emails, role }) })).data,
  revoke: async (invitationId: string) => (await fetcher<{ data: InvitationDto }>(`/api/v1/education/invitations/${invitationId}`, { method: "DELETE" })).data,
};

export const ROLE_LABELS: Record<CourseRole, string> = { owner: "Owner", instructor: "Instructor", editor: "Editor", viewer: "Viewer" };

/** The first message of a failed request, with the first field error when there is one. */
export function failureMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const details = (error as { details?: { fieldErrors?: Record<string, string[]> } }).details;
  const field = details?.fieldErrors ? Object.values(details.fieldErrors)[0]?.[0] : undefined;
  return field ? `${error.message} ${field}` : error.message;
}
