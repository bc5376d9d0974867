import { expect, test } from "@playwright/test";
import { E2E } from "./support/env";

// Requests Node's HTTP parser refuses before any handler runs still get an answer in the gateway's error shape.

test("a 60 KB header on /api/v1 gets 431 with an OpenAI-style error body", async ({ request }) => {
  const res = await request.post(`${E2E.baseURL}/api/v1/chat/completions`, {
    headers: { authorization: "Bearer sbk_whatever", "x-big": "a".repeat(60_000) },
    data: { model: "m", messages: [] },
  });
  expect(res.status()).toBe(431);
  expect(res.headers()["content-type"]).toBe("application/json");
  expect(res.headers()["x-request-id"]).toMatch(/^req_/);
  const body = await res.json();
  expect(body.error).toEqual({
    message: expect.stringContaining("request headers are too large"),
    type: "invalid_request_error",
    code: "request_header_fields_too_large",
  });
});
