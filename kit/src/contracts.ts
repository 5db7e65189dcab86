// Compile-time checks (never bundled: nothing imports this file at run time) that the kit's plain public types
// match the app's shared schemas. A change on either side that breaks them fails `npm run typecheck`.
import type { z } from "zod";
import type { adminUserDtoSchema } from "@/lib/admin/schemas";
import type { courseRoleSchema } from "@/lib/courses/member-schemas";
import type { VideoStatus } from "@/lib/videos/status";
import type { LecternRole, LecternUser, LecternVideoStatus } from "./types";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const yes = <T extends true>(value: T) => value;

export const contracts = [
  yes<Same<LecternVideoStatus, VideoStatus>>(true),
  yes<Same<LecternRole, z.infer<typeof courseRoleSchema>>>(true),
  yes<Same<Pick<LecternUser, "id" | "email">, Pick<z.infer<typeof adminUserDtoSchema>, "id" | "email">>>(true),
];
