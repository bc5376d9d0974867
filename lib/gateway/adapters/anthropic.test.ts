import { describe, expect, it } from "vitest";
import { AppError } from "../../errors";
import type { UpstreamTarget } from "../types";
import { anthropicAdapter } from "./anthropic";
import { tokenUsageFromOpenAI } from "./translate";

const target: UpstreamTarget = {
  vendor: "anthropic",
  baseUrl: "https://api.anthropic.com/v1",
  upstreamModel: "claude-sonnet-4-5",
  apiKey: "sk-ant-test",
  internal: false,
};
const ctx = { requestModel: "smart", id: "chatcmpl-abc", created: 1_700_000_000 };

function send(body: Record<string, unknown>, stream = false) {
  const req = anthropicAdapter.chatRequest(target, body, { stream });
  return { req, json: JSON.parse(req.body!) as Record<string, any> };
}

describe("anthropic chatRequest", () => {
  it("posts to {base}/messages with the key, version and JSON headers", () => {
    const { req, json } = send({ model: "claude-sonnet-4-5", messages: [{ role: "user", content: "Hi" }] });
    expect(req.url).toBe("https://api.anthropic.com/v1/messages");
    expect(req.method).toBe("POST");
    expect(req.headers).toMatchObject({
      "x-api-key": "sk-ant-test",
      "anthropic-version": "2023-06-01",
      "content-type": "application/json",
    });
    expect(json).toEqual({
      model: "claude-sonnet-4-5",
      max_tokens: 4096,
      messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
    });
  });

  it("uses the platform's apiVersion and omits the key header when there is none", () => {
    const req = anthropicAdapter.chatRequest(
      { ...target, apiVersion: "2024-01-01", apiKey: undefined },
      { messages: [{ role: "user", content: "x" }] },
      { stream: false },
    );
    expect(req.headers["anthropic-version"]).toBe("2024-01-01");
    expect(req.headers).not.toHaveProperty("x-api-key");
  });

  it("lifts system and developer messages into the top-level system prompt", () => {
    const { json } = send({
      messages: [
        { role: "system", content: "Be terse." },
        { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
        { role: "user", content: "Hello" },
      ],
    });
    expect(json.system).toBe("Be terse.\n\nAnswer in French.");
    expect(json.messages).toEqual([{ role: "user", content: [{ type: "text", text: "Hello" }] }]);
  });

  it("merges consecutive same-role turns and makes the conversation open with a user turn", () => {
    const { json } = send({
      messages: [
        { role: "assistant", content: "Welcome back." },
        { role: "user", content: "One" },
        { role: "user", content: "Two" },
        { role: "assistant", content: "A" },
        { role: "assistant", content: "B" },
      ],
    });
    expect(json.messages.map((m: any) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(json.messages[2].content).toEqual([
      { type: "text", text: "One" },
      { type: "text", text: "Two" },
    ]);
    expect(json.messages[3].content).toEqual([
      { type: "text", text: "A" },
      { type: "text", text: "B" },
    ]);
  });

  it("turns data: image URLs into base64 sources and http(s) URLs into url sources", () => {
    const { json } = send({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Compare" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.jpg", detail: "high" } },
          ],
        },
      ],
    });
    expect(json.messages[0].content).toEqual([
      { type: "text", text: "Compare" },
      { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
      { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
    ]);
  });

  it("refuses images it cannot send with a 400 naming the field", () => {
    try {
      send({ messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "ftp://x/y.png" } }] }] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe("bad_request");
      expect((e as AppError).fields?.[0].path).toBe("messages[0].content[0].image_url.url");
    }
  });

  it("translates tools, tool calls and tool results into tool_use / tool_result blocks", () => {
    const { json } = send({
      messages: [
        { role: "user", content: "Weather in Paris and Rome?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            { id: "call_2", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "18C" },
        { role: "tool", tool_call_id: "call_2", content: [{ type: "text", text: "24C" }] },
        { role: "user", content: "Which is warmer?" },
      ],
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            description: "Current weather",
            parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
          },
        },
      ],
      tool_choice: "required",
    });
    expect(json.tools).toEqual([
      {
        name: "get_weather",
        description: "Current weather",
        input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      },
    ]);
    expect(json.tool_choice).toEqual({ type: "any" });
    expect(json.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Weather in Paris and Rome?" }] },
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } },
          { type: "tool_use", id: "call_2", name: "get_weather", input: { city: "Rome" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "call_1", content: "18C" },
          { type: "tool_result", tool_use_id: "call_2", content: "24C" },
          { type: "text", text: "Which is warmer?" },
        ],
      },
    ]);
  });

  it("puts tool results ahead of user text that arrived between the tool call and its result", () => {
    const { json } = send({
      messages: [
        { role: "user", content: "Look it up" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup", arguments: "{}" } }],
        },
        { role: "user", content: "(still there?)" },
        { role: "tool", tool_call_id: "call_1", content: "found" },
      ],
    });
    expect(json.messages[2]).toEqual({
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "call_1", content: "found" },
        { type: "text", text: "(still there?)" },
      ],
    });
  });

  it("maps tool ids Anthropic would refuse the same way on the call and on its result", () => {
    const { json } = send({
      messages: [
        { role: "user", content: "Find x" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_0__thought__Ci+Q/w==", type: "function", function: { name: "lookup", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "call_0__thought__Ci+Q/w==", content: "found" },
      ],
    });
    expect(json.messages[1].content[0].id).toBe("call_0__thought__Ci_Q_w__");
    expect(json.messages[2].content[0].tool_use_id).toBe("call_0__thought__Ci_Q_w__");
  });

  it.each([
    ["auto", { type: "auto" }],
    ["none", { type: "none" }],
    ["required", { type: "any" }],
    [
      { type: "function", function: { name: "lookup" } },
      { type: "tool", name: "lookup" },
    ],
  ])("maps tool_choice %j", (choice, expected) => {
    const tools = [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: {} } } }];
    expect(send({ messages: [{ role: "user", content: "x" }], tools, tool_choice: choice }).json.tool_choice).toEqual(expected);
  });

  it("turns parallel_tool_calls: false into disable_parallel_tool_use, and gives a parameterless tool an empty object schema", () => {
    const { json } = send({
      messages: [{ role: "user", content: "x" }],
      tools: [{ type: "function", function: { name: "now" } }],
      parallel_tool_calls: false,
    });
    expect(json.tools).toEqual([{ name: "now", input_schema: { type: "object", properties: {} } }]);
    expect(json.tool_choice).toEqual({ type: "auto", disable_parallel_tool_use: true });
  });

  it("asks for JSON in the system prompt, since Anthropic has no JSON mode", () => {
    const obj = send({
      messages: [
        { role: "system", content: "You extract data." },
        { role: "user", content: "x" },
      ],
      response_format: { type: "json_object" },
    }).json;
    expect(obj.system).toMatch(/^You extract data\.\n\nRespond only with a single valid JSON object/);
    const schema = { type: "object", properties: { name: { type: "string" } }, required: ["name"] };
    const sch = send({
      messages: [{ role: "user", content: "x" }],
      response_format: { type: "json_schema", json_schema: { name: "person", schema } },
    }).json;
    expect(sch.system).toContain(JSON.stringify(schema));
    expect(send({ messages: [{ role: "user", content: "x" }], response_format: { type: "text" } }).json).not.toHaveProperty("system");
  });

  it("maps max tokens (max_completion_tokens first), sampling, stop sequences, user and stream", () => {
    const { json, req } = send(
      {
        messages: [{ role: "user", content: "x" }],
        max_tokens: 100,
        max_completion_tokens: 200,
        temperature: 1.4,
        top_p: 0.9,
        stop: "END",
        user: "u-42",
      },
      true,
    );
    expect(json).toMatchObject({
      max_tokens: 200,
      temperature: 1,
      top_p: 0.9,
      stop_sequences: ["END"],
      metadata: { user_id: "u-42" },
      stream: true,
    });
    expect(req.headers.accept).toBe("text/event-stream");
    expect(send({ messages: [{ role: "user", content: "x" }], max_tokens: 50, stop: ["a", "b"] }).json).toMatchObject({
      max_tokens: 50,
      stop_sequences: ["a", "b"],
    });
    expect(send({ messages: [{ role: "user", content: "x" }] }).json).not.toHaveProperty("stream");
  });

  it("refuses n > 1 and a conversation with no user or assistant turn", () => {
    expect(() => send({ messages: [{ role: "user", content: "x" }], n: 2 })).toThrow(/n must be 1/);
    expect(() => send({ messages: [{ role: "system", content: "x" }] })).toThrow(/At least one/);
  });
});

describe("anthropic chatResponse", () => {
  it("joins text blocks and reports usage with cache reads and writes", () => {
    const out = anthropicAdapter.chatResponse(
      {
        id: "msg_01",
        type: "message",
        role: "assistant",
        model: "claude-sonnet-4-5",
        content: [
          { type: "text", text: "Hello, " },
          { type: "text", text: "world." },
        ],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens: 12, cache_creation_input_tokens: 100, cache_read_input_tokens: 2000, output_tokens: 7 },
      },
      ctx,
    );
    expect(out).toEqual({
      id: "chatcmpl-abc",
      object: "chat.completion",
      created: 1_700_000_000,
      model: "smart",
      choices: [
        { index: 0, message: { role: "assistant", content: "Hello, world.", refusal: null }, finish_reason: "stop", logprobs: null },
      ],
      usage: {
        prompt_tokens: 2112,
        completion_tokens: 7,
        total_tokens: 2119,
        prompt_tokens_details: { cached_tokens: 2000 },
        cache_creation_input_tokens: 100,
      },
    });
    expect(tokenUsageFromOpenAI(out.usage)).toEqual({ inputTokens: 2112, outputTokens: 7, cachedTokens: 2000, cacheWriteTokens: 100 });
  });

  it("turns tool_use blocks into tool_calls with JSON-string arguments", () => {
    const out = anthropicAdapter.chatResponse(
      {
        content: [
          { type: "text", text: "Let me check." },
          { type: "tool_use", id: "toolu_01", name: "get_weather", input: { city: "Paris", unit: "c" } },
        ],
        stop_reason: "tool_use",
        usage: { input_tokens: 30, output_tokens: 20 },
      },
      ctx,
    ) as any;
    expect(out.choices[0].finish_reason).toBe("tool_calls");
    expect(out.choices[0].message).toEqual({
      role: "assistant",
      content: "Let me check.",
      refusal: null,
      tool_calls: [{ id: "toolu_01", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris","unit":"c"}' } }],
    });
    expect(out.usage).toEqual({ prompt_tokens: 30, completion_tokens: 20, total_tokens: 50, prompt_tokens_details: { cached_tokens: 0 } });
  });

  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["max_tokens", "length"],
    ["tool_use", "tool_calls"],
    ["refusal", "content_filter"],
  ])("maps stop_reason %s to %s", (reason, finish) => {
    const out = anthropicAdapter.chatResponse({ content: [{ type: "text", text: "x" }], stop_reason: reason, usage: {} }, ctx) as any;
    expect(out.choices[0].finish_reason).toBe(finish);
  });
});

/** Anthropic's SSE events, as the API sends them. */
function feed(events: Array<[string, unknown]>) {
  const conv = anthropicAdapter.streamConverter(ctx);
  const chunks = events.flatMap(([event, data]) => conv.push({ event, data: JSON.stringify(data) })) as any[];
  return { conv, chunks };
}

const messageStart = {
  type: "message_start",
  message: {
    id: "msg_01XFDUDYJgAACzvnptvVoYEL",
    type: "message",
    role: "assistant",
    content: [],
    model: "claude-sonnet-4-5",
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 25, cache_creation_input_tokens: 0, cache_read_input_tokens: 1000, output_tokens: 1 },
  },
};

describe("anthropic streamConverter", () => {
  it("turns a text stream into OpenAI chunks: role first, deltas, finish reason, then usage", () => {
    const { conv, chunks } = feed([
      ["message_start", messageStart],
      ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }],
      ["ping", { type: "ping" }],
      ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hel" } }],
      ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "lo!" } }],
      ["content_block_stop", { type: "content_block_stop", index: 0 }],
      ["message_delta", { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 15 } }],
      ["message_stop", { type: "message_stop" }],
    ]);
    expect(chunks.map((c) => c.choices[0]?.delta ?? null)).toEqual([
      { role: "assistant", content: "" },
      { content: "Hel" },
      { content: "lo!" },
      {},
      null,
    ]);
    expect(chunks[3].choices[0].finish_reason).toBe("stop");
    for (const c of chunks)
      expect(c).toMatchObject({ id: "chatcmpl-abc", object: "chat.completion.chunk", created: 1_700_000_000, model: "smart" });
    expect(chunks[4]).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 1025, completion_tokens: 15, total_tokens: 1040, prompt_tokens_details: { cached_tokens: 1000 } },
    });
    expect(conv.done()).toBe(true);
    expect(conv.error()).toBeNull();
    expect(conv.usage()).toEqual({ inputTokens: 1025, outputTokens: 15, cachedTokens: 1000 });
  });

  it("streams tool_use blocks as tool_calls chunks with id, name and argument deltas", () => {
    const { conv, chunks } = feed([
      ["message_start", messageStart],
      ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }],
      ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Checking." } }],
      ["content_block_stop", { type: "content_block_stop", index: 0 }],
      [
        "content_block_start",
        { type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "toolu_01", name: "get_weather", input: {} } },
      ],
      ["content_block_delta", { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: "" } }],
      ["content_block_delta", { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '{"city": "Pa' } }],
      ["content_block_delta", { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: 'ris"}' } }],
      ["content_block_stop", { type: "content_block_stop", index: 1 }],
      [
        "content_block_start",
        { type: "content_block_start", index: 2, content_block: { type: "tool_use", id: "toolu_02", name: "get_time", input: {} } },
      ],
      ["content_block_delta", { type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: "{}" } }],
      ["content_block_stop", { type: "content_block_stop", index: 2 }],
      ["message_delta", { type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 89 } }],
      ["message_stop", { type: "message_stop" }],
    ]);
    const deltas = chunks.filter((c) => c.choices.length).map((c) => c.choices[0].delta);
    expect(deltas).toEqual([
      { role: "assistant", content: "" },
      { content: "Checking." },
      { tool_calls: [{ index: 0, id: "toolu_01", type: "function", function: { name: "get_weather", arguments: "" } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"city": "Pa' } }] },
      { tool_calls: [{ index: 0, function: { arguments: 'ris"}' } }] },
      { tool_calls: [{ index: 1, id: "toolu_02", type: "function", function: { name: "get_time", arguments: "" } }] },
      { tool_calls: [{ index: 1, function: { arguments: "{}" } }] },
      {},
    ]);
    expect(chunks.at(-2).choices[0].finish_reason).toBe("tool_calls");
    expect(conv.usage()?.outputTokens).toBe(89);
  });

  it("reports max_tokens as length and takes cache writes from message_start", () => {
    const start = structuredClone(messageStart);
    start.message.usage = { input_tokens: 5, cache_creation_input_tokens: 300, cache_read_input_tokens: 0, output_tokens: 1 };
    const { conv, chunks } = feed([
      ["message_start", start],
      ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }],
      ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Once upon" } }],
      ["message_delta", { type: "message_delta", delta: { stop_reason: "max_tokens", stop_sequence: null }, usage: { output_tokens: 4 } }],
      ["message_stop", { type: "message_stop" }],
    ]);
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0].finish_reason).toBe("length");
    expect(conv.usage()).toEqual({ inputTokens: 305, outputTokens: 4, cachedTokens: 0, cacheWriteTokens: 300 });
    expect(chunks.at(-1).usage.cache_creation_input_tokens).toBe(300);
  });

  it("records an in-band error event and stops emitting", () => {
    const { conv, chunks } = feed([
      ["message_start", messageStart],
      ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }],
      ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Partial" } }],
      ["error", { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }],
      ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "ignored" } }],
    ]);
    expect(chunks.map((c) => c.choices[0].delta)).toEqual([{ role: "assistant", content: "" }, { content: "Partial" }]);
    expect(conv.error()).toEqual({ message: "Overloaded", code: "overloaded_error" });
    expect(conv.done()).toBe(false);
  });

  it("treats an unparseable event as an upstream error", () => {
    const conv = anthropicAdapter.streamConverter(ctx);
    expect(conv.push({ event: "message_start", data: "{not json" })).toEqual([]);
    expect(conv.error()?.code).toBe("bad_upstream_event");
  });

  it("ignores thinking deltas", () => {
    const { chunks } = feed([
      ["message_start", messageStart],
      ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "" } }],
      ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "Let me think" } }],
      ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "EqQB" } }],
    ]);
    expect(chunks).toHaveLength(1);
  });
});
