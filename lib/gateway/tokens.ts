import { countTokens } from "gpt-tokenizer/encoding/o200k_base";

// Token estimates with OpenAI's o200k_base encoding. For other vendors' models (Llama, Qwen, Claude, Gemini
// ...) these are estimates, typically within 10-20% of their own tokenizers: good enough to refuse a request
// that cannot fit a context window and to meter an upstream that reports no usage (marked `estimated`).

// Caller text may contain "<|endoftext|>" and the like; count it as plain text instead of throwing.
const PLAIN = { disallowedSpecial: new Set<string>() };

/** OpenAI's chat framing: every message costs a few tokens besides its content, and the reply is primed. */
const PER_MESSAGE = 3;
const PER_NAME = 1;
const REPLY_PRIMING = 3;
/** An image of unknown size: OpenAI's price for a low-detail image, or one 1024x1024 high-detail image. */
const IMAGE_LOW = 85;
const IMAGE_DEFAULT = 765;

// BPE merging costs grow with the square of a pre-token's length, and a run without whitespace is one pre-token:
// 300 KB of "x" took about 50 s on one request. Runs past LONG_RUN characters are counted in slices of that
// size (a few tokens too many at each cut), which keeps the estimate linear in the text's length.
const LONG_RUN = 256;
const LONG_RUN_RE = new RegExp(`\\S{${LONG_RUN},}`, "g");

export function estimateTextTokens(text: string): number {
  if (!text) return 0;
  if (text.length < LONG_RUN || !/\S{256}/.test(text)) return countTokens(text, PLAIN);
  let n = 0;
  const rest = text.replace(LONG_RUN_RE, (run) => {
    for (let i = 0; i < run.length; i += LONG_RUN) n += countTokens(run.slice(i, i + LONG_RUN), PLAIN);
    return "";
  });
  return n + countTokens(rest, PLAIN);
}

type Loose = Record<string, unknown>;

function contentTokens(content: unknown): number {
  if (typeof content === "string") return estimateTextTokens(content);
  if (!Array.isArray(content)) return 0;
  let n = 0;
  for (const part of content as Loose[]) {
    if (!part || typeof part !== "object") continue;
    if (typeof part.text === "string") n += estimateTextTokens(part.text);
    else if (part.type === "image_url") {
      const detail = (part.image_url as Loose | undefined)?.detail;
      n += detail === "low" ? IMAGE_LOW : IMAGE_DEFAULT;
    } else if (typeof part.refusal === "string") n += estimateTextTokens(part.refusal);
  }
  return n;
}

/** Estimated prompt tokens of an OpenAI chat.completions request (messages plus tool definitions). */
export function estimateChatTokens(messages: unknown, tools?: unknown): number {
  let n = REPLY_PRIMING;
  if (Array.isArray(messages)) {
    for (const m of messages as Loose[]) {
      if (!m || typeof m !== "object") continue;
      n += PER_MESSAGE + contentTokens(m.content);
      if (typeof m.name === "string") n += PER_NAME + estimateTextTokens(m.name);
      if (Array.isArray(m.tool_calls)) {
        for (const call of m.tool_calls as Loose[]) {
          const fn = (call?.function ?? {}) as Loose;
          n += PER_MESSAGE + estimateTextTokens(String(fn.name ?? "")) + estimateTextTokens(String(fn.arguments ?? ""));
        }
      }
    }
  }
  // Vendors render tool definitions into the prompt in their own way; the JSON text is a fair proxy.
  if (Array.isArray(tools) && tools.length > 0) n += estimateTextTokens(JSON.stringify(tools));
  return n;
}
