import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  InvalidGrantError,
  InvalidClientError,
  ServerError,
  TemporarilyUnavailableError,
} from "@modelcontextprotocol/sdk/server/auth/errors.js";
import { OutboundBlockedError } from "../outbound/fetch";
import { classifyOAuthFailure, oauthFetch } from "./oauth-http";

describe("classifyOAuthFailure", () => {
  it("treats a refused grant or client as dead: an Admin must connect again", () => {
    expect(classifyOAuthFailure(new InvalidGrantError("revoked"))).toEqual({
      kind: "dead",
      code: "invalid_grant",
      message: "The authorization server refused the request: invalid_grant",
    });
    expect(classifyOAuthFailure(new InvalidClientError("nope")).kind).toBe("dead");
  });

  it("treats 5xx answers, the network and a refused address as passing", () => {
    expect(classifyOAuthFailure(new ServerError("HTTP 503: Raw body: secret-echo")).kind).toBe("transient");
    expect(classifyOAuthFailure(new TemporarilyUnavailableError("later")).kind).toBe("transient");
    expect(classifyOAuthFailure(new TypeError("fetch failed")).kind).toBe("transient");
    const blocked = classifyOAuthFailure(new Error("wrapped", { cause: new OutboundBlockedError() }));
    expect(blocked.kind).toBe("transient");
    expect(blocked.message).toContain("address is refused");
  });

  it("never repeats what the server answered, only the error code", () => {
    expect(classifyOAuthFailure(new ServerError("HTTP 500: Raw body: refresh_token=abc123")).message).not.toContain("abc123");
  });
});

describe("oauthFetch: an internal server vouches for its own origin only", () => {
  const servers: http.Server[] = [];
  const listen = async () => {
    const s = http.createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'));
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    servers.push(s);
    return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  };
  let mcpOrigin = "";
  let otherOrigin = "";
  beforeAll(async () => {
    mcpOrigin = await listen();
    otherOrigin = await listen();
  });
  afterAll(async () => {
    for (const s of servers) await new Promise((r) => s.close(r));
  });

  it("reaches the internal server's own origin on a private address", async () => {
    const res = await oauthFetch({ url: `${mcpOrigin}/mcp`, internal: true })(`${mcpOrigin}/.well-known/oauth-protected-resource/mcp`);
    expect(res.status).toBe(200);
  });

  it("refuses a private address on another origin its metadata names, even on the same host", async () => {
    const fetchFn = oauthFetch({ url: `${mcpOrigin}/mcp`, internal: true });
    await expect(fetchFn(`${otherOrigin}/token`, { method: "POST", body: "grant_type=refresh_token" })).rejects.toBeInstanceOf(
      OutboundBlockedError,
    );
    await expect(fetchFn("https://10.1.2.3/token")).rejects.toBeInstanceOf(OutboundBlockedError);
  });

  it("requires https for the authorization server's endpoints (http only on loopback)", async () => {
    const fetchFn = oauthFetch({ url: "https://mcp.example.test/mcp", internal: false });
    const refused = await fetchFn("http://sso.example.test/token").then(
      () => null,
      (e: Error) => e,
    );
    expect(refused).toBeInstanceOf(OutboundBlockedError);
    expect(refused?.message).toContain("must be https");
    expect(classifyOAuthFailure(refused)).toMatchObject({ kind: "transient", message: expect.stringContaining("must be https") });
  });
});
