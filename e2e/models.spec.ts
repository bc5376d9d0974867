import { expect, test, type APIRequestContext } from "@playwright/test";
import { E2E } from "./support/env";
import { addMemberViaApi, bearer, signInAsAdmin, signInViaApi, unique } from "./support/helpers";

const modelsUrl = "/w/default/providers/models";

async function createModelViaApi(request: APIRequestContext, name: string, input: string, features: string[]) {
  const res = await request.post("/api/admin/models", {
    headers: bearer(E2E.envToken),
    data: {
      name,
      provider: "E2E Labs",
      contextWindow: 32000,
      maxOutputTokens: 4096,
      features,
      pricing: { inputPerMillion: input, outputPerMillion: "1" },
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string };
}

test.describe("LLM models", () => {
  test("an admin adds a model from the catalog, changes its price, filters and sorts, disables and deletes it", async ({
    page,
    request,
  }) => {
    await signInAsAdmin(page);
    await page.goto(modelsUrl);
    const name = unique("haiku");

    // Add from the catalog: everything is prefilled, including the list prices.
    await page.getByRole("button", { name: "Add model" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Start from the catalog").selectOption("claude-3-5-haiku-20241022");
    await expect(dialog.getByLabel("Name")).toHaveValue("claude-3-5-haiku-20241022");
    await expect(dialog.getByLabel("Provider")).toHaveValue("Anthropic");
    await expect(dialog.getByLabel("Input $ / 1M tokens")).toHaveValue("0.8");
    await expect(dialog.getByLabel("Output $ / 1M tokens")).toHaveValue("4");
    await expect(dialog.getByLabel("Cached input $ / 1M")).toHaveValue("0.08");
    await expect(dialog.getByLabel("Context window (tokens)")).toHaveValue("200000");
    await expect(dialog.getByLabel("Function calling")).toBeChecked();
    await expect(dialog.getByLabel("Reasoning")).not.toBeChecked();

    // The same schema as the API checks the form; a large default context shows the cost warning.
    await dialog.getByLabel("Name").fill("has spaces");
    await dialog.getByLabel("Default context (tokens)").fill("200000");
    await expect(dialog.getByText("every call pays for the whole window")).toBeVisible();
    await dialog.getByRole("button", { name: "Add model" }).click();
    await expect(dialog.getByText("Use letters, digits and . _ : / @ + - (no spaces)")).toBeVisible();
    await dialog.getByLabel("Default context (tokens)").fill("32000");
    await expect(dialog.getByText("every call pays for the whole window")).toBeHidden();
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByRole("button", { name: "Add model" }).click();
    await expect(dialog).toBeHidden();

    const row = page.getByRole("row").filter({ hasText: name });
    await expect(row).toContainText("Anthropic");
    await expect(row).toContainText("$0.80");
    await expect(row).toContainText("$4.00");
    await expect(row).toContainText("200K");

    // A second model of the same name, in another case, is refused next to the field.
    await page.getByRole("button", { name: "Add model" }).click();
    await dialog.getByLabel("Name").fill(name.toUpperCase());
    await dialog.getByLabel("Context window (tokens)").fill("1000");
    await dialog.getByLabel("Maximum output (tokens)").fill("100");
    await dialog.getByRole("button", { name: "Add model" }).click();
    await expect(dialog.getByText("A model with this name already exists")).toBeVisible();
    await dialog.getByRole("button", { name: "Cancel" }).click();

    // Change the price: the old one stays in the history.
    await row.getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { name })).toBeVisible();
    await page.getByRole("button", { name: "Change price" }).click();
    const change = page.getByRole("dialog");
    await expect(change.getByLabel("Input $ / 1M tokens")).toHaveValue("0.8");
    await change.getByLabel("Input $ / 1M tokens").fill("0.7");
    await change.getByLabel("Output $ / 1M tokens").fill("3.5");
    await change.getByLabel("Note").fill("contract 2025");
    await change.getByRole("button", { name: "Save price" }).click();
    await expect(change).toBeHidden();
    const history = page.getByRole("table", { name: "Price history" });
    await expect(history.getByRole("row")).toHaveCount(3);
    await expect(history.getByRole("row").nth(1)).toContainText("$0.70");
    await expect(history.getByRole("row").nth(1)).toContainText("In force");
    await expect(history.getByRole("row").nth(2)).toContainText("$0.80");
    await expect(history.getByRole("row").nth(2)).toContainText("Superseded");

    // The context policy saved from the dialog, and the warning when raised again.
    await expect(page.getByLabel("Default context (tokens)")).toHaveValue("32000");
    await page.getByLabel("Default context (tokens)").fill("150000");
    await expect(page.getByText("every call pays for the whole window")).toBeVisible();
    await page.getByLabel("Default context (tokens)").fill("300000");
    await page.getByRole("button", { name: "Save policy" }).click();
    await expect(page.getByText("Must not exceed the context window (200,000)")).toBeVisible();

    // Filter by feature and sort by price, with two more models created through the API.
    const tag = unique("sort");
    await createModelViaApi(request, `${tag}-cheap`, "0.01", ["function-calling"]);
    await createModelViaApi(request, `${tag}-dear`, "99", ["function-calling", "reasoning"]);
    await page.goto(modelsUrl);
    await page.getByRole("searchbox", { name: "Search models" }).fill(tag);
    const names = page.getByRole("table", { name: "Models" }).getByRole("link");
    await expect(names).toHaveText([`${tag}-cheap`, `${tag}-dear`]);
    await page.getByLabel("Sort by").selectOption("input-desc");
    await expect(names).toHaveText([`${tag}-dear`, `${tag}-cheap`]);
    await page.getByLabel("Sort by").selectOption("input-asc");
    await expect(names).toHaveText([`${tag}-cheap`, `${tag}-dear`]);
    await page.getByLabel("Feature").selectOption("reasoning");
    await expect(names).toHaveText([`${tag}-dear`]);
    await page.getByRole("searchbox", { name: "Search models" }).fill(name);
    await expect(page.getByText("No model matches")).toBeVisible();
    await page.getByLabel("Feature").selectOption("function-calling");
    await expect(names).toHaveText([name]);

    // Disable, then delete with the confirmation.
    await names.first().click();
    await page.getByRole("button", { name: "Disable" }).click();
    await expect(page.getByRole("button", { name: "Enable" })).toBeVisible();
    await expect(page.getByRole("heading", { name })).toContainText("Inactive");
    const listed = await (await request.get(`/api/admin/models?q=${name}`, { headers: bearer(E2E.envToken) })).json();
    expect(listed.data[0]).toMatchObject({ name, status: "inactive" });
    await page.getByRole("button", { name: "Delete" }).click();
    const confirm = page.getByRole("alertdialog");
    await expect(confirm).toContainText(`Delete ${name}?`);
    await expect(confirm).toContainText("price history (2 prices)");
    await confirm.getByRole("button", { name: "Delete model" }).click();
    await expect(page).toHaveURL(new RegExp(`${modelsUrl}$`));
    await page.getByRole("searchbox", { name: "Search models" }).fill(name);
    await expect(page.getByText("No model matches")).toBeVisible();
    const audit = await (await request.get(`/api/admin/audit?targetType=model&limit=200`, { headers: bearer(E2E.envToken) })).json();
    const actions = (audit.data as { action: string; targetLabel: string }[]).filter((a) => a.targetLabel === name).map((a) => a.action);
    expect(actions.sort()).toEqual(["model.create", "model.delete", "model.disable", "model.price.add"]);
  });

  test("?register= opens Add model prefilled from the catalog", async ({ page }) => {
    await signInAsAdmin(page);
    await page.goto(`${modelsUrl}?register=gpt-4o`);
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByLabel("Name")).toHaveValue("gpt-4o");
    await expect(dialog.getByLabel("Input $ / 1M tokens")).toHaveValue("2.5");
    await expect(dialog.getByLabel("Output $ / 1M tokens")).toHaveValue("10");
    await expect(dialog.getByLabel("Upstream model")).toHaveValue("gpt-4o");
  });

  test("a Builder reads models and the catalog but cannot change them", async ({ browser, request }) => {
    const ws = await (await request.get("/api/admin/workspaces/default", { headers: bearer(E2E.envToken) })).json();
    const email = `${unique("model-builder")}@e2e.test`;
    await addMemberViaApi(request, ws.id, { email, role: "BUILDER", name: "Model Builder", password: "builder-password-3" });
    const model = await createModelViaApi(request, unique("builder-visible"), "1", []);
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signInViaApi(page.request, email, "builder-password-3");
    await page.goto(modelsUrl);
    await expect(page.getByRole("heading", { name: "LLM Models" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Add model" })).toHaveCount(0);
    expect((await page.request.get("/api/admin/catalog/models")).status()).toBe(200);
    const patch = await page.request.patch(`/api/admin/models/${model.id}`, {
      data: { status: "inactive" },
      headers: { origin: E2E.baseURL },
    });
    expect(patch.status()).toBe(403);
    await ctx.close();
  });
});
