import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { chatMessageTokens } from "./estimate";

// Token counts with OpenAI's o200k_base encoding, imported on first need only (estimate.ts). For other vendors'
// models (Llama, Qwen, Claude, Gemini ...) these are estimates, typically within 10-20% of their own tokenizers: good enough to refuse a request
// that cannot fit a context window and to meter an upstream that reports no usage (marked `estimated`).

// Caller text may contain "<|endoftext|>" and the like; count it as plain text instead of throwing.
const PLAIN = { disallowedSpecial: new Set<string>() };

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

/** Exact prompt tokens of OpenAI chat messages plus tool definitions (see estimate.ts for the framing). */
export function estimateChatTokens(messages: unknown, tools?: unknown): number {
  return chatMessageTokens(messages, tools, estimateTextTokens);
}
