import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { AnalyticsPanel } from "@/app/components/analytics/analytics-panel";
import { VideoDetails } from "@/app/components/videos/video-details";
import { requireSessionUser } from "@/lib/auth/current-user";
import { transcriptionEnabled } from "@/lib/captions/machine-captions";
import { getMyCourse } from "@/lib/courses/courses";
import { AppError } from "@/lib/errors";
import { canNow } from "@/lib/videos/policy";
import { getVideo } from "@/lib/videos/videos";
import { getVideoAnalytics } from "@/lib/watch/analytics";

type Props = { params: Promise<{ courseId: string; videoId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** `?t=` in seconds (a search hit's moment): a non-negative number, anything else ignored. */
function startTime(value: string | string[] | undefined): number | undefined {
  const seconds = typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

// One read per request: generateMetadata and the page both need the video and its course.
const load = cache(async (courseId: string, videoId: string) => {
  const user = await requireSessionUser();
  try {
    const video = await getVideo({ actor: user, videoId });
    if (video.courseId !== courseId) notFound();
    return { user, video, course: await getMyCourse({ userId: user.id, courseId }) };
  } catch (error) {
    if (error instanceof AppError && error.status === 404) notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { courseId, videoId } = await params;
  return { title: (await load(courseId, videoId)).video.title };
}

export default async function VideoPage({ params, searchParams }: Props) {
  const { courseId, videoId } = await params;
  const startAt = startTime((await searchParams).t);
  const { user, video, course } = await load(courseId, videoId);
  const seesAnalytics = canNow({ role: course.role, action: "viewAnalytics", archived: course.archivedAt !== null });
  const analytics = seesAnalytics ? await getVideoAnalytics({ actor: user, videoId: video.id, query: {} }) : undefined;
  return (
    <div className="stack">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link href="/courses">My courses</Link> / <Link href={`/courses/${course.id}`}>{course.title}</Link> / {video.title}
      </nav>
      <VideoDetails initialVideo={video} role={course.role} archived={course.archivedAt !== null} lessons={course.lessons} transcriptionEnabled={transcriptionEnabled()} startAt={startAt} />
      {analytics ? <AnalyticsPanel videoId={video.id} initial={analytics} /> : null}
    </div>
  );
}
