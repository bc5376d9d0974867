import { describe, expect, it } from "vitest";
import {
  anthropicErrorBody,
  anthropicErrorEvent,
  anthropicErrorType,
  formatMessagesEvent,
  messagesRequestToOpenAI,
  openAIChunksToMessagesEvents,
  openAIResponseToMessages,
} from "./anthropic-inbound";

describe("messagesRequestToOpenAI", () => {
  it("maps system, sampling, stop sequences, stream and metadata.user_id, and drops top_k", () => {
    const out = messagesRequestToOpenAI({
      model: "smart",
      max_tokens: 1024,
      system: "You are terse.",
      messages: [{ role: "user", content: "Hello" }],
      temperature: 0.3,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ["END"],
      stream: true,
      metadata: { user_id: "user-7" },
    });
    expect(out).toEqual({
      model: "smart",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "Hello" },
      ],
      max_tokens: 1024,
      temperature: 0.3,
      top_p: 0.9,
      stop: ["END"],
      stream: true,
      stream_options: { include_usage: true },
      user: "user-7",
    });
  });

  it("accepts the system prompt as text blocks", () => {
    const out = messagesRequestToOpenAI({
      model: "m",
      max_tokens: 10,
      system: [
        { type: "text", text: "Part one.", cache_control: { type: "ephemeral" } },
        { type: "text", text: "Part two." },
      ],
      messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
    });
    expect(out.messages).toEqual([
      { role: "system", content: "Part one.\nPart two." },
      { role: "user", content: [{ type: "text", text: "Hi" }] },
    ]);
  });

  it("turns base64 and url image blocks into image_url parts", () => {
    const out = messagesRequestToOpenAI({
      model: "m",
      max_tokens: 10,
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "/9j/4AAQ" } },
            { type: "image", source: { type: "url", url: "https://example.com/a.png" } },
            { type: "text", text: "Describe both" },
          ],
        },
      ],
    });
    expect(out.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/4AAQ" } },
          { type: "image_url", image_url: { url: "https://example.com/a.png" } },
          { type: "text", text: "Describe both" },
        ],
      },
    ]);
  });

  it("turns tool_use into assistant tool_calls and tool_result into tool messages placed before further user text", () => {
    const out = messagesRequestToOpenAI({
      model: "m",
      max_tokens: 100,
      messages: [
        { role: "user", content: "Weather in Paris?" },
        {
          role: "assistant",
          content: [
            { type: "text", text: "Checking." },
            { type: "tool_use", id: "toolu_01", name: "get_weather", input: { city: "Paris" } },
          ],
        },
        {
          role: "user",
          content: [
            { type: "text", text: "Be quick." },
            { type: "tool_result", tool_use_id: "toolu_01", content: [{ type: "text", text: "18C" }] },
          ],
        },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_02", content: "boom", is_error: true }] },
      ],
      tools: [{ name: "get_weather", description: "Weather", input_schema: { type: "object", properties: { city: { type: "string" } } } }],
      tool_choice: { type: "any", disable_parallel_tool_use: true },
    });
    expect(out.messages).toEqual([
      { role: "user", content: "Weather in Paris?" },
      {
        role: "assistant",
        content: "Checking.",
        tool_calls: [{ id: "toolu_01", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
      },
      { role: "tool", tool_call_id: "toolu_01", content: "18C" },
      { role: "user", content: [{ type: "text", text: "Be quick." }] },
      { role: "tool", tool_call_id: "toolu_02", content: "Error: boom" },
    ]);
    expect(out.tools).toEqual([
      {
        type: "function",
        function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
      },
    ]);
    expect(out.tool_choice).toBe("required");
    expect(out.parallel_tool_calls).toBe(false);
  });

  it.each([
    [{ type: "auto" }, "auto"],
    [{ type: "none" }, "none"],
    [
      { type: "tool", name: "lookup" },
      { type: "function", function: { name: "lookup" } },
    ],
  ])("maps tool_choice %j", (choice, expected) => {
    expect(
      messagesRequestToOpenAI({ model: "m", max_tokens: 1, messages: [{ role: "user", content: "x" }], tool_choice: choice }).tool_choice,
    ).toEqual(expected);
  });

  it("refuses server tools and unknown content blocks with the field named", () => {
    expect(() =>
      messagesRequestToOpenAI({
        model: "m",
        max_tokens: 1,
        messages: [{ role: "user", content: "x" }],
        tools: [{ type: "web_search_20250305", name: "web_search" }],
      }),
    ).toThrow(/Only client tools/);
    try {
      messagesRequestToOpenAI({ model: "m", max_tokens: 1, messages: [{ role: "user", content: [{ type: "document", source: {} }] }] });
      expect.unreachable();
    } catch (e: any) {
      expect(e.fields[0].path).toBe("messages[0].content[0].type");
    }
  });
});

const completion = {
  id: "chatcmpl-xyz",
  object: "chat.completion",
  created: 1,
  model: "smart",
  choices: [
    {
      index: 0,
      message: {
        role: "assistant",
        content: "Let me look.",
        tool_calls: [{ id: "call_9", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }],
      },
      finish_reason: "tool_calls",
    },
  ],
  usage: { prompt_tokens: 1200, completion_tokens: 30, total_tokens: 1230, prompt_tokens_details: { cached_tokens: 1000 } },
};

describe("openAIResponseToMessages", () => {
  it("builds an Anthropic message with text and tool_use blocks, stop reason and usage without cache reads in input", () => {
    expect(openAIResponseToMessages(completion, "smart")).toEqual({
      id: "msg_xyz",
      type: "message",
      role: "assistant",
      model: "smart",
      content: [
        { type: "text", text: "Let me look." },
        { type: "tool_use", id: "call_9", name: "get_weather", input: { city: "Oslo" } },
      ],
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: { input_tokens: 200, output_tokens: 30, cache_read_input_tokens: 1000, cache_creation_input_tokens: 0 },
    });
  });

  it.each([
    ["stop", "end_turn"],
    ["length", "max_tokens"],
    ["tool_calls", "tool_use"],
    ["content_filter", "refusal"],
  ])("maps finish_reason %s to %s", (finish, stop) => {
    const json = { id: "chatcmpl-1", choices: [{ index: 0, message: { role: "assistant", content: "x" }, finish_reason: finish }] };
    expect(openAIResponseToMessages(json, "m").stop_reason).toBe(stop);
  });

  it("keeps a refusal as text", () => {
    const json = {
      id: "chatcmpl-r",
      choices: [{ index: 0, message: { role: "assistant", content: null, refusal: "I can't help with that." }, finish_reason: "stop" }],
    };
    expect(openAIResponseToMessages(json, "m").content).toEqual([{ type: "text", text: "I can't help with that." }]);
  });

  it("gives back Anthropic cache writes carried by the Anthropic adapter", () => {
    const json = {
      ...completion,
      usage: { prompt_tokens: 500, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 0 }, cache_creation_input_tokens: 450 },
    };
    expect(openAIResponseToMessages(json, "m").usage).toEqual({
      input_tokens: 50,
      output_tokens: 5,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 450,
    });
  });
});

function chunk(delta: Record<string, unknown>, finish: string | null = null) {
  return {
    id: "chatcmpl-s1",
    object: "chat.completion.chunk",
    created: 1,
    model: "smart",
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
}
const usageChunk = {
  id: "chatcmpl-s1",
  object: "chat.completion.chunk",
  created: 1,
  model: "smart",
  choices: [],
  usage: { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 },
};

const streamedChunks = [
  chunk({ role: "assistant", content: "" }),
  chunk({ content: "Hello" }),
  chunk({ content: " there." }),
  chunk({ tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "get_weather", arguments: "" } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] }),
  chunk({ tool_calls: [{ index: 1, id: "call_2", type: "function", function: { name: "get_time", arguments: "{}" } }] }),
  chunk({}, "tool_calls"),
  usageChunk,
];

describe("openAIChunksToMessagesEvents", () => {
  it("produces Anthropic's event order for text followed by tool calls", () => {
    const conv = openAIChunksToMessagesEvents("smart");
    const events = [...streamedChunks.flatMap((c) => conv.push(c)), ...conv.end()];
    expect(events.map((e) => e.event)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(events[0].data).toMatchObject({
      type: "message_start",
      message: { id: "msg_s1", type: "message", role: "assistant", model: "smart", content: [] },
    });
    expect(events[1].data).toEqual({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
    expect(events[2].data).toEqual({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hello" } });
    expect(events[5].data).toEqual({
      type: "content_block_start",
      index: 1,
      content_block: { type: "tool_use", id: "call_1", name: "get_weather", input: {} },
    });
    expect(events[6].data).toEqual({
      type: "content_block_delta",
      index: 1,
      delta: { type: "input_json_delta", partial_json: '{"city":' },
    });
    expect(events[9].data).toMatchObject({ index: 2, content_block: { type: "tool_use", id: "call_2", name: "get_time" } });
    expect(events[12].data).toEqual({
      type: "message_delta",
      delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: { input_tokens: 40, output_tokens: 12, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    });
    expect(events.every((e) => e.event === e.data.type)).toBe(true);
    expect(conv.end()).toEqual([]);
  });

  it("opens with the estimated input tokens when the gateway has them", () => {
    const conv = openAIChunksToMessagesEvents("m", { inputTokens: 321 });
    expect(conv.push(streamedChunks[0])[0].data).toMatchObject({ message: { usage: { input_tokens: 321, output_tokens: 0 } } });
  });

  it("closes a stream that ended without chunks with a complete, empty message", () => {
    const conv = openAIChunksToMessagesEvents("m");
    expect(conv.end().map((e) => e.event)).toEqual(["message_start", "message_delta", "message_stop"]);
  });

  it("writes events in SSE framing", () => {
    expect(formatMessagesEvent({ event: "message_stop", data: { type: "message_stop" } })).toBe(
      'event: message_stop\ndata: {"type":"message_stop"}\n\n',
    );
  });
});

describe("Anthropic error bodies", () => {
  it.each([
    [400, "invalid_request_error"],
    [401, "authentication_error"],
    [403, "permission_error"],
    [404, "not_found_error"],
    [413, "request_too_large"],
    [429, "rate_limit_error"],
    [500, "api_error"],
    [502, "api_error"],
    [529, "overloaded_error"],
  ])("status %i is %s", (status, type) => {
    expect(anthropicErrorType(status)).toBe(type);
  });

  it("shapes the body and the in-band event", () => {
    expect(anthropicErrorBody(429, "Slow down")).toEqual({ type: "error", error: { type: "rate_limit_error", message: "Slow down" } });
    expect(anthropicErrorEvent(502, "Upstream dropped")).toEqual({
      event: "error",
      data: { type: "error", error: { type: "api_error", message: "Upstream dropped" } },
    });
  });
});
