import type { Duplex } from "node:stream";
import { maxHeaderSize, STATUS_CODES } from "node:http";
import { requestIdOf } from "./request-id";

// Node's HTTP parser refuses some requests before any handler sees them (headers over its limit, 16 KB, a
// malformed request line or chunk, a request that took too long). Left to Node, the answer is a bare status
// line with no body, which an OpenAI or Anthropic SDK reports as an unexplained failure. This answers it in
// the gateway's error shape instead: OpenAI's `{ error: { message, type, code } }`, with Anthropic's top-level
// `type: "error"` as well (the request line, and so the path, may not have been read when the parser gives up,
// and the one body satisfies both SDKs). Statuses are Node's own.

const PROBLEMS: Record<string, { status: number; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: "request_header_fields_too_large",
    message: `The request headers are too large (at most ${Math.floor(maxHeaderSize / 1024)} KB in all). Send large values in the request body.`,
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, code: "payload_too_large", message: "The request's chunk extensions are too large." },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: "request_timeout", message: "The request was not received in time." },
};
const MALFORMED = { status: 400, code: "bad_request", message: "The request is not valid HTTP." };

/** A server's 'clientError' listener: answers the refused request as JSON, then closes the connection. */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  // Nothing can be answered on a connection that is gone, or in the middle of a response already being written.
  const inProgress = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (err.code === "ECONNRESET" || !socket.writable || inProgress) {
    socket.destroy();
    return;
  }
  const p = PROBLEMS[err.code ?? ""] ?? MALFORMED;
  const body = JSON.stringify({ type: "error", error: { message: p.message, type: "invalid_request_error", code: p.code } });
  const head = [
    `HTTP/1.1 ${p.status} ${STATUS_CODES[p.status]}`,
    "content-type: application/json",
    `content-length: ${Buffer.byteLength(body)}`,
    "cache-control: no-store",
    `x-request-id: ${requestIdOf(undefined)}`,
    "connection: close",
  ].join("\r\n");
  socket.end(`${head}\r\n\r\n${body}`);
}
