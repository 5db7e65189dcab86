"use client";

import { useQuery } from "@tanstack/react-query";
import type { CourseRole } from "@/db/schema";
import type { InvitationDto, MemberDto } from "@/lib/courses/member-schemas";
import { queryKeys } from "@/lib/query-keys";
import { invitableRoles } from "@/lib/videos/policy";
import { InviteForms } from "./invite-forms";
import { failureMessage, memberApi } from "./member-api";
import { MembersTable } from "./members-table";
import { PendingInvitations } from "./pending-invitations";

type Props = {
  courseId: string;
  myRole: CourseRole;
  myUserId: string;
  emailEnabled: boolean;
  initialMembers: MemberDto[];
  initialInvitations: InvitationDto[];
};

/** The members page: members, the invite forms and the pending invitations, kept fresh through the API. */
export function MembersManager({ courseId, myRole, myUserId, emailEnabled, initialMembers, initialInvitations }: Props) {
  const members = useQuery({ queryKey: queryKeys.members(courseId), queryFn: () => memberApi.members(courseId), initialData: initialMembers });
  const invitations = useQuery({
    queryKey: queryKeys.invitations(courseId),
    queryFn: () => memberApi.invitations(courseId),
    initialData: initialInvitations,
    // While emails go out, their state changes on the server.
    refetchInterval: (query) => (emailEnabled && query.state.data?.some((item) => !item.emailDelivery.sentAt) ? 3000 : false),
  });
  const roles = invitableRoles(myRole);
  return (
    <>
      {members.error ? (
        <p role="alert" className="alert">
          The members could not be loaded: {failureMessage(members.error)}
        </p>
      ) : null}
      <MembersTable courseId={courseId} myRole={myRole} myUserId={myUserId} members={members.data} />
      {roles.length > 0 ? <InviteForms courseId={courseId} roles={roles} emailEnabled={emailEnabled} /> : null}
      <PendingInvitations courseId={courseId} invitations={invitations.data} emailEnabled={emailEnabled} />
    </>
  );
}
