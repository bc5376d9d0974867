import { asArray, isObject, num, parseJson, unsupported, type Loose } from "./translate";

// POST /api/v1/messages: callers speaking Anthropic's Messages format (the Anthropic SDKs, Claude Code ...).
// Their request is turned into an OpenAI chat.completions body, routed like any other, and the OpenAI answer
// (or chunk stream) turned back into Anthropic's message object (or event stream).

function sourceUrl(source: unknown, path: string): string {
  if (isObject(source) && source.type === "base64" && typeof source.data === "string") {
    return `data:${String(source.media_type ?? "image/png")};base64,${source.data}`;
  }
  if (isObject(source) && source.type === "url" && typeof source.url === "string") return source.url;
  throw unsupported(`${path}.source`, "Image sources must be base64 or url");
}

function blockText(content: unknown): string {
  if (typeof content === "string") return content;
  return asArray(content)
    .map((b) => (isObject(b) && b.type === "text" && typeof b.text === "string" ? b.text : ""))
    .filter(Boolean)
    .join("\n");
}

function userMessages(content: unknown, path: string): Loose[] {
  if (typeof content === "string") return [{ role: "user", content }];
  const toolResults: Loose[] = [];
  const parts: Loose[] = [];
  asArray(content).forEach((b, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(b)) return;
    if (b.type === "text" && typeof b.text === "string") parts.push({ type: "text", text: b.text });
    else if (b.type === "image") parts.push({ type: "image_url", image_url: { url: sourceUrl(b.source, p) } });
    else if (b.type === "tool_result") {
      // Images inside a tool result have no place in an OpenAI tool message; its text is kept.
      const text = blockText(b.content);
      toolResults.push({ role: "tool", tool_call_id: String(b.tool_use_id ?? ""), content: b.is_error ? `Error: ${text}` : text });
    } else {
      throw unsupported(`${p}.type`, `Content block type "${String(b.type)}" is not supported`);
    }
  });
  // OpenAI wants the tool messages right after the assistant's tool calls, before any further user text.
  const out = [...toolResults];
  if (parts.length) out.push({ role: "user", content: parts });
  return out;
}

function assistantMessage(content: unknown, path: string): Loose {
  if (typeof content === "string") return { role: "assistant", content };
  const texts: string[] = [];
  const toolCalls: Loose[] = [];
  asArray(content).forEach((b, i) => {
    if (!isObject(b)) return;
    if (b.type === "text" && typeof b.text === "string") texts.push(b.text);
    else if (b.type === "tool_use") {
      toolCalls.push({ id: b.id, type: "function", function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } });
    } else if (b.type !== "thinking" && b.type !== "redacted_thinking") {
      throw unsupported(`${path}[${i}].type`, `Content block type "${String(b.type)}" is not supported`);
    }
  });
  const msg: Loose = { role: "assistant", content: texts.length ? texts.join("") : null };
  if (toolCalls.length) msg.tool_calls = toolCalls;
  return msg;
}

function toolChoice(choice: Loose): unknown {
  switch (choice.type) {
    case "auto":
      return "auto";
    case "any":
      return "required";
    case "none":
      return "none";
    case "tool":
      return { type: "function", function: { name: String(choice.name ?? "") } };
    default:
      throw unsupported("tool_choice.type", "tool_choice.type must be auto, any, tool or none");
  }
}

/** An Anthropic Messages request -> an OpenAI chat.completions body. */
export function messagesRequestToOpenAI(body: Loose): Loose {
  const messages: Loose[] = [];
  const system = blockText(body.system);
  if (system) messages.push({ role: "system", content: system });
  asArray(body.messages).forEach((m, i) => {
    if (!isObject(m)) return;
    const path = `messages[${i}].content`;
    if (m.role === "user") messages.push(...userMessages(m.content, path));
    else if (m.role === "assistant") messages.push(assistantMessage(m.content, path));
    else throw unsupported(`messages[${i}].role`, "Message roles must be user or assistant");
  });

  const out: Loose = { model: body.model, messages };
  if (typeof body.max_tokens === "number") out.max_tokens = body.max_tokens;
  if (typeof body.temperature === "number") out.temperature = body.temperature;
  if (typeof body.top_p === "number") out.top_p = body.top_p;
  // top_k has no OpenAI equivalent and is dropped; so is `thinking` (extended thinking is Anthropic-only).
  const stop = asArray(body.stop_sequences).filter((s) => typeof s === "string");
  if (stop.length) out.stop = stop;
  const tools = asArray(body.tools).map((t, i) => {
    if (!isObject(t) || (t.type !== undefined && t.type !== "custom") || typeof t.name !== "string") {
      throw unsupported(`tools[${i}]`, "Only client tools (name, description, input_schema) are supported");
    }
    const fn: Loose = { name: t.name, parameters: isObject(t.input_schema) ? t.input_schema : { type: "object", properties: {} } };
    if (typeof t.description === "string") fn.description = t.description;
    return { type: "function", function: fn };
  });
  if (tools.length) out.tools = tools;
  if (isObject(body.tool_choice)) {
    out.tool_choice = toolChoice(body.tool_choice);
    if (body.tool_choice.disable_parallel_tool_use === true) out.parallel_tool_calls = false;
  }
  if (body.stream === true) {
    out.stream = true;
    out.stream_options = { include_usage: true };
  }
  if (isObject(body.metadata) && typeof body.metadata.user_id === "string") out.user = body.metadata.user_id;
  return out;
}

export function toStopReason(finish: unknown): string {
  switch (finish) {
    case "length":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "content_filter":
      return "refusal";
    default:
      return "end_turn";
  }
}

/** OpenAI usage -> Anthropic usage, whose input_tokens leave out cache reads and writes. */
function anthropicUsage(usage: unknown): Loose {
  const u = isObject(usage) ? usage : {};
  const details = isObject(u.prompt_tokens_details) ? u.prompt_tokens_details : {};
  const cacheRead = num(details.cached_tokens);
  const cacheWrite = num(u.cache_creation_input_tokens);
  return {
    input_tokens: Math.max(0, num(u.prompt_tokens) - cacheRead - cacheWrite),
    output_tokens: num(u.completion_tokens),
    cache_read_input_tokens: cacheRead,
    cache_creation_input_tokens: cacheWrite,
  };
}

function messageId(openAIId: unknown): string {
  const raw = typeof openAIId === "string" && openAIId ? openAIId.replace(/^chatcmpl-/, "") : Math.random().toString(36).slice(2);
  return `msg_${raw}`;
}

function toolInput(args: unknown): Loose {
  const parsed = typeof args === "string" && args.trim() ? parseJson(args) : undefined;
  return isObject(parsed) ? parsed : {};
}

/** An OpenAI chat.completion -> an Anthropic message object. */
export function openAIResponseToMessages(json: unknown, requestModel: string): Loose {
  const res = isObject(json) ? json : {};
  const choice = asArray(res.choices).find(isObject) ?? {};
  const message = isObject(choice.message) ? choice.message : {};
  const content: Loose[] = [];
  if (typeof message.content === "string" && message.content) content.push({ type: "text", text: message.content });
  else if (typeof message.refusal === "string" && message.refusal) content.push({ type: "text", text: message.refusal });
  for (const call of asArray(message.tool_calls)) {
    if (!isObject(call) || !isObject(call.function)) continue;
    content.push({ type: "tool_use", id: call.id, name: call.function.name, input: toolInput(call.function.arguments) });
  }
  return {
    id: messageId(res.id),
    type: "message",
    role: "assistant",
    model: requestModel,
    content,
    stop_reason: toStopReason(choice.finish_reason),
    stop_sequence: null,
    usage: anthropicUsage(res.usage),
  };
}

export interface MessagesEvent {
  event: string;
  data: Loose;
}

/** One event as written on the wire. */
export function formatMessagesEvent(e: MessagesEvent): string {
  return `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}

export interface MessagesEventConverter {
  /** One OpenAI chat.completion.chunk -> the Anthropic events it amounts to. */
  push(chunk: unknown): MessagesEvent[];
  /** The upstream stream ended: closes the open block and sends message_delta and message_stop. */
  end(): MessagesEvent[];
}

/**
 * A stateful converter from OpenAI chunks to Anthropic's Messages event sequence. OpenAI reports usage only
 * at the end, where Anthropic opens with the input tokens: `inputTokens` (the gateway's estimate) fills
 * message_start, and the upstream's exact counts follow in message_delta.
 */
export function openAIChunksToMessagesEvents(requestModel: string, opts: { inputTokens?: number } = {}): MessagesEventConverter {
  let started = false;
  let ended = false;
  let blockIndex = -1;
  let open: { kind: "text" } | { kind: "tool"; toolIndex: number } | null = null;
  const toolBlocks = new Map<number, number>();
  let finish: unknown = null;
  let usage: unknown = null;

  const start = (out: MessagesEvent[], id: unknown) => {
    if (started) return;
    started = true;
    out.push({
      event: "message_start",
      data: {
        type: "message_start",
        message: {
          id: messageId(id),
          type: "message",
          role: "assistant",
          model: requestModel,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: opts.inputTokens ?? 0, output_tokens: 0 },
        },
      },
    });
  };
  const close = (out: MessagesEvent[]) => {
    if (!open) return;
    out.push({ event: "content_block_stop", data: { type: "content_block_stop", index: blockIndex } });
    open = null;
  };
  const openBlock = (out: MessagesEvent[], block: Loose, state: NonNullable<typeof open>) => {
    close(out);
    blockIndex += 1;
    open = state;
    out.push({ event: "content_block_start", data: { type: "content_block_start", index: blockIndex, content_block: block } });
  };

  return {
    push(raw) {
      const out: MessagesEvent[] = [];
      if (ended || !isObject(raw)) return out;
      start(out, raw.id);
      if (isObject(raw.usage)) usage = raw.usage;
      const choice = asArray(raw.choices).find((c) => isObject(c) && num(c.index) === 0);
      if (!isObject(choice)) return out;
      const delta = isObject(choice.delta) ? choice.delta : {};
      if (typeof delta.content === "string" && delta.content) {
        if (open?.kind !== "text") openBlock(out, { type: "text", text: "" }, { kind: "text" });
        out.push({
          event: "content_block_delta",
          data: { type: "content_block_delta", index: blockIndex, delta: { type: "text_delta", text: delta.content } },
        });
      }
      for (const call of asArray(delta.tool_calls)) {
        if (!isObject(call)) continue;
        const toolIndex = num(call.index);
        const fn = isObject(call.function) ? call.function : {};
        if (!toolBlocks.has(toolIndex)) {
          openBlock(
            out,
            { type: "tool_use", id: String(call.id ?? `toolu_${toolIndex}`), name: String(fn.name ?? ""), input: {} },
            { kind: "tool", toolIndex },
          );
          toolBlocks.set(toolIndex, blockIndex);
        }
        if (typeof fn.arguments === "string" && fn.arguments) {
          out.push({
            event: "content_block_delta",
            data: {
              type: "content_block_delta",
              index: toolBlocks.get(toolIndex),
              delta: { type: "input_json_delta", partial_json: fn.arguments },
            },
          });
        }
      }
      if (choice.finish_reason) finish = choice.finish_reason;
      return out;
    },
    end() {
      const out: MessagesEvent[] = [];
      if (ended) return out;
      start(out, undefined);
      close(out);
      ended = true;
      out.push({
        event: "message_delta",
        data: { type: "message_delta", delta: { stop_reason: toStopReason(finish), stop_sequence: null }, usage: anthropicUsage(usage) },
      });
      out.push({ event: "message_stop", data: { type: "message_stop" } });
      return out;
    },
  };
}

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  529: "overloaded_error",
};

/** Anthropic's error type for an HTTP status. */
export function anthropicErrorType(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

/** Anthropic's error body: `{ type: "error", error: { type, message } }`. */
export function anthropicErrorBody(status: number, message: string): Loose {
  return { type: "error", error: { type: anthropicErrorType(status), message } };
}

/** The in-band error event that ends an Anthropic stream which failed midway. */
export function anthropicErrorEvent(status: number, message: string): MessagesEvent {
  return { event: "error", data: anthropicErrorBody(status, message) };
}
