import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { MembersManager } from "@/app/components/members/members-manager";
import { publicOrigin } from "@/lib/api/public-origin";
import { listPendingInvitations } from "@/lib/courses/invitations";
import { listMembers } from "@/lib/courses/members";
import { emailEnabled } from "@/lib/email/settings";
import { canOnCourse } from "@/lib/videos/policy";
import { loadCourse } from "../load-course";

type Props = { params: Promise<{ courseId: string }> };


export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Members · ${(await loadCourse((await params).courseId)).course.title}` };
}

export default async function MembersPage({ params }: Props) {
  const { user, course } = await loadCourse((await params).courseId);
  const allowed = canOnCourse({ role: course.role, action: "viewMembers" });
  const origin = publicOrigin(await headers());
  const [members, invitations] = allowed
    ? await Promise.all([listMembers({ actor: user, courseId: course.id }), listPendingInvitations({ actor: user, courseId: course.id, origin })])
    : [[], []];
  return (
    <article className="stack" aria-labelledby="members-heading">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link href="/courses">My courses</Link> / <Link href={`/courses/${course.id}`}>{course.title}</Link> / Members
      </nav>
      <h1 id="members-heading">Members of {course.title}</h1>
      {allowed ? (
        <MembersManager courseId={course.id} myRole={course.role} myUserId={user.id} emailEnabled={emailEnabled()} initialMembers={members} initialInvitations={invitations} />
      ) : (
        <p role="alert" className="alert">
          Only the course&apos;s owners and instructors can see and manage its members.
        </p>
      )}
    </article>
  );
}
