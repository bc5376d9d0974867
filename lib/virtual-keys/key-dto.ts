import crypto from "node:crypto";
import type { DecimalLike } from "../models/money";
import { money } from "../models/money";
import type { z } from "../schemas/zod";
import { VIRTUAL_KEY_PREFIX, type BudgetAction, type KeyStatus, type virtualKeyDtoSchema } from "../schemas/virtual-keys";

// Read shape of a workspace key (its schema cannot carry the key or its hash).
export type VirtualKeyDto = z.output<typeof virtualKeyDtoSchema>;

export const keySelect = {
  id: true,
  workspaceId: true,
  name: true,
  prefix: true,
  owner: true,
  allowedModels: true,
  rpm: true,
  tpm: true,
  monthlyBudgetUsd: true,
  budgetAction: true,
  expiresAt: true,
  revokedAt: true,
  lastUsedAt: true,
  source: true,
  createdAt: true,
  updatedAt: true,
} as const;

export interface KeyRow {
  id: string;
  workspaceId: string;
  name: string;
  prefix: string;
  owner: string;
  allowedModels: string[];
  rpm: number | null;
  tpm: number | null;
  monthlyBudgetUsd: DecimalLike | null;
  budgetAction: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  source: string;
  createdAt: Date;
  updatedAt: Date;
}

export function keyStatus(k: { revokedAt: Date | null; expiresAt: Date | null }, now = new Date()): KeyStatus {
  if (k.revokedAt) return "revoked";
  if (k.expiresAt && k.expiresAt <= now) return "expired";
  return "active";
}

export const toVirtualKeyDto = (k: KeyRow): VirtualKeyDto => ({
  id: k.id,
  workspaceId: k.workspaceId,
  name: k.name,
  prefix: k.prefix,
  owner: k.owner,
  allowedModels: k.allowedModels,
  rpm: k.rpm,
  tpm: k.tpm,
  monthlyBudgetUsd: money(k.monthlyBudgetUsd),
  budgetAction: k.budgetAction as BudgetAction,
  expiresAt: k.expiresAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  source: k.source,
  status: keyStatus(k),
  createdAt: k.createdAt.toISOString(),
  updatedAt: k.updatedAt.toISOString(),
});

/** The comparable settings of a key, as recorded in audit entries (never the value). */
export function keySettings(
  k: Pick<KeyRow, "name" | "owner" | "allowedModels" | "rpm" | "tpm" | "monthlyBudgetUsd" | "budgetAction" | "expiresAt">,
) {
  return {
    name: k.name,
    owner: k.owner,
    allowedModels: k.allowedModels,
    rpm: k.rpm,
    tpm: k.tpm,
    monthlyBudgetUsd: money(k.monthlyBudgetUsd),
    budgetAction: k.budgetAction,
    expiresAt: k.expiresAt?.toISOString() ?? null,
  };
}
export const KEY_FIELDS = ["name", "owner", "allowedModels", "rpm", "tpm", "monthlyBudgetUsd", "budgetAction", "expiresAt"] as const;

// Keys carry 256 random bits, so SHA-256 (what the gateway computes per request) is enough to store them.
export const generateKeyValue = () => `${VIRTUAL_KEY_PREFIX}${crypto.randomBytes(32).toString("base64url")}`;
export const hashKey = (value: string) => crypto.createHash("sha256").update(value, "utf8").digest("hex");
export const keyPrefix = (value: string) => value.slice(0, 12);
