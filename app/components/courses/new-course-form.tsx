"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { createCourseSchema, type CourseDto } from "@/lib/courses/schemas";
import { AppError } from "@/lib/errors";
import { fetcher } from "@/lib/fetcher";
import { TextField } from "../text-field";

type FieldErrors = Partial<Record<"title" | "description", string>>;

function fieldErrors(error: unknown): FieldErrors {
  const details = error instanceof AppError ? (error.details as { fieldErrors?: Record<string, string[]> } | undefined) : undefined;
  return { title: details?.fieldErrors?.title?.[0], description: details?.fieldErrors?.description?.[0] };
}

/** Title and description of a new course; creating it lands on its page. */
export function NewCourseForm() {
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = { title: String(form.get("title") ?? ""), description: String(form.get("description") ?? "") };
    const parsed = createCourseSchema.safeParse(input);
    if (!parsed.success) {
      const flat = parsed.error.flatten().fieldErrors;
      setErrors({ title: flat.title?.[0], description: flat.description?.[0] });
      return;
    }
    setErrors({});
    setFailure(undefined);
    setBusy(true);
    try {
      const { data } = await fetcher<{ data: CourseDto }>("/api/v1/education/courses", { method: "POST", body: JSON.stringify(parsed.data) });
      router.push(`/courses/${data.id}`);
    } catch (error) {
      setErrors(fieldErrors(error));
      setFailure(error instanceof Error ? `The course was not created: ${error.message}` : "The course was not created.");
      setBusy(false);
    }
  };

  return (
    <form className="card stack" onSubmit={submit} noValidate aria-label="New course">
      <TextField id="title" label="Title" required maxLength={200} error={errors.title} />
      <div className="field">
        <label htmlFor="description">Description (optional)</label>
        <textarea id="description" name="description" rows={4} aria-invalid={Boolean(errors.description)} />
        {errors.description ? <span className="field-error">{errors.description}</span> : null}
      </div>
      {failure ? (
        <p role="alert" className="alert">
          {failure}
        </p>
      ) : null}
      <button type="submit" className="button" disabled={busy}>
        {busy ? "Creating…" : "Create course"}
      </button>
    </form>
  );
}
