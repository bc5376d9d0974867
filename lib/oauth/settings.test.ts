import { describe, expect, it } from "vitest";
import { authorizeParamsSchema, endpointUrlSchema } from "./settings";
import { needsRefresh, refreshMarginMs } from "./token-seal";
import { checkAuth } from "../connectors/validate";

describe("OAuth client settings", () => {
  it("accepts https endpoints and http only on loopback; refuses script, data and credential-bearing URLs", () => {
    for (const ok of ["https://auth.example.com/token", "http://127.0.0.1:4000/token", "http://localhost:8080/auth"])
      expect(endpointUrlSchema.safeParse(ok).success, ok).toBe(true);
    for (const bad of [
      "javascript:alert(1)",
      "data:text/html,hi",
      "http://auth.example.com/token",
      "http://169.254.169.254/latest",
      "https://user:pw@auth.example.com/token",
      "https://auth.example.com/token#frag",
      "ftp://auth.example.com/",
    ])
      expect(endpointUrlSchema.safeParse(bad).success, bad).toBe(false);
  });

  it("keeps client_id, redirect_uri, state, scope and PKCE out of the extra authorize parameters", () => {
    expect(authorizeParamsSchema.safeParse({ prompt: "consent", access_type: "offline" }).success).toBe(true);
    for (const k of ["redirect_uri", "state", "code_challenge", "client_id", "scope"])
      expect(authorizeParamsSchema.safeParse({ [k]: "x" }).success, k).toBe(false);
  });

  it("refreshes a minute before expiry, but never earlier than half of a short token's lifetime", () => {
    const t0 = new Date("2026-01-01T00:00:00Z");
    expect(refreshMarginMs(t0, new Date(t0.getTime() + 3600_000))).toBe(60_000);
    expect(refreshMarginMs(t0, new Date(t0.getTime() + 30_000))).toBe(15_000);
    const row = { tokenIssuedAt: t0, expiresAt: new Date(t0.getTime() + 30_000) };
    expect(needsRefresh(row, t0.getTime() + 14_000)).toBe(false);
    expect(needsRefresh(row, t0.getTime() + 15_000)).toBe(true);
    expect(needsRefresh({ tokenIssuedAt: t0, expiresAt: null }, t0.getTime() + 1e9)).toBe(false);
  });
});

describe("checkAuth for the OAuth modes", () => {
  const schemes = [
    {
      key: "oauth",
      type: "oauth2" as const,
      flows: { authorizationCode: { authorizationUrl: "https://a.example.com/auth", tokenUrl: "https://a.example.com/token", scopes: {} } },
    },
  ];
  it("takes the authorize and token URLs from the provider's oauth2 scheme and keeps the client secret apart", () => {
    const r = checkAuth({ input: { mode: "oauth-user", clientId: "c", clientSecret: "s3cret", scopes: ["a"] }, authSchemes: schemes });
    expect(r.problems).toEqual([]);
    expect(r.auth?.settings).toEqual({
      clientId: "c",
      authorizeUrl: "https://a.example.com/auth",
      tokenUrl: "https://a.example.com/token",
      scopes: ["a"],
      authorizeParams: {},
    });
    expect(r.auth?.secrets).toEqual({ clientSecret: "s3cret" });
  });

  it("asks for the URLs when the provider has no oauth2 scheme, and refuses a hostile one", () => {
    const r = checkAuth({ input: { mode: "oauth-user", clientId: "c" }, authSchemes: [] });
    expect(r.problems.map((p) => p.path).sort()).toEqual(["auth.authorizeUrl", "auth.tokenUrl"]);
    const bad = checkAuth({ input: { mode: "hybrid", clientId: "c", authorizeUrl: "javascript:alert(1)" }, authSchemes: schemes });
    expect(bad.problems.map((p) => p.path)).toEqual(["auth.authorizeUrl"]);
  });

  it("app-token is a static value or a client, not both; a switch to a static value drops the client's secret", () => {
    expect(checkAuth({ input: { mode: "app-token", value: "tok" }, authSchemes: [] }).auth?.usedSecrets).toEqual(["value"]);
    const client = checkAuth({
      input: { mode: "app-token", clientId: "c", clientSecret: "s", tokenUrl: "https://a.example.com/t" },
      authSchemes: [],
    });
    expect(client.auth?.usedSecrets).toEqual(["clientSecret"]);
    expect(checkAuth({ input: { mode: "app-token", value: "tok", clientId: "c" }, authSchemes: [] }).problems[0].path).toBe("auth.value");
    expect(
      checkAuth({ input: { mode: "app-token", clientId: "c" }, authSchemes: [] })
        .problems.map((p) => p.path)
        .sort(),
    ).toEqual(["auth.clientSecret", "auth.tokenUrl"]);
    const existing = {
      mode: "app-token",
      settings: { clientId: "c", tokenUrl: "https://a.example.com/t", scopes: [], secretIds: { clientSecret: "cred1" } },
    };
    const switched = checkAuth({ input: { mode: "app-token", value: "tok" }, authSchemes: [], existing });
    expect(switched.problems).toEqual([]);
    expect(switched.auth?.settings).toEqual({});
    expect(switched.auth?.usedSecrets).toEqual(["value"]);
    // Keeping the client: the stored secret stays without being sent again.
    const kept = checkAuth({ input: { mode: "app-token", scopes: ["x"] }, authSchemes: [], existing });
    expect(kept.problems).toEqual([]);
    expect(kept.auth?.secrets).toEqual({});
  });
});
