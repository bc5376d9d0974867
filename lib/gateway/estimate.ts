import { countTokens } from "gpt-tokenizer";

// Token estimates for limits and the context check before any upstream call, and for upstreams that report
// no usage. o200k_base is exact for current OpenAI models and close enough for the others.
const PER_MESSAGE = 4;
const PER_IMAGE = 765;

function textOf(content: unknown): { text: string; images: number } {
  if (typeof content === "string") return { text: content, images: 0 };
  if (!Array.isArray(content)) return { text: content == null ? "" : JSON.stringify(content), images: 0 };
  let text = "";
  let images = 0;
  for (const part of content) {
    if (part && typeof part === "object") {
      const p = part as Record<string, unknown>;
      if (typeof p.text === "string") text += p.text + "\n";
      else if (p.type === "image_url" || p.type === "input_image") images++;
      else text += JSON.stringify(p) + "\n";
    }
  }
  return { text, images };
}

export function countText(text: string): number {
  return text ? countTokens(text) : 0;
}

/** Input tokens of an OpenAI chat.completions body: messages, tool definitions and tool calls. */
export function estimateChatTokens(body: { messages?: unknown; tools?: unknown; functions?: unknown }): number {
  let total = 3;
  let text = "";
  const messages = Array.isArray(body.messages) ? body.messages : [];
  for (const m of messages) {
    if (!m || typeof m !== "object") continue;
    const msg = m as Record<string, unknown>;
    const { text: t, images } = textOf(msg.content);
    total += PER_MESSAGE + images * PER_IMAGE;
    text += t + "\n";
    if (msg.tool_calls) text += JSON.stringify(msg.tool_calls) + "\n";
    if (typeof msg.name === "string") text += msg.name + "\n";
  }
  if (body.tools) text += JSON.stringify(body.tools);
  if (body.functions) text += JSON.stringify(body.functions);
  return total + countText(text);
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
