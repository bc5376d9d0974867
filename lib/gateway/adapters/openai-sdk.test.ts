import http from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VendorAdapter } from "../types";
import { anthropicAdapter } from "./anthropic";
import { geminiAdapter } from "./gemini";

// The official OpenAI SDK reading what the Anthropic and Gemini adapters produce from recorded vendor
// answers: proves the chunks and completions are what real OpenAI clients accumulate correctly.

const anthropicEvents: Array<[string, unknown]> = [
  [
    "message_start",
    {
      type: "message_start",
      message: {
        id: "msg_1",
        type: "message",
        role: "assistant",
        content: [],
        model: "claude",
        stop_reason: null,
        usage: { input_tokens: 20, cache_read_input_tokens: 100, output_tokens: 1 },
      },
    },
  ],
  ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }],
  ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Checking the " } }],
  ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "weather." } }],
  ["content_block_stop", { type: "content_block_stop", index: 0 }],
  [
    "content_block_start",
    { type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "toolu_01", name: "get_weather", input: {} } },
  ],
  ["content_block_delta", { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '{"city":' } }],
  ["content_block_delta", { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: ' "Paris"}' } }],
  ["content_block_stop", { type: "content_block_stop", index: 1 }],
  ["message_delta", { type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 40 } }],
  ["message_stop", { type: "message_stop" }],
];

const geminiEvents: unknown[] = [
  { candidates: [{ content: { role: "model", parts: [{ text: "Checking the " }] }, index: 0 }] },
  {
    candidates: [
      {
        content: { role: "model", parts: [{ text: "weather." }, { functionCall: { name: "get_weather", args: { city: "Paris" } } }] },
        finishReason: "STOP",
        index: 0,
      },
    ],
    usageMetadata: { promptTokenCount: 120, candidatesTokenCount: 40, cachedContentTokenCount: 100 },
  },
];

const ctx = () => ({ requestModel: "smart", id: "chatcmpl-sdk", created: 1_700_000_000 });

function convertedChunks(model: string): Record<string, unknown>[] {
  if (model === "claude") {
    const conv = anthropicAdapter.streamConverter(ctx());
    return anthropicEvents.flatMap(([event, data]) => conv.push({ event, data: JSON.stringify(data) }));
  }
  const conv = geminiAdapter.streamConverter(ctx());
  return geminiEvents.flatMap((d) => conv.push({ data: JSON.stringify(d) }));
}

const nonStreamed: Record<string, [VendorAdapter, unknown]> = {
  claude: [
    anthropicAdapter,
    {
      content: [
        { type: "text", text: "Checking the weather." },
        { type: "tool_use", id: "toolu_01", name: "get_weather", input: { city: "Paris" } },
      ],
      stop_reason: "tool_use",
      usage: { input_tokens: 20, cache_read_input_tokens: 100, output_tokens: 40 },
    },
  ],
  gemini: [
    geminiAdapter,
    {
      candidates: [
        {
          content: {
            role: "model",
            parts: [{ text: "Checking the weather." }, { functionCall: { name: "get_weather", args: { city: "Paris" } } }],
          },
          finishReason: "STOP",
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 120, candidatesTokenCount: 40, cachedContentTokenCount: 100 },
    },
  ],
};

let server: http.Server;
let client: OpenAI;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => (raw += d));
    req.on("end", () => {
      const body = JSON.parse(raw);
      if (!body.stream) {
        const [adapter, json] = nonStreamed[body.model];
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(adapter.chatResponse(json, ctx())));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (const c of convertedChunks(body.model)) res.write(`data: ${JSON.stringify(c)}\n\n`);
      res.end("data: [DONE]\n\n");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  client = new OpenAI({ baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: "sk-test", maxRetries: 0 });
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const tools = [
  {
    type: "function" as const,
    function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
  },
];

describe.each(["claude", "gemini"])("the OpenAI SDK reading the %s adapter's output", (model) => {
  it("accumulates the stream into text, a parsed tool call, finish reason and usage", async () => {
    const stream = client.chat.completions.stream({
      model,
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools,
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    const choice = final.choices[0];
    expect(choice.message.content).toBe("Checking the weather.");
    expect(choice.message.tool_calls).toHaveLength(1);
    const call = choice.message.tool_calls![0];
    expect(call.type === "function" && call.function.name).toBe("get_weather");
    expect(call.type === "function" && JSON.parse(call.function.arguments)).toEqual({ city: "Paris" });
    expect(choice.finish_reason).toBe("tool_calls");
    expect(final.usage).toMatchObject({
      prompt_tokens: 120,
      completion_tokens: 40,
      total_tokens: 160,
      prompt_tokens_details: { cached_tokens: 100 },
    });
  });

  it("parses the non-streamed completion", async () => {
    const res = await client.chat.completions.create({ model, messages: [{ role: "user", content: "Weather in Paris?" }], tools });
    expect(res.object).toBe("chat.completion");
    expect(res.choices[0].message.content).toBe("Checking the weather.");
    expect(res.choices[0].finish_reason).toBe("tool_calls");
    expect(res.usage?.prompt_tokens).toBe(120);
  });
});
