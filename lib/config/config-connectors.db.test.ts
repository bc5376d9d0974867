import { describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { applyConfig } from "./apply-config";
import { exportConfig } from "./export-config";
import { createProvider } from "../providers/import-provider";
import { createWorkspace, suffix, tokenActor } from "../testing/factories";
import { db, tablesContaining, useTestDb } from "../testing/db";
import { expectAppError } from "../testing/errors";

useTestDb();

const actor: Actor = { type: "config", source: "switchboard.yaml" };
const DOC = `openapi: 3.0.3
info: { title: Billing, version: "1" }
servers: [{ url: "https://{account}.billing.example.test/v1", variables: { account: { default: "demo" } } }]
paths:
  /charges: { get: { operationId: listCharges, responses: { "200": { description: ok } } } }
`;

async function setup() {
  const ws = await createWorkspace();
  const provider = await createProvider({ actor: tokenActor, workspaceId: ws.id, input: { name: `Billing ${suffix()}`, document: DOC } });
  return { ws, provider };
}

describe("configuration section connectors", () => {
  it("creates a connector from a file, changes nothing on a second apply, and exports ${env:...} placeholders that apply back", async () => {
    const { ws, provider } = await setup();
    const secret = `sk-live-cfg-${suffix()}${suffix()}`;
    const doc = {
      connectors: [
        {
          name: "billing-prod",
          workspace: ws.name,
          provider: provider.name,
          baseUrl: "https://acct123.billing.example.test/v1",
          params: { account: "acct123" },
          description: "production",
          public: true,
          version: 1,
          auth: { mode: "bearer", value: "${env:BILLING_KEY}" },
        },
      ],
    };
    const lookupEnv = (n: string) => ({ BILLING_KEY: secret })[n];
    const first = await applyConfig({ actor, doc, lookupEnv });
    expect(first.changes).toEqual([expect.objectContaining({ section: "connectors", action: "create" })]);
    const row = await db.connector.findFirstOrThrow({ where: { workspaceId: ws.id, name: "billing-prod" } });
    expect(row).toMatchObject({ source: "config", public: true, authMode: "bearer", baseUrl: "https://acct123.billing.example.test/v1" });
    expect(row.pinnedVersionId).toBe(provider.currentVersionId);

    const counts = async () => ({
      credentials: await db.credential.count(),
      audit: await db.auditEntry.count(),
      connectors: await db.connector.count(),
    });
    const before = await counts();
    const second = await applyConfig({ actor, doc, lookupEnv });
    expect(second.changes).toEqual([expect.objectContaining({ section: "connectors", action: "unchanged" })]);
    expect(await counts()).toEqual(before);

    const exported = await exportConfig({ actor: tokenActor });
    const text = JSON.stringify(exported);
    expect(text).not.toContain(secret);
    const mine = (exported.connectors as Record<string, unknown>[]).find((c) => c.workspace === ws.name);
    const envName = `SWITCHBOARD_SECRET_${ws.name.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}_CONNECTOR_BILLING_PROD_VALUE`;
    expect(mine).toEqual({
      name: "billing-prod",
      workspace: ws.name,
      provider: provider.name,
      baseUrl: "https://acct123.billing.example.test/v1",
      params: { account: "acct123" },
      description: "production",
      public: true,
      version: 1,
      auth: { mode: "bearer", value: `\${env:${envName}}` },
    });
    // The export applies back (with the credentials section naming the same variable) without a change.
    const back = await applyConfig({
      actor,
      doc: {
        credentials: (exported.credentials as Record<string, unknown>[]).filter((c) => c.workspace === ws.name),
        connectors: [mine!],
      },
      lookupEnv: (n) => (n === envName ? secret : undefined),
    });
    expect(back.changes.every((c) => c.action === "unchanged")).toBe(true);
    expect(await counts()).toEqual(before);

    // A new value in the file rotates the connector's own credential.
    const rotated = await applyConfig({ actor, doc, lookupEnv: () => `${secret}-2` });
    expect(rotated.changes).toEqual([expect.objectContaining({ action: "update", fields: ["auth.value"] })]);
    expect(await db.credential.count()).toBe(before.credentials);
    expect(await tablesContaining(secret)).toEqual({});
  });

  it("names the connector and the field when an item is wrong, applying nothing", async () => {
    const { ws, provider } = await setup();
    const item = { name: "broken", workspace: ws.name, provider: provider.name, auth: { mode: "bearer", value: "${env:K}" } };
    const lookupEnv = () => "sk-some-value-1234";
    const cases: [Record<string, unknown>, string][] = [
      [{ provider: "Nope" }, "connectors[0].provider"],
      [{ version: 9 }, "connectors[0].version"],
      [{ auth: { mode: "api-key", in: "body", name: "k", value: "${env:K}" } }, "connectors[0].auth.in"],
      [{ baseUrl: "ftp://x.example.test" }, "connectors[0].baseUrl"],
    ];
    for (const [extra, path] of cases) {
      const e = await expectAppError(applyConfig({ actor, doc: { connectors: [{ ...item, ...extra }] }, lookupEnv }), "validation_failed");
      expect(
        e.fields?.map((f) => f.path),
        JSON.stringify(extra),
      ).toContain(path);
    }
    expect(await db.connector.count({ where: { workspaceId: ws.id } })).toBe(0);
    // ${env:...} only in secret fields.
    const e = await expectAppError(
      applyConfig({ actor, doc: { connectors: [{ ...item, description: "${env:K}" }] }, lookupEnv }),
      "validation_failed",
    );
    expect(e.fields?.[0].path).toBe("connectors[0].description");
  });

  it("applies the OAuth auth block (oauth-user, app-token with a client, hybrid) and exports it with a placeholder for the client secret", async () => {
    const { ws, provider } = await setup();
    const secret = `oauth-client-secret-${suffix()}${suffix()}`;
    const yaml = `connectors:
  - name: notes
    workspace: ${ws.name}
    provider: ${provider.name}
    baseUrl: https://notes.example.com
    auth:
      mode: oauth-user
      clientId: switchboard
      clientSecret: "\${env:NOTES_CLIENT_SECRET}"
      authorizeUrl: https://auth.example.com/authorize
      tokenUrl: https://auth.example.com/token
      scopes: [openid, offline_access]
      authorizeParams: { prompt: consent }
  - name: notes-app
    workspace: ${ws.name}
    provider: ${provider.name}
    baseUrl: https://notes.example.com
    auth: { mode: app-token, clientId: switchboard, clientSecret: "\${env:NOTES_CLIENT_SECRET}", tokenUrl: https://auth.example.com/token, scopes: [notes.read] }
  - name: notes-static
    workspace: ${ws.name}
    provider: ${provider.name}
    baseUrl: https://notes.example.com
    auth: { mode: app-token, value: "\${env:NOTES_CLIENT_SECRET}" }
  - name: notes-hybrid
    workspace: ${ws.name}
    provider: ${provider.name}
    baseUrl: https://notes.example.com
    auth:
      mode: hybrid
      clientId: switchboard
      clientSecret: "\${env:NOTES_CLIENT_SECRET}"
      authorizeUrl: https://auth.example.com/authorize
      tokenUrl: https://auth.example.com/token
      revocationUrl: https://auth.example.com/revoke
`;
    const { parseConfigText } = await import("./parse");
    const doc = (await parseConfigText(yaml)) as Record<string, unknown>;
    const lookupEnv = (n: string) => ({ NOTES_CLIENT_SECRET: secret })[n];
    const first = await applyConfig({ actor, doc, lookupEnv });
    expect(first.changes.map((c) => c.action)).toEqual(["create", "create", "create", "create"]);
    const notes = await db.connector.findFirstOrThrow({ where: { workspaceId: ws.id, name: "notes" } });
    expect(notes.authMode).toBe("oauth-user");
    expect(notes.authSettings).toMatchObject({
      clientId: "switchboard",
      authorizeUrl: "https://auth.example.com/authorize",
      tokenUrl: "https://auth.example.com/token",
      scopes: ["openid", "offline_access"],
      authorizeParams: { prompt: "consent" },
    });
    const second = await applyConfig({ actor, doc, lookupEnv });
    expect(second.changes.every((c) => c.action === "unchanged")).toBe(true);

    const exported = await exportConfig({ actor: tokenActor });
    expect(JSON.stringify(exported)).not.toContain(secret);
    const mine = (exported.connectors as Record<string, any>[]).filter((c) => c.workspace === ws.name);
    const byName = Object.fromEntries(mine.map((c) => [c.name, c.auth]));
    expect(byName.notes).toEqual({
      mode: "oauth-user",
      clientId: "switchboard",
      clientSecret: expect.stringMatching(/^\$\{env:SWITCHBOARD_SECRET_[A-Z0-9_]+_CLIENTSECRET\}$/),
      authorizeUrl: "https://auth.example.com/authorize",
      tokenUrl: "https://auth.example.com/token",
      scopes: ["openid", "offline_access"],
      authorizeParams: { prompt: "consent" },
    });
    expect(byName["notes-app"]).toMatchObject({ mode: "app-token", clientId: "switchboard", tokenUrl: "https://auth.example.com/token" });
    expect(Object.keys(byName["notes-static"]).sort()).toEqual(["mode", "value"]);
    expect(byName["notes-hybrid"]).toMatchObject({ mode: "hybrid", revocationUrl: "https://auth.example.com/revoke" });
    expect(await tablesContaining(secret)).toEqual({});

    // Switching an app token from the client to a static value drops the client and its secret.
    const app = (doc.connectors as Record<string, any>[])[1];
    app.auth = { mode: "app-token", value: "${env:NOTES_CLIENT_SECRET}" };
    await applyConfig({ actor, doc, lookupEnv });
    const row = await db.connector.findFirstOrThrow({ where: { workspaceId: ws.id, name: "notes-app" } });
    expect(Object.keys(row.authSettings as object).sort()).toEqual(["secretIds"]);
    expect(Object.keys((row.authSettings as { secretIds: object }).secretIds)).toEqual(["value"]);
  });
});
