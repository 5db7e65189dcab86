import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { VideoDetails } from "@/app/components/videos/video-details";
import { requireSessionUser } from "@/lib/auth/current-user";
import { getMyCourse } from "@/lib/courses/courses";
import { AppError } from "@/lib/errors";
import { getVideo } from "@/lib/videos/videos";

type Props = { params: Promise<{ courseId: string; videoId: string }> };

async function load({ params }: Props) {
  const user = await requireSessionUser();
  const { courseId, videoId } = await params;
  try {
    const video = await getVideo({ actor: user, videoId });
    if (video.courseId !== courseId) notFound();
    return { video, course: await getMyCourse({ userId: user.id, courseId }) };
  } catch (error) {
    if (error instanceof AppError && error.status === 404) notFound();
    throw error;
  }
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  return { title: (await load(props)).video.title };
}

export default async function VideoPage(props: Props) {
  const { video, course } = await load(props);
  return (
    <div className="stack">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link href="/courses">My courses</Link> / <Link href={`/courses/${course.id}`}>{course.title}</Link> / {video.title}
      </nav>
      <VideoDetails initialVideo={video} role={course.role} lessons={course.lessons} />
    </div>
  );
}
