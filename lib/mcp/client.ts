import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { outboundFetch } from "../outbound/fetch";

// One MCP session with a registered server, through the SDK's client. Every request of the transport goes
// through the outbound guard (address checked at connect time, redirects re-checked); the only headers sent are
// the server's own configured ones, never anything from the caller (no token passthrough).

export interface McpTarget {
  url: string;
  transport: "streamable-http" | "sse";
  internal: boolean;
  headers: Record<string, string>;
}

export interface McpSession {
  client: Client;
  /** The transport that worked (a streamable-http server may have answered as an SSE one). */
  transport: "streamable-http" | "sse";
  close(): Promise<void>;
}

const CLIENT_INFO = { name: "switchboard", version: "1.0.0" };

function guardedFetch(target: McpTarget, streamMs: number): FetchLike {
  return async (url, init) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    return outboundFetch(url.toString(), {
      allowPrivate: target.internal,
      method: init?.method ?? "GET",
      headers,
      body: typeof init?.body === "string" ? init.body : undefined,
      signal: init?.signal ?? undefined,
      // The whole exchange, body included: an SSE stream that never ends is cut here.
      timeoutMs: streamMs,
      crossOriginRedirects: "refuse",
    });
  };
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

/** Connects and initializes; `timeoutMs` bounds each request, `streamMs` each HTTP exchange. */
export async function openMcpSession(target: McpTarget, opts: { timeoutMs: number; streamMs?: number }): Promise<McpSession> {
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
    const close = async () => {
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
  const msg = e instanceof Error ? e.message : String(e);
  return msg.replace(/\s+/g, " ").trim().slice(0, 500) || "The server could not be reached";
}
