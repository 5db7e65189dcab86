"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { CourseRole } from "@/db/schema";
import { splitAddressList } from "@/lib/courses/address-list";
import { type BulkInviteResult, type BulkResult, type InvitationDto, MAX_BULK_INVITATIONS } from "@/lib/courses/member-schemas";
import { queryKeys } from "@/lib/query-keys";
import { CopyButton } from "./copy-button";
import { failureMessage, memberApi, ROLE_LABELS } from "./member-api";

const RESULT_LABELS: Record<BulkResult["status"], string> = { invited: "Invited", pending: "Already pending", member: "Already a member", invalid: "Invalid" };

function RolePicker({ id, label, roles }: { id: string; label: string; roles: readonly CourseRole[] }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={id} defaultValue={roles.includes("viewer") ? "viewer" : roles[0]}>
        {roles.map((role) => (
          <option key={role} value={role}>
            {ROLE_LABELS[role]}
          </option>
        ))}
      </select>
    </div>
  );
}

function InvitationLink({ invitation, emailEnabled }: { invitation: InvitationDto; emailEnabled: boolean }) {
  if (!invitation.url) return null;
  return (
    <div className="stack">
      <p>{emailEnabled ? "It is on its way by email. You can also send the link yourself:" : "Email is not set up here (no SMTP_URL): copy the link and send it yourself."}</p>
      <div className="field">
        <label htmlFor={`link-${invitation.id}`}>Invitation link for {invitation.email}</label>
        <input id={`link-${invitation.id}`} readOnly value={invitation.url} onFocus={(event) => event.currentTarget.select()} />
      </div>
      <CopyButton text={invitation.url} label={`invitation link for ${invitation.email}`} />
    </div>
  );
}

/** One address, or a pasted class list: the roles offered are the ones the policy lets the caller hand out. */
export function InviteForms({ courseId, roles, emailEnabled }: { courseId: string; roles: readonly CourseRole[]; emailEnabled: boolean }) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.invitations(courseId) });
  const [single, setSingle] = useState<{ invitation: InvitationDto; created: boolean }>();
  const [singleError, setSingleError] = useState<string>();
  const [bulk, setBulk] = useState<BulkInviteResult>();
  const [bulkError, setBulkError] = useState<string>();

  const invite = useMutation({
    mutationFn: async (input: { email: string; role: CourseRole }) => {
      const before = queryClient.getQueryData<InvitationDto[]>(queryKeys.invitations(courseId));
      const invitation = await memberApi.invite({ courseId, ...input });
      return { invitation, created: !before?.some((item) => item.id === invitation.id) };
    },
    onMutate: () => {
      setSingle(undefined);
      setSingleError(undefined);
    },
    onSuccess: setSingle,
    onError: (failure) => setSingleError(`No invitation was sent: ${failureMessage(failure)}`),
    onSettled: refresh,
  });

  const inviteMany = useMutation({
    mutationFn: memberApi.inviteMany,
    onMutate: () => {
      setBulk(undefined);
      setBulkError(undefined);
    },
    onSuccess: setBulk,
    onError: (failure) => setBulkError(`No invitations were sent: ${failureMessage(failure)}`),
    onSettled: refresh,
  });

  const onInvite = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("invite-email") ?? "").trim();
    if (!email) return setSingleError("Enter the email address to invite.");
    invite.mutate({ email, role: String(form.get("invite-role")) as CourseRole });
  };

  const onInviteMany = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const emails = splitAddressList(String(form.get("class-list") ?? ""));
    if (emails.length === 0) return setBulkError("Paste at least one email address.");
    if (emails.length > MAX_BULK_INVITATIONS) return setBulkError(`That is ${emails.length} addresses: invite at most ${MAX_BULK_INVITATIONS} at once.`);
    inviteMany.mutate({ courseId, emails, role: String(form.get("class-role")) as CourseRole });
  };

  return (
    <>
      <form className="card stack" aria-labelledby="invite-heading" onSubmit={onInvite} noValidate>
        <h2 id="invite-heading">Invite someone</h2>
        <div className="field">
          <label htmlFor="invite-email">Email address</label>
          <input id="invite-email" name="invite-email" type="email" autoComplete="off" maxLength={320} />
        </div>
        <RolePicker id="invite-role" label="Role" roles={roles} />
        <button type="submit" className="button" disabled={invite.isPending}>
          {invite.isPending ? "Inviting…" : "Send invitation"}
        </button>
        {singleError ? (
          <p role="alert" className="alert">
            {singleError}
          </p>
        ) : null}
        {single ? (
          <div role="status" className="stack">
            <p>
              {single.created ? `Invited ${single.invitation.email} as ${ROLE_LABELS[single.invitation.role].toLowerCase()}.` : `${single.invitation.email} already had a pending invitation (as ${ROLE_LABELS[single.invitation.role].toLowerCase()}).`}
            </p>
            <InvitationLink invitation={single.invitation} emailEnabled={emailEnabled} />
          </div>
        ) : null}
      </form>

      <form className="card stack" aria-labelledby="bulk-heading" onSubmit={onInviteMany} noValidate>
        <h2 id="bulk-heading">Invite a class</h2>
        <div className="field">
          <label htmlFor="class-list">Class list</label>
          <textarea id="class-list" name="class-list" rows={6} aria-describedby="class-list-hint" />
          <span id="class-list-hint" className="muted">
            Paste addresses separated by commas, semicolons, spaces or lines (a spreadsheet column works, and Name &lt;address&gt; too). Up to {MAX_BULK_INVITATIONS} at once.
          </span>
        </div>
        <RolePicker id="class-role" label="Role for everyone" roles={roles} />
        <button type="submit" className="button" disabled={inviteMany.isPending}>
          {inviteMany.isPending ? "Inviting…" : "Invite all"}
        </button>
        {bulkError ? (
          <p role="alert" className="alert">
            {bulkError}
          </p>
        ) : null}
        {bulk ? (
          <div role="status" className="stack">
            <p>
              {bulk.counts.invited} invited, {bulk.counts.pending} already pending, {bulk.counts.member} already members, {bulk.counts.invalid} invalid.
              {emailEnabled ? " Invitations are on their way by email." : " Email is not set up here: copy the links from the pending invitations."}
            </p>
            <div className="token-table-wrap">
              <table className="token-table" aria-label="Invitation results">
                <thead>
                  <tr>
                    <th scope="col">Address</th>
                    <th scope="col">Result</th>
                  </tr>
                </thead>
                <tbody>
                  {bulk.results.map((result, index) => (
                    <tr key={`${result.email}-${index}`}>
                      <th scope="row">{result.email}</th>
                      <td>
                        {RESULT_LABELS[result.status]}
                        {result.status === "invalid" && result.message ? `: ${result.message}` : ""}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        ) : null}
      </form>
    </>
  );
}
