"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { CourseRole } from "@/db/schema";
import { COURSE_ROLES, type MemberDto } from "@/lib/courses/member-schemas";
import { queryKeys } from "@/lib/query-keys";
import { canLeaveCourse, canManageMember } from "@/lib/videos/policy";
import { formatUtc } from "../tokens/format-time";
import { failureMessage, memberApi, ROLE_LABELS } from "./member-api";

/** The members, with the role changes and removals the caller's role allows (asked of the policy). */
export function MembersTable({ courseId, myRole, myUserId, members }: { courseId: string; myRole: CourseRole; myUserId: string; members: MemberDto[] }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const [error, setError] = useState<string>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.members(courseId) });

  const changeRole = useMutation({
    mutationFn: memberApi.changeRole,
    onMutate: () => setError(undefined),
    onError: (failure, { userId }) => setError(`The role of ${nameOf(members, userId)} was not changed: ${failureMessage(failure)}`),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: memberApi.remove,
    onMutate: () => setError(undefined),
    onSuccess: (_result, { userId }) => {
      if (userId === myUserId) router.push("/courses");
    },
    onError: (failure, { userId }) => setError(`${userId === myUserId ? "You did not leave the course" : `${nameOf(members, userId)} was not removed`}: ${failureMessage(failure)}`),
    onSettled: refresh,
  });

  const onRemove = (member: MemberDto) => {
    const self = member.userId === myUserId;
    const question = self ? "Leave this course? You lose access at once." : `Remove ${member.name ?? member.email} from the course?`;
    if (window.confirm(question)) remove.mutate({ courseId, userId: member.userId });
  };

  return (
    <>
      {error ? (
        <p role="alert" className="alert">
          {error}
        </p>
      ) : null}
      <div className="card token-table-wrap">
        <table className="token-table" aria-label="Members">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Joined</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((member) => {
              const self = member.userId === myUserId;
              const label = member.name ?? member.email;
              const choices = COURSE_ROLES.filter((role) => role === member.role || canManageMember({ role: myRole, targetRole: member.role, newRole: role }));
              const removable = self ? canLeaveCourse({ role: myRole }) : canManageMember({ role: myRole, targetRole: member.role });
              return (
                <tr key={member.userId}>
                  <th scope="row">
                    {label}
                    {self ? <span className="muted"> (you)</span> : null}
                  </th>
                  <td>{member.email}</td>
                  <td>
                    {choices.length > 1 ? (
                      <select
                        aria-label={`Role of ${label}`}
                        value={member.role}
                        disabled={changeRole.isPending}
                        onChange={(event) => changeRole.mutate({ courseId, userId: member.userId, role: event.target.value as CourseRole })}
                      >
                        {choices.map((role) => (
                          <option key={role} value={role}>
                            {ROLE_LABELS[role]}
                          </option>
                        ))}
                      </select>
                    ) : (
                      ROLE_LABELS[member.role]
                    )}
                  </td>
                  <td>
                    <time dateTime={member.joinedAt}>{formatUtc(member.joinedAt)}</time>
                  </td>
                  <td>
                    {removable ? (
                      <button type="button" className="button danger" aria-label={self ? "Leave course" : `Remove ${label}`} disabled={remove.isPending} onClick={() => onRemove(member)}>
                        {self ? "Leave" : "Remove"}
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

const nameOf = (members: MemberDto[], userId: string) => {
  const member = members.find((candidate) => candidate.userId === userId);
  return member ? (member.name ?? member.email) : "the member";
};
