import { describe, expect, it } from "vitest";
import { composeInvitationEmail } from "@/lib/email/invitation-email";

describe("composeInvitationEmail", () => {
  const base = { role: "editor" as const, inviterName: "Ivy <Instructor>", url: "https://lectern.example/invitations/lci_abc", expiresAt: new Date("2026-12-15T12:00:00Z") };

  it("names the course in the subject and gives the link in text and HTML", () => {
    const mail = composeInvitationEmail({ ...base, courseTitle: "Options Basics" });
    expect(mail.subject).toBe("You're invited to “Options Basics” on Lectern");
    expect(mail.text).toContain("Accept the invitation: https://lectern.example/invitations/lci_abc");
    expect(mail.text).toContain("as an editor");
    expect(mail.text).toContain("Tue, 15 Dec 2026 12:00:00 GMT");
    expect(mail.html).toContain('<a href="https://lectern.example/invitations/lci_abc">');
  });

  it("escapes course titles and names in the HTML", () => {
    const mail = composeInvitationEmail({ ...base, courseTitle: `<script>alert("x")</script> & more` });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more");
    expect(mail.html).toContain("Ivy &lt;Instructor&gt;");
  });
});
