import { z } from "../../schemas/zod";
import { tokenNameSchema } from "../../schemas/tokens";
import { hashSecret, secretPrefix } from "../../auth/secret-token";
import { recordAudit, REDACTED } from "../../audit/record";
import { conflict } from "../../errors";
import { formatPath } from "../../schemas/zod";
import type { ConfigChange, ConfigSection } from "../types";

const item = z.strictObject({
  name: tokenNameSchema,
  value: z
    .string()
    .min(24, "Must be at least 24 characters (write it as ${env:NAME} to keep it out of the file)")
    .max(200, "Must be at most 200 characters"),
});
type Item = z.infer<typeof item>;

/** Tokens declared in a file are matched by name among config tokens; a changed value rotates the token. */
export const adminTokensSection: ConfigSection<Item> = {
  key: "adminTokens",
  item,
  identity: (t) => t.name.toLowerCase(),
  secretFields: ["value"],
  async apply(items, { tx, actor, requestId, dryRun }) {
    const changes: ConfigChange[] = [];
    const hashesInFile = new Set<string>();
    for (const [i, t] of items.entries()) {
      const tokenHash = hashSecret(t.value);
      // Same rule as duplicate detection (identity): names match case-insensitively.
      const existing = await tx.adminToken.findFirst({
        where: { source: "config", name: { equals: t.name, mode: "insensitive" }, revokedAt: null },
      });
      if (existing && existing.tokenHash === tokenHash) {
        changes.push({ section: "adminTokens", name: t.name, action: "unchanged" });
        hashesInFile.add(tokenHash);
        continue;
      }
      // A value already in use (another token, revoked ones included, or an earlier item) would hit the unique
      // hash index mid-transaction as an opaque 500; refuse it by path, without echoing the value.
      const clash = hashesInFile.has(tokenHash) || (await tx.adminToken.findUnique({ where: { tokenHash }, select: { id: true } }));
      if (clash)
        throw conflict(
          "This token value is already used by another admin token; choose a new value",
          formatPath(["adminTokens", i, "value"]),
        );
      hashesInFile.add(tokenHash);
      changes.push({
        section: "adminTokens",
        name: t.name,
        action: existing ? "update" : "create",
        ...(existing ? { fields: ["value"] } : {}),
      });
      if (dryRun) continue;
      const data = { tokenHash, prefix: secretPrefix(t.value) };
      const row = existing
        ? await tx.adminToken.update({ where: { id: existing.id }, data })
        : await tx.adminToken.create({ data: { ...data, name: t.name, source: "config" } });
      await recordAudit(tx, {
        actor,
        action: existing ? "token.rotate" : "token.create",
        targetType: "admin_token",
        targetId: row.id,
        targetLabel: row.name,
        changes: { value: { from: existing ? REDACTED : null, to: REDACTED } },
        requestId,
      });
    }
    return changes;
  },
  async export(tx) {
    const rows = await tx.adminToken.findMany({ where: { source: "config", revokedAt: null }, orderBy: { name: "asc" } });
    return rows.map((t) => ({ name: t.name, value: `\${env:${envNameFor(t.name)}}` }));
  },
};

export function envNameFor(name: string): string {
  return `SWITCHBOARD_TOKEN_${name
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")}`;
}
