import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { Notification } from "@modelcontextprotocol/sdk/types.js";
import os from "node:os";
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { outboundFetch } from "../outbound/fetch";

// One MCP session with a registered server, through the SDK's client. Every request of the transport goes
// through the outbound guard (address checked at connect time, redirects re-checked); the only headers sent are
// the server's own configured ones, never anything from the caller (no token passthrough).
//
// An OAuth server's target carries the workspace connection's bearer token: every request of the session sends
// the current one, and a 401 renews it once (the refresh is shared with every other caller) and sends the
// request again; later requests of the session (a live session's pings and event stream) use the new token.
//
// A stdio server is a child process started for the session (the SDK's StdioClientTransport, no shell) in the
// temporary directory, with a scrubbed environment: the SDK's short list (HOME, LOGNAME, PATH, SHELL, TERM, USER)
// plus the server's own configured variables, never the rest of Switchboard's (DATABASE_URL, SWITCHBOARD_*,
// AUTH secrets). Closing the session ends the process (stdin closed, then SIGTERM, then SIGKILL); the last
// STDERR_KEEP bytes of its stderr are kept for error messages, with the configured values blanked out.

/** An OAuth bearer token for an HTTP target, and how to get a fresh one when the server refuses it. */
export interface McpBearer {
  token: string;
  /** A token to use instead of `rejected` (refreshed unless someone already replaced it); throws when there is none. */
  renew(rejected: string): Promise<string>;
}

export type McpHttpTarget = {
  transport: "streamable-http" | "sse";
  url: string;
  internal: boolean;
  headers: Record<string, string>;
  bearer?: McpBearer;
};
export type McpStdioTarget = { transport: "stdio"; command: string; args: string[]; env: Record<string, string> };
export type McpTarget = McpHttpTarget | McpStdioTarget;

export interface McpSession {
  client: Client;
  /** The transport that worked (a streamable-http server may have answered as an SSE one). */
  transport: "streamable-http" | "sse" | "stdio";
  close(): Promise<void>;
}

export interface SessionOptions {
  timeoutMs: number;
  /** Each HTTP exchange (an SSE stream included); default timeoutMs + 5 s. */
  streamMs?: number;
  /** Server notifications (a live session's list_changed). */
  onNotification?: (n: Notification) => void;
  /** The transport closed or failed outside a request (a live session lost). */
  onClose?: () => void;
}

const STDERR_KEEP = 2048;
const STDOUT_MAX_BYTES = 8 * 1024 * 1024;

/** The values of a stdio server's variables blanked out of text that may be shown. */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 3) out = out.split(s).join("***");
  return out;
}

const CLIENT_INFO = { name: "switchboard", version: "1.0.0" };

function guardedFetch(target: McpHttpTarget, streamMs: number): FetchLike {
  // The session's current bearer token (renewed in place after a 401).
  let bearer = target.bearer?.token;
  return async (url, init) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    const send = (token: string | undefined) =>
      outboundFetch(url.toString(), {
        allowPrivate: target.internal,
        method: init?.method ?? "GET",
        headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers,
        body: typeof init?.body === "string" ? init.body : undefined,
        signal: init?.signal ?? undefined,
        // The whole exchange, body included: an SSE stream that never ends is cut here.
        timeoutMs: streamMs,
        crossOriginRedirects: "refuse",
      });
    const used = bearer;
    const res = await send(used);
    if (res.status !== 401 || !target.bearer || !used) return capped(res, init?.method ?? "GET");
    // Refused (expired early, revoked, rotated elsewhere): once with a fresh token; a second 401 is the answer.
    const fresh = await target.bearer.renew(used);
    bearer = fresh;
    if (fresh === used) return capped(res, init?.method ?? "GET");
    await res.body?.cancel().catch(() => {});
    return capped(await send(fresh), init?.method ?? "GET");
  };
}

/** What one answer of a server may hold: results over 1 MB are refused after parsing, so 4 MB leaves room for framing. */
export const MCP_ANSWER_MAX_BYTES = 4 * 1024 * 1024;

/**
 * The SDK reads answers whole (`response.json()`, each SSE event gathered line by line) before any size check of
 * ours runs: a server answering gigabytes, or an SSE line that never ends, would be buffered until the process runs
 * out of memory. An answer to a POST may hold MCP_ANSWER_MAX_BYTES in all; the long-lived GET event stream may run
 * for hours, so there each line (an event's data) is bounded instead. Past the bound the stream errors, and the
 * request fails like a broken connection.
 */
function capped(res: Response, method: string): Response {
  if (!res.body || res.status === 204 || res.status === 205 || res.status === 304) return res;
  const perLine = method === "GET";
  let total = 0;
  let line = 0;
  const limit = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (perLine) {
        const lf = chunk.lastIndexOf(10);
        line = lf === -1 ? line + chunk.byteLength : chunk.byteLength - lf - 1;
        if (line > MCP_ANSWER_MAX_BYTES) return controller.error(new Error("The MCP server sent an event over 4 MB"));
      } else {
        total += chunk.byteLength;
        if (total > MCP_ANSWER_MAX_BYTES) return controller.error(new Error("The MCP server's answer is over 4 MB"));
      }
      controller.enqueue(chunk);
    },
  });
  return new Response(res.body.pipeThrough(limit), { status: res.status, statusText: res.statusText, headers: res.headers });
}

/** 4xx to the Streamable HTTP initialize: the server may speak the older HTTP+SSE transport (401 and 403 are about the credentials). */
function looksLikeOldTransport(e: unknown): boolean {
  const code = httpStatusOf(e);
  return code !== undefined && code >= 400 && code < 500 && code !== 401 && code !== 403;
}

/** The HTTP status of a failed exchange with the server, when the SDK's error carries one. */
export function httpStatusOf(e: unknown): number | undefined {
  if (e instanceof StreamableHTTPError) return e.code;
  const m = /HTTP (\d{3})/.exec(String((e as Error)?.message ?? ""));
  if (m) return Number(m[1]);
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "number" && code >= 400 && code < 600 ? code : undefined;
}

function watch(client: Client, opts: SessionOptions) {
  if (opts.onNotification) client.fallbackNotificationHandler = async (n) => opts.onNotification!(n);
  if (opts.onClose) client.onclose = opts.onClose;
}

async function openStdioSession(target: McpStdioTarget, opts: SessionOptions): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: target.command,
    args: target.args,
    env: target.env,
    stderr: "pipe",
    cwd: os.tmpdir(),
    // One message at most this big: a server that writes without end is cut off (and its process ended).
    maxBufferSize: STDOUT_MAX_BYTES,
  });
  let stderr = "";
  transport.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString("utf8")).slice(-STDERR_KEEP);
  });
  const client = new Client(CLIENT_INFO, { capabilities: {} });
  try {
    await client.connect(transport, { timeout: opts.timeoutMs });
  } catch (e) {
    await client.close().catch(() => {});
    const code = (e as NodeJS.ErrnoException)?.code;
    const why = code === "ENOENT" ? `The command ${target.command} was not found` : describeMcpError(e);
    const tail = redact(stderr, Object.values(target.env)).replace(/\s+/g, " ").trim().slice(-400);
    throw new Error(tail ? `${why}; stderr: ${tail}` : why, { cause: e });
  }
  watch(client, opts);
  const close = async () => {
    client.onclose = undefined;
    await client.close().catch(() => {});
  };
  return { client, transport: "stdio", close };
}

/** Connects and initializes; `timeoutMs` bounds each request, `streamMs` each HTTP exchange. */
export async function openMcpSession(target: McpTarget, opts: SessionOptions): Promise<McpSession> {
  if (target.transport === "stdio") return openStdioSession(target, opts);
  const fetch = guardedFetch(target, opts.streamMs ?? opts.timeoutMs + 5_000);
  const requestInit = { headers: target.headers };
  const url = new URL(target.url);
  const attempt = async (kind: "streamable-http" | "sse"): Promise<McpSession> => {
    const client = new Client(CLIENT_INFO, { capabilities: {} });
    const transport =
      kind === "sse" ? new SSEClientTransport(url, { fetch, requestInit }) : new StreamableHTTPClientTransport(url, { fetch, requestInit });
    try {
      await client.connect(transport, { timeout: opts.timeoutMs });
    } catch (e) {
      await client.close().catch(() => {});
      throw e;
    }
    watch(client, opts);
    const close = async () => {
      client.onclose = undefined;
      // End the server's session too (Streamable HTTP keeps one per initialize until told otherwise).
      if (transport instanceof StreamableHTTPClientTransport) await transport.terminateSession().catch(() => {});
      await client.close().catch(() => {});
    };
    return { client, transport: kind, close };
  };
  if (target.transport === "sse") return attempt("sse");
  try {
    return await attempt("streamable-http");
  } catch (e) {
    if (!looksLikeOldTransport(e)) throw e;
    return attempt("sse");
  }
}

/** Text for lastError and call records: short, one line, never a header value (those are not in SDK errors). */
export function describeMcpError(e: unknown): string {
  const raw = e instanceof Error ? e.message : String(e);
  // The SDK puts the server's answer body in the message ("Error POSTing to endpoint: <body>"). A server or a proxy
  // may echo the credential it refused there, and this text reaches callers, lastError and logs: keep the status only.
  const status = httpStatusOf(e);
  const msg = raw.replace(
    /(Error POSTing to endpoint)(?: \(HTTP \d{3}\))?:[\s\S]*$/,
    (_m, head: string) => `${head}${status ? ` (HTTP ${status})` : ""}`,
  );
  return msg.replace(/\s+/g, " ").trim().slice(0, 500) || "The server could not be reached";
}
