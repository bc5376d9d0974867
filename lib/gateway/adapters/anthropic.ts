import type { StreamConverter, TokenUsage, UpstreamRequest, UpstreamTarget, VendorAdapter } from "../types";
import {
  asArray,
  chunk,
  isObject,
  num,
  openAIUsage,
  parseDataUrl,
  parseJson,
  textOf,
  unsupported,
  usageChunk,
  type Loose,
} from "./translate";

// Anthropic Messages API (https://docs.anthropic.com/en/api/messages), translated to and from OpenAI's
// chat.completions format.

export const ANTHROPIC_VERSION = "2023-06-01";
/** Anthropic requires max_tokens; OpenAI callers usually leave it out. */
export const DEFAULT_MAX_TOKENS = 4096;

type Block = Loose;
type Turn = { role: "user" | "assistant"; content: Block[] };

function imageBlock(part: Loose, path: string): Block {
  const ref = part.image_url;
  const url = typeof ref === "string" ? ref : isObject(ref) && typeof ref.url === "string" ? ref.url : "";
  if (url.startsWith("data:")) {
    const parsed = parseDataUrl(url);
    if (!parsed) throw unsupported(`${path}.image_url.url`, "Image data URLs must be base64-encoded");
    return { type: "image", source: { type: "base64", media_type: parsed.mediaType, data: parsed.data } };
  }
  if (/^https?:\/\//i.test(url)) return { type: "image", source: { type: "url", url } };
  throw unsupported(`${path}.image_url.url`, "Images must be http(s) or base64 data URLs");
}

function contentBlocks(content: unknown, path: string, allowImages: boolean): Block[] {
  if (typeof content === "string") return content ? [{ type: "text", text: content }] : [];
  const blocks: Block[] = [];
  asArray(content).forEach((part, i) => {
    if (!isObject(part)) return;
    if (part.type === "text" && typeof part.text === "string") {
      if (part.text) blocks.push({ type: "text", text: part.text });
    } else if (part.type === "refusal" && typeof part.refusal === "string") {
      if (part.refusal) blocks.push({ type: "text", text: part.refusal });
    } else if (part.type === "image_url" && allowImages) {
      blocks.push(imageBlock(part, `${path}[${i}]`));
    } else {
      throw unsupported(`${path}[${i}].type`, `Content part type "${String(part.type)}" is not supported by Anthropic models`);
    }
  });
  return blocks;
}

/**
 * Anthropic accepts tool ids matching [a-zA-Z0-9_-]+ only; ids minted by another vendor (a conversation that
 * failed over, or Gemini's signed ids) are mapped the same way on both the call and its result.
 */
export function anthropicToolId(id: unknown): string {
  const s = String(id ?? "").replace(/[^a-zA-Z0-9_-]/g, "_");
  return s || "toolu_unnamed";
}

function toolUseInput(args: unknown): Loose {
  // Anthropic needs an object; a model may have produced broken arguments earlier in the conversation, and
  // refusing the whole history for that would strand the caller.
  const parsed = typeof args === "string" && args.trim() ? parseJson(args) : undefined;
  return isObject(parsed) ? parsed : {};
}

function toMessages(messages: unknown[]): { system: string[]; turns: Turn[] } {
  const system: string[] = [];
  const turns: Turn[] = [];
  const add = (role: Turn["role"], content: Block[]) => {
    if (content.length === 0) return;
    const last = turns[turns.length - 1];
    // Anthropic wants user and assistant turns to alternate: consecutive same-role turns are merged.
    if (last && last.role === role) last.content.push(...content);
    else turns.push({ role, content: [...content] });
  };
  messages.forEach((raw, i) => {
    const path = `messages[${i}]`;
    if (!isObject(raw)) return;
    switch (raw.role) {
      case "system":
      case "developer": {
        const text = textOf(raw.content);
        if (text) system.push(text);
        break;
      }
      case "user":
        add("user", contentBlocks(raw.content, `${path}.content`, true));
        break;
      case "assistant": {
        const blocks = contentBlocks(raw.content, `${path}.content`, false);
        asArray(raw.tool_calls).forEach((call) => {
          if (!isObject(call) || !isObject(call.function)) return;
          blocks.push({
            type: "tool_use",
            id: anthropicToolId(call.id),
            name: String(call.function.name ?? ""),
            input: toolUseInput(call.function.arguments),
          });
        });
        add("assistant", blocks);
        break;
      }
      case "tool": {
        if (typeof raw.tool_call_id !== "string") throw unsupported(`${path}.tool_call_id`, "Tool messages need a tool_call_id");
        const text = textOf(raw.content);
        add("user", [{ type: "tool_result", tool_use_id: anthropicToolId(raw.tool_call_id), content: text }]);
        break;
      }
      default:
        throw unsupported(`${path}.role`, `Message role "${String(raw.role)}" is not supported by Anthropic models`);
    }
  });
  if (turns.length === 0) throw unsupported("messages", "At least one user or assistant message is required");
  // Anthropic's conversation must open with a user turn.
  if (turns[0].role !== "user") turns.unshift({ role: "user", content: [{ type: "text", text: "(conversation continues)" }] });
  // Tool results must lead the user turn that answers the tool calls.
  for (const t of turns) {
    if (t.role === "user") t.content.sort((a, b) => Number(b.type === "tool_result") - Number(a.type === "tool_result"));
  }
  return { system, turns };
}

function jsonInstruction(format: unknown): string | null {
  if (!isObject(format)) return null;
  if (format.type === "json_object") return "Respond only with a single valid JSON object: no prose, no code fences.";
  if (format.type === "json_schema") {
    const spec = isObject(format.json_schema) ? format.json_schema : {};
    return (
      "Respond only with a single valid JSON value that conforms to this JSON Schema: no prose, no code fences.\n" +
      JSON.stringify(spec.schema ?? {})
    );
  }
  return null;
}

function toolChoice(choice: unknown, parallel: unknown): Loose | undefined {
  let out: Loose | undefined;
  if (choice === "auto") out = { type: "auto" };
  else if (choice === "none") out = { type: "none" };
  else if (choice === "required") out = { type: "any" };
  else if (isObject(choice) && isObject(choice.function) && typeof choice.function.name === "string") {
    out = { type: "tool", name: choice.function.name };
  } else if (choice !== undefined && choice !== null) {
    throw unsupported("tool_choice", "tool_choice must be auto, none, required or a function");
  }
  if (parallel === false && out?.type !== "none") out = { ...(out ?? { type: "auto" }), disable_parallel_tool_use: true };
  return out;
}

export function anthropicChatBody(upstreamModel: string, body: Loose, stream: boolean): Loose {
  if (num(body.n) > 1) throw unsupported("n", "Anthropic models return one choice per request (n must be 1)");
  const { system, turns } = toMessages(asArray(body.messages));
  // Anthropic has no native JSON mode: the format is asked for in the system prompt instead.
  const instruction = jsonInstruction(body.response_format);
  if (instruction) system.push(instruction);

  const out: Loose = {
    model: upstreamModel,
    max_tokens: num(body.max_completion_tokens) || num(body.max_tokens) || DEFAULT_MAX_TOKENS,
    messages: turns,
  };
  if (system.length) out.system = system.join("\n\n");
  // Anthropic's temperature range is 0..1 where OpenAI's is 0..2; a value above 1 would be refused outright.
  if (typeof body.temperature === "number") out.temperature = Math.min(1, Math.max(0, body.temperature));
  if (typeof body.top_p === "number") out.top_p = body.top_p;
  const stop = typeof body.stop === "string" ? [body.stop] : asArray(body.stop).filter((s) => typeof s === "string");
  if (stop.length) out.stop_sequences = stop;
  const tools = asArray(body.tools)
    .filter((t): t is Loose => isObject(t) && t.type === "function" && isObject(t.function))
    .map((t) => {
      const fn = t.function as Loose;
      const tool: Loose = { name: fn.name, input_schema: isObject(fn.parameters) ? fn.parameters : { type: "object", properties: {} } };
      if (typeof fn.description === "string") tool.description = fn.description;
      return tool;
    });
  if (tools.length) {
    out.tools = tools;
    const choice = toolChoice(body.tool_choice, body.parallel_tool_calls);
    if (choice) out.tool_choice = choice;
  }
  if (typeof body.user === "string" && body.user) out.metadata = { user_id: body.user };
  if (stream) out.stream = true;
  return out;
}

export function mapStopReason(reason: unknown): string {
  switch (reason) {
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default: // end_turn, stop_sequence, pause_turn
      return "stop";
  }
}

function usageOf(u: unknown): TokenUsage {
  const usage = isObject(u) ? u : {};
  const cacheRead = num(usage.cache_read_input_tokens);
  const cacheWrite = num(usage.cache_creation_input_tokens);
  const out: TokenUsage = {
    inputTokens: num(usage.input_tokens) + cacheRead + cacheWrite,
    outputTokens: num(usage.output_tokens),
    cachedTokens: cacheRead,
  };
  if (cacheWrite) out.cacheWriteTokens = cacheWrite;
  return out;
}

function chatResponse(json: unknown, ctx: { requestModel: string; id: string; created: number }): Loose {
  const msg = isObject(json) ? json : {};
  const texts: string[] = [];
  const toolCalls: Loose[] = [];
  for (const block of asArray(msg.content)) {
    if (!isObject(block)) continue;
    if (block.type === "text" && typeof block.text === "string") texts.push(block.text);
    else if (block.type === "tool_use") {
      toolCalls.push({
        id: block.id,
        type: "function",
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  const message: Loose = {
    role: "assistant",
    content: texts.length ? texts.join("") : toolCalls.length ? null : "",
    refusal: null,
  };
  if (toolCalls.length) message.tool_calls = toolCalls;
  return {
    id: ctx.id,
    object: "chat.completion",
    created: ctx.created,
    model: ctx.requestModel,
    choices: [{ index: 0, message, finish_reason: mapStopReason(msg.stop_reason), logprobs: null }],
    usage: openAIUsage(usageOf(msg.usage)),
  };
}

function streamConverter(ctx: { requestModel: string; id: string; created: number }): StreamConverter {
  let started = false;
  let finished = false;
  let error: { message: string; code?: string } | null = null;
  let usage: TokenUsage | null = null;
  let raw: Loose = {};
  // Anthropic content block index -> OpenAI tool_calls index (text blocks are absent).
  const toolIndex = new Map<number, number>();

  const begin = (out: Loose[]) => {
    if (!started) {
      started = true;
      out.push(chunk(ctx, { role: "assistant", content: "" }));
    }
  };
  const mergeUsage = (u: unknown) => {
    if (!isObject(u)) return;
    // message_delta repeats or completes the counts of message_start; the latest value of each field wins.
    for (const [k, v] of Object.entries(u)) if (typeof v === "number") raw[k] = v;
    usage = usageOf(raw);
  };

  return {
    push({ event, data }) {
      const out: Loose[] = [];
      if (finished || error) return out;
      const ev = parseJson(data);
      if (!isObject(ev)) {
        error = { message: "The upstream sent a malformed stream event", code: "bad_upstream_event" };
        return out;
      }
      switch (ev.type ?? event) {
        case "message_start": {
          const m = isObject(ev.message) ? ev.message : {};
          raw = {};
          mergeUsage(m.usage);
          begin(out);
          break;
        }
        case "content_block_start": {
          begin(out);
          const block = isObject(ev.content_block) ? ev.content_block : {};
          const index = num(ev.index);
          if (block.type === "tool_use") {
            const n = toolIndex.size;
            toolIndex.set(index, n);
            out.push(
              chunk(ctx, {
                tool_calls: [{ index: n, id: block.id, type: "function", function: { name: block.name, arguments: "" } }],
              }),
            );
          } else if (block.type === "text" && typeof block.text === "string" && block.text) {
            out.push(chunk(ctx, { content: block.text }));
          }
          break;
        }
        case "content_block_delta": {
          begin(out);
          const delta = isObject(ev.delta) ? ev.delta : {};
          if (delta.type === "text_delta" && typeof delta.text === "string") {
            out.push(chunk(ctx, { content: delta.text }));
          } else if (delta.type === "input_json_delta" && typeof delta.partial_json === "string" && delta.partial_json) {
            const n = toolIndex.get(num(ev.index));
            if (n !== undefined) out.push(chunk(ctx, { tool_calls: [{ index: n, function: { arguments: delta.partial_json } }] }));
          }
          // thinking_delta, signature_delta and citations_delta have no place in OpenAI's chunk format.
          break;
        }
        case "message_delta": {
          begin(out);
          mergeUsage(ev.usage);
          const delta = isObject(ev.delta) ? ev.delta : {};
          if (delta.stop_reason) out.push(chunk(ctx, {}, mapStopReason(delta.stop_reason)));
          break;
        }
        case "message_stop":
          finished = true;
          if (!usage) usage = usageOf({});
          out.push(usageChunk(ctx, usage));
          break;
        case "error": {
          const e = isObject(ev.error) ? ev.error : {};
          error = {
            message: typeof e.message === "string" ? e.message : "The upstream reported an error",
            code: typeof e.type === "string" ? e.type : undefined,
          };
          break;
        }
        default: // ping, content_block_stop
          break;
      }
      return out;
    },
    usage: () => usage,
    error: () => error,
    done: () => finished,
  };
}

export const anthropicAdapter: VendorAdapter = {
  chatRequest(target: UpstreamTarget, body, opts): UpstreamRequest {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "anthropic-version": target.apiVersion || ANTHROPIC_VERSION,
    };
    if (target.apiKey) headers["x-api-key"] = target.apiKey;
    if (opts.stream) headers.accept = "text/event-stream";
    return {
      url: `${target.baseUrl}/messages`,
      method: "POST",
      headers,
      body: JSON.stringify(anthropicChatBody(target.upstreamModel, body, opts.stream)),
    };
  },
  chatResponse,
  streamConverter,
};
