import type { Tx } from "../db/types";
import type { Actor } from "../auth/actor";
import { diffFields, REDACTED } from "../audit/record";
import { AppError, type FieldProblem } from "../errors";
import { registryWrite } from "../gateway/registry-write";
import { money, toDecimal } from "../models/money";
import type { ConfigKeyInput } from "../schemas/virtual-keys";
import type { ConfigChange } from "../config/types";
import { resolveAllowedModels } from "./allowed-models";
import { assertValueFree, createVirtualKeyIn } from "./create-key";
import { hashKey, KEY_FIELDS, keyPrefix, keySelect, keySettings } from "./key-dto";
import { revokeVirtualKeyIn } from "./revoke-key";
import { updateVirtualKeyIn } from "./update-key";

export interface WorkspaceKeys {
  workspace: string;
  keys: ConfigKeyInput[];
}

/** `${env:...}` name an export writes for a config key's value. */
export function keyEnvName(workspace: string, name: string): string {
  const part = (s: string) =>
    s
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "");
  return `SWITCHBOARD_KEY_${part(workspace)}_${part(name)}`;
}

/** A key in a file is fully declared: an omitted limit, budget or expiry means none. */
function desired(k: ConfigKeyInput, models: string[]) {
  return {
    name: k.name,
    owner: k.owner ?? "",
    allowedModels: models,
    rpm: k.rpm ?? null,
    tpm: k.tpm ?? null,
    monthlyBudgetUsd: k.monthlyBudgetUsd === undefined ? null : money(toDecimal(k.monthlyBudgetUsd)),
    budgetAction: k.budgetAction ?? "block",
    expiresAt: k.expiresAt ?? null,
  };
}

/**
 * Applies `workspaces[i].keys` (the list is complete for config-sourced keys of that workspace): keys matched
 * by name; same value and settings are unchanged; a new value rotates the key; keys missing from the file are
 * revoked. Every model reference is checked before anything is written.
 */
export async function applyConfigKeys(
  tx: Tx,
  items: (WorkspaceKeys | null)[],
  ctx: { actor: Actor; requestId?: string; dryRun: boolean },
): Promise<ConfigChange[]> {
  const problems: FieldProblem[] = [];
  const resolved = await Promise.all(
    items.map(async (w, i) =>
      w
        ? Promise.all(
            w.keys.map(async (k, j) => {
              const r = await resolveAllowedModels(tx, k.models ?? [], `workspaces[${i}].keys[${j}].models`, ctx.dryRun);
              problems.push(...r.problems);
              return r.names;
            }),
          )
        : [],
    ),
  );
  if (problems.length)
    throw new AppError("validation_failed", "The configuration refers to missing models; nothing was applied", { fields: problems });

  const changes: ConfigChange[] = [];
  for (const [i, w] of items.entries()) {
    if (!w) continue;
    const change = (name: string, action: ConfigChange["action"], fields?: string[]) =>
      changes.push({ section: "keys", name: `${w.workspace}/${name}`, action, ...(fields ? { fields } : {}) });
    const ws = await tx.workspace.findFirst({ where: { name: { equals: w.workspace, mode: "insensitive" } }, select: { id: true } });
    if (!ws) {
      // Only in a dry run: the workspace section would have created it.
      for (const k of w.keys) change(k.name, "create");
      continue;
    }
    const existing = await tx.virtualKey.findMany({
      where: { workspaceId: ws.id, source: "config", revokedAt: null },
      select: { ...keySelect, keyHash: true },
    });
    const byName = new Map(existing.map((k) => [k.name.toLowerCase(), k]));
    const listed = new Set<string>();
    for (const [j, k] of w.keys.entries()) {
      const path = `workspaces[${i}].keys[${j}]`;
      const want = desired(k, resolved[i][j]);
      const current = byName.get(k.name.toLowerCase());
      if (!current) {
        change(k.name, "create");
        if (!ctx.dryRun) {
          await createVirtualKeyIn(tx, {
            actor: ctx.actor,
            workspaceId: ws.id,
            input: { ...want, monthlyBudgetUsd: k.monthlyBudgetUsd ?? null },
            value: k.value,
            source: "config",
            requestId: ctx.requestId,
            path,
          });
        }
        continue;
      }
      listed.add(current.id);
      const keyHash = hashKey(k.value);
      const rotate = keyHash !== current.keyHash;
      const fields = Object.keys(diffFields(keySettings(current), want, { fields: [...KEY_FIELDS] }));
      if (!rotate && !fields.length) {
        change(k.name, "unchanged");
        continue;
      }
      change(k.name, "update", [...(rotate ? ["value"] : []), ...fields]);
      if (ctx.dryRun) continue;
      if (rotate) {
        await assertValueFree(tx, keyHash, `${path}.value`);
        await registryWrite(tx, async (tx) => {
          await tx.virtualKey.update({ where: { id: current.id }, data: { keyHash, prefix: keyPrefix(k.value) } });
          const audit = {
            actor: ctx.actor,
            action: "key.rotate",
            targetType: "virtual_key",
            targetId: current.id,
            targetLabel: current.name,
            workspaceId: ws.id,
            changes: { value: { from: REDACTED, to: REDACTED }, prefix: { from: current.prefix, to: keyPrefix(k.value) } },
            requestId: ctx.requestId,
          };
          return { result: undefined, audit };
        });
      }
      if (fields.length) {
        await updateVirtualKeyIn(tx, {
          actor: ctx.actor,
          key: current,
          input: { ...want, monthlyBudgetUsd: k.monthlyBudgetUsd ?? null },
          requestId: ctx.requestId,
          path,
        });
      }
    }
    for (const k of existing) {
      if (listed.has(k.id)) continue;
      change(k.name, "update", ["revokedAt"]);
      if (!ctx.dryRun) await revokeVirtualKeyIn(tx, { actor: ctx.actor, key: k, requestId: ctx.requestId });
    }
  }
  return changes;
}

/** A workspace's config-sourced keys in the file's shape; the value is always an `${env:...}` reference. */
export async function exportConfigKeys(tx: Tx, workspace: { id: string; name: string }): Promise<Record<string, unknown>[]> {
  const rows = await tx.virtualKey.findMany({
    where: { workspaceId: workspace.id, source: "config", revokedAt: null },
    select: keySelect,
    orderBy: { name: "asc" },
  });
  return rows.map((k) => {
    const budget = money(k.monthlyBudgetUsd);
    return {
      name: k.name,
      value: `\${env:${keyEnvName(workspace.name, k.name)}}`,
      ...(k.allowedModels.length ? { models: k.allowedModels } : {}),
      ...(k.owner ? { owner: k.owner } : {}),
      ...(k.rpm !== null ? { rpm: k.rpm } : {}),
      ...(k.tpm !== null ? { tpm: k.tpm } : {}),
      // A number when it reads back exactly, else the decimal string.
      ...(budget !== null ? { monthlyBudgetUsd: money(toDecimal(String(Number(budget)))) === budget ? Number(budget) : budget } : {}),
      ...(k.budgetAction !== "block" ? { budgetAction: k.budgetAction } : {}),
      ...(k.expiresAt ? { expiresAt: k.expiresAt.toISOString() } : {}),
    };
  });
}
