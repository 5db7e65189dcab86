"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { InvitationDto } from "@/lib/courses/member-schemas";
import { queryKeys } from "@/lib/query-keys";
import { formatUtc } from "../tokens/format-time";
import { CopyButton } from "./copy-button";
import { failureMessage, memberApi, ROLE_LABELS } from "./member-api";

function EmailState({ invitation, emailEnabled }: { invitation: InvitationDto; emailEnabled: boolean }) {
  const { sentAt, error } = invitation.emailDelivery;
  if (sentAt) return <>Sent {formatUtc(sentAt)}</>;
  if (error) return <>Not sent yet (retrying): {error}</>;
  return <>{emailEnabled ? "Sending…" : "Not emailed (copy the link)"}</>;
}

/** Pending invitations: copy a link, revoke (only those the policy lets the caller manage come with a link). */
export function PendingInvitations({ courseId, invitations, emailEnabled }: { courseId: string; invitations: InvitationDto[]; emailEnabled: boolean }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string>();
  const revoke = useMutation({
    mutationFn: (invitation: InvitationDto) => memberApi.revoke(invitation.id),
    onMutate: () => setError(undefined),
    onError: (failure, invitation) => setError(`The invitation for ${invitation.email} was not revoked: ${failureMessage(failure)}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.invitations(courseId) }),
  });
  const onRevoke = (invitation: InvitationDto) => {
    if (window.confirm(`Revoke the invitation for ${invitation.email}? Its link stops working.`)) revoke.mutate(invitation);
  };
  return (
    <section className="card stack" aria-labelledby="pending-heading">
      <h2 id="pending-heading">Pending invitations</h2>
      {error ? (
        <p role="alert" className="alert">
          {error}
        </p>
      ) : null}
      {invitations.length === 0 ? (
        <p className="muted">No pending invitations.</p>
      ) : (
        <div className="token-table-wrap">
          <table className="token-table" aria-label="Pending invitations">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Invited by</th>
                <th scope="col">Expires</th>
                <th scope="col">Email sent</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((invitation) => (
                <tr key={invitation.id}>
                  <th scope="row">{invitation.email}</th>
                  <td>{ROLE_LABELS[invitation.role]}</td>
                  <td>{invitation.invitedBy ? (invitation.invitedBy.name ?? invitation.invitedBy.email) : <span className="muted">Someone who left</span>}</td>
                  <td>
                    <time dateTime={invitation.expiresAt}>{formatUtc(invitation.expiresAt)}</time>
                  </td>
                  <td>
                    <EmailState invitation={invitation} emailEnabled={emailEnabled} />
                  </td>
                  <td>
                    {invitation.url ? (
                      <div className="actions">
                        <CopyButton text={invitation.url} label={`invitation link for ${invitation.email}`} />
                        <button type="button" className="button danger" aria-label={`Revoke invitation for ${invitation.email}`} disabled={revoke.isPending} onClick={() => onRevoke(invitation)}>
                          Revoke
                        </button>
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
