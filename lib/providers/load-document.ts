import { createHash } from "node:crypto";
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
  /** The document's JSON text, as stored and hashed. */
  json: string;
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

/** Where external documents are kept inside the bundled document; their references are rewritten to point there. */
export const EXTERNAL_KEY = "x-switchboard-external";

interface RefSite {
  holder: Obj;
  ref: string;
  path: (string | number)[];
}

/** Every `$ref` in a document with where it is; found without recursion. */
function refSites(doc: unknown): RefSite[] {
  const sites: RefSite[] = [];
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: doc, path: [] }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (!v || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push({ v: x, path: [...path, i] }));
      continue;
    }
    const o = v as Obj;
    if (typeof o.$ref === "string") sites.push({ holder: o, ref: o.$ref, path });
    for (const [k, x] of Object.entries(o)) if (x && typeof x === "object") stack.push({ v: x, path: [...path, k] });
  }
  return sites;
}

/**
 * The absolute URL of an external reference, or why it may not be followed. Local files are never read: `file:`
 * and paths without an http(s) base are refused, as is anything the outbound guard refuses up front (private,
 * loopback, link-local and metadata addresses); the guard checks the resolved address again when it connects.
 */
function externalTarget(ref: string, base: string | null): { url: string } | { problem: string } {
  let abs: string | null = null;
  try {
    abs = base ? new URL(ref, base).toString() : /^https?:\/\//i.test(ref) ? new URL(ref).toString() : null;
  } catch {
    abs = null;
  }
  if (!abs || !/^https?:/i.test(abs)) return { problem: `${ref}: only http(s) references are followed; local files are never read` };
  try {
    checkOutboundUrl(abs.split("#")[0]);
  } catch (e) {
    return { problem: `${ref}: ${isAppError(e) ? e.message : "not allowed"}` };
  }
  return { url: abs };
}

/**
 * Brings every external document the root refers to (and those they refer to) into the root under EXTERNAL_KEY,
 * fetched through the outbound guard with the document limits, and rewrites the references to point there. The
 * OpenAPI library's own resolver is never used: it would fetch without the guard.
 */
async function bundleExternal(root: Obj, baseUrl: string | null): Promise<void> {
  const rootSites = refSites(root).filter((s) => !s.ref.startsWith("#"));
  if (!rootSites.length) return;
  const problems: FieldProblem[] = [];
  for (const site of rootSites) {
    const t = externalTarget(site.ref, baseUrl);
    if ("problem" in t) problems.push({ path: formatPath([...site.path, "$ref"]), message: t.problem });
  }
  if (problems.length) throw invalid("The document refers to locations that are not allowed", problems);
  const index = new Map<string, number>();
  const store: unknown[] = [];
  const pending: { doc: Obj; url: string | null; n: number | null; sites: RefSite[] }[] = [
    { doc: root, url: baseUrl, n: null, sites: rootSites },
  ];
  while (pending.length) {
    const { url, n, sites } = pending.shift()!;
    for (const site of sites) {
      const where = n === null ? formatPath([...site.path, "$ref"]) : `${url} ${formatPath([...site.path, "$ref"])}`;
      if (site.ref.startsWith("#")) {
        // An internal reference of an external document points into that document, now inside the root.
        site.holder.$ref = `#/${EXTERNAL_KEY}/${n}${site.ref.slice(1)}`;
        continue;
      }
      const t = externalTarget(site.ref, url);
      if ("problem" in t) throw invalid("An external reference is not allowed", [{ path: where, message: t.problem }]);
      const [docUrl, fragment = ""] = t.url.split("#");
      let m = index.get(docUrl);
      if (m === undefined) {
        if (store.length >= MAX_EXTERNAL_DOCUMENTS)
          throw invalid(`More than ${MAX_EXTERNAL_DOCUMENTS} external documents are referenced`, [{ path: where, message: site.ref }]);
        let external: Obj;
        try {
          external = await parseDocumentText(await fetchDocument(docUrl));
        } catch (e) {
          throw invalid("An external reference could not be resolved", [{ path: where, message: isAppError(e) ? e.message : String(e) }]);
        }
        m = store.length;
        index.set(docUrl, m);
        store.push(external);
        pending.push({ doc: external, url: docUrl, n: m, sites: refSites(external) });
      }
      site.holder.$ref = `#/${EXTERNAL_KEY}/${m}${fragment.startsWith("/") ? fragment : ""}`;
    }
  }
  root[EXTERNAL_KEY] = store;
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
  const doc = await parseDocumentText(text);
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
  await bundleExternal(doc, opts.baseUrl ?? null);
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
  return { document: doc, json, contentHash, specVersion };
}
