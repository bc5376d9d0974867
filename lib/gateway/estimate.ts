import { estimateChatTokens as estimateMessages, estimateTextTokens } from "./tokens";

// The pipeline's view of token estimates (limits, the context check before any upstream call, upstreams that
// report no usage); the counting itself lives in tokens.ts.

export const countText = estimateTextTokens;

/** Input tokens of an OpenAI chat.completions body: messages, tool definitions and tool calls. */
export function estimateChatTokens(body: { messages?: unknown; tools?: unknown; functions?: unknown }): number {
  return estimateMessages(Array.isArray(body.messages) ? body.messages : [], body.tools ?? body.functions);
}

/** Input tokens of an OpenAI embeddings body (`input` is a string, strings, or token arrays). */
export function estimateEmbeddingTokens(input: unknown): number {
  if (typeof input === "string") return countText(input);
  if (Array.isArray(input)) {
    let n = 0;
    for (const x of input) n += typeof x === "number" ? 1 : Array.isArray(x) ? x.length : estimateEmbeddingTokens(x);
    return n;
  }
  return 0;
}
