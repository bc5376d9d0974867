// The event log's copy of a payload with the endpoint's redactFields masked. Paths are dotted field names;
// `*` matches every key of an object, and a path runs through arrays element by element
// (`data.items.card` masks `card` in each item). The raw body kept for delivery is not touched.

export const REDACTED_VALUE = "[redacted]";

function redactAt(node: unknown, parts: string[], i: number): unknown {
  if (node === null || typeof node !== "object") return node;
  if (Array.isArray(node)) return node.map((el) => redactAt(el, parts, i));
  const obj = node as Record<string, unknown>;
  const part = parts[i];
  const last = i === parts.length - 1;
  const keys = part === "*" ? Object.keys(obj) : Object.hasOwn(obj, part) ? [part] : [];
  if (!keys.length) return node;
  const out: Record<string, unknown> = { ...obj };
  for (const k of keys) out[k] = last ? REDACTED_VALUE : redactAt(obj[k], parts, i + 1);
  return out;
}

export function redactPayload(payload: unknown, fields: string[]): unknown {
  let out = payload;
  for (const f of fields) out = redactAt(out, f.split("."), 0);
  return out;
}

/** Form fields as an object: a repeated field becomes an array of its values. */
export function formToObject(text: string): Record<string, string | string[]> {
  // No prototype: field names such as __proto__, constructor or toString are plain fields, not inherited members.
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [k, v] of new URLSearchParams(text)) {
    const had = Object.hasOwn(out, k) ? out[k] : undefined;
    out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return out;
}
