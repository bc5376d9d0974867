import type { FieldProblem } from "../errors";
import { formatPath } from "../schemas/zod";

/**
 * How deeply a parsed JSON or YAML body may nest. JSON.parse takes any depth, but the recursive code after it
 * (zod, the forbidden-key scan, env references, JSON.stringify towards an upstream) overflows the stack near a
 * few thousand levels; no request of ours needs more than a few dozen (a tool schema included).
 */
export const MAX_JSON_DEPTH = 64;

type Frame = { value: unknown; level: number; key: string | number | null; parent: Frame | null };

/** The first object or array nested more than `max` levels deep, as a problem with its path; found without recursion. */
export function depthProblem(value: unknown, max = MAX_JSON_DEPTH): FieldProblem | null {
  const stack: Frame[] = [{ value, level: 1, key: null, parent: null }];
  while (stack.length) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (v === null || typeof v !== "object") continue;
    if (frame.level > max) {
      const path: (string | number)[] = [];
      for (let f: Frame | null = frame; f && f.key !== null; f = f.parent) path.unshift(f.key);
      return { path: formatPath(path), message: `Nested more than ${max} levels deep` };
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], level: frame.level + 1, key: i, parent: frame });
    } else {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--)
        stack.push({ value: (v as Record<string, unknown>)[keys[i]], level: frame.level + 1, key: keys[i], parent: frame });
    }
  }
  return null;
}
