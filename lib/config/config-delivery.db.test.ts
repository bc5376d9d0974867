import { describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { applyConfig } from "./apply-config";
import { exportConfig } from "./export-config";
import { createWorkspace, tokenActor } from "../testing/factories";
import { db, useTestDb } from "../testing/db";
import { withSecret } from "../credentials/use-credential";
import { generateSigningSecret } from "../webhooks/target-delivery";
import { deleteAgent } from "../agents/delete-agent";

// Workers' and workflows' webhook delivery in the config file: URL, internal flag, signing secret as ${env:NAME}.
useTestDb();

const actor: Actor = { type: "config", source: "switchboard.yaml" };

async function storedSecret(workspaceId: string, credentialId: string | null) {
  return credentialId ? withSecret({ credentialId, workspaceId }, (v) => v) : null;
}

describe("configuration: worker and workflow delivery", () => {
  it("applies the URL and the secret from the environment, changes nothing the second time, and exports ${env:...}", async () => {
    const ws = await createWorkspace();
    const secret = generateSigningSecret();
    const env: Record<string, string> = { TRIAGE_HOOK_SECRET: secret };
    const doc = {
      workers: [
        {
          name: "triage",
          workspace: ws.name,
          deliveryUrl: "https://agents.example.com/hooks",
          deliverySecret: "${env:TRIAGE_HOOK_SECRET}",
        },
      ],
      workflows: [{ name: "onboarding", workspace: ws.name, deliveryUrl: "https://flows.example.com/in" }],
    };
    const first = await applyConfig({ actor, doc, lookupEnv: (n) => env[n] });
    expect(first.changes.map((c) => [c.section, c.action])).toEqual([
      ["workers", "create"],
      ["workflows", "create"],
    ]);
    const worker = await db.worker.findFirstOrThrow({ where: { workspaceId: ws.id } });
    expect(worker).toMatchObject({ deliveryUrl: "https://agents.example.com/hooks", deliveryInternal: false, source: "config" });
    expect(await storedSecret(ws.id, worker.deliverySecretId)).toBe(secret);
    // The workflow got a generated secret.
    const workflow = await db.workflow.findFirstOrThrow({ where: { workspaceId: ws.id } });
    expect(await storedSecret(ws.id, workflow.deliverySecretId)).toMatch(/^whsec_/);

    const second = await applyConfig({ actor, doc, lookupEnv: (n) => env[n] });
    expect(second.changes.every((c) => c.action === "unchanged")).toBe(true);

    // A new secret in the environment replaces the stored value (same credential).
    env.TRIAGE_HOOK_SECRET = generateSigningSecret();
    const third = await applyConfig({ actor, doc, lookupEnv: (n) => env[n] });
    expect(third.changes[0]).toMatchObject({ action: "update", fields: ["deliverySecret"] });
    const after = await db.worker.findFirstOrThrow({ where: { workspaceId: ws.id } });
    expect(after.deliverySecretId).toBe(worker.deliverySecretId);
    expect(await storedSecret(ws.id, after.deliverySecretId)).toBe(env.TRIAGE_HOOK_SECRET);

    const exported = await exportConfig({ actor: tokenActor });
    const text = JSON.stringify(exported);
    expect(text).not.toContain(env.TRIAGE_HOOK_SECRET.slice(6));
    const w = (exported.workers as Record<string, unknown>[]).find((x) => x.workspace === ws.name);
    expect(w).toMatchObject({
      deliveryUrl: "https://agents.example.com/hooks",
      deliverySecret: expect.stringMatching(/^\$\{env:SWITCHBOARD_SECRET_/),
    });
    const f = (exported.workflows as Record<string, unknown>[]).find((x) => x.workspace === ws.name);
    expect(f).toMatchObject({ deliveryUrl: "https://flows.example.com/in", deliverySecret: expect.stringMatching(/^\$\{env:/) });
  });

  it("refuses a bad secret, a bad URL and a private URL not marked internal, naming the field; nothing is written", async () => {
    const ws = await createWorkspace();
    const bad = (item: Record<string, unknown>) =>
      applyConfig({ actor, doc: { workers: [{ name: "hooks worker", workspace: ws.name, ...item }] } });
    await expect(bad({ deliverySecret: "hunter2" })).rejects.toMatchObject({
      fields: [{ path: "workers[0].deliverySecret", message: expect.stringContaining("Standard Webhooks secret") }],
    });
    await expect(bad({ deliveryUrl: "ftp://x" })).rejects.toMatchObject({ fields: [{ path: "workers[0].deliveryUrl" }] });
    await expect(bad({ deliveryUrl: "http://10.0.0.5/hooks" })).rejects.toMatchObject({
      fields: [{ path: "workers[0].deliveryUrl", message: expect.stringContaining("internal") }],
    });
    expect(await db.worker.count({ where: { workspaceId: ws.id } })).toBe(0);
    await applyConfig({
      actor,
      doc: { workers: [{ name: "hooks worker", workspace: ws.name, deliveryUrl: "http://10.0.0.5/hooks", deliveryInternal: true }] },
    });
    expect(await db.worker.findFirstOrThrow({ where: { workspaceId: ws.id } })).toMatchObject({ deliveryInternal: true });
  });

  it("refuses delivery fields on skills", async () => {
    const ws = await createWorkspace();
    await expect(
      applyConfig({ actor, doc: { skills: [{ name: "a skill", workspace: ws.name, deliveryUrl: "https://x.example.com" }] } }),
    ).rejects.toMatchObject({ fields: [{ path: "skills[0]", message: "Unknown field: deliveryUrl" }] });
  });

  it("an export applies back on an empty workspace: one credential feeds both the credentials section and the worker", async () => {
    const ws = await createWorkspace();
    const secret = generateSigningSecret();
    await applyConfig({
      actor,
      doc: { workers: [{ name: "triage", workspace: ws.name, deliveryUrl: "https://agents.example.com/hooks", deliverySecret: secret }] },
    });
    const exported = await exportConfig({ actor: tokenActor });
    const mine = (k: string) => ((exported[k] ?? []) as Record<string, unknown>[]).filter((x) => x.workspace === ws.name);
    const creds = mine("credentials");
    expect(creds).toHaveLength(1);
    const ref = String(creds[0].value);
    expect(mine("workers")[0].deliverySecret).toBe(ref);
    const envName = /^\$\{env:(\w+)\}$/.exec(ref)![1];

    const worker = await db.worker.findFirstOrThrow({ where: { workspaceId: ws.id } });
    await deleteAgent({ actor: tokenActor, kind: "worker", id: worker.id });
    expect(await db.credential.count({ where: { workspaceId: ws.id } })).toBe(0);
    await applyConfig({
      actor,
      doc: { credentials: creds, workers: mine("workers") },
      lookupEnv: (n) => (n === envName ? secret : undefined),
    });
    const again = await db.worker.findFirstOrThrow({ where: { workspaceId: ws.id } });
    const all = await db.credential.findMany({ where: { workspaceId: ws.id } });
    expect(all.map((c) => c.id)).toEqual([again.deliverySecretId]);
    expect(await storedSecret(ws.id, again.deliverySecretId)).toBe(secret);
  });
});
