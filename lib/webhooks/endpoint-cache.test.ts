import { beforeEach, describe, expect, it, vi } from "vitest";

// The ingress's endpoint cache: unknown ids (anyone may post to any id) are kept apart in a small bounded map,
// so a flood of them never pushes out the endpoints that exist.

const findFirst = vi.hoisted(() => vi.fn());
vi.mock("../db/client", () => ({ db: { webhookEndpoint: { findFirst }, credential: { findMany: vi.fn(async () => []) } } }));

const { clearWebhookCache, ingressEndpoint, invalidateWebhook } = await import("./endpoint-cache");

const liveRow = {
  id: "live",
  workspaceId: "ws",
  scheme: "secret-header",
  options: {},
  targetType: "worker",
  workerId: "w1",
  workflowId: null,
  worker: { deliveryUrl: null },
  workflow: null,
  mode: "async",
  syncTimeoutMs: 30_000,
  redactFields: [],
  maxBodyBytes: 1024 * 1024,
  enabled: true,
  secrets: [],
};
const loadsOf = (id: string) => findFirst.mock.calls.filter(([q]) => (q as { where: { id: string } }).where.id === id).length;

beforeEach(() => {
  clearWebhookCache();
  findFirst.mockReset();
  findFirst.mockImplementation(async ({ where }: { where: { id: string } }) => (where.id === "live" ? liveRow : null));
});

describe("ingressEndpoint cache", () => {
  it("keeps a live endpoint cached through 10,001 unknown ids, and bounds the unknown ones (oldest dropped)", async () => {
    expect(await ingressEndpoint("live")).toMatchObject({ id: "live", targetId: "w1" });
    for (let i = 0; i <= 10_000; i++) expect(await ingressEndpoint(`nope_${i}`)).toBeNull();
    expect(await ingressEndpoint("live")).toMatchObject({ id: "live" });
    expect(loadsOf("live")).toBe(1);
    // The newest unknown id is remembered; the oldest was dropped and is looked up again.
    await ingressEndpoint("nope_10000");
    expect(loadsOf("nope_10000")).toBe(1);
    await ingressEndpoint("nope_0");
    expect(loadsOf("nope_0")).toBe(2);
  });

  it("looks an id up once for concurrent requests, and again after an invalidation", async () => {
    const [a, b] = await Promise.all([ingressEndpoint("live"), ingressEndpoint("live")]);
    expect(a).toBe(b);
    expect(loadsOf("live")).toBe(1);
    invalidateWebhook("live");
    await ingressEndpoint("live");
    expect(loadsOf("live")).toBe(2);
    await ingressEndpoint("nope");
    invalidateWebhook("nope");
    await ingressEndpoint("nope");
    expect(loadsOf("nope")).toBe(2);
  });

  it("does not keep a failed lookup", async () => {
    findFirst.mockRejectedValueOnce(new Error("database down"));
    await expect(ingressEndpoint("live")).rejects.toThrow("database down");
    expect(await ingressEndpoint("live")).toMatchObject({ id: "live" });
    expect(loadsOf("live")).toBe(2);
  });
});
