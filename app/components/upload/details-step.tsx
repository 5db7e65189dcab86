"use client";

import { useState } from "react";
import { SelectField } from "@/app/components/select-field";
import { TextField } from "@/app/components/text-field";
import type { VideoMetadata } from "@/lib/upload-client";
import { DIFFICULTIES, videoMetadataSchema } from "@/lib/videos/schemas";

export type Details = { metadata: VideoMetadata; lessonId?: string };
type Props = {
  defaultTitle: string;
  lessons: { id: string; title: string }[];
  onBack: () => void;
  onSubmit: (details: Details) => void;
};

/** Step 2: the video's details, validated with the same schema the API uses. */
export function DetailsStep({ defaultTitle, lessons, onBack, onSubmit }: Props) {
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = (form: FormData) => {
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const tags = text("tags").split(",").map((tag) => tag.trim()).filter(Boolean);
    const parsed = videoMetadataSchema.safeParse({
      title: text("title"),
      description: text("description") || undefined,
      tags: tags.length ? tags : undefined,
      difficulty: text("difficulty") || undefined,
      language: text("language") || undefined,
    });
    if (!parsed.success) {
      const next: Record<string, string> = {};
      for (const issue of parsed.error.issues) next[String(issue.path[0])] ??= issue.message;
      return setErrors(next);
    }
    setErrors({});
    onSubmit({ metadata: parsed.data, lessonId: text("lesson") || undefined });
  };

  return (
    <form action={submit} className="stack" noValidate aria-label="Video details">
      <TextField id="title" label="Title" required defaultValue={defaultTitle} maxLength={200} error={errors.title} />
      <div className="field">
        <label htmlFor="description">Description</label>
        <textarea id="description" name="description" rows={3} maxLength={5000} aria-invalid={Boolean(errors.description)} />
        {errors.description ? <span className="field-error">{errors.description}</span> : null}
      </div>
      <TextField id="tags" label="Tags" placeholder="comma, separated" error={errors.tags} />
      <SelectField
        id="difficulty"
        label="Difficulty"
        emptyLabel="Not set"
        options={DIFFICULTIES.map((difficulty) => ({ value: difficulty, label: difficulty[0]?.toUpperCase() + difficulty.slice(1) }))}
      />
      <TextField id="language" label="Language" placeholder="en, pt-BR…" error={errors.language} />
      <SelectField id="lesson" label="Lesson" emptyLabel="No lesson" options={lessons.map((lesson) => ({ value: lesson.id, label: lesson.title }))} />
      <div className="actions">
        <button type="button" className="button secondary" onClick={onBack}>
          Back
        </button>
        <button type="submit" className="button">
          Upload
        </button>
      </div>
    </form>
  );
}
