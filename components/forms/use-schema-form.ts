"use client";

import { useState } from "react";
import type { z } from "zod";
import { ApiError } from "@/components/api/client";

/**
 * Client-side validation with the same zod schema the API uses, and the server's per-field errors shown
 * next to the same fields. `toInput` turns the form's values into the schema's input.
 */
export function useSchemaForm<S extends z.ZodType>(schema: S, toInput: (form: FormData) => unknown) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<unknown>(null);

  return {
    errors,
    formError,
    reset() {
      setErrors({});
      setFormError(null);
    },
    /** The parsed value, or null after showing the problems. */
    parse(form: HTMLFormElement): z.output<S> | null {
      const r = schema.safeParse(toInput(new FormData(form)));
      setFormError(null);
      if (r.success) {
        setErrors({});
        return r.data;
      }
      const next: Record<string, string> = {};
      for (const i of r.error.issues) next[i.path.join(".") || "form"] ??= i.message;
      setErrors(next);
      return null;
    },
    /** Shows an API error: field errors by path, anything else as a banner. */
    fail(e: unknown) {
      if (e instanceof ApiError && e.errors.length) {
        setErrors(e.fieldErrors());
        // A 422 detail adds context ("No account exists for this email..."); a 409's repeats the field error.
        setFormError(e.status === 422 ? e : null);
      } else {
        setFormError(e);
      }
    },
  };
}

/** Empty strings mean "not given" for optional fields. */
export function optional(v: FormDataEntryValue | null): string | undefined {
  const s = typeof v === "string" ? v.trim() : "";
  return s ? s : undefined;
}
