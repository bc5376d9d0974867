import http from "node:http";
import type { AddressInfo } from "node:net";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  anthropicErrorBody,
  formatMessagesEvent,
  messagesRequestToOpenAI,
  openAIChunksToMessagesEvents,
  openAIResponseToMessages,
} from "./anthropic-inbound";

// The official Anthropic SDK against a local POST /v1/messages built from the inbound translation and canned
// OpenAI answers: proves that what we write is what the real client parses.

const completion = {
  id: "chatcmpl-rt1",
  object: "chat.completion",
  created: 1,
  model: "smart",
  choices: [
    {
      index: 0,
      message: {
        role: "assistant",
        content: "It is sunny in Oslo.",
        tool_calls: [{ id: "call_7", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }],
      },
      finish_reason: "tool_calls",
    },
  ],
  usage: { prompt_tokens: 300, completion_tokens: 21, total_tokens: 321, prompt_tokens_details: { cached_tokens: 256 } },
};

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: "chatcmpl-rt2",
  object: "chat.completion.chunk",
  created: 1,
  model: "smart",
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const chunks = [
  chunk({ role: "assistant", content: "" }),
  chunk({ content: "Sunny" }),
  chunk({ content: " and mild." }),
  chunk({ tool_calls: [{ index: 0, id: "call_8", type: "function", function: { name: "get_weather", arguments: "" } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Bergen"}' } }] }),
  chunk({}, "tool_calls"),
  {
    id: "chatcmpl-rt2",
    object: "chat.completion.chunk",
    created: 1,
    model: "smart",
    choices: [],
    usage: { prompt_tokens: 50, completion_tokens: 17, total_tokens: 67 },
  },
];

const seen: Record<string, unknown>[] = [];
let server: http.Server;
let client: Anthropic;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => (raw += d));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/messages") {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify(anthropicErrorBody(404, "Not found")));
        return;
      }
      const body = JSON.parse(raw);
      if (body.model === "limited") {
        res
          .writeHead(429, { "content-type": "application/json" })
          .end(JSON.stringify(anthropicErrorBody(429, "Rate limit reached for key")));
        return;
      }
      const openai = messagesRequestToOpenAI(body);
      seen.push(openai);
      if (!openai.stream) {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(openAIResponseToMessages(completion, body.model)));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      const conv = openAIChunksToMessagesEvents(body.model);
      for (const c of chunks) for (const e of conv.push(c)) res.write(formatMessagesEvent(e));
      for (const e of conv.end()) res.write(formatMessagesEvent(e));
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  client = new Anthropic({ baseURL: `http://127.0.0.1:${port}`, apiKey: "sk-virtual-test", maxRetries: 0 });
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const tools = [
  {
    name: "get_weather",
    description: "Weather for a city",
    input_schema: { type: "object" as const, properties: { city: { type: "string" } } },
  },
];

describe("the Anthropic SDK against the inbound translation", () => {
  it("parses a non-streamed message with text, tool_use, stop reason and usage", async () => {
    const msg = await client.messages.create({
      model: "smart",
      max_tokens: 256,
      system: "Be brief.",
      messages: [{ role: "user", content: "Weather in Oslo?" }],
      tools,
    });
    expect(seen.at(-1)).toMatchObject({
      model: "smart",
      max_tokens: 256,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Weather in Oslo?" },
      ],
    });
    expect(msg.id).toBe("msg_rt1");
    expect(msg.role).toBe("assistant");
    expect(msg.stop_reason).toBe("tool_use");
    expect(msg.content).toEqual([
      { type: "text", text: "It is sunny in Oslo." },
      { type: "tool_use", id: "call_7", name: "get_weather", input: { city: "Oslo" } },
    ]);
    expect(msg.usage).toMatchObject({ input_tokens: 44, output_tokens: 21, cache_read_input_tokens: 256 });
  });

  it("accumulates a streamed message with messages.stream().finalMessage()", async () => {
    const stream = client.messages.stream({
      model: "smart",
      max_tokens: 256,
      messages: [{ role: "user", content: "Weather in Bergen?" }],
      tools,
    });
    const texts: string[] = [];
    stream.on("text", (t) => texts.push(t));
    const msg = await stream.finalMessage();
    expect(seen.at(-1)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(texts).toEqual(["Sunny", " and mild."]);
    expect(msg.content).toEqual([
      { type: "text", text: "Sunny and mild." },
      { type: "tool_use", id: "call_8", name: "get_weather", input: { city: "Bergen" } },
    ]);
    expect(msg.stop_reason).toBe("tool_use");
    expect(msg.usage).toMatchObject({ input_tokens: 50, output_tokens: 17 });
  });

  it("iterates the raw events of messages.create({ stream: true }) in Anthropic's order", async () => {
    const stream = await client.messages.create({
      model: "smart",
      max_tokens: 64,
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
    });
    const types: string[] = [];
    for await (const ev of stream) types.push(ev.type);
    expect(types).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
  });

  it("raises the SDK's typed error from an Anthropic-format error body", async () => {
    const err = await client.messages
      .create({ model: "limited", max_tokens: 8, messages: [{ role: "user", content: "x" }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    expect(err.status).toBe(429);
    expect(err.error).toEqual({ type: "error", error: { type: "rate_limit_error", message: "Rate limit reached for key" } });
  });
});
