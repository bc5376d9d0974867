// The pipeline's view of token counts: the context check before any upstream call, the TPM and budget
// reservation, and upstreams that report no usage. The exact BPE count (tokens.ts, gpt-tokenizer: ~70 MB
// resident and ~1 ms per 9 KB of prompt) is loaded on first need only; most requests never need it:
// - the context check first uses an upper bound: every o200k token is at least one UTF-8 byte of the text
//   (byte-level BPE partitions the bytes; callers' special-token text is counted as plain text), so the UTF-8
//   byte length plus the framing never undercounts. Only when that bound does not fit is the text counted;
// - a reservation holds a cheap estimate (a token per four bytes), which reconcile replaces with the
//   upstream's reported usage;
// - an upstream that reports no usage is metered with the exact count (the record is marked `estimated`).

/** OpenAI's chat framing: every message costs a few tokens besides its content, and the reply is primed. */
const PER_MESSAGE = 3;
const PER_NAME = 1;
const REPLY_PRIMING = 3;
/** An image of unknown size: OpenAI's price for a low-detail image, or one 1024x1024 high-detail image. */
const IMAGE_LOW = 85;
const IMAGE_DEFAULT = 765;

export type CountText = (text: string) => number;

/** Never fewer than o200k's token count of `text`: its UTF-8 length (see above). */
export const utf8Bound: CountText = (text) => Buffer.byteLength(text, "utf8");
/** About o200k's token count for English and code (four bytes a token), for reservations only. */
export const roughTokens: CountText = (text) => Math.ceil(Buffer.byteLength(text, "utf8") / 4);

type Loose = Record<string, unknown>;

function contentTokens(content: unknown, count: CountText): number {
  if (typeof content === "string") return count(content);
  if (!Array.isArray(content)) return 0;
  let n = 0;
  for (const part of content as Loose[]) {
    if (!part || typeof part !== "object") continue;
    if (typeof part.text === "string") n += count(part.text);
    else if (part.type === "image_url") {
      const detail = (part.image_url as Loose | undefined)?.detail;
      n += detail === "low" ? IMAGE_LOW : IMAGE_DEFAULT;
    } else if (typeof part.refusal === "string") n += count(part.refusal);
  }
  return n;
}

/** Prompt tokens of OpenAI chat messages plus tool definitions, each text counted with `count`. */
export function chatMessageTokens(messages: unknown, tools: unknown, count: CountText): number {
  let n = REPLY_PRIMING;
  if (Array.isArray(messages)) {
    for (const m of messages as Loose[]) {
      if (!m || typeof m !== "object") continue;
      n += PER_MESSAGE + contentTokens(m.content, count);
      if (typeof m.name === "string") n += PER_NAME + count(m.name);
      if (Array.isArray(m.tool_calls)) {
        for (const call of m.tool_calls as Loose[]) {
          const fn = (call?.function ?? {}) as Loose;
          n += PER_MESSAGE + count(String(fn.name ?? "")) + count(String(fn.arguments ?? ""));
        }
      }
    }
  }
  // Vendors render tool definitions into the prompt in their own way; the JSON text is a fair proxy.
  if (Array.isArray(tools) && tools.length > 0) n += count(JSON.stringify(tools));
  return n;
}

type ChatBody = { messages?: unknown; tools?: unknown; functions?: unknown };

/** Input tokens of an OpenAI chat.completions body (messages, tool definitions and tool calls), counted with `count`. */
export function chatTokens(body: ChatBody, count: CountText): number {
  return chatMessageTokens(Array.isArray(body.messages) ? body.messages : [], body.tools ?? body.functions, count);
}

/** Input tokens of an OpenAI embeddings body (`input` is a string, strings, or token arrays), counted with `count`. */
export function embeddingTokens(input: unknown, count: CountText): number {
  if (typeof input === "string") return count(input);
  if (Array.isArray(input)) {
    let n = 0;
    for (const x of input) n += typeof x === "number" ? 1 : Array.isArray(x) ? x.length : embeddingTokens(x, count);
    return n;
  }
  return 0;
}

let exact: Promise<CountText> | null = null;

/** The exact o200k count, importing the tokenizer on first use. */
export function exactCounter(): Promise<CountText> {
  exact ??= import("./tokens").then((m) => m.estimateTextTokens);
  return exact;
}

export const exactChatTokens = async (body: ChatBody) => chatTokens(body, await exactCounter());
export const exactEmbeddingTokens = async (input: unknown) => embeddingTokens(input, await exactCounter());
export const exactTextTokens = async (text: string) => (await exactCounter())(text);
