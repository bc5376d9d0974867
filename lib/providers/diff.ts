import type { ExtractedOperation } from "./extract";

// The operation-level difference between two versions of a provider, computed from each version's signature
// (stored with the version, so a diff never re-reads the documents).

type TypeName = string;

export interface OperationSignature {
  operationId: string;
  summary: string;
  /** "query:per_page" -> required and type */
  params: Record<string, { required: boolean; type: TypeName }>;
  body: { required: boolean; type: TypeName; requiredProps: string[] } | null;
}

export type Signature = Record<string, OperationSignature>;

const typeOf = (schema: unknown): TypeName => {
  if (!schema || typeof schema !== "object") return "any";
  const t = (schema as { type?: unknown }).type;
  if (Array.isArray(t)) return t.join("|");
  return typeof t === "string" ? t : "any";
};

export function signatureOf(ops: ExtractedOperation[]): Signature {
  const out: Signature = {};
  for (const op of ops) {
    const body = op.requestBody ? ((op.tool.inputSchema.properties as Record<string, unknown>)?.body ?? op.requestBody.schema) : null;
    out[op.key] = {
      operationId: op.operationId,
      summary: op.summary,
      params: Object.fromEntries(op.parameters.map((p) => [`${p.in}:${p.name}`, { required: p.required, type: typeOf(p.schema) }])),
      body: op.requestBody
        ? {
            required: op.requestBody.required,
            type: typeOf(body),
            requiredProps: Array.isArray((body as { required?: unknown })?.required)
              ? (body as { required: string[] }).required.slice().sort()
              : [],
          }
        : null,
    };
  }
  return out;
}

export interface DiffEntry {
  method: string;
  path: string;
  operationId: string;
  summary: string;
  breaking: boolean;
  changes: { kind: string; detail: string; breaking: boolean }[];
}

export interface VersionDiff {
  added: DiffEntry[];
  removed: DiffEntry[];
  changed: DiffEntry[];
}

const split = (key: string) => {
  const i = key.indexOf(" ");
  return { method: key.slice(0, i), path: key.slice(i + 1) };
};

/** What changed from `from` to `to`. Breaking: a removed operation, a new required parameter or body field, a changed type. */
export function diffSignatures(from: Signature, to: Signature): VersionDiff {
  const added: DiffEntry[] = [];
  const removed: DiffEntry[] = [];
  const changed: DiffEntry[] = [];
  for (const [key, sig] of Object.entries(to)) {
    if (!from[key]) added.push({ ...split(key), operationId: sig.operationId, summary: sig.summary, breaking: false, changes: [] });
  }
  for (const [key, sig] of Object.entries(from)) {
    const next = to[key];
    if (!next) {
      removed.push({
        ...split(key),
        operationId: sig.operationId,
        summary: sig.summary,
        breaking: true,
        changes: [{ kind: "removed", detail: "Operation removed", breaking: true }],
      });
      continue;
    }
    const changes: DiffEntry["changes"] = [];
    if (sig.operationId !== next.operationId)
      changes.push({ kind: "operationId", detail: `Operation id ${sig.operationId} -> ${next.operationId}`, breaking: false });
    for (const [p, a] of Object.entries(sig.params)) {
      const b = next.params[p];
      if (!b) changes.push({ kind: "parameter.removed", detail: `Parameter ${p} removed`, breaking: false });
      else {
        if (!a.required && b.required)
          changes.push({ kind: "parameter.required", detail: `Parameter ${p} is now required`, breaking: true });
        if (a.required && !b.required)
          changes.push({ kind: "parameter.optional", detail: `Parameter ${p} is now optional`, breaking: false });
        if (a.type !== b.type)
          changes.push({ kind: "parameter.type", detail: `Parameter ${p}: type ${a.type} -> ${b.type}`, breaking: true });
      }
    }
    for (const [p, b] of Object.entries(next.params)) {
      if (!sig.params[p])
        changes.push({
          kind: "parameter.added",
          detail: `${b.required ? "Required" : "Optional"} parameter ${p} added`,
          breaking: b.required,
        });
    }
    if (!sig.body && next.body)
      changes.push({
        kind: "body.added",
        detail: `${next.body.required ? "Required" : "Optional"} request body added`,
        breaking: next.body.required,
      });
    else if (sig.body && !next.body) changes.push({ kind: "body.removed", detail: "Request body removed", breaking: false });
    else if (sig.body && next.body) {
      if (!sig.body.required && next.body.required)
        changes.push({ kind: "body.required", detail: "Request body is now required", breaking: true });
      if (sig.body.type !== next.body.type)
        changes.push({ kind: "body.type", detail: `Request body: type ${sig.body.type} -> ${next.body.type}`, breaking: true });
      const newlyRequired = next.body.requiredProps.filter((p) => !sig.body!.requiredProps.includes(p));
      if (newlyRequired.length)
        changes.push({
          kind: "body.requiredField",
          detail: `New required body field${newlyRequired.length > 1 ? "s" : ""}: ${newlyRequired.join(", ")}`,
          breaking: true,
        });
    }
    if (sig.summary !== next.summary) changes.push({ kind: "summary", detail: "Summary changed", breaking: false });
    if (changes.length)
      changed.push({
        ...split(key),
        operationId: next.operationId,
        summary: next.summary,
        breaking: changes.some((c) => c.breaking),
        changes,
      });
  }
  return { added, removed, changed };
}
