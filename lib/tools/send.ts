import { outboundFetch, OutboundBlockedError } from "../outbound/fetch";
import { describeOutboundFailure } from "../outbound/describe-failure";
import { requestHeaders, requestUrl, type OutgoingRequest } from "./build-request";

// Sends a built tool request through the outbound guard and reads the API's answer, size-capped, into what the
// caller gets: `{ status, headers, body, bodyEncoding }`. The body is the parsed JSON when the answer says it is
// JSON (and parses), text for textual types (and for untyped answers that are valid UTF-8), base64 otherwise.

export const TOOL_RESPONSE_MAX_BYTES = 5 * 1024 * 1024;
const CONNECT_TIMEOUT_MS = 10_000;

export interface ToolAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  bodyEncoding: "json" | "text" | "base64" | "none";
}

export type SendFailureKind = "timeout" | "refused" | "unreachable" | "too_large" | "aborted";

export class SendFailure extends Error {
  constructor(
    readonly kind: SendFailureKind,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = "SendFailure";
  }
}

// Hop-by-hop headers, cookies the API sets (they belong to no one here), and framing that no longer applies to
// the re-encoded answer.
const DROPPED_HEADERS = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "set-cookie",
  "set-cookie2",
  "content-length",
  "content-encoding",
]);

const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json\b|^[\w.+-]+\/[\w.+-]*\+json\b/i;
const TEXT_TYPE = /^text\/|^application\/(?:xml|[\w.+-]*\+xml|javascript|ecmascript|x-www-form-urlencoded|yaml|x-yaml|graphql|csv)\b/i;

export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4 && out.includes(s)) out = out.split(s).join("[redacted]");
  return out;
}

async function readCapped(res: Response, cap: number): Promise<Buffer> {
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > cap) {
    await res.body?.cancel().catch(() => {});
    throw new SendFailure("too_large", `The API's answer is larger than ${cap / 1024 / 1024} MiB`, res.status);
  }
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > cap) {
      await reader.cancel().catch(() => {});
      throw new SendFailure("too_large", `The API's answer is larger than ${cap / 1024 / 1024} MiB`, res.status);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function decodeBody(buf: Buffer, contentType: string, secrets: readonly string[]): Pick<ToolAnswer, "body" | "bodyEncoding"> {
  if (!buf.length) return { body: null, bodyEncoding: "none" };
  const type = contentType.trim();
  let text: string | null = null;
  if (JSON_TYPE.test(type) || TEXT_TYPE.test(type) || !type) {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(buf);
    } catch {
      text = null;
    }
  }
  if (text === null) return { body: buf.toString("base64"), bodyEncoding: "base64" };
  text = redactSecrets(text, secrets);
  if (JSON_TYPE.test(type)) {
    try {
      return { body: JSON.parse(text), bodyEncoding: "json" };
    } catch {
      // Says JSON, is not: the text as it came.
    }
  }
  return { body: text, bodyEncoding: "text" };
}

function isTimeout(e: unknown): boolean {
  for (let c: unknown = e, i = 0; c && i < 5; c = (c as { cause?: unknown }).cause, i++) {
    const name = (c as Error).name;
    const code = (c as { code?: string }).code;
    if (name === "TimeoutError" || code === "UND_ERR_CONNECT_TIMEOUT" || code === "UND_ERR_HEADERS_TIMEOUT") return true;
  }
  return false;
}

/** Sends the request (credentials already on it) and reads the answer; failures are SendFailures with a clear message. */
export async function sendToolRequest(
  req: OutgoingRequest,
  opts: { allowPrivate: boolean; timeoutMs: number; signal?: AbortSignal; secrets: readonly string[] },
): Promise<ToolAnswer> {
  const seconds = opts.timeoutMs >= 1000 ? `${(opts.timeoutMs / 1000).toLocaleString("en-US")} s` : `${opts.timeoutMs} ms`;
  try {
    const res = await outboundFetch(requestUrl(req), {
      method: req.method,
      headers: requestHeaders(req),
      body: req.body ?? undefined,
      allowPrivate: opts.allowPrivate,
      timeoutMs: opts.timeoutMs,
      connectTimeoutMs: Math.min(CONNECT_TIMEOUT_MS, opts.timeoutMs),
      signal: opts.signal,
      maxRedirects: 3,
      crossOriginRedirects: "refuse",
    });
    const buf = await readCapped(res, TOOL_RESPONSE_MAX_BYTES);
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (!DROPPED_HEADERS.has(name)) headers[name] = redactSecrets(value, opts.secrets);
    });
    return { status: res.status, headers, ...decodeBody(buf, res.headers.get("content-type") ?? "", opts.secrets) };
  } catch (e) {
    if (e instanceof SendFailure) throw e;
    if (opts.signal?.aborted) throw new SendFailure("aborted", "The caller went away");
    if (isTimeout(e)) throw new SendFailure("timeout", `The API did not answer within ${seconds} (SWITCHBOARD_TOOL_TIMEOUT_MS)`);
    if (e instanceof OutboundBlockedError) throw new SendFailure("refused", outboundRule(e.message));
    throw new SendFailure("unreachable", `The API could not be reached: ${describeOutboundFailure(e, opts.timeoutMs)}`);
  }
}

/** The guard's refusal, with the rule that applies and how an admin lifts it where that is possible. */
function outboundRule(message: string): string {
  if (message === "The destination is not allowed")
    return "The connector's base URL (or a redirect from it) leads to a private, loopback or metadata address, which tool calls may not reach. An operator can allow the host with SWITCHBOARD_OUTBOUND_ALLOW, or an admin can mark the connector internal.";
  if (message.startsWith("Redirect to another host")) return `${message}: tool calls only go to the connector's base URL host.`;
  return `Outbound request refused: ${message}.`;
}
