import { describe, expect, it } from "vitest";
import { extractProvider } from "../providers/extract";
import { checkAuth, checkBaseUrl } from "./validate";

const servers = extractProvider({
  openapi: "3.0.3",
  info: { title: "t", version: "1" },
  servers: [
    { url: "https://api.example.test/v1/" },
    {
      url: "https://{tenant}.{region}.example.test",
      variables: { tenant: { default: "" }, region: { default: "eu", enum: ["eu", "us"] } },
    },
  ],
  paths: {},
}).servers;

describe("checkBaseUrl", () => {
  it("keeps a server's template and variables, and fills them from params", () => {
    expect(servers[1]).toMatchObject({
      url: "https://.eu.example.test",
      template: "https://{tenant}.{region}.example.test",
    });
    expect(checkBaseUrl({ servers, params: {}, baseUrl: undefined, custom: false })).toEqual({
      baseUrl: "https://api.example.test/v1",
      problems: [],
    });
    expect(
      checkBaseUrl({ servers, params: { tenant: "acme", region: "us" }, baseUrl: "https://acme.us.example.test", custom: false }),
    ).toEqual({
      baseUrl: "https://acme.us.example.test",
      problems: [],
    });
  });

  it("names the missing variable, refuses other URLs unless custom, and any non-http(s) URL", () => {
    expect(checkBaseUrl({ servers, params: {}, baseUrl: "https://.eu.example.test", custom: false }).problems).toEqual([
      { path: "params.tenant", message: "Required by the server URL" },
    ]);
    expect(checkBaseUrl({ servers, params: {}, baseUrl: "https://evil.example.test", custom: false }).problems[0].path).toBe("baseUrl");
    expect(checkBaseUrl({ servers, params: {}, baseUrl: "https://evil.example.test", custom: true }).problems).toEqual([]);
    for (const bad of ["ftp://x.example.test", "javascript:alert(1)", "https://user:pw@x.example.test", "not a url"]) {
      expect(checkBaseUrl({ servers, params: {}, baseUrl: bad, custom: true }).problems[0]?.path, bad).toBe("baseUrl");
    }
  });
});

describe("checkAuth", () => {
  const keyScheme = [{ key: "k", type: "apiKey" as const, in: "query" as const, name: "api_key" }];

  it("places an API key as the provider's scheme says unless told otherwise, and keeps secrets apart from settings", () => {
    const r = checkAuth({ input: { mode: "api-key", value: "sk-1" }, authSchemes: keyScheme });
    expect(r.problems).toEqual([]);
    expect(r.auth?.settings).toEqual({ in: "query", name: "api_key" });
    expect(r.auth?.secrets).toEqual({ value: "sk-1" });
    const header = checkAuth({ input: { mode: "api-key", in: "header", name: "X-Key", value: "sk-1" }, authSchemes: keyScheme });
    expect(header.auth?.settings).toEqual({ in: "header", name: "X-Key" });
  });

  it("keeps a stored secret left out of an update with the same mode, and requires it when the mode changes", () => {
    const existing = { mode: "basic", settings: { username: "svc", secretIds: { password: "cred_1" } } };
    const same = checkAuth({ input: { mode: "basic" }, authSchemes: [], existing });
    expect(same.problems).toEqual([]);
    expect(same.auth?.settings).toEqual({ username: "svc" });
    expect(same.auth?.secrets).toEqual({});
    const other = checkAuth({ input: { mode: "bearer" }, authSchemes: [], existing });
    expect(other.problems.map((p) => p.path)).toEqual(["auth.value"]);
  });

  it("reports bad fields by path: unknown mode, unknown field, line breaks in a secret", () => {
    expect(checkAuth({ input: { mode: "oauth-magic" }, authSchemes: [] }).problems[0].path).toBe("auth.mode");
    expect(checkAuth({ input: { mode: "bearer", value: "x", scope: "y" }, authSchemes: [] }).problems[0].message).toContain("scope");
    expect(checkAuth({ input: { mode: "bearer", value: "a\r\nX-Evil: 1" }, authSchemes: [] }).problems[0].path).toBe("auth.value");
    expect(checkAuth({ input: { mode: "basic", username: "a:b", password: "p" }, authSchemes: [] }).problems[0].path).toBe("auth.username");
  });
});
