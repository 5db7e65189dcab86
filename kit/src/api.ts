import { z } from "zod";
import { adminUserDtoSchema, createUserSchema } from "@/lib/admin/schemas";
import { courseDtoSchema, createCourseSchema, lessonDtoSchema, lessonInputSchema } from "@/lib/courses/schemas";
import { invitationDtoSchema, inviteSchema, type InviteInput } from "@/lib/courses/member-schemas";
import { isErrorBody } from "@/lib/errors";
import { videoDtoSchema } from "@/lib/videos/schemas";
import { LecternError } from "./errors";


export const kitVideoSchema = videoDtoSchema.pick({ id: true, courseId: true, title: true, status: true, processing: true }).loose();

/** The app's API as the admin token's user: the shared zod schemas check what goes out and what comes back. */
export function adminApi({ url, token }: { url: string; token: string }) {
  const root = `${url.replace(/\/+$/, "")}/api/v1`;
  async function call<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.infer<S>> {
    let response: Response;
    try {
      response = await fetch(`${root}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (cause) {
      throw new LecternError(`Lectern at ${url} did not answer ${method} ${path}: ${cause instanceof Error ? cause.message : String(cause)}. Is LECTERN_URL right?`);
    }
    const parsed: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const detail = isErrorBody(parsed) ? `${parsed.error.code}: ${parsed.error.message}` : `HTTP ${response.status}`;
      const hint =
        response.status === 401 ? " Check LECTERN_ADMIN_TOKEN (an API token of an ADMIN_EMAILS user)." : response.status === 403 && path.startsWith("/admin") ? " The token's user must be listed in the server's ADMIN_EMAILS." : "";
      throw new LecternError(`${method} ${path}: ${detail}.${hint}`, response.status, isErrorBody(parsed) ? parsed.error.code : undefined);
    }
    const result = schema.safeParse(typeof parsed === "object" && parsed !== null && "data" in parsed ? parsed.data : undefined);
    if (!result.success) throw new LecternError(`${method} ${path}: an answer this kit does not understand (${z.prettifyError(result.error)}). Is the kit's version the server's?`);
    return result.data;
  }
  return {
    createUser: (input: z.input<typeof createUserSchema>) => call("POST", "/admin/users", adminUserDtoSchema, createUserSchema.parse(input)),
    createCourse: (input: z.input<typeof createCourseSchema>) => call("POST", "/education/courses", courseDtoSchema, createCourseSchema.parse(input)),
    addLesson: (courseId: string, title: string) => call("POST", `/education/courses/${courseId}/lessons`, lessonDtoSchema, lessonInputSchema.parse({ title })),
    invite: (courseId: string, input: InviteInput) => call("POST", `/education/courses/${courseId}/invitations`, invitationDtoSchema, inviteSchema.parse(input)),
    archiveCourse: (courseId: string) => call("POST", `/education/courses/${courseId}/archive`, courseDtoSchema),
    video: (videoId: string) => call("GET", `/education/videos/${videoId}`, kitVideoSchema),
  };
}

export type AdminApi = ReturnType<typeof adminApi>;
