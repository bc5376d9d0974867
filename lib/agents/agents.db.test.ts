import { beforeAll, describe, expect, it } from "vitest";
import { db, useTestDb } from "../testing/db";
import { createUser, tokenActor, userInWorkspace, addMembership, createWorkspace } from "../testing/factories";
import { expectAppError } from "../testing/errors";
import { createAgent } from "./create-agent";
import { listAgents } from "./list-agents";
import { getAgent } from "./get-agent";
import { updateAgent } from "./update-agent";
import { deleteAgent } from "./delete-agent";
import { createNode, deleteNode, listNodes, updateNode } from "./nodes";
import { assignConnector, listAssignments, removeAssignment, updateAssignment } from "./assignments";
import { previewTools } from "./preview-tools";
import { setOperationEnabled, listOperations } from "../providers/list-operations";
import { createConnectorRow, importTinyProvider } from "./test-fixtures";

useTestDb();
beforeAll(() => db.$queryRawUnsafe("SELECT 1"), 60_000);

describe("workers, workflows and skills", () => {
  it("a Builder creates, lists (search, pages), renames and deletes; each change is audited", async () => {
    const { ws, actor } = await userInWorkspace("BUILDER");
    for (const name of ["triage", "billing bot", "research"])
      await createAgent({ actor, kind: "worker", workspaceId: ws.id, input: { name } });
    await expectAppError(createAgent({ actor, kind: "worker", workspaceId: ws.id, input: { name: "TRIAGE" } }), "conflict");
    // Same name, other kind: allowed.
    await createAgent({ actor, kind: "skill", workspaceId: ws.id, input: { name: "triage" } });

    const first = await listAgents({ actor, kind: "worker", query: { workspaceId: ws.id, limit: 2 } });
    expect(first.data.map((w) => w.name)).toEqual(["billing bot", "research"]);
    const second = await listAgents({ actor, kind: "worker", query: { workspaceId: ws.id, limit: 2, cursor: first.nextCursor! } });
    expect(second).toMatchObject({ data: [{ name: "triage", kind: "worker", connectorCount: 0 }], nextCursor: null });
    expect(
      (await listAgents({ actor, kind: "worker", query: { workspaceId: ws.id, limit: 10, q: "BOT" } })).data.map((w) => w.name),
    ).toEqual(["billing bot"]);

    const triage = second.data[0];
    const renamed = await updateAgent({ actor, kind: "worker", id: triage.id, input: { name: "triage-2", description: "Sorts tickets" } });
    expect(renamed).toMatchObject({ name: "triage-2", description: "Sorts tickets" });
    await expectAppError(updateAgent({ actor, kind: "worker", id: triage.id, input: { name: "Research" } }), "conflict");
    await deleteAgent({ actor, kind: "worker", id: triage.id });
    await expectAppError(getAgent({ actor, kind: "worker", id: triage.id }), "not_found");

    const audit = await db.auditEntry.findMany({
      where: { workspaceId: ws.id, targetId: triage.id },
      orderBy: [{ at: "asc" }, { id: "asc" }],
    });
    expect(audit.map((a) => a.action)).toEqual(["worker.create", "worker.update", "worker.delete"]);
    expect(audit[1].changes).toEqual({ name: { from: "triage", to: "triage-2" }, description: { from: "", to: "Sorts tickets" } });
  });

  it("Members cannot read or change them (403); another workspace's are not found", async () => {
    const { ws, actor: builder } = await userInWorkspace("BUILDER");
    const { actor: member } = await userInWorkspace("MEMBER", ws.id);
    const w = await createAgent({ actor: builder, kind: "skill", workspaceId: ws.id, input: { name: "summarize" } });
    await expectAppError(listAgents({ actor: member, kind: "skill", query: { workspaceId: ws.id, limit: 5 } }), "forbidden");
    await expectAppError(createAgent({ actor: member, kind: "skill", workspaceId: ws.id, input: { name: "x1" } }), "forbidden");
    await expectAppError(deleteAgent({ actor: member, kind: "skill", id: w.id }), "forbidden");
    const { actor: stranger } = await userInWorkspace("ADMIN");
    await expectAppError(getAgent({ actor: stranger, kind: "skill", id: w.id }), "not_found");
    await expectAppError(updateAgent({ actor: stranger, kind: "skill", id: w.id, input: { name: "mine" } }), "not_found");
    // A skill id asked for as a worker is not found either.
    await expectAppError(getAgent({ actor: builder, kind: "worker", id: w.id }), "not_found");
  });

  it("a workflow's nodes are added, renamed, moved and deleted, staying in order", async () => {
    const { ws, actor } = await userInWorkspace("BUILDER");
    const wf = await createAgent({ actor, kind: "workflow", workspaceId: ws.id, input: { name: "onboarding" } });
    const a = await createNode({ actor, workflowId: wf.id, input: { name: "fetch" } });
    const c = await createNode({ actor, workflowId: wf.id, input: { name: "send" } });
    await createNode({ actor, workflowId: wf.id, input: { name: "decide", position: 1 } });
    const names = async () => (await listNodes({ actor, workflowId: wf.id })).data.map((n) => `${n.position}:${n.name}`);
    expect(await names()).toEqual(["0:fetch", "1:decide", "2:send"]);
    await expectAppError(createNode({ actor, workflowId: wf.id, input: { name: "Fetch" } }), "conflict");
    await updateNode({ actor, workflowId: wf.id, nodeId: c.id, input: { position: 0, name: "notify" } });
    expect(await names()).toEqual(["0:notify", "1:fetch", "2:decide"]);
    await deleteNode({ actor, workflowId: wf.id, nodeId: a.id });
    expect(await names()).toEqual(["0:notify", "1:decide"]);
    expect((await getAgent({ actor, kind: "workflow", id: wf.id })).nodes?.map((n) => n.name)).toEqual(["notify", "decide"]);
    // A node addressed under another workflow is not found.
    const other = await createAgent({ actor, kind: "workflow", workspaceId: ws.id, input: { name: "other" } });
    await expectAppError(updateNode({ actor, workflowId: other.id, nodeId: c.id, input: { name: "x2" } }), "not_found");
    const actions = (await db.auditEntry.findMany({ where: { targetId: wf.id }, orderBy: [{ at: "asc" }, { id: "asc" }] })).map(
      (e) => e.action,
    );
    expect(actions).toEqual([
      "workflow.create",
      "workflow.node.create",
      "workflow.node.create",
      "workflow.node.create",
      "workflow.node.update",
      "workflow.node.delete",
    ]);
    await deleteAgent({ actor, kind: "workflow", id: wf.id });
    expect(await db.workflowNode.count({ where: { workflowId: wf.id } })).toBe(0);
  });
});

describe("connector assignments", () => {
  it("assigns per worker, node and skill; skills pick existing, enabled operations; one assignment per connector", async () => {
    const { ws, actor } = await userInWorkspace("BUILDER");
    const provider = await importTinyProvider(actor, ws.id);
    const conn = await createConnectorRow({ workspaceId: ws.id, providerId: provider.id, name: "billing-prod" });
    const worker = await createAgent({ actor, kind: "worker", workspaceId: ws.id, input: { name: "w" } });
    const skill = await createAgent({ actor, kind: "skill", workspaceId: ws.id, input: { name: "refunds" } });
    const wf = await createAgent({ actor, kind: "workflow", workspaceId: ws.id, input: { name: "flow" } });
    const node = await createNode({ actor, workflowId: wf.id, input: { name: "step" } });

    const toWorker = await assignConnector({ actor, target: { type: "worker", workerId: worker.id }, input: { connectorId: conn.id } });
    expect(toWorker).toMatchObject({
      targetType: "worker",
      targetId: worker.id,
      operationIds: [],
      connector: { id: conn.id, name: "billing-prod" },
    });
    await expectAppError(
      assignConnector({ actor, target: { type: "worker", workerId: worker.id }, input: { connectorId: conn.id } }),
      "conflict",
    );
    await assignConnector({
      actor,
      target: { type: "node", workflowId: wf.id, nodeId: node.id },
      input: { connectorId: conn.id, operationIds: ["getCharge"] },
    });

    await expectAppError(
      assignConnector({ actor, target: { type: "skill", skillId: skill.id }, input: { connectorId: conn.id } }),
      "validation_failed",
    );
    const bad = await assignConnector({
      actor,
      target: { type: "skill", skillId: skill.id },
      input: { connectorId: conn.id, operationIds: ["getCharge", "nope"] },
    }).catch((e) => e);
    expect(bad).toMatchObject({
      code: "validation_failed",
      fields: [{ path: "operationIds[1]", message: expect.stringContaining("nope") }],
    });
    const refund = (await listOperations({ actor, providerId: provider.id, query: { limit: 10, q: "refundCharge" } })).data[0];
    await setOperationEnabled({ actor, providerId: provider.id, operationId: refund.id, enabled: false });
    await expectAppError(
      assignConnector({
        actor,
        target: { type: "skill", skillId: skill.id },
        input: { connectorId: conn.id, operationIds: ["refundCharge"] },
      }),
      "validation_failed",
    );
    const toSkill = await assignConnector({
      actor,
      target: { type: "skill", skillId: skill.id },
      input: { connectorId: conn.id, operationIds: ["getCharge", "listCharges"] },
    });
    const changed = await updateAssignment({
      actor,
      target: { type: "skill", skillId: skill.id },
      assignmentId: toSkill.id,
      input: { operationIds: ["listCharges"] },
    });
    expect(changed.operationIds).toEqual(["listCharges"]);
    await expectAppError(
      updateAssignment({ actor, target: { type: "skill", skillId: skill.id }, assignmentId: toSkill.id, input: { operationIds: [] } }),
      "validation_failed",
    );
    // An assignment addressed through another target is not found.
    await expectAppError(
      removeAssignment({ actor, target: { type: "worker", workerId: worker.id }, assignmentId: toSkill.id }),
      "not_found",
    );

    const tools = await previewTools({ actor, target: { type: "worker", workerId: worker.id } });
    // refundCharge is switched off: every other operation, in document order.
    expect(tools.data.map((t) => (t.kind === "connector" ? t.operationId : t.tool))).toEqual(["listCharges", "createCharge", "getCharge"]);
    expect((await previewTools({ actor, target: { type: "skill", skillId: skill.id } })).tools.map((t) => t.function.name)).toEqual([
      "billing-prod__listCharges",
    ]);

    expect((await getAgent({ actor, kind: "workflow", id: wf.id })).connectorCount).toBe(1);
    await removeAssignment({ actor, target: { type: "worker", workerId: worker.id }, assignmentId: toWorker.id });
    expect((await listAssignments({ actor, target: { type: "worker", workerId: worker.id } })).data).toEqual([]);
    const actions = (
      await db.auditEntry.findMany({
        where: { workspaceId: ws.id, action: { contains: ".connector." } },
        orderBy: [{ at: "asc" }, { id: "asc" }],
      })
    ).map((e) => e.action);
    expect(actions).toEqual([
      "worker.connector.assign",
      "node.connector.assign",
      "skill.connector.assign",
      "skill.connector.update",
      "worker.connector.unassign",
    ]);
  });

  it("a connector of another workspace is not found; a private one only its creator or an Admin assigns", async () => {
    const { ws, actor: builder, user } = await userInWorkspace("BUILDER");
    const { actor: otherBuilder } = await userInWorkspace("BUILDER", ws.id);
    const { actor: admin } = await userInWorkspace("ADMIN", ws.id);
    const provider = await importTinyProvider(tokenActor, ws.id);
    const worker = await createAgent({ actor: builder, kind: "worker", workspaceId: ws.id, input: { name: "w" } });
    const target = { type: "worker" as const, workerId: worker.id };

    const elsewhere = await createWorkspace();
    const foreignProvider = await importTinyProvider(tokenActor, elsewhere.id);
    const foreign = await createConnectorRow({ workspaceId: elsewhere.id, providerId: foreignProvider.id, name: "theirs" });
    await expectAppError(assignConnector({ actor: builder, target, input: { connectorId: foreign.id } }), "not_found");
    await expectAppError(assignConnector({ actor: tokenActor, target, input: { connectorId: foreign.id } }), "not_found");

    const mine = await createConnectorRow({
      workspaceId: ws.id,
      providerId: provider.id,
      name: "mine",
      public: false,
      createdById: user.id,
    });
    await expectAppError(assignConnector({ actor: otherBuilder, target, input: { connectorId: mine.id } }), "forbidden");
    await assignConnector({ actor: builder, target, input: { connectorId: mine.id } });
    const adminOnly = await createConnectorRow({ workspaceId: ws.id, providerId: provider.id, name: "ops", public: false });
    await expectAppError(assignConnector({ actor: builder, target, input: { connectorId: adminOnly.id } }), "forbidden");
    await assignConnector({ actor: admin, target, input: { connectorId: adminOnly.id } });
    expect((await listAssignments({ actor: otherBuilder, target })).data.map((a) => a.connector.name)).toEqual(["mine", "ops"]);

    // Someone without a role in the workspace cannot reach the worker at all.
    const { actor: outsider, user: outsiderUser } = await createUser();
    await expectAppError(listAssignments({ actor: outsider, target }), "not_found");
    await addMembership(elsewhere.id, outsiderUser.id, "ADMIN");
    await expectAppError(assignConnector({ actor: outsider, target, input: { connectorId: foreign.id } }), "not_found");
  });
});
