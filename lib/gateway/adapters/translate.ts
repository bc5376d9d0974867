import { AppError } from "../../errors";
import type { TokenUsage } from "../types";

// Small pieces shared by the vendor translations (Anthropic, Gemini, the Anthropic-format inbound endpoint).

export type Loose = Record<string, unknown>;

export function isObject(v: unknown): v is Loose {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function num(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

/** A request the vendor cannot express: answered with 400 and the offending field, before any upstream call. */
export function unsupported(path: string, message: string): AppError {
  return new AppError("bad_request", message, { fields: [{ path, message }] });
}

/** `data:image/png;base64,AAAA` -> { mediaType, data }; null for anything else. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | null {
  const m = /^data:([^;,]+)((?:;[^;,]+)*);base64,(.*)$/s.exec(url);
  return m ? { mediaType: m[1].toLowerCase(), data: m[3] } : null;
}

/** Text of an OpenAI message content: a string or an array of parts (non-text parts ignored). */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  return asArray(content)
    .map((p) => (isObject(p) && typeof p.text === "string" ? p.text : ""))
    .filter(Boolean)
    .join("\n");
}

export function chunk(
  ctx: { requestModel: string; id: string; created: number },
  delta: Loose,
  finishReason: string | null = null,
  index = 0,
): Loose {
  return {
    id: ctx.id,
    object: "chat.completion.chunk",
    created: ctx.created,
    model: ctx.requestModel,
    choices: [{ index, delta, finish_reason: finishReason, logprobs: null }],
  };
}

/** The closing chunk of an OpenAI stream with `stream_options.include_usage`: no choices, only usage. */
export function usageChunk(ctx: { requestModel: string; id: string; created: number }, usage: TokenUsage): Loose {
  return {
    id: ctx.id,
    object: "chat.completion.chunk",
    created: ctx.created,
    model: ctx.requestModel,
    choices: [],
    usage: openAIUsage(usage),
  };
}

/**
 * TokenUsage -> OpenAI `usage`. `inputTokens` counts every prompt token, like OpenAI's prompt_tokens: cache
 * reads (`cachedTokens`) and Anthropic cache writes (`cacheWriteTokens`) are included in it. Cache writes
 * have no OpenAI field; they ride along as `cache_creation_input_tokens` (LiteLLM's name) so that
 * `tokenUsageFromOpenAI` can recover them from a non-streamed answer.
 */
export function openAIUsage(u: TokenUsage): Loose {
  const usage: Loose = {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cachedTokens },
  };
  if (u.cacheWriteTokens) usage.cache_creation_input_tokens = u.cacheWriteTokens;
  return usage;
}

/** OpenAI `usage` (from any adapter's chat.completion or final chunk) -> TokenUsage; null when absent. */
export function tokenUsageFromOpenAI(usage: unknown): TokenUsage | null {
  if (!isObject(usage)) return null;
  const details = isObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const out: TokenUsage = {
    inputTokens: num(usage.prompt_tokens),
    outputTokens: num(usage.completion_tokens),
    cachedTokens: num(details.cached_tokens),
  };
  const writes = num(usage.cache_creation_input_tokens);
  if (writes) out.cacheWriteTokens = writes;
  return out;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
