import type { CourseRole } from "@/db/schema";

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] ?? char);

const ROLE_WORDS: Record<CourseRole, string> = {
  owner: "an owner",
  instructor: "an instructor",
  editor: "an editor",
  viewer: "a student (viewer)",
};

/** The invitation email: subject naming the course, the link in text and HTML. */
export function composeInvitationEmail({
  courseTitle,
  role,
  inviterName,
  url,
  expiresAt,
}: {
  courseTitle: string;
  role: CourseRole;
  inviterName: string | null;
  url: string;
  expiresAt: Date;
}) {
  const who = inviterName ?? "The course team";
  const until = expiresAt.toUTCString();
  const subject = `You're invited to “${courseTitle}” on Lectern`;
  const text = [
    `${who} invited you to join “${courseTitle}” on Lectern as ${ROLE_WORDS[role]}.`,
    "",
    `Accept the invitation: ${url}`,
    "",
    `The link works once and expires on ${until}. If you did not expect this email, you can ignore it.`,
  ].join("\n");
  const html = `<p>${escapeHtml(who)} invited you to join <strong>${escapeHtml(courseTitle)}</strong> on Lectern as ${ROLE_WORDS[role]}.</p>
<p><a href="${escapeHtml(url)}">Accept the invitation</a></p>
<p>The link works once and expires on ${escapeHtml(until)}. If you did not expect this email, you can ignore it.</p>`;
  return { subject, text, html };
}
