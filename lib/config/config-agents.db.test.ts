import { describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { applyConfig } from "./apply-config";
import { exportConfig } from "./export-config";
import { createWorkspace, tokenActor } from "../testing/factories";
import { db, useTestDb } from "../testing/db";
import { expectAppError } from "../testing/errors";
import { createConnectorRow, importTinyProvider } from "../agents/test-fixtures";

useTestDb();

const actor: Actor = { type: "config", source: "switchboard.yaml" };

/** A workspace with a provider (operations listCharges, createCharge, getCharge, refundCharge) and two connectors. */
async function setup() {
  const ws = await createWorkspace();
  const provider = await importTinyProvider(tokenActor, ws.id);
  await createConnectorRow({ workspaceId: ws.id, providerId: provider.id, name: "billing-prod" });
  await createConnectorRow({ workspaceId: ws.id, providerId: provider.id, name: "billing-test" });
  return ws;
}

type Entry = { connector: string; operations?: string[] };

function docFor(workspace: string) {
  const entries = (...e: Entry[]) => e;
  return {
    workers: [
      {
        name: "triage",
        workspace,
        description: "Sorts incoming issues",
        connectors: entries({ connector: "billing-test" }, { connector: "billing-prod", operations: ["getCharge"] }),
      },
    ],
    workflows: [
      {
        name: "onboarding",
        workspace,
        nodes: [
          { name: "fetch-account", connectors: entries({ connector: "billing-prod" }) },
          { name: "notify" } as { name: string; connectors?: Entry[] },
          { name: "close" },
        ],
      },
    ],
    skills: [{ name: "refunds", workspace, connectors: entries({ connector: "billing-prod", operations: ["refundCharge", "getCharge"] }) }],
  };
}

async function stateOf(workspaceId: string) {
  const assignments = await db.connectorAssignment.findMany({
    where: { workspaceId },
    select: { targetType: true, operationIds: true, connector: { select: { name: true } }, worker: true, skill: true, node: true },
    orderBy: [{ targetType: "asc" }, { connector: { name: "asc" } }],
  });
  const nodes = await db.workflowNode.findMany({
    where: { workflow: { workspaceId } },
    orderBy: { position: "asc" },
    select: { name: true },
  });
  return {
    workers: await db.worker.findMany({ where: { workspaceId }, select: { name: true, description: true, source: true } }),
    skills: await db.skill.findMany({ where: { workspaceId }, select: { name: true } }),
    nodes: nodes.map((n) => n.name),
    assignments: assignments.map((a) => ({
      at: a.worker?.name ?? a.skill?.name ?? a.node?.name,
      connector: a.connector.name,
      operationIds: a.operationIds,
    })),
    audit: await db.auditEntry.count(),
  };
}

const sectionsOf = (exported: Record<string, unknown[]>, workspace: string) =>
  Object.fromEntries(
    ["workers", "workflows", "skills"].map((k) => [
      k,
      ((exported[k] ?? []) as Record<string, unknown>[]).filter((item) => item.workspace === workspace),
    ]),
  );

describe("configuration sections workers, workflows and skills", () => {
  it("creates them with their nodes and assignments, and a second apply changes nothing", async () => {
    const ws = await setup();
    const first = await applyConfig({ actor, doc: docFor(ws.name) });
    expect(first.changes).toEqual([
      { section: "workers", name: `${ws.name}/triage`, action: "create" },
      { section: "workflows", name: `${ws.name}/onboarding`, action: "create" },
      { section: "skills", name: `${ws.name}/refunds`, action: "create" },
    ]);
    const state = await stateOf(ws.id);
    expect(state.workers).toEqual([{ name: "triage", description: "Sorts incoming issues", source: "config" }]);
    expect(state.nodes).toEqual(["fetch-account", "notify", "close"]);
    expect(state.assignments).toEqual(
      expect.arrayContaining([
        { at: "fetch-account", connector: "billing-prod", operationIds: [] },
        { at: "refunds", connector: "billing-prod", operationIds: ["refundCharge", "getCharge"] },
        { at: "triage", connector: "billing-prod", operationIds: ["getCharge"] },
        { at: "triage", connector: "billing-test", operationIds: [] },
      ]),
    );
    expect(state.assignments).toHaveLength(4);
    // Through the domain functions: each assignment is audited like one made in the console.
    expect(await db.auditEntry.count({ where: { workspaceId: ws.id, action: "worker.connector.assign" } })).toBe(2);

    const updatedAt = (await db.worker.findFirstOrThrow({ where: { workspaceId: ws.id } })).updatedAt;
    const second = await applyConfig({ actor, doc: docFor(ws.name) });
    expect(second.changes.map((c) => c.action)).toEqual(["unchanged", "unchanged", "unchanged"]);
    expect(await stateOf(ws.id)).toEqual(state);
    expect((await db.worker.findFirstOrThrow({ where: { workspaceId: ws.id } })).updatedAt).toEqual(updatedAt);
  });

  it("makes named objects match the file: missing assignments and nodes removed, nodes in the file's order", async () => {
    const ws = await setup();
    await applyConfig({ actor, doc: docFor(ws.name) });
    const doc = docFor(ws.name);
    doc.workers[0].connectors = [{ connector: "billing-prod" }];
    doc.workflows[0].nodes = [
      { name: "close" },
      { name: "fetch-account" },
      { name: "escalate", connectors: [{ connector: "billing-test" }] },
    ];
    doc.skills[0].connectors = [{ connector: "billing-prod", operations: ["getCharge"] }];
    // A dry run reports the same changes and writes nothing.
    const untouched = await stateOf(ws.id);
    const dry = await applyConfig({ actor, doc, dryRun: true });
    expect(await stateOf(ws.id)).toEqual(untouched);
    const result = await applyConfig({ actor, doc });
    expect(dry.changes).toEqual(result.changes);
    expect(result.changes).toEqual([
      expect.objectContaining({
        section: "workers",
        action: "update",
        fields: ["connectors[billing-test] removed", "connectors[billing-prod] operations"],
      }),
      expect.objectContaining({
        section: "workflows",
        action: "update",
        fields: [
          "nodes[notify] removed",
          "nodes[close] moved",
          "nodes[fetch-account].connectors[billing-prod] removed",
          "nodes[escalate] added",
          "nodes[escalate].connectors[billing-test] added",
        ],
      }),
      expect.objectContaining({ section: "skills", action: "update", fields: ["connectors[billing-prod] operations"] }),
    ]);
    const state = await stateOf(ws.id);
    expect(state.nodes).toEqual(["close", "fetch-account", "escalate"]);
    expect(state.assignments).toHaveLength(3);
    expect(state.assignments).toEqual(
      expect.arrayContaining([
        { at: "escalate", connector: "billing-test", operationIds: [] },
        { at: "refunds", connector: "billing-prod", operationIds: ["getCharge"] },
        { at: "triage", connector: "billing-prod", operationIds: [] },
      ]),
    );
    expect(await db.auditEntry.count({ where: { workspaceId: ws.id, action: "worker.connector.unassign" } })).toBe(1);
    expect(await db.auditEntry.count({ where: { workspaceId: ws.id, action: "workflow.node.delete" } })).toBe(1);
    // Left out of the file: the object keeps its description and assignments; unnamed objects stay.
    await applyConfig({ actor, doc: { workers: [{ name: "TRIAGE", workspace: ws.name }] } });
    expect(await stateOf(ws.id)).toEqual({ ...state, audit: state.audit });
  });

  it("exports connectors by name, operations by id and nodes in order, and the export applies back to the same export", async () => {
    const ws = await setup();
    await applyConfig({ actor, doc: docFor(ws.name) });
    const exported = sectionsOf(await exportConfig({ actor: tokenActor }), ws.name);
    expect(exported).toEqual({
      workers: [
        {
          name: "triage",
          workspace: ws.name,
          description: "Sorts incoming issues",
          connectors: [{ connector: "billing-prod", operations: ["getCharge"] }, { connector: "billing-test" }],
        },
      ],
      workflows: [
        {
          name: "onboarding",
          workspace: ws.name,
          nodes: [{ name: "fetch-account", connectors: [{ connector: "billing-prod" }] }, { name: "notify" }, { name: "close" }],
        },
      ],
      skills: [
        { name: "refunds", workspace: ws.name, connectors: [{ connector: "billing-prod", operations: ["refundCharge", "getCharge"] }] },
      ],
    });
    // On a workspace without them (its connectors kept), the export creates them again and exports the same.
    await db.worker.deleteMany({ where: { workspaceId: ws.id } });
    await db.workflow.deleteMany({ where: { workspaceId: ws.id } });
    await db.skill.deleteMany({ where: { workspaceId: ws.id } });
    expect(await db.connectorAssignment.count({ where: { workspaceId: ws.id } })).toBe(0);
    const applied = await applyConfig({ actor, doc: exported });
    expect(applied.changes.map((c) => c.action)).toEqual(["create", "create", "create"]);
    expect(sectionsOf(await exportConfig({ actor: tokenActor }), ws.name)).toEqual(exported);
    expect((await applyConfig({ actor, doc: exported })).changes.every((c) => c.action === "unchanged")).toBe(true);
  });

  it("names the entry and field of a wrong reference and applies nothing", async () => {
    const ws = await setup();
    const other = await setup();
    await applyConfig({ actor, doc: docFor(ws.name) });
    const before = await stateOf(ws.id);
    const cases: [(d: ReturnType<typeof docFor>) => void, string, RegExp][] = [
      [
        (d) => d.workers[0].connectors.push({ connector: "nope" }),
        "workers[0].connectors[2].connector",
        new RegExp(`No connector named nope in workspace ${ws.name}`),
      ],
      [
        (d) => d.skills[0].connectors.push({ connector: "billing-test", operations: ["getCharge", "voidEverything"] }),
        "skills[0].connectors[1].operations[1]",
        /billing-test.*no operation voidEverything/,
      ],
      [
        (d) => (d.skills[0].connectors = [{ connector: "billing-test" }]),
        "skills[0].connectors[0].operations",
        /billing-test.*at least one operation/i,
      ],
      [
        (d) => d.workflows[0].nodes.push({ name: "pay", connectors: [{ connector: "billing-prod", operations: ["nope"] }] }),
        "workflows[0].nodes[3].connectors[0].operations[0]",
        /no operation nope/,
      ],
      // A connector of another workspace is not found, not borrowed.
      [
        (d) => d.workers[0].connectors.push({ connector: "shared-elsewhere" }),
        "workers[0].connectors[2].connector",
        /No connector named shared-elsewhere/,
      ],
    ];
    const provider = await db.provider.findFirstOrThrow({ where: { workspaceId: other.id } });
    await createConnectorRow({ workspaceId: other.id, providerId: provider.id, name: "shared-elsewhere" });
    for (const [change, path, message] of cases) {
      const doc = docFor(ws.name);
      change(doc);
      // The file also creates a new worker first: the whole apply is rolled back.
      doc.workers.unshift({ name: "extra", workspace: ws.name, description: "new", connectors: [{ connector: "billing-prod" }] });
      const shifted = path.replace(/^workers\[(\d+)\]/, (_, i) => `workers[${Number(i) + 1}]`);
      const e = await expectAppError(applyConfig({ actor, doc }), "validation_failed");
      expect(e.fields, path).toEqual([{ path: shifted, message: expect.stringMatching(message) }]);
      expect(await stateOf(ws.id)).toEqual(before);
    }
    expect(await stateOf(other.id)).toMatchObject({ workers: [], skills: [], assignments: [] });
  });

  it("refuses a duplicate connector or node in one list, by path", async () => {
    const ws = await setup();
    const doc = docFor(ws.name);
    doc.workers[0].connectors.push({ connector: "BILLING-TEST" });
    doc.workflows[0].nodes.push({ name: "Notify" });
    const e = await expectAppError(applyConfig({ actor, doc }), "validation_failed");
    expect(e.fields?.map((f) => f.path)).toEqual(["workers[0].connectors[2].connector", "workflows[0].nodes[3].name"]);
    expect(await db.worker.count({ where: { workspaceId: ws.id } })).toBe(0);
  });
});
