import { describe, expect, it } from "vitest";
import { useTestDb, db } from "../testing/db";
import { createWorkspace, suffix, tokenActor, userInWorkspace } from "../testing/factories";
import { createAdminToken } from "../tokens/admin-tokens";
import { webhookStats } from "./stats";
import * as stats from "../../app/api/admin/webhooks/[id]/stats/route";

// The event log's chart: requests per hour or UTC day, received = verified + refused, empty buckets as zeros,
// one endpoint's events only, and another workspace's endpoint answered 404.

useTestDb();

async function endpointIn(workspaceId: string) {
  const worker = await db.worker.create({ data: { workspaceId, name: `worker-${suffix()}` } });
  return db.webhookEndpoint.create({
    data: { workspaceId, name: `hook-${suffix()}`, scheme: "standard-webhooks", targetType: "worker", workerId: worker.id },
  });
}

async function event(endpoint: { id: string; workspaceId: string }, at: string, data: { verified: boolean; duplicate?: boolean }) {
  await db.webhookEvent.create({
    data: {
      workspaceId: endpoint.workspaceId,
      endpointId: endpoint.id,
      receivedAt: new Date(at),
      verified: data.verified,
      duplicate: data.duplicate ?? false,
      reason: data.verified ? null : "bad_signature",
      responseStatus: data.verified ? 202 : 401,
      latencyMs: 3,
    },
  });
}

async function get(token: string, id: string, range?: string) {
  const res = await stats.GET(
    new Request(`http://localhost/api/admin/webhooks/${id}/stats${range ? `?range=${range}` : ""}`, {
      headers: { authorization: `Bearer ${token}` },
    }),
    { params: Promise.resolve({ id }) },
  );
  return { status: res.status, body: await res.json() };
}

describe("webhook stats", () => {
  it("counts received, verified, refused and duplicates per hour and per UTC day, every bucket present", async () => {
    const ws = await createWorkspace();
    const hook = await endpointIn(ws.id);
    const other = await endpointIn(ws.id);
    const now = new Date();
    const hourStart = Math.floor(now.getTime() / 3_600_000) * 3_600_000;
    const inThisHour = new Date(hourStart + 1000).toISOString();
    const twoHoursAgo = new Date(hourStart - 2 * 3_600_000 + 5000).toISOString();
    const threeDaysAgo = new Date(now.getTime() - 3 * 86_400_000).toISOString();
    await event(hook, inThisHour, { verified: true });
    await event(hook, inThisHour, { verified: true, duplicate: true });
    await event(hook, inThisHour, { verified: false });
    await event(hook, twoHoursAgo, { verified: false });
    await event(hook, threeDaysAgo, { verified: true });
    // Another endpoint's events and events older than the range are not counted.
    await event(other, inThisHour, { verified: true });
    await event(hook, new Date(now.getTime() - 40 * 86_400_000).toISOString(), { verified: true });
    const { token } = await createAdminToken({ actor: tokenActor, input: { name: `stats-${suffix()}` } });

    // Through the route (the declared answer schema is checked), then at a fixed "now" so an hour boundary
    // passing during the test cannot move the buckets.
    const viaRoute = await get(token, hook.id);
    expect(viaRoute.status).toBe(200);
    expect(viaRoute.body).toMatchObject({ range: "24h", bucket: "hour" });
    const at = (range: "24h" | "7d" | "30d") => webhookStats({ actor: tokenActor, endpointId: hook.id, range, now });
    const day = { body: await at("24h") };
    expect(day.body).toMatchObject({ range: "24h", bucket: "hour", received: 4, verified: 2, refused: 2, duplicates: 1 });
    expect(day.body.points).toHaveLength(24);
    const last = day.body.points[23];
    expect(last).toEqual({ t: new Date(hourStart).toISOString(), received: 3, verified: 2, refused: 1, duplicates: 1 });
    expect(day.body.points[21]).toMatchObject({ received: 1, refused: 1 });
    expect(day.body.points.slice(0, 21).every((p: { received: number }) => p.received === 0)).toBe(true);

    const week = { body: await at("7d") };
    expect(week.body).toMatchObject({ range: "7d", bucket: "day", received: 5, verified: 3, refused: 2 });
    expect(week.body.points).toHaveLength(7);
    expect(week.body.points[6].t).toBe(`${now.toISOString().slice(0, 10)}T00:00:00.000Z`);

    const month = { body: await at("30d") };
    expect(month.body).toMatchObject({ bucket: "day", received: 5 });
    expect(month.body.points).toHaveLength(30);

    const bad = await get(token, hook.id, "1y");
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0]).toMatchObject({ path: "range", message: "Use 24h, 7d or 30d" });
  });

  it("answers 404 for another workspace's endpoint and lets a Builder, not a Member, read it", async () => {
    const { ws, actor: builder } = await userInWorkspace("BUILDER");
    const { actor: member } = await userInWorkspace("MEMBER", ws.id);
    const { actor: outsider } = await userInWorkspace("ADMIN");
    const hook = await endpointIn(ws.id);
    await expect(webhookStats({ actor: builder, endpointId: hook.id, range: "24h" })).resolves.toMatchObject({ received: 0 });
    await expect(webhookStats({ actor: member, endpointId: hook.id, range: "24h" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(webhookStats({ actor: outsider, endpointId: hook.id, range: "24h" })).rejects.toMatchObject({ code: "not_found" });
    await expect(webhookStats({ actor: builder, endpointId: "nope", range: "24h" })).rejects.toMatchObject({ code: "not_found" });
  });
});
