import { describe, expect, it } from "vitest";
import type { UpstreamTarget } from "../types";
import { geminiAdapter, geminiSchema } from "./gemini";

const target: UpstreamTarget = {
  vendor: "google",
  baseUrl: "https://generativelanguage.googleapis.com/v1beta",
  upstreamModel: "gemini-2.5-flash",
  apiKey: "AIza-test",
  internal: false,
};
const ctx = { requestModel: "fast", id: "chatcmpl-g1", created: 1_700_000_000 };

function send(body: Record<string, unknown>, stream = false) {
  const req = geminiAdapter.chatRequest(target, body, { stream });
  return { req, json: JSON.parse(req.body!) as Record<string, any> };
}

describe("gemini chatRequest", () => {
  it("posts to generateContent, or streamGenerateContent with alt=sse, with the key header", () => {
    const { req, json } = send({ messages: [{ role: "user", content: "Hi" }] });
    expect(req.url).toBe("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");
    expect(req.headers).toEqual({ "content-type": "application/json", "x-goog-api-key": "AIza-test" });
    expect(json).toEqual({ contents: [{ role: "user", parts: [{ text: "Hi" }] }] });
    expect(send({ messages: [{ role: "user", content: "Hi" }] }, true).req.url).toBe(
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
    );
    const prefixed = geminiAdapter.chatRequest(
      { ...target, upstreamModel: "models/gemini-2.0-flash" },
      { messages: [{ role: "user", content: "x" }] },
      { stream: false },
    );
    expect(prefixed.url).toBe("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent");
  });

  it("maps system to systemInstruction, assistant to model, and merges consecutive turns", () => {
    const { json } = send({
      messages: [
        { role: "system", content: "Be terse." },
        { role: "user", content: "One" },
        { role: "user", content: [{ type: "text", text: "Two" }] },
        { role: "assistant", content: "Answer" },
      ],
    });
    expect(json.systemInstruction).toEqual({ parts: [{ text: "Be terse." }] });
    expect(json.contents).toEqual([
      { role: "user", parts: [{ text: "One" }, { text: "Two" }] },
      { role: "model", parts: [{ text: "Answer" }] },
    ]);
  });

  it("sends data: images inline and http(s) images as fileData", () => {
    const { json } = send({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", image_url: { url: "data:image/webp;base64,UklGRg==" } },
            { type: "image_url", image_url: { url: "https://example.com/photos/cat.png?size=large" } },
          ],
        },
      ],
    });
    expect(json.contents[0].parts).toEqual([
      { text: "What is this?" },
      { inlineData: { mimeType: "image/webp", data: "UklGRg==" } },
      { fileData: { mimeType: "image/png", fileUri: "https://example.com/photos/cat.png?size=large" } },
    ]);
  });

  it("turns tool calls into functionCall parts and tool messages into functionResponse parts named after the call", () => {
    const { json } = send({
      messages: [
        { role: "user", content: "Weather in Paris and Rome?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_a", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            { id: "call_b", type: "function", function: { name: "get_time", arguments: '{"tz":"Europe/Rome"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_b", content: "14:05" },
        { role: "tool", tool_call_id: "call_a", content: "18C" },
      ],
    });
    expect(json.contents).toEqual([
      { role: "user", parts: [{ text: "Weather in Paris and Rome?" }] },
      {
        role: "model",
        parts: [
          { functionCall: { name: "get_weather", args: { city: "Paris" } } },
          { functionCall: { name: "get_time", args: { tz: "Europe/Rome" } } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "get_time", response: { content: "14:05" } } },
          { functionResponse: { name: "get_weather", response: { content: "18C" } } },
        ],
      },
    ]);
  });

  it("carries Gemini 3's thoughtSignature through the tool call id and back", () => {
    const answer = geminiAdapter.chatResponse(
      {
        candidates: [
          {
            content: { role: "model", parts: [{ functionCall: { name: "lookup", args: { q: "x" } }, thoughtSignature: "CiQBVKhc7w==" }] },
            finishReason: "STOP",
          },
        ],
      },
      ctx,
    ) as any;
    const call = answer.choices[0].message.tool_calls[0];
    expect(call.id).toBe("call_0__thought__CiQBVKhc7w==");
    const { json } = send({
      messages: [
        { role: "user", content: "Find x" },
        { role: "assistant", content: null, tool_calls: [call] },
        { role: "tool", tool_call_id: call.id, content: "found" },
      ],
    });
    expect(json.contents[1].parts).toEqual([{ functionCall: { name: "lookup", args: { q: "x" } }, thoughtSignature: "CiQBVKhc7w==" }]);
    expect(json.contents[2].parts).toEqual([{ functionResponse: { name: "lookup", response: { content: "found" } } }]);
  });

  it("refuses a tool message that answers no earlier tool call", () => {
    expect(() =>
      send({
        messages: [
          { role: "user", content: "x" },
          { role: "tool", tool_call_id: "call_zz", content: "1" },
        ],
      }),
    ).toThrow(/answers no tool call/);
  });

  it("declares tools with a schema Gemini accepts", () => {
    const { json } = send({
      messages: [{ role: "user", content: "x" }],
      tools: [
        {
          type: "function",
          function: {
            name: "search",
            description: "Search the docs",
            strict: true,
            parameters: {
              $schema: "http://json-schema.org/draft-07/schema#",
              type: "object",
              additionalProperties: false,
              properties: {
                query: { type: "string" },
                limit: { type: ["integer", "null"] },
                filter: { $ref: "#/$defs/Filter" },
              },
              required: ["query"],
              $defs: { Filter: { type: "object", additionalProperties: false, properties: { tag: { type: "string", enum: ["a", "b"] } } } },
            },
          },
        },
        { type: "function", function: { name: "now", parameters: { type: "object", properties: {} } } },
      ],
      tool_choice: "auto",
    });
    expect(json.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: "search",
            description: "Search the docs",
            parameters: {
              type: "object",
              properties: {
                query: { type: "string" },
                limit: { type: "integer", nullable: true },
                filter: { type: "object", properties: { tag: { type: "string", enum: ["a", "b"] } } },
              },
              required: ["query"],
            },
          },
          { name: "now" },
        ],
      },
    ]);
    expect(json.toolConfig).toEqual({ functionCallingConfig: { mode: "AUTO" } });
  });

  it("keeps a property that happens to be named like a dropped keyword", () => {
    expect(geminiSchema({ type: "object", properties: { additionalProperties: { type: "string" } } })).toEqual({
      type: "object",
      properties: { additionalProperties: { type: "string" } },
    });
  });

  it.each([
    ["none", { mode: "NONE" }],
    ["required", { mode: "ANY" }],
    [
      { type: "function", function: { name: "search" } },
      { mode: "ANY", allowedFunctionNames: ["search"] },
    ],
  ])("maps tool_choice %j", (choice, expected) => {
    const tools = [{ type: "function", function: { name: "search" } }];
    expect(send({ messages: [{ role: "user", content: "x" }], tools, tool_choice: choice }).json.toolConfig).toEqual({
      functionCallingConfig: expected,
    });
  });

  it("fills generationConfig from sampling, limits, stop sequences and n", () => {
    const { json } = send({
      messages: [{ role: "user", content: "x" }],
      temperature: 0.2,
      top_p: 0.8,
      max_tokens: 256,
      stop: ["###"],
      n: 2,
      seed: 7,
    });
    expect(json.generationConfig).toEqual({
      temperature: 0.2,
      topP: 0.8,
      maxOutputTokens: 256,
      stopSequences: ["###"],
      candidateCount: 2,
      seed: 7,
    });
    expect(send({ messages: [{ role: "user", content: "x" }], max_completion_tokens: 99, stop: "END" }).json.generationConfig).toEqual({
      maxOutputTokens: 99,
      stopSequences: ["END"],
    });
  });

  it("maps JSON mode to responseMimeType and structured outputs to responseSchema", () => {
    expect(send({ messages: [{ role: "user", content: "x" }], response_format: { type: "json_object" } }).json.generationConfig).toEqual({
      responseMimeType: "application/json",
    });
    const schema = { type: "object", additionalProperties: false, properties: { name: { type: "string" } }, required: ["name"] };
    expect(
      send({
        messages: [{ role: "user", content: "x" }],
        response_format: { type: "json_schema", json_schema: { name: "p", strict: true, schema } },
      }).json.generationConfig,
    ).toEqual({
      responseMimeType: "application/json",
      responseSchema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
    });
  });
});

describe("gemini chatResponse", () => {
  const usageMetadata = {
    promptTokenCount: 120,
    candidatesTokenCount: 30,
    thoughtsTokenCount: 50,
    cachedContentTokenCount: 100,
    totalTokenCount: 200,
  };

  it("joins text parts, skips thought summaries and counts thinking tokens as output", () => {
    const out = geminiAdapter.chatResponse(
      {
        candidates: [
          {
            content: { role: "model", parts: [{ text: "I considered...", thought: true }, { text: "The answer " }, { text: "is 42." }] },
            finishReason: "STOP",
            index: 0,
          },
        ],
        usageMetadata,
        modelVersion: "gemini-2.5-flash",
      },
      ctx,
    );
    expect(out).toEqual({
      id: "chatcmpl-g1",
      object: "chat.completion",
      created: 1_700_000_000,
      model: "fast",
      choices: [
        { index: 0, message: { role: "assistant", content: "The answer is 42.", refusal: null }, finish_reason: "stop", logprobs: null },
      ],
      usage: {
        prompt_tokens: 120,
        completion_tokens: 80,
        total_tokens: 200,
        prompt_tokens_details: { cached_tokens: 100 },
        completion_tokens_details: { reasoning_tokens: 50 },
      },
    });
  });

  it("turns functionCall parts into tool_calls with generated ids and finish_reason tool_calls", () => {
    const out = geminiAdapter.chatResponse(
      {
        candidates: [
          {
            content: {
              role: "model",
              parts: [
                { functionCall: { name: "get_weather", args: { city: "Paris" } } },
                { functionCall: { name: "get_weather", args: { city: "Rome" } } },
              ],
            },
            finishReason: "STOP",
          },
        ],
        usageMetadata: { promptTokenCount: 40, candidatesTokenCount: 12 },
      },
      ctx,
    ) as any;
    expect(out.choices[0].finish_reason).toBe("tool_calls");
    expect(out.choices[0].message).toEqual({
      role: "assistant",
      content: null,
      refusal: null,
      tool_calls: [
        { id: "call_0", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
      ],
    });
    expect(out.usage).toEqual({ prompt_tokens: 40, completion_tokens: 12, total_tokens: 52, prompt_tokens_details: { cached_tokens: 0 } });
  });

  it.each([
    ["MAX_TOKENS", "length"],
    ["SAFETY", "content_filter"],
    ["RECITATION", "content_filter"],
    ["BLOCKLIST", "content_filter"],
    ["PROHIBITED_CONTENT", "content_filter"],
    ["OTHER", "stop"],
  ])("maps finishReason %s to %s", (reason, finish) => {
    const out = geminiAdapter.chatResponse({ candidates: [{ content: { parts: [{ text: "x" }] }, finishReason: reason }] }, ctx) as any;
    expect(out.choices[0].finish_reason).toBe(finish);
  });

  it("answers a blocked prompt (no candidates) with content_filter", () => {
    const out = geminiAdapter.chatResponse(
      { promptFeedback: { blockReason: "SAFETY" }, usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 } },
      ctx,
    ) as any;
    expect(out.choices).toEqual([
      { index: 0, message: { role: "assistant", content: "", refusal: null }, finish_reason: "content_filter", logprobs: null },
    ]);
    expect(out.usage.prompt_tokens).toBe(9);
  });

  it("returns one choice per candidate when n > 1", () => {
    const out = geminiAdapter.chatResponse(
      {
        candidates: [
          { content: { parts: [{ text: "A" }] }, finishReason: "STOP", index: 0 },
          { content: { parts: [{ text: "B" }] }, finishReason: "MAX_TOKENS", index: 1 },
        ],
      },
      ctx,
    ) as any;
    expect(out.choices.map((c: any) => [c.index, c.message.content, c.finish_reason])).toEqual([
      [0, "A", "stop"],
      [1, "B", "length"],
    ]);
  });
});

function feed(datas: unknown[]) {
  const conv = geminiAdapter.streamConverter(ctx);
  const chunks = datas.flatMap((d) => conv.push({ data: typeof d === "string" ? d : JSON.stringify(d) })) as any[];
  return { conv, chunks };
}

describe("gemini streamConverter", () => {
  it("turns a streamed answer into role, text deltas, the finish chunk and a usage chunk", () => {
    const { conv, chunks } = feed([
      {
        candidates: [{ content: { parts: [{ text: "The quick" }], role: "model" }, index: 0 }],
        usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 },
        modelVersion: "gemini-2.5-flash",
      },
      {
        candidates: [{ content: { parts: [{ text: " brown fox" }], role: "model" }, index: 0 }],
        usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 },
      },
      {
        candidates: [{ content: { parts: [{ text: "." }], role: "model" }, finishReason: "STOP", index: 0 }],
        usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 5, thoughtsTokenCount: 3, totalTokenCount: 16 },
      },
    ]);
    expect(chunks.map((c) => (c.choices[0] ? [c.choices[0].delta, c.choices[0].finish_reason] : "usage"))).toEqual([
      [{ role: "assistant", content: "" }, null],
      [{ content: "The quick" }, null],
      [{ content: " brown fox" }, null],
      [{ content: "." }, null],
      [{}, "stop"],
      "usage",
    ]);
    expect(chunks.at(-1)).toMatchObject({
      object: "chat.completion.chunk",
      model: "fast",
      choices: [],
      usage: { prompt_tokens: 8, completion_tokens: 8, total_tokens: 16 },
    });
    expect(conv.done()).toBe(true);
    expect(conv.usage()).toEqual({ inputTokens: 8, outputTokens: 8, cachedTokens: 0 });
  });

  it("streams function calls as complete tool_calls chunks and finishes with tool_calls", () => {
    const { chunks } = feed([
      {
        candidates: [
          {
            content: {
              parts: [{ functionCall: { name: "get_weather", args: { city: "Paris" } } }, { functionCall: { name: "get_time", args: {} } }],
              role: "model",
            },
            finishReason: "STOP",
            index: 0,
          },
        ],
        usageMetadata: { promptTokenCount: 30, candidatesTokenCount: 10, totalTokenCount: 40 },
      },
    ]);
    const deltas = chunks.filter((c) => c.choices.length).map((c) => c.choices[0].delta);
    expect(deltas).toEqual([
      { role: "assistant", content: "" },
      { tool_calls: [{ index: 0, id: "call_0", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] },
      { tool_calls: [{ index: 1, id: "call_1", type: "function", function: { name: "get_time", arguments: "{}" } }] },
      {},
    ]);
    expect(chunks.at(-2).choices[0].finish_reason).toBe("tool_calls");
  });

  it("ends a stream cut by the safety filter with content_filter", () => {
    const { conv, chunks } = feed([
      { candidates: [{ content: { parts: [{ text: "Here is how" }], role: "model" }, index: 0 }] },
      {
        candidates: [
          {
            finishReason: "SAFETY",
            index: 0,
            safetyRatings: [{ category: "HARM_CATEGORY_DANGEROUS_CONTENT", probability: "HIGH", blocked: true }],
          },
        ],
        usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 3, totalTokenCount: 15 },
      },
    ]);
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0].finish_reason).toBe("content_filter");
    expect(conv.done()).toBe(true);
  });

  it("records an error object inside the stream", () => {
    const { conv, chunks } = feed([
      { candidates: [{ content: { parts: [{ text: "Hi" }], role: "model" }, index: 0 }] },
      { error: { code: 503, message: "The model is overloaded. Please try again later.", status: "UNAVAILABLE" } },
      { candidates: [{ content: { parts: [{ text: "late" }], role: "model" }, index: 0 }] },
    ]);
    expect(chunks.map((c) => c.choices[0].delta)).toEqual([{ role: "assistant", content: "" }, { content: "Hi" }]);
    expect(conv.error()).toEqual({ message: "The model is overloaded. Please try again later.", code: "UNAVAILABLE" });
    expect(conv.done()).toBe(false);
  });

  it("keeps candidates apart when n > 1 and finishes after the last one", () => {
    const { conv, chunks } = feed([
      {
        candidates: [
          { content: { parts: [{ text: "A" }] }, index: 0 },
          { content: { parts: [{ text: "B" }] }, index: 1 },
        ],
      },
      {
        candidates: [
          { content: { parts: [] }, finishReason: "STOP", index: 0 },
          { content: { parts: [{ text: "b" }] }, index: 1 },
        ],
      },
    ]);
    expect(conv.done()).toBe(false);
    conv.push({ data: JSON.stringify({ candidates: [{ content: { parts: [{ text: "." }] }, index: 1 }] }) });
    expect(conv.done()).toBe(false);
    conv.push({
      data: JSON.stringify({
        candidates: [{ finishReason: "STOP", index: 1 }],
        usageMetadata: { promptTokenCount: 2, candidatesTokenCount: 4 },
      }),
    });
    expect(conv.done()).toBe(true);
    expect(chunks.filter((c) => c.choices[0]?.delta.content).map((c) => [c.choices[0].index, c.choices[0].delta.content])).toEqual([
      [0, "A"],
      [1, "B"],
      [1, "b"],
    ]);
  });

  it("does not finish when one candidate ends in a chunk of its own while another still runs", () => {
    const { conv } = feed([
      {
        candidates: [
          { content: { parts: [{ text: "A" }] }, index: 0 },
          { content: { parts: [{ text: "B" }] }, index: 1 },
        ],
      },
      { candidates: [{ finishReason: "STOP", index: 0 }] },
    ]);
    expect(conv.done()).toBe(false);
  });

  it("finishes with content_filter when the prompt itself is blocked", () => {
    const { conv, chunks } = feed([
      { promptFeedback: { blockReason: "PROHIBITED_CONTENT" }, usageMetadata: { promptTokenCount: 7, totalTokenCount: 7 } },
    ]);
    expect(chunks.map((c) => (c.choices.length ? c.choices[0].finish_reason : "usage"))).toEqual([null, "content_filter", "usage"]);
    expect(conv.done()).toBe(true);
  });
});

describe("gemini embeddings", () => {
  it("batches string and string[] inputs into batchEmbedContents", () => {
    const req = geminiAdapter.embeddingsRequest!(
      { ...target, upstreamModel: "text-embedding-004" },
      { model: "embed", input: ["alpha", "beta"], dimensions: 256 },
    );
    expect(req.url).toBe("https://generativelanguage.googleapis.com/v1beta/models/text-embedding-004:batchEmbedContents");
    expect(req.headers["x-goog-api-key"]).toBe("AIza-test");
    expect(JSON.parse(req.body!)).toEqual({
      requests: [
        { model: "models/text-embedding-004", content: { parts: [{ text: "alpha" }] }, outputDimensionality: 256 },
        { model: "models/text-embedding-004", content: { parts: [{ text: "beta" }] }, outputDimensionality: 256 },
      ],
    });
    const single = geminiAdapter.embeddingsRequest!({ ...target, upstreamModel: "text-embedding-004" }, { input: "one" });
    expect(JSON.parse(single.body!).requests).toEqual([{ model: "models/text-embedding-004", content: { parts: [{ text: "one" }] } }]);
    expect(() => geminiAdapter.embeddingsRequest!(target, { input: [1, 2, 3] })).toThrow(/not token arrays/);
  });

  it("answers in OpenAI's list shape with estimated prompt tokens", async () => {
    const out = await geminiAdapter.embeddingsResponse!(
      { embeddings: [{ values: [0.1, -0.2, 0.3] }, { values: [0.4, 0.5, -0.6] }] },
      { requestModel: "embed", request: { input: ["hello world", "good morning"] } },
    );
    expect(out).toEqual({
      object: "list",
      data: [
        { object: "embedding", index: 0, embedding: [0.1, -0.2, 0.3] },
        { object: "embedding", index: 1, embedding: [0.4, 0.5, -0.6] },
      ],
      model: "embed",
      usage: { prompt_tokens: 4, total_tokens: 4 },
    });
  });

  it("encodes vectors as base64 float32 when the caller asked for it (the OpenAI SDK's default)", async () => {
    const out = (await geminiAdapter.embeddingsResponse!(
      { embeddings: [{ values: [1.5, -2] }] },
      { requestModel: "embed", request: { input: "x", encoding_format: "base64" } },
    )) as any;
    const decoded = new Float32Array(new Uint8Array(Buffer.from(out.data[0].embedding, "base64")).buffer);
    expect(Array.from(decoded)).toEqual([1.5, -2]);
  });
});
