"use client";

import { useState } from "react";
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
      <div className="field">
        <label htmlFor="difficulty">Difficulty</label>
        <select id="difficulty" name="difficulty" defaultValue="">
          <option value="">Not set</option>
          {DIFFICULTIES.map((difficulty) => (
            <option key={difficulty} value={difficulty}>
              {difficulty[0]?.toUpperCase() + difficulty.slice(1)}
            </option>
          ))}
        </select>
      </div>
      <TextField id="language" label="Language" placeholder="en, pt-BR…" error={errors.language} />
      <div className="field">
        <label htmlFor="lesson">Lesson</label>
        <select id="lesson" name="lesson" defaultValue="">
          <option value="">No lesson</option>
          {lessons.map((lesson) => (
            <option key={lesson.id} value={lesson.id}>
              {lesson.title}
            </option>
          ))}
        </select>
      </div>
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
