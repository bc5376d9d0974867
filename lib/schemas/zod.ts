import { z } from "zod";
import type { FieldProblem } from "../errors";

// One error vocabulary for forms, the admin API and config files: a missing field says "Required".
z.config({
  customError: (issue) => {
    if (issue.code === "invalid_type" && issue.input === undefined) return "Required";
    return undefined;
  },
});

export { z };

/** `workspaces[1].name` style paths, as shown to people editing a file or a form. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

export function zodProblems(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldProblem[] {
  return error.issues.map((i) => {
    let message = i.message;
    if (i.code === "unrecognized_keys") message = `Unknown field${i.keys.length > 1 ? "s" : ""}: ${i.keys.join(", ")}`;
    return { path: formatPath([...prefix, ...i.path]) || "(root)", message };
  });
}

// C0 controls, DEL and C1 controls. PostgreSQL refuses NUL in text (a 500 before this), and the rest hide
// or rewrite text in tables, logs and terminals. Multi-line text keeps tab, line feed and carriage return.
// oxlint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const SINGLE_LINE = /^[^\x00-\x1f\x7f-\x9f]*$/;
// oxlint-disable-next-line no-control-regex -- as above
const MULTI_LINE = /^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$/;

/**
 * Free text people type (names, descriptions, notes): trimmed, bounded, without control characters. Every such
 * field in lib/schemas builds on it; add `.min()` or `.regex()` for stricter fields.
 */
export function textSchema(opts: { max: number; multiline?: boolean }) {
  return z
    .string()
    .trim()
    .max(opts.max, `Must be at most ${opts.max} characters`)
    .regex(opts.multiline ? MULTI_LINE : SINGLE_LINE, {
      message: opts.multiline ? "Must not contain control characters" : "Must be one line without control characters",
      // A control character is the one problem worth reporting; a name's own pattern would only repeat it.
      abort: true,
    });
}

export const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-zA-Z0-9_-]+$/, "Invalid id");

export const listQuerySchema = z.object({
  cursor: z.string().max(128).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  q: z.string().trim().max(200).optional(),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Takes `limit + 1` rows fetched in order and splits off the cursor for the next page. */
export function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const data = rows.slice(0, limit);
  return { data, nextCursor: rows.length > limit ? data[data.length - 1].id : null };
}

/** An absolute http(s) URL, stored without trailing slashes. Where it may point is the outbound guard's call. */
export function httpUrlSchema(opts: { max: number; message: string }) {
  return z
    .string()
    .trim()
    .min(1, "Required")
    .max(opts.max, `Must be at most ${opts.max} characters`)
    .refine((v) => {
      try {
        const u = new URL(v);
        return u.protocol === "http:" || u.protocol === "https:";
      } catch {
        return false;
      }
    }, opts.message)
    .transform((v) => v.replace(/\/+$/, ""));
}
