import { createHash } from "node:crypto";
import { bundle } from "@readme/openapi-parser";
import { AppError, isAppError, type FieldProblem } from "../errors";
import { parseYamlToJsonText, type YamlKind } from "../config/parse";
import { depthProblem } from "../http/json-depth";
import { formatPath } from "../schemas/zod";
import { checkOutboundUrl, outboundFetch } from "../outbound/fetch";
import { readCapped } from "../http/read-capped";
import { validateInThread } from "./validate-thread";
import { countOperations } from "./extract";

// From document text or a URL to a validated OpenAPI document (Swagger 2.0, OpenAPI 3.0, 3.1) with its external
// references bundled in. Every failure is an AppError naming where in the document the problem is; nothing
// here writes anything.

export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
/** An admin API body carrying a document as a JSON string: the document plus its escaping. */
export const PROVIDER_BODY_BYTES = 24 * 1024 * 1024;
const MAX_DOCUMENT_DEPTH = 128;
const FETCH_TIMEOUT_MS = 20_000;
const MAX_EXTERNAL_DOCUMENTS = 50;
const MAX_PROBLEMS = 50;
/** Well above the largest descriptions in use (GitHub: 1,223); a document past it is refused before validation. */
export const MAX_OPERATIONS = 10_000;

const DOCUMENT_KIND: YamlKind = {
  key: "switchboard.document-parser",
  what: "The document",
  maxBytes: MAX_DOCUMENT_BYTES,
  maxNodes: 3_000_000,
  maxAliases: 100,
  maxDepth: MAX_DOCUMENT_DEPTH,
  heapMb: 768,
  timeoutMs: 30_000,
};

type Obj = Record<string, unknown>;

export interface LoadedDocument {
  document: Obj;
  contentHash: string;
  specVersion: string;
}

const invalid = (message: string, fields: FieldProblem[] = []) =>
  new AppError("validation_failed", message, { fields: fields.slice(0, MAX_PROBLEMS) });

/** Parses JSON (on this thread: JSON.parse is fast) or YAML (in the bounded parser thread). */
export async function parseDocumentText(text: string): Promise<Obj> {
  if (Buffer.byteLength(text, "utf8") > MAX_DOCUMENT_BYTES) {
    throw new AppError("payload_too_large", `The document is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB`);
  }
  if (!text.trim()) throw invalid("The document is empty", [{ path: "document", message: "Required" }]);
  let json: string = text;
  if (!/^\s*[{[]/.test(text)) json = await parseYamlToJsonText(DOCUMENT_KIND, text);
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (e) {
    // A document that starts like JSON but is not may still be YAML (flow style).
    if (json === text) return parseYamlDocument(text, e);
    throw invalid("The document could not be parsed");
  }
  const deep = depthProblem(doc, MAX_DOCUMENT_DEPTH);
  if (deep) throw new AppError("bad_request", "The document is nested too deeply", { fields: [deep] });
  if (!doc || typeof doc !== "object" || Array.isArray(doc))
    throw invalid("The document is not an object", [{ path: "(document)", message: "Expected an OpenAPI object" }]);
  return doc as Obj;
}

async function parseYamlDocument(text: string, jsonError: unknown): Promise<Obj> {
  let json: string;
  try {
    json = await parseYamlToJsonText(DOCUMENT_KIND, text);
  } catch {
    const m = /position (\d+)/.exec(String((jsonError as Error)?.message));
    const at = m ? lineCol(text, Number(m[1])) : null;
    throw invalid("The document is neither valid JSON nor YAML", [
      { path: at ? `line ${at.line}, column ${at.col}` : "(document)", message: String((jsonError as Error)?.message ?? "") },
    ]);
  }
  const doc: unknown = JSON.parse(json);
  const deep = depthProblem(doc, MAX_DOCUMENT_DEPTH);
  if (deep) throw new AppError("bad_request", "The document is nested too deeply", { fields: [deep] });
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw invalid("The document is not an object");
  return doc as Obj;
}

function lineCol(text: string, pos: number) {
  const before = text.slice(0, pos);
  const line = before.split("\n").length;
  return { line, col: pos - before.lastIndexOf("\n") };
}

/** Downloads a document through the outbound guard, within the size and time limits. */
export async function fetchDocument(url: string, signal?: AbortSignal): Promise<string> {
  let res: Response;
  try {
    res = await outboundFetch(url, {
      timeoutMs: FETCH_TIMEOUT_MS,
      headers: { accept: "application/json, application/yaml, text/yaml, */*" },
      signal,
    });
  } catch (e) {
    if (isAppError(e))
      throw new AppError("bad_request", `${url} could not be fetched: ${e.message}`, { fields: [{ path: "url", message: e.message }] });
    const why = (e as Error)?.name === "TimeoutError" ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s` : "the connection failed";
    throw new AppError("bad_request", `${url} could not be fetched: ${why}`, { fields: [{ path: "url", message: why }] });
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new AppError("bad_request", `${url} answered ${res.status}`, { fields: [{ path: "url", message: `HTTP ${res.status}` }] });
  }
  if (Number(res.headers.get("content-length") ?? 0) > MAX_DOCUMENT_BYTES) {
    await res.body?.cancel();
    throw new AppError("payload_too_large", `The document is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB`);
  }
  return readCapped(res.body as ReadableStream<Uint8Array> | null, MAX_DOCUMENT_BYTES, "throw");
}

/**
 * Every `$ref` that leaves the document, made absolute against the document's URL. Local files are never read:
 * `file:` and paths without an http(s) base are refused, as is anything the outbound guard refuses (private,
 * loopback, link-local and metadata addresses), each with its place in the document.
 */
function externalRefs(doc: Obj, baseUrl: string | null): { count: number; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: doc, path: [] }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (!v || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push({ v: x, path: [...path, i] }));
      continue;
    }
    const o = v as Obj;
    if (typeof o.$ref === "string" && !o.$ref.startsWith("#")) {
      const where = formatPath([...path, "$ref"]);
      let abs: string | null = null;
      try {
        abs = baseUrl ? new URL(o.$ref, baseUrl).toString() : /^https?:\/\//i.test(o.$ref) ? new URL(o.$ref).toString() : null;
      } catch {
        abs = null;
      }
      if (!abs || !/^https?:/i.test(abs)) {
        problems.push({ path: where, message: `${o.$ref}: only http(s) references are followed; local files are never read` });
      } else {
        try {
          checkOutboundUrl(abs.split("#")[0]);
          o.$ref = abs;
          seen.add(abs.split("#")[0]);
        } catch (e) {
          problems.push({ path: where, message: `${o.$ref}: ${isAppError(e) ? e.message : "not allowed"}` });
        }
      }
    }
    for (const [k, x] of Object.entries(o)) if (x && typeof x === "object") stack.push({ v: x, path: [...path, k] });
  }
  return { count: seen.size, problems };
}

/** Where better-ajv-errors' code frame points, as a path: it frames JSON.stringify(doc, null, 2). */
function pathsByLine(doc: unknown): string[] {
  const lines: string[] = [""];
  const emit = (v: unknown, path: (string | number)[]) => {
    if (v && typeof v === "object") {
      const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
      if (!entries.length) return;
      for (const [k, x] of entries) {
        lines.push(formatPath([...path, k]) || "(document)");
        emit(x, [...path, k]);
      }
      lines.push(formatPath(path) || "(document)");
    }
  };
  lines.push("(document)");
  emit(doc, []);
  return lines;
}

function validationProblems(doc: Obj, errors: { message: string }[]): FieldProblem[] {
  let byLine: string[] | null = null;
  return errors.map((e) => {
    const [first, ...rest] = e.message.split("\n");
    const marked = rest.find((l) => /^>\s*\d+\s*\|/.test(l));
    const hint = rest.find((l) => /\|\s*\^/.test(l))?.replace(/^.*\^\s*/, "");
    let path = "(document)";
    if (marked) {
      byLine ??= pathsByLine(doc);
      path = byLine[Number(/\d+/.exec(marked)![0])] ?? path;
    }
    return { path, message: [first.trim(), hint].filter(Boolean).join(": ") };
  });
}

function specVersionOf(doc: Obj): string {
  if (typeof doc.swagger === "string" || typeof doc.swagger === "number") {
    if (String(doc.swagger) !== "2.0")
      throw invalid(`Swagger ${doc.swagger} is not supported`, [{ path: "swagger", message: "Only Swagger 2.0 is supported" }]);
    return "2.0";
  }
  if (typeof doc.openapi === "string" && /^3\.[01]\.\d+/.test(doc.openapi)) return doc.openapi;
  if (doc.openapi !== undefined)
    throw invalid(`OpenAPI ${String(doc.openapi)} is not supported`, [{ path: "openapi", message: "Supported: 3.0.x and 3.1.x" }]);
  throw invalid("This is not an OpenAPI or Swagger document", [
    { path: "openapi", message: "Required: openapi (3.0, 3.1) or swagger (2.0)" },
  ]);
}

/**
 * Parses, bundles external references (fetched through the outbound guard only) and validates a document.
 * `baseUrl` is where the document came from, for its relative references.
 */
export async function loadDocument(text: string, opts: { baseUrl?: string | null } = {}): Promise<LoadedDocument> {
  let doc = await parseDocumentText(text);
  const specVersion = specVersionOf(doc);
  const declared = countOperations(doc);
  if (declared > MAX_OPERATIONS) {
    throw new AppError(
      "payload_too_large",
      `The document declares ${declared.toLocaleString("en")} operations; at most ${MAX_OPERATIONS.toLocaleString("en")} are imported`,
      {
        fields: [{ path: "paths", message: `More than ${MAX_OPERATIONS.toLocaleString("en")} operations` }],
      },
    );
  }
  const ext = externalRefs(doc, opts.baseUrl ?? null);
  if (ext.problems.length) throw invalid("The document refers to locations that are not allowed", ext.problems);
  if (ext.count) {
    let fetched = 0;
    const outbound = {
      order: 1,
      canRead: /^https?:\/\//i,
      read: async (file: { url: string }) => {
        if (++fetched > MAX_EXTERNAL_DOCUMENTS) throw new Error(`more than ${MAX_EXTERNAL_DOCUMENTS} external documents`);
        return fetchDocument(file.url);
      },
    };
    try {
      doc = (await bundle(doc as never, { resolve: { external: true, file: false, http: false, outbound } } as never)) as unknown as Obj;
    } catch (e) {
      const msg = isAppError(e) ? e.message : String((e as Error)?.message ?? e).split("\n")[0];
      throw invalid("An external reference could not be resolved", [{ path: "$ref", message: msg }]);
    }
    // What the referenced documents refer to in turn went through the same guard; check once more that the
    // bundled result has no reference left outside itself.
    const left = externalRefs(doc, null);
    if (left.count || left.problems.length) throw invalid("The document refers to locations that are not allowed", left.problems);
  }
  // In the validator thread: ~2 s for GitHub's description, which the serving thread must not spend.
  const json = JSON.stringify(doc);
  const result = await validateInThread(json);
  if (!result.valid) {
    const problems = validationProblems(doc, result.errors);
    const more = result.additionalErrors ? ` (and ${result.additionalErrors} more)` : "";
    throw invalid(
      `The document is not a valid ${specVersion === "2.0" ? "Swagger 2.0" : `OpenAPI ${specVersion}`} description${more}`,
      problems,
    );
  }
  const contentHash = createHash("sha256").update(json).digest("hex");
  return { document: doc, contentHash, specVersion };
}
