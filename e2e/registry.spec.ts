import { expect, test } from "@playwright/test";
import { E2E } from "./support/env";
import { bearer, signInAsAdmin, unique } from "./support/helpers";

// Issue 4's scenario end to end: the ARCHITECTURE.md config shape creates two vendor platforms and a self-hosted
// deployment; in the console the admin gives a logical model three routes and sees the failover chain; the
// registry refuses to delete what a model routes to, and exports without a single key value.
test("a model routed over OpenAI, Azure and a self-hosted deployment shows its failover chain", async ({ page, request }) => {
  const s = unique("r");
  const openai = `OpenAI US-West ${s}`;
  const azure = `Azure OpenAI East ${s}`;
  const cluster = `deepseek-v3-cluster-${s}`;
  const model = `gpt-4-turbo-${s}`;
  const keyValues = [`sk-primary-${s}-AAAA1111`, `sk-backup-${s}-BBBB2222`, `azure-key-${s}-CCCC3333`];
  const config = `
platforms:
  - name: ${openai}
    vendor: openai
    baseUrl: https://api.openai.com/v1
    keys:
      - { value: "${keyValues[0]}", description: primary, weight: 1 }
      - { value: "${keyValues[1]}", description: backup, weight: 1 }
  - name: ${azure}
    vendor: azure
    baseUrl: https://my-resource.openai.azure.com/openai
    apiVersion: "2024-06-01"
    keys: [{ value: "${keyValues[2]}" }]
deployments:
  - name: ${cluster}
    internal: true
    strategy: round-robin
    healthCheck: { intervalSeconds: 30 }
    instances:
      - { url: http://127.0.0.1:9/v1, replicas: 4, gpu: 4xA100 }
`;
  const applied = await request.post("/api/admin/config", {
    headers: { ...bearer(E2E.envToken), "content-type": "application/yaml" },
    data: config,
  });
  expect(applied.status(), await applied.text()).toBe(200);
  expect((await applied.json()).summary.create).toBeGreaterThanOrEqual(3);

  const created = await request.post("/api/admin/models", {
    headers: bearer(E2E.envToken),
    data: {
      name: model,
      provider: "OpenAI",
      contextWindow: 128000,
      maxOutputTokens: 4096,
      features: ["streaming", "function-calling", "structured-output"],
      modalities: ["text", "image"],
      pricing: { inputPerMillion: 10, outputPerMillion: 30, cachedInputPerMillion: 5 },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = await created.json();

  await signInAsAdmin(page);
  await page.goto(`/w/default/providers/models/${id}`);
  await page.getByRole("button", { name: "Edit routes" }).click();
  const routes = [
    { target: `${openai} (openai)`, upstream: "", priority: "1" },
    { target: `${azure} (azure)`, upstream: "gpt-4-turbo", priority: "2" },
    { target: `${cluster} (vllm)`, upstream: "deepseek-v3", priority: "3" },
  ];
  for (const [i, r] of routes.entries()) {
    await page.getByRole("button", { name: "Add route" }).click();
    await page.getByLabel(`Route ${i + 1} target`).selectOption({ label: r.target });
    if (r.upstream) await page.getByLabel(`Route ${i + 1} upstream model`).fill(r.upstream);
    await page.getByLabel(`Route ${i + 1} priority`).fill(r.priority);
  }
  // Optional per-route timeouts, checked against each other before saving.
  await page.getByLabel("Route 2 first-token timeout (ms)").fill("5000");
  await page.getByLabel("Route 2 total timeout (ms)").fill("1000");
  await page.getByRole("button", { name: "Save routes" }).click();
  await expect(page.getByText("Must not exceed the total timeout")).toBeVisible();
  await page.getByLabel("Route 2 total timeout (ms)").fill("120000");
  await page.getByRole("button", { name: "Save routes" }).click();
  const chain = page.getByRole("list", { name: "Failover chain" });
  await expect(chain.getByRole("listitem")).toHaveCount(3);
  await expect(chain.getByRole("listitem").nth(1)).toContainText("timeouts — / 5,000 / 120,000 ms");
  await expect(chain.getByRole("listitem").nth(0)).not.toContainText("timeouts");
  await expect(chain.getByRole("listitem").nth(0)).toContainText(`1 · ${openai} · ${model}`);
  await expect(chain.getByRole("listitem").nth(1)).toContainText(`2 · ${azure} · deployment gpt-4-turbo`);
  await expect(chain.getByRole("listitem").nth(2)).toContainText(`3 · ${cluster} (self-hosted) · deepseek-v3`);

  // What a model routes to cannot be deleted from under it.
  const platforms = await (
    await request.get(`/api/admin/platforms?q=${encodeURIComponent(openai)}`, { headers: bearer(E2E.envToken) })
  ).json();
  const refused = await request.delete(`/api/admin/platforms/${platforms.data[0].id}`, { headers: bearer(E2E.envToken) });
  expect(refused.status()).toBe(409);
  expect(await refused.text()).toContain(model);

  // The export carries the whole registry in the config shape, with ${env:...} where the keys were.
  const exported = await (await request.get("/api/admin/config", { headers: bearer(E2E.envToken) })).text();
  expect(exported).toContain(`name: ${model}`);
  expect(exported).toContain(cluster);
  expect(exported).toMatch(/upstreamModel: gpt-4-turbo\s+timeouts:\s+firstTokenMs: 5000\s+totalMs: 120000/);
  for (const v of keyValues) expect(exported).not.toContain(v);
  expect(await page.content()).not.toContain(keyValues[0]);
});
