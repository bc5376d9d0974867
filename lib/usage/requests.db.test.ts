import { describe, expect, it } from "vitest";
import { listRequests } from "./list-requests";
import { getRequest } from "./get-request";
import { usageRequestQuerySchema } from "../schemas/usage";
import type { AttemptTrace } from "../gateway/types";
import type { Actor } from "../auth/actor";
import { createWorkspace, suffix, tokenActor, usageRow, userInWorkspace } from "../testing/factories";
import type { UsageRow } from "./write";
import { expectAppError } from "../testing/errors";
import { db, useTestDb } from "../testing/db";

useTestDb();

const q = (input: Record<string, unknown>) => usageRequestQuerySchema.parse(input);

let seq = 0;
async function record(workspaceId: string, data: Partial<UsageRow> = {}) {
  seq++;
  return db.usageRecord.create({
    data: usageRow(workspaceId, { requestId: `req_${suffix()}${seq}`, at: new Date(Date.UTC(2032, 0, 1, 0, 0, seq)), ...data }),
  });
}

const ids = async (actor: Actor, input: Record<string, unknown>) =>
  (await listRequests({ actor, input: q(input) })).data.map((r) => r.requestId);

describe("listRequests", () => {
  it("filters by status code or class, outcome, model, key, user, agent and time", async () => {
    const ws = await createWorkspace();
    const s = suffix();
    const a = await record(ws.id, {
      requestId: `a_${s}`,
      model: "alpha",
      status: 200,
      userId: "u1",
      agentId: "bot-1",
      at: new Date("2032-02-01T00:00:00Z"),
    });
    const b = await record(ws.id, {
      requestId: `b_${s}`,
      model: "beta",
      status: 429,
      outcome: "error",
      errorCode: "rate_limited",
      virtualKeyId: "vk1",
      at: new Date("2032-02-02T00:00:00Z"),
    });
    const c = await record(ws.id, {
      requestId: `c_${s}`,
      model: "alpha",
      status: 502,
      outcome: "error",
      userId: "u2",
      at: new Date("2032-02-03T00:00:00Z"),
    });
    const d = await record(ws.id, {
      requestId: `d_${s}`,
      model: "alpha",
      status: 200,
      outcome: "partial",
      agentId: "bot-1",
      virtualKeyId: "vk1",
      streamed: true,
      at: new Date("2032-02-04T00:00:00Z"),
    });
    const base = { workspaceId: ws.id };

    expect(await ids(tokenActor, base)).toEqual([d.requestId, c.requestId, b.requestId, a.requestId]);
    expect(await ids(tokenActor, { ...base, status: "2xx" })).toEqual([d.requestId, a.requestId]);
    expect(await ids(tokenActor, { ...base, status: "4xx" })).toEqual([b.requestId]);
    expect(await ids(tokenActor, { ...base, status: "5xx" })).toEqual([c.requestId]);
    expect(await ids(tokenActor, { ...base, status: "429" })).toEqual([b.requestId]);
    expect(await ids(tokenActor, { ...base, outcome: "partial" })).toEqual([d.requestId]);
    expect(await ids(tokenActor, { ...base, model: "alpha" })).toEqual([d.requestId, c.requestId, a.requestId]);
    expect(await ids(tokenActor, { ...base, model: "alpha", status: "2xx" })).toEqual([d.requestId, a.requestId]);
    expect(await ids(tokenActor, { ...base, virtualKeyId: "vk1" })).toEqual([d.requestId, b.requestId]);
    expect(await ids(tokenActor, { ...base, userId: "u2" })).toEqual([c.requestId]);
    expect(await ids(tokenActor, { ...base, agentId: "bot-1" })).toEqual([d.requestId, a.requestId]);
    expect(await ids(tokenActor, { ...base, from: "2032-02-02T00:00:00Z", to: "2032-02-03T00:00:00Z" })).toEqual([
      c.requestId,
      b.requestId,
    ]);
    expect(await ids(tokenActor, { ...base, q: `b_${s}` })).toEqual([b.requestId]);
    expect(await ids(tokenActor, { ...base, q: "rate_lim" })).toEqual([b.requestId]);
  });

  it("refuses a malformed status filter with a field error", () => {
    const r = usageRequestQuerySchema.safeParse({ workspaceId: "w1", status: "4x" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(["status"]);
    expect(usageRequestQuerySchema.safeParse({ workspaceId: "w1", outcome: "ok" }).success).toBe(false);
  });

  it("pages newest first through a cursor without repeats or gaps", async () => {
    const ws = await createWorkspace();
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await record(ws.id, { at: new Date(Date.UTC(2033, 0, 1 + i)) }));
    // Two requests in the same millisecond still page in a stable order.
    made.push(await record(ws.id, { at: new Date(Date.UTC(2033, 0, 5)) }));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listRequests({ actor: tokenActor, input: q({ workspaceId: ws.id, limit: 2, ...(cursor ? { cursor } : {}) }) });
      seen.push(...page.data.map((r) => r.requestId));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(6);
    expect(seen.slice(2)).toEqual([made[3], made[2], made[1], made[0]].map((r) => r.requestId));
  });

  it("is scoped to the workspace: a Builder reads its requests, never another workspace's, and a Member reads none", async () => {
    const builder = await userInWorkspace("BUILDER");
    const admin = await userInWorkspace("ADMIN", builder.ws.id);
    const member = await userInWorkspace("MEMBER", builder.ws.id);
    const other = await createWorkspace();
    const mine = await record(builder.ws.id);
    const theirs = await record(other.id);

    expect(await ids(builder.actor, { workspaceId: builder.ws.id })).toEqual([mine.requestId]);
    expect(await ids(admin.actor, { workspaceId: builder.ws.id })).toEqual([mine.requestId]);
    await expectAppError(listRequests({ actor: member.actor, input: q({ workspaceId: builder.ws.id }) }), "forbidden");
    await expectAppError(
      getRequest({ actor: member.actor, input: { workspaceId: builder.ws.id, requestId: mine.requestId } }),
      "forbidden",
    );
    // Another workspace: not a member -> the workspace itself is not found.
    await expectAppError(listRequests({ actor: builder.actor, input: q({ workspaceId: other.id }) }), "not_found");
    // A request id of another workspace, asked for under one's own workspace, is not found.
    await expectAppError(
      getRequest({ actor: builder.actor, input: { workspaceId: builder.ws.id, requestId: theirs.requestId } }),
      "not_found",
    );
    // Paging with a cursor from another workspace reveals nothing either.
    const page = await listRequests({ actor: builder.actor, input: q({ workspaceId: builder.ws.id, cursor: theirs.id }) });
    expect(page.data.map((r) => r.requestId)).not.toContain(theirs.requestId);
  });
});

describe("getRequest", () => {
  it("returns the route trace in order, with names of what exists and the ids of what was deleted", async () => {
    const ws = await createWorkspace();
    const s = suffix();
    const platform = await db.platform.create({ data: { name: `p-${s}`, vendor: "openai", baseUrl: "https://api.example.test/v1" } });
    const credential = await db.credential.create({
      data: { id: `cred_${s}`, name: `c-${s}`, kind: "api-key", workspaceId: null, mask: "sk-...a1b2", ciphertext: "x", keyId: "k" },
    });
    const key = await db.platformKey.create({ data: { platformId: platform.id, description: "primary", credentialId: credential.id } });
    const deployment = await db.deployment.create({
      data: { name: `d-${s}`, instances: { create: [{ url: "http://10.0.0.5:8000/v1" }] } },
      include: { instances: true },
    });
    const vk = await db.virtualKey.create({ data: { workspaceId: ws.id, name: `bot-${s}`, prefix: "sb-abc1", keyHash: `h-${s}` } });
    const attempts: AttemptTrace[] = [
      {
        targetType: "platform",
        targetId: platform.id,
        targetName: "old name",
        upstreamModel: "gpt-4o",
        via: key.id,
        status: 503,
        error: "upstream unavailable",
        latencyMs: 12,
      },
      {
        targetType: "platform",
        targetId: "gone-platform",
        targetName: "Deleted Platform",
        upstreamModel: "gpt-4o",
        via: "gone-key",
        status: null,
        error: "connect ECONNREFUSED",
        latencyMs: 3,
      },
      {
        targetType: "deployment",
        targetId: deployment.id,
        targetName: deployment.name,
        upstreamModel: "llama",
        via: deployment.instances[0].id,
        status: 200,
        error: null,
        latencyMs: 80,
      },
    ];
    const row = await record(ws.id, {
      virtualKeyId: vk.id,
      deploymentId: deployment.id,
      upstreamModel: "llama",
      attempts: attempts as never,
      inputTokens: 120,
      outputTokens: 30,
      cachedTokens: 20,
      costUsd: "0.00123456",
      ttftMs: 55,
      streamed: true,
    });

    const got = await getRequest({ actor: tokenActor, input: { workspaceId: ws.id, requestId: row.requestId } });
    expect(got.attempts.map((a) => [a.targetName, a.status, a.error])).toEqual([
      [platform.name, 503, "upstream unavailable"],
      ["Deleted Platform", null, "connect ECONNREFUSED"],
      [deployment.name, 200, null],
    ]);
    expect(got.attempts.map((a) => a.targetDeleted)).toEqual([false, true, false]);
    expect(got.attempts[0].viaLabel).toBe("primary · sk-...a1b2");
    expect(got.attempts[1].viaLabel).toBeNull();
    expect(got.attempts[2].viaLabel).toBe("http://10.0.0.5:8000/v1");
    expect(got).toMatchObject({
      key: { id: vk.id, name: vk.name, prefix: "sb-abc1" },
      servedBy: { type: "deployment", id: deployment.id, name: deployment.name },
      inputTokens: 120,
      outputTokens: 30,
      cachedTokens: 20,
      costUsd: "0.00123456",
      ttftMs: 55,
      streamed: true,
      attemptCount: 3,
    });

    // Deleted key and platform: the row keeps their ids.
    const orphan = await record(ws.id, { virtualKeyId: "vk-deleted", platformId: "p-deleted" });
    const [listed] = (await listRequests({ actor: tokenActor, input: q({ workspaceId: ws.id, q: orphan.requestId }) })).data;
    expect(listed.key).toEqual({ id: "vk-deleted", name: null, prefix: null });
    expect(listed.servedBy).toEqual({ type: "platform", id: "p-deleted", name: null });
  });
});
