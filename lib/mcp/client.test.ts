import http from "node:http";
import type { AddressInfo } from "node:net";
import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeMcpError, MCP_ANSWER_MAX_BYTES, openMcpSession } from "./client";
import { mcpEnvNameSchema } from "../schemas/mcp";

// What an MCP server answers must not take Switchboard down nor leak into messages: the SDK reads answers whole
// and quotes error bodies, so the client bounds the one and drops the other.

let server: http.Server;
let base = "";
let answered = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    answered++;
    req.resume();
    if (req.url === "/huge") {
      // A JSON answer bigger than any result may be, streamed without a length (chunked).
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent <= MCP_ANSWER_MAX_BYTES * 2) {
          sent += chunk.length;
          if (!res.write(chunk)) return res.once("drain", pump);
        }
        res.end("{}");
      };
      pump();
      return;
    }
    // A refusal that echoes the credential it was sent.
    res.writeHead(401, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: `invalid key ${req.headers["x-api-key"]}` }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("MCP client safety", () => {
  it("refuses an answer over the size bound instead of buffering it", async () => {
    const target = { transport: "streamable-http" as const, url: `${base}/huge`, internal: true, headers: {} };
    const opened = openMcpSession(target, { timeoutMs: 10_000 });
    await expect(opened).rejects.toThrow();
    const e = await opened.catch((err: unknown) => err);
    expect(describeMcpError(e)).toBe("The MCP server's answer is over 4 MB");
    expect(answered).toBeGreaterThan(0);
  });

  it("keeps the status of a refusal but not the body the server sent (it may quote the credential)", async () => {
    const canary = "sk-live-CANARY-4b1d";
    const target = { transport: "streamable-http" as const, url: `${base}/refuse`, internal: true, headers: { "x-api-key": canary } };
    const e = await openMcpSession(target, { timeoutMs: 10_000 }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(Error);
    const why = describeMcpError(e);
    expect(why).toMatch(/401/);
    expect(why).not.toContain(canary);
    // The SDK's own message shape, for both transports.
    expect(describeMcpError(new StreamableHTTPError(403, `Error POSTing to endpoint: {"token":"${canary}"}`))).not.toContain(canary);
    expect(describeMcpError(new Error(`Error POSTing to endpoint (HTTP 500): ${canary}`))).toBe("Error POSTing to endpoint (HTTP 500)");
  });

  it("refuses stdio variables that choose what the allowed command loads or runs", () => {
    for (const name of ["NODE_OPTIONS", "LD_PRELOAD", "PATH", "PYTHONPATH", "path", "DYLD_INSERT_LIBRARIES", "BASH_ENV"]) {
      const r = mcpEnvNameSchema.safeParse(name);
      expect([name, r.success]).toEqual([name, false]);
    }
    for (const name of ["GITHUB_TOKEN", "API_KEY", "MY_PATH_PREFIX"]) expect(mcpEnvNameSchema.safeParse(name).success).toBe(true);
  });
});
