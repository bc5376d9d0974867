import { AppError, type ErrorCode, type FieldProblem } from "../errors";
import { depthProblem, MAX_JSON_DEPTH } from "../http/json-depth";
import { threadTask } from "../runtime/thread-task";

export const MAX_CONFIG_BYTES = 2 * 1024 * 1024;
const MAX_NODES = 100_000;
const MAX_ALIASES = 50;
const PARSE_TIMEOUT_MS = 20_000;

// YAML parsing costs about 2 us per byte here: a 570 KB list took 1.2-1.5 s of the server's one thread, during
// which /api/health and the gateway did not answer. So the parser runs in a thread of its own, with a heap limit
// and a deadline per document; it is kept between documents (starting one costs more than a small parse) and
// replaced when it fails. Its code is a string that requires only `yaml`: the route bundle Next builds and the
// custom server both carry it without a separate entry file to locate.
// It hands back JSON text: structured-cloning a deep object could overflow, JSON.parse here cannot, and the
// depth check then runs on the result as on a JSON body.
const THREAD_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { parseDocument, Parser } = require("yaml");
const { maxNodes, maxAliases, maxDepth, what } = workerData;
const firstLine = (e) => String((e && e.message) || e).split("\\n")[0];
const tooDeep = (m) => /call stack/i.test(m);
const COLLECTIONS = new Set(["block-map", "block-seq", "flow-collection"]);
// The nesting of the syntax tree, walked with an explicit stack. yaml's parser to this tree keeps its own stack;
// the step after it (composing nodes) recurses, and a sequence like "- - - - ..." 5,000 deep made V8 abort the
// whole process there (a fatal RegExpCompiler allocation failure near the stack limit), worker or not.
function nestedTooDeep(tokens) {
  const stack = tokens.map((t) => [t, 0]);
  while (stack.length) {
    const [t, depth] = stack.pop();
    if (!t || typeof t !== "object") continue;
    const d = COLLECTIONS.has(t.type) ? depth + 1 : depth;
    if (d > maxDepth) return true;
    if (t.value) stack.push([t.value, d]);
    if (Array.isArray(t.items)) for (const item of t.items) {
      if (item.key) stack.push([item.key, d]);
      if (item.value) stack.push([item.value, d]);
    }
  }
  return false;
}
function parse(text) {
  let doc;
  try {
    if (nestedTooDeep(Array.from(new Parser().parse(text)))) {
      return { error: { code: "bad_request", message: what + " is nested more than " + maxDepth + " levels deep" } };
    }
    doc = parseDocument(text, { schema: "core", uniqueKeys: true, prettyErrors: true, strict: true, customTags: [] });
  } catch (e) {
    return { error: { code: "bad_request", message: what + " could not be parsed: " + firstLine(e) } };
  }
  const errors = [...doc.errors, ...doc.warnings];
  if (errors.some((e) => tooDeep(e.message))) return { error: { code: "bad_request", message: what + " is nested too deeply" } };
  if (errors.length) {
    return {
      error: {
        code: "bad_request",
        message: what + " could not be parsed",
        fields: errors.slice(0, 20).map((e) => ({
          path: e.linePos && e.linePos[0] ? "line " + e.linePos[0].line + ", column " + e.linePos[0].col : "(document)",
          message: firstLine(e),
        })),
      },
    };
  }
  let nodes = 0;
  try {
    // maxAliasCount bounds alias expansion (billion laughs); the reviver bounds the size of what comes out.
    const value = doc.toJS({
      maxAliasCount: maxAliases,
      reviver(_k, v) {
        if (++nodes > maxNodes) throw Object.assign(new Error(what + " has too many nodes"), { tooMany: true });
        return v;
      },
    });
    return { json: JSON.stringify(value === undefined ? null : value) };
  } catch (e) {
    if (e && e.tooMany) return { error: { code: "payload_too_large", message: e.message } };
    if (tooDeep(firstLine(e))) return { error: { code: "bad_request", message: what + " is nested too deeply" } };
    return { error: { code: "bad_request", message: what + " could not be parsed: " + firstLine(e) } };
  }
}
parentPort.on("message", ({ id, text }) => parentPort.postMessage({ id, ...parse(text) }));
`;

type ThreadReply = { json: string } | { error: { code: ErrorCode; message: string; fields?: FieldProblem[] } };

/** Limits of one kind of YAML document; each kind has its own thread (its heap limit is per thread). */
export interface YamlKind {
  /** Process-wide key of its thread. */
  key: string;
  /** How errors name the document: "Configuration", "The document". */
  what: string;
  maxBytes: number;
  maxNodes: number;
  maxAliases: number;
  maxDepth: number;
  heapMb: number;
  timeoutMs: number;
}

const CONFIG_KIND: YamlKind = {
  key: "switchboard.config-parser",
  what: "Configuration",
  maxBytes: MAX_CONFIG_BYTES,
  maxNodes: MAX_NODES,
  maxAliases: MAX_ALIASES,
  maxDepth: MAX_JSON_DEPTH,
  heapMb: 256,
  timeoutMs: PARSE_TIMEOUT_MS,
};

// One parser thread per kind of document (its heap limit is per thread), made on first use.
const parsers = new Map<string, (payload: { text: string }) => Promise<ThreadReply>>();

function parseInThread(kind: YamlKind, text: string): Promise<ThreadReply> {
  let parse = parsers.get(kind.key);
  if (!parse) {
    parse = threadTask<{ text: string }, ThreadReply>({
      key: kind.key,
      source: THREAD_SOURCE,
      workerData: { maxNodes: kind.maxNodes, maxAliases: kind.maxAliases, maxDepth: kind.maxDepth, what: kind.what },
      heapMb: kind.heapMb,
      youngMb: 32,
      timeoutMs: kind.timeoutMs,
      outOfMemory: () => new AppError("payload_too_large", `${kind.what} needs too much memory to parse`),
      failed: (message) => new AppError("bad_request", `${kind.what} could not be parsed: ${message}`),
      timedOut: () => new AppError("payload_too_large", `${kind.what} took longer than ${kind.timeoutMs / 1000} s to parse`),
    });
    parsers.set(kind.key, parse);
  }
  return parse({ text });
}

/**
 * Parses YAML (of which JSON is a subset) off the calling thread within the kind's limits and hands back the
 * JSON text of the result. Core schema only, so `!!js/function` and friends are plain errors.
 */
export async function parseYamlToJsonText(kind: YamlKind, text: string): Promise<string> {
  if (Buffer.byteLength(text, "utf8") > kind.maxBytes) {
    throw new AppError("payload_too_large", `${kind.what} is larger than ${kind.maxBytes / 1024 / 1024} MiB`);
  }
  // Every node needs at least one line break, comma, colon or bracket: counting those refuses a huge document
  // before a thread is started for it.
  if ((text.match(/[\n,:[\]{}]/g)?.length ?? 0) > kind.maxNodes) {
    throw new AppError("payload_too_large", `${kind.what} has too many nodes`);
  }
  const reply = await parseInThread(kind, text);
  if ("error" in reply) throw new AppError(reply.error.code, reply.error.message, reply.error.fields ? { fields: reply.error.fields } : {});
  return reply.json;
}

/** A JSON configuration (a JSON body, or what the YAML parser hands back) with its nesting bounded. */
export function parseConfigJson(text: string): unknown {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The body is not valid JSON");
  }
  const deep = depthProblem(doc);
  if (deep) throw new AppError("bad_request", "Configuration is nested too deeply", { fields: [deep] });
  return doc;
}

/**
 * Parses a configuration document (YAML, of which JSON is a subset) off the calling thread, with limits against
 * alias bombs, huge inputs, deep nesting and custom tags: core schema only, so `!!js/function` and friends are
 * plain errors.
 */
export async function parseConfigText(text: string): Promise<unknown> {
  if (Buffer.byteLength(text, "utf8") > MAX_CONFIG_BYTES) {
    throw new AppError("payload_too_large", `Configuration is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB`);
  }
  if (!text.trim()) return {};
  return parseConfigJson(await parseYamlToJsonText(CONFIG_KIND, text));
}
