import { z } from "zod";
import { descriptionSchema, idSchema, titleSchema, videoStatusSchema } from "@/lib/videos/schemas";

/** Shared by the course and lesson routes, the course pages and the OpenAPI document. */

export const MAX_LESSONS_IN_ORDER = 500;
export const MAX_VIDEOS_IN_ORDER = 1000;

export const createCourseSchema = z.object({ title: titleSchema, description: descriptionSchema.optional() }).strict();
export type CreateCourseInput = z.infer<typeof createCourseSchema>;

export const updateCourseSchema = z
  .object({ title: titleSchema.optional(), description: descriptionSchema.nullable().optional(), version: z.number().int().positive() })
  .strict();
export type UpdateCourseInput = z.infer<typeof updateCourseSchema>;

export const listCoursesQuerySchema = z.object({
  include: z.enum(["archived"], { message: 'include must be "archived" (or left out).' }).optional().describe("archived: list archived courses too"),
});

export const lessonInputSchema = z.object({ title: titleSchema }).strict();

export const lessonOrderSchema = z
  .object({ lessonIds: z.array(idSchema).max(MAX_LESSONS_IN_ORDER, `At most ${MAX_LESSONS_IN_ORDER} lessons.`) })
  .strict()
  .describe("Every lesson of the course, each once, in the new order");

export const videoOrderSchema = z
  .object({ videoIds: z.array(idSchema).max(MAX_VIDEOS_IN_ORDER, `At most ${MAX_VIDEOS_IN_ORDER} videos.`) })
  .strict()
  .describe("Every live video of the lesson, each once, in the new order");

// --- Responses ---------------------------------------------------------------------------------

export const lessonSummarySchema = z.object({ id: idSchema, title: z.string() });

export const courseDtoSchema = z.object({
  id: idSchema,
  title: z.string(),
  description: z.string().nullable(),
  role: z.enum(["owner", "instructor", "editor", "viewer"]),
  archivedAt: z.string().nullable().describe("When the course was archived (read-only); null while active"),
  version: z.number().int(),
  lessons: z.array(lessonSummarySchema),
});
export type CourseDto = z.infer<typeof courseDtoSchema>;

export const lessonDtoSchema = z.object({
  id: idSchema,
  courseId: idSchema,
  title: z.string(),
  position: z.number().int().describe("1-based place in the course"),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type LessonDto = z.infer<typeof lessonDtoSchema>;

export const outlineVideoSchema = z.object({
  id: idSchema,
  title: z.string(),
  status: videoStatusSchema,
  durationSeconds: z.number().nullable(),
});

export const lessonWithVideosSchema = lessonDtoSchema.extend({
  videos: z.array(outlineVideoSchema).describe("The lesson's videos in order (viewers: ready ones only)"),
});
export type LessonWithVideos = z.infer<typeof lessonWithVideosSchema>;

export const orderMismatchDetailsSchema = z.object({
  missing: z.array(idSchema).describe("In the current set but not in the list"),
  extra: z.array(z.string()).describe("In the list but not in the current set"),
  duplicated: z.array(z.string()).describe("Listed more than once"),
});
