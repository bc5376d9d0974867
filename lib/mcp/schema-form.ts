// A form for a tool's input schema: one field per top-level property that is a string, number, integer, boolean
// or enum; anything else (objects, arrays, unions) is edited as JSON. Pure functions, so the dialog stays small.

export type FieldKind = "string" | "number" | "integer" | "boolean" | "enum" | "json";

export interface SchemaField {
  name: string;
  kind: FieldKind;
  required: boolean;
  description: string;
  options: string[];
}

type Json = Record<string, unknown>;

function kindOf(prop: Json): FieldKind {
  if (Array.isArray(prop.enum) && prop.enum.every((v) => typeof v === "string")) return "enum";
  const t = prop.type;
  if (t === "string" || t === "number" || t === "integer" || t === "boolean") return t;
  return "json";
}

/** The fields of an object schema; null when the schema is not a plain object schema (then JSON only). */
export function fieldsOf(schema: Json): SchemaField[] | null {
  if (schema.type !== undefined && schema.type !== "object") return null;
  const props = (schema.properties ?? {}) as Record<string, Json>;
  if (typeof props !== "object" || Array.isArray(props)) return null;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(props).map(([name, p]) => ({
    name,
    kind: kindOf(p ?? {}),
    required: required.has(name),
    description: typeof p?.description === "string" ? p.description : "",
    options: Array.isArray(p?.enum) ? (p.enum as unknown[]).map(String) : [],
  }));
}

export type FormValues = Record<string, string | boolean>;

/** The arguments the form's values stand for, or the problems by field name. Empty optional fields are left out. */
export function buildArguments(fields: SchemaField[], values: FormValues): { args: Json; errors: Record<string, string> } {
  const args: Json = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const v = values[f.name];
    if (f.kind === "boolean") {
      if (v !== undefined) args[f.name] = v === true;
      continue;
    }
    const text = typeof v === "string" ? v : "";
    if (text.trim() === "") {
      if (f.required) errors[f.name] = "Required";
      continue;
    }
    if (f.kind === "number" || f.kind === "integer") {
      const n = Number(text);
      if (!Number.isFinite(n) || (f.kind === "integer" && !Number.isInteger(n)))
        errors[f.name] = f.kind === "integer" ? "Enter a whole number" : "Enter a number";
      else args[f.name] = n;
    } else if (f.kind === "json") {
      try {
        args[f.name] = JSON.parse(text);
      } catch {
        errors[f.name] = "Enter valid JSON";
      }
    } else args[f.name] = text;
  }
  return { args, errors };
}
