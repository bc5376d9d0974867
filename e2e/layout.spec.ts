import type http from "node:http";
import { expect, test } from "@playwright/test";
import { E2E } from "./support/env";
import { createKeyViaApi } from "./support/gateway";
import { bearer, createWorkspaceViaApi, signInAsAdmin, unique } from "./support/helpers";
import { startJsonUpstream } from "./support/upstream";

// The console's frame on a laptop screen (1440 x 900) with real traffic: wide tables scroll inside their card
// instead of pushing the page sideways, and the sidebar spans the window however far a long page is scrolled.

const REQUESTS = 60;
let upstream: http.Server;
let ws: { id: string; slug: string; name: string };

test.use({ viewport: { width: 1440, height: 900 } });

test.beforeAll(async ({ request }) => {
  let base: string;
  ({ server: upstream, base } = await startJsonUpstream((body, _req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id: "chatcmpl-layout",
        object: "chat.completion",
        created: 1,
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
        usage: { prompt_tokens: 123_456, completion_tokens: 7_890, total_tokens: 131_346 },
      }),
    );
  }));
  ws = await createWorkspaceViaApi(request, unique("layout"));
  const s = unique("l");
  const model = `layout-model-with-a-long-name-${s}`;
  const applied = await request.post("/api/admin/config", {
    headers: bearer(E2E.envToken),
    data: {
      platforms: [
        {
          name: `Layout upstream platform ${s}`,
          vendor: "openai-compatible",
          baseUrl: base,
          internal: true,
          keys: [{ value: `sk-layout-${s}` }],
        },
      ],
      models: [
        {
          name: model,
          pricing: { inputPerMillion: 1, outputPerMillion: 2 },
          contextWindow: 8000,
          maxOutputTokens: 1000,
          routes: [{ platform: `Layout upstream platform ${s}`, priority: 1, upstreamModel: "upstream-model-name" }],
        },
      ],
    },
  });
  expect(applied.status(), await applied.text()).toBe(200);
  const key = (await createKeyViaApi(request, ws.id, { name: "a-key-with-a-descriptive-name" })).value;
  // The routing snapshot is rebuilt within ~2 s of a change: retry the first call until the key and model are live.
  for (let sent = 0, tries = 0; sent < REQUESTS; tries++) {
    const res = await fetch(`${E2E.baseURL}/api/v1/chat/completions`, {
      method: "POST",
      headers: { ...bearer(key), "content-type": "application/json", "x-agent-id": `research-agent-${sent % 3}` },
      body: JSON.stringify({ model, user: `someone-${sent}@example.com`, messages: [{ role: "user", content: "hi" }] }),
    });
    await res.text();
    if (res.status === 200) sent++;
    else if (sent > 0 || tries > 40 || ![401, 404].includes(res.status)) throw new Error(`gateway answered ${res.status}`);
    else await new Promise((r) => setTimeout(r, 250));
  }
  await expect
    .poll(
      async () =>
        (await (await request.get(`/api/admin/usage?workspaceId=${ws.id}&groupBy=model`, { headers: bearer(E2E.envToken) })).json()).totals
          ?.requests,
      { timeout: 15_000 },
    )
    .toBe(REQUESTS);
});

test.afterAll(() => {
  upstream?.close();
});

test("Logs at 1440 px: the table scrolls inside its card, the page never sideways, and the sidebar spans a long page", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto(`/w/${ws.slug}/logs`);
  const table = page.getByRole("table", { name: "Requests" });
  await expect(table.locator("tbody tr[data-request-id]")).toHaveCount(50);

  // Nothing sticks out of the page to the right.
  const width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect.soft(width.scroll, "the page's width").toBeLessThanOrEqual(width.client);

  // The card holding the table stays within the window, and scrolling it brings the last columns into view.
  const card = table.locator("xpath=..");
  const cardBox = (await card.boundingBox())!;
  expect(cardBox.x + cardBox.width).toBeLessThanOrEqual(1440);
  await card.evaluate((el) => (el.scrollLeft = el.scrollWidth));
  for (const name of ["Tokens in / out", "Stream"]) {
    const box = (await table.getByRole("columnheader", { name }).boundingBox())!;
    expect(box.x, `${name} starts inside the card`).toBeGreaterThanOrEqual(cardBox.x);
    expect(box.x + box.width, `${name} ends inside the card`).toBeLessThanOrEqual(cardBox.x + cardBox.width + 1);
  }

  // Scrolled to the bottom of a page taller than the window, the sidebar still covers the window's height.
  const heights = await page.evaluate(() => ({ document: document.documentElement.scrollHeight, window: window.innerHeight }));
  expect(heights.document, "the page is longer than the window").toBeGreaterThan(heights.window + 200);
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
  const sidebar = page.getByRole("complementary");
  const box = (await sidebar.boundingBox())!;
  expect(box.y, "the sidebar's top").toBeLessThanOrEqual(0);
  expect(box.y + box.height, "the sidebar's bottom").toBeGreaterThanOrEqual(900);
  await expect(sidebar.getByRole("button", { name: "Sign out" })).toBeInViewport();
});
