import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerClientError } from "./client-error";

// A real node:http server with the listener the custom server installs (scripts/server.ts).
let server: http.Server;
let port = 0;
beforeAll(async () => {
  server = http.createServer((_req, res) => res.end("ok"));
  server.on("clientError", answerClientError);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function raw(send: (s: net.Socket) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1");
    let got = "";
    s.on("data", (d) => (got += d));
    s.on("error", reject);
    s.on("close", () => resolve(got));
    send(s);
  });
}

describe("requests Node's parser refuses", () => {
  it("a 60 KB header gets 431 in the gateway's JSON error shape, with a request id", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/chat/completions`, {
      method: "POST",
      headers: { "x-big": "a".repeat(60_000) },
      body: "{}",
    });
    expect(res.status).toBe(431);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{32}$/);
    expect(await res.json()).toEqual({
      type: "error",
      error: {
        message: expect.stringContaining("request headers are too large"),
        type: "invalid_request_error",
        code: "request_header_fields_too_large",
      },
    });
  });

  it("headers sent slowly in many pieces get the whole answer before the connection closes", async () => {
    const out = await raw((s) => {
      s.write("POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\n");
      for (let i = 0; i < 60; i++) s.write(`x-h${i}: ${"b".repeat(1000)}\r\n`);
      s.write("\r\n");
    });
    const [head, body] = out.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(head).toContain("connection: close");
    expect(JSON.parse(body).error.code).toBe("request_header_fields_too_large");
  });

  it("a malformed request line gets 400 in the same shape", async () => {
    const out = await raw((s) => s.write("NOT HTTP AT ALL\r\n\r\n"));
    const [head, body] = out.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(body)).toEqual({
      type: "error",
      error: { message: "The request is not valid HTTP.", type: "invalid_request_error", code: "bad_request" },
    });
  });
});
