import { expect, test } from "@playwright/test";
import { E2E } from "./support/env";
import { addMemberViaApi, bearer, createWorkspaceViaApi, signInViaApi, unique } from "./support/helpers";

test.describe("Agents: workers, workflows and skills", () => {
  test("a Builder creates a worker, a workflow with two nodes and a skill, renames one and deletes one after confirming", async ({
    page,
    request,
  }) => {
    test.setTimeout(120_000);
    const ws = await createWorkspaceViaApi(request);
    const email = `${unique("agents-builder")}@e2e.test`;
    await addMemberViaApi(request, ws.id, { email, role: "BUILDER", name: "Agents Builder", password: "builder-password-9" });
    await signInViaApi(page.request, email, "builder-password-9");
    const admin = { headers: bearer(E2E.envToken) };

    // Worker: from the navigation, an empty list, then the create dialog (validated before it is sent).
    await page.goto(`/w/${ws.slug}`);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workers" }).click();
    await expect(page.getByRole("heading", { name: "Workers", exact: true })).toBeVisible();
    await expect(page.getByText("No workers yet")).toBeVisible();
    await page.getByRole("button", { name: "New worker" }).click();
    let dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("a/b");
    await dialog.getByRole("button", { name: "Create worker" }).click();
    await expect(dialog.getByRole("alert")).toContainText("Use letters, digits");
    await dialog.getByLabel("Name").fill("Triage bot");
    await dialog.getByLabel("Description").fill("Sorts incoming tickets");
    await dialog.getByRole("button", { name: "Create worker" }).click();
    await expect(page.getByTestId("agent-name")).toHaveText("Triage bot");
    await expect(page.getByText("No connectors assigned")).toBeVisible();
    await expect(page.getByText("No tools here yet")).toBeVisible();

    // Rename it on its page.
    await page.getByRole("button", { name: "Rename" }).click();
    dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("Ticket triage");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(page.getByTestId("agent-name")).toHaveText("Ticket triage");
    const workers = await (await request.get("/api/admin/workers", { ...admin, params: { workspaceId: ws.id } })).json();
    expect(workers.data).toEqual([expect.objectContaining({ name: "Ticket triage", description: "Sorts incoming tickets" })]);

    // Workflow with two nodes.
    await page.getByRole("tablist", { name: "Agents" }).getByRole("tab", { name: "Workflows" }).click();
    await expect(page.getByText("No workflows yet")).toBeVisible();
    await page.getByRole("button", { name: "New workflow" }).click();
    dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("Onboarding");
    await dialog.getByRole("button", { name: "Create workflow" }).click();
    await expect(page.getByTestId("agent-name")).toHaveText("Onboarding");
    await expect(page.getByText("No nodes yet")).toBeVisible();
    for (const name of ["Collect details", "Send welcome"]) {
      await page.getByRole("button", { name: "Add node" }).click();
      dialog = page.getByRole("dialog");
      await dialog.getByLabel("Name").fill(name);
      await dialog.getByRole("button", { name: "Add node" }).click();
      await expect(dialog).toBeHidden();
    }
    const nodes = page.getByRole("list", { name: "Nodes" }).getByRole("listitem");
    await expect(nodes).toHaveCount(2);
    await expect(nodes.nth(0)).toContainText("Collect details");
    await expect(nodes.nth(1)).toContainText("Send welcome");
    // Move the second node up: the order is kept by the server.
    await page.getByRole("button", { name: "Move Send welcome up" }).click();
    await expect(nodes.nth(0)).toContainText("Send welcome");
    const wfList = await (await request.get("/api/admin/workflows", { ...admin, params: { workspaceId: ws.id } })).json();
    const wf = await (await request.get(`/api/admin/workflows/${wfList.data[0].id}`, admin)).json();
    expect(wf.nodes.map((n: { name: string }) => n.name)).toEqual(["Send welcome", "Collect details"]);

    // Skill, then delete it from the list after confirming (Cancel first: nothing happens).
    await page.getByRole("tablist", { name: "Agents" }).getByRole("tab", { name: "Skills" }).click();
    await page.getByRole("button", { name: "New skill" }).click();
    dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("Refunds");
    await dialog.getByRole("button", { name: "Create skill" }).click();
    await expect(page.getByTestId("agent-name")).toHaveText("Refunds");
    await page.getByRole("link", { name: "All skills" }).click();
    await page.getByLabel("Search by name or description").fill("refu");
    const row = page.getByRole("row").filter({ hasText: "Refunds" });
    await expect(row).toBeVisible();
    await row.getByRole("button", { name: "Delete Refunds" }).click();
    let confirm = page.getByRole("alertdialog");
    await expect(confirm).toContainText("Delete Refunds?");
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(row).toBeVisible();
    await row.getByRole("button", { name: "Delete Refunds" }).click();
    confirm = page.getByRole("alertdialog");
    await confirm.getByRole("button", { name: "Delete skill" }).click();
    await expect(page.getByText("No skill matches")).toBeVisible();
    const skills = await (await request.get("/api/admin/skills", { ...admin, params: { workspaceId: ws.id } })).json();
    expect(skills.data).toEqual([]);
    const audit = await (await request.get("/api/admin/audit", { ...admin, params: { workspaceId: ws.id, limit: 50 } })).json();
    expect(audit.data.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(["skill.delete", "worker.update", "workflow.node.create"]),
    );
  });
});
