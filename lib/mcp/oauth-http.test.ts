import { describe, expect, it } from "vitest";
import {
  InvalidGrantError,
  InvalidClientError,
  ServerError,
  TemporarilyUnavailableError,
} from "@modelcontextprotocol/sdk/server/auth/errors.js";
import { OutboundBlockedError } from "../outbound/fetch";
import { classifyOAuthFailure } from "./oauth-http";

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
