import { describe, expect, it } from "vitest";
import { createDeploymentSchema, instanceInputSchema, updateDeploymentSchema, updateInstanceSchema } from "./deployments";
import { zodProblems } from "./zod";

const problems = (r: { success: boolean; error?: unknown }) => (r.success ? [] : zodProblems(r.error as never));

describe("deployment schemas", () => {
  it("fills the documented defaults", () => {
    const d = createDeploymentSchema.parse({ name: "deepseek-v3-cluster", instances: [{ url: "http://10.0.0.5:8000/v1/" }] });
    expect(d).toMatchObject({
      engine: "vllm",
      strategy: "round-robin",
      internal: false,
      model: "",
      healthCheck: { intervalSeconds: 30, path: "/models", timeoutMs: 5000, unhealthyAfter: 3, healthyAfter: 2 },
    });
    // A trailing slash is dropped so URLs compare equal.
    expect(d.instances[0]).toEqual({ url: "http://10.0.0.5:8000/v1", replicas: 1, gpu: "", weight: 1, enabled: true });
  });

  it("accepts the ARCHITECTURE.md example item", () => {
    const r = createDeploymentSchema.safeParse({
      name: "deepseek-v3-cluster",
      internal: true,
      strategy: "round-robin",
      healthCheck: { intervalSeconds: 30 },
      instances: [
        { url: "http://10.0.0.5:8000/v1", replicas: 4, gpu: "4xA100" },
        { url: "http://10.0.0.6:8000/v1", replicas: 4, gpu: "4xA100" },
      ],
    });
    expect(problems(r)).toEqual([]);
  });

  it("bounds the health check settings", () => {
    const bad = createDeploymentSchema.safeParse({
      name: "x1",
      healthCheck: { intervalSeconds: 0, timeoutMs: 99, unhealthyAfter: 21, healthyAfter: 0, path: "models" },
    });
    expect(
      problems(bad)
        .map((p) => p.path)
        .sort(),
    ).toEqual([
      "healthCheck.healthyAfter",
      "healthCheck.intervalSeconds",
      "healthCheck.path",
      "healthCheck.timeoutMs",
      "healthCheck.unhealthyAfter",
    ]);
    expect(problems(createDeploymentSchema.safeParse({ name: "x1", healthCheck: { intervalSeconds: 3601 } }))[0]).toEqual({
      path: "healthCheck.intervalSeconds",
      message: "Must be at most 3600",
    });
    expect(problems(createDeploymentSchema.safeParse({ name: "x1", healthCheck: { intervalSeconds: 1.5 } }))[0].message).toBe(
      "Must be a whole number",
    );
  });

  it("refuses non-http URLs, bad replicas and weights, and duplicate instance URLs", () => {
    expect(problems(instanceInputSchema.safeParse({ url: "ftp://h/v1" }))[0].path).toBe("url");
    expect(problems(instanceInputSchema.safeParse({ url: "not a url" }))[0].path).toBe("url");
    expect(problems(instanceInputSchema.safeParse({ url: "http://h/v1", replicas: 0 }))[0].path).toBe("replicas");
    expect(problems(instanceInputSchema.safeParse({ url: "http://h/v1", weight: 101 }))[0].path).toBe("weight");
    const dup = createDeploymentSchema.safeParse({ name: "dup", instances: [{ url: "http://h:1/v1" }, { url: "http://H:1/v1/" }] });
    expect(problems(dup)).toEqual([{ path: "instances[1].url", message: "Same URL as instance 1" }]);
  });

  it("refuses unknown fields and unknown engines or strategies", () => {
    expect(problems(createDeploymentSchema.safeParse({ name: "ok-name", engine: "ollama" }))[0].path).toBe("engine");
    expect(problems(createDeploymentSchema.safeParse({ name: "ok-name", strategy: "random" }))[0].path).toBe("strategy");
    expect(problems(createDeploymentSchema.safeParse({ name: "ok-name", replicas: 2 }))[0].message).toBe("Unknown field: replicas");
  });

  it("update schemas leave omitted fields out instead of defaulting them", () => {
    expect(updateDeploymentSchema.parse({ healthCheck: { intervalSeconds: 5 } })).toEqual({ healthCheck: { intervalSeconds: 5 } });
    expect(updateInstanceSchema.parse({ enabled: false })).toEqual({ enabled: false });
  });
});
