import { AppError } from "../errors";
import { logger } from "../log";
import { messagesSchema } from "../schemas/gateway";
import { formatPath } from "../schemas/zod";
import {
  anthropicErrorBody,
  anthropicErrorEvent,
  formatMessagesEvent,
  messagesRequestToOpenAI,
  openAIChunksToMessagesEvents,
  openAIResponseToMessages,
  type MessagesEventConverter,
} from "./adapters/anthropic-inbound";
import { GatewayError, invalidRequest } from "./errors";
import type { GwRequest } from "./handler";
import type { GwResponse } from "./pipeline";

// POST /api/v1/messages: Anthropic's Messages format on top of the OpenAI-format pipeline. The request is
// translated into a chat.completions body and routed like any other (same auth, limits, failover, metering);
// what the pipeline writes in OpenAI's format (JSON, SSE chunks, errors) is translated back on its way out.

/** The caller's Anthropic body -> the OpenAI chat.completions body the pipeline routes. */
export function messagesToChat(raw: Record<string, unknown>): Record<string, unknown> {
  const r = messagesSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const param = formatPath(issue.path);
    throw invalidRequest(`${param || "body"}: ${issue.message}`, "invalid_value", param || null);
  }
  try {
    return messagesRequestToOpenAI(r.data);
  } catch (e) {
    if (e instanceof AppError) throw invalidRequest(e.message, "unsupported_parameter", e.fields?.[0]?.path ?? null);
    throw e;
  }
}

/** Anthropic SDKs send the key as `x-api-key`; OpenAI-style `Authorization: Bearer` works here too. */
function withApiKeyHeader(req: GwRequest): GwRequest {
  return {
    ...req,
    header: (name) => {
      if (name !== "authorization") return req.header(name);
      const auth = req.header("authorization");
      if (auth) return auth;
      const key = req.header("x-api-key");
      return key ? `Bearer ${key}` : undefined;
    },
  };
}

function sendAnthropicError(res: GwResponse, status: number, message: string, requestId: string, retryAfterSeconds?: number) {
  const data = JSON.stringify(anthropicErrorBody(status, message));
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(data)),
    "x-request-id": requestId,
  };
  if (retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
  res.head(status, headers);
  res.end(data);
}

const openAIErrorMessage = (text: string): string => {
  try {
    const j = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof j?.error?.message === "string") return j.error.message;
  } catch {
    // not JSON: fall through
  }
  return "The gateway failed to handle the request.";
};

export interface MessagesResponse extends GwResponse {
  /** The gateway's input estimate, shown in message_start (the exact counts follow in message_delta). */
  inputTokens: number;
}

/**
 * Wraps the client's response so the pipeline's OpenAI output reaches it in Anthropic's format: a JSON answer
 * becomes a message object, an error body Anthropic's error shape, an SSE chunk stream the Messages events.
 */
export function messagesResponse(res: GwResponse): MessagesResponse {
  let pending: { status: number; headers: Record<string, string> } | null = null;
  let conv: MessagesEventConverter | null = null;
  let model = "";
  let streaming = false;
  let errored = false;
  const out: MessagesResponse = {
    inputTokens: 0,
    head(status, headers) {
      if (String(headers["content-type"] ?? "").startsWith("text/event-stream")) {
        res.head(status, headers);
        conv = null;
        model = "";
        pending = null;
        streaming = true;
      } else pending = { status, headers };
    },
    write(chunk) {
      if (!streaming) return;
      const events: string[] = [];
      for (const block of chunk.split("\n\n")) {
        if (!block.startsWith("data: ")) continue;
        const data = block.slice(6).trim();
        if (data === "[DONE]") continue;
        let obj: Record<string, unknown>;
        try {
          obj = JSON.parse(data);
        } catch {
          continue;
        }
        if (obj.error) {
          // The pipeline's in-band error after a failure mid-stream: Anthropic's error event ends the stream.
          const msg = (obj.error as { message?: unknown }).message;
          events.push(formatMessagesEvent(anthropicErrorEvent(500, typeof msg === "string" ? msg : "The upstream failed.")));
          errored = true;
          continue;
        }
        if (!conv) {
          model = typeof obj.model === "string" ? obj.model : "";
          conv = openAIChunksToMessagesEvents(model, { inputTokens: out.inputTokens });
        }
        for (const e of conv.push(obj)) events.push(formatMessagesEvent(e));
      }
      if (events.length) return res.write(events.join(""));
    },
    end(chunk) {
      if (streaming) {
        if (chunk) void out.write(chunk);
        const tail =
          chunk?.includes("data: [DONE]") && !errored
            ? (conv ?? openAIChunksToMessagesEvents(model, { inputTokens: out.inputTokens })).end()
            : [];
        res.end(tail.map(formatMessagesEvent).join("") || undefined);
        return;
      }
      const h = pending ?? { status: 200, headers: { "content-type": "application/json" } };
      const text = chunk ?? "";
      let data: string;
      if (h.status >= 400) data = JSON.stringify(anthropicErrorBody(h.status, openAIErrorMessage(text)));
      else {
        let json: unknown = {};
        try {
          json = JSON.parse(text);
        } catch {
          json = {};
        }
        data = JSON.stringify(openAIResponseToMessages(json, String((json as { model?: unknown }).model ?? "")));
      }
      res.head(h.status, { ...h.headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(data)) });
      res.end(data);
    },
  };
  return out;
}

/**
 * Runs `serve` (the shared inference path) for the Messages endpoint: the key may come as `x-api-key`, and
 * every error, including the gateway's own refusals, answers in Anthropic's error shape.
 */
export async function serveMessages(
  req: GwRequest,
  res: GwResponse,
  serve: (req: GwRequest, res: GwResponse) => Promise<void>,
): Promise<void> {
  let headSent = false;
  const tracked: GwResponse = {
    head: (s, h) => {
      headSent = true;
      res.head(s, h);
    },
    write: (c) => res.write(c),
    end: (c) => res.end(c),
  };
  try {
    await serve(withApiKeyHeader(req), tracked);
  } catch (e) {
    if (headSent) throw e;
    if (e instanceof GatewayError) return sendAnthropicError(res, e.status, e.message, req.requestId, e.opts.retryAfterSeconds);
    logger.error("messages request failed", { requestId: req.requestId, error: e });
    sendAnthropicError(res, 500, "The gateway failed to handle the request.", req.requestId);
  }
}
