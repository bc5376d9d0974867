import crypto from "node:crypto";
import { z, textSchema } from "../../schemas/zod";
import { credentialKindSchema, credentialNameSchema, secretValueSchema } from "../../schemas/credentials";
import { workspaceNameSchema } from "../../schemas/workspaces";
import { createCredentialIn, sealContext } from "../../credentials/create-credential";
import { updateCredentialIn } from "../../credentials/update-credential";
import { openSecret } from "../../crypto";
import { AppError, type FieldProblem } from "../../errors";
import type { ConfigChange, ConfigSection } from "../types";

const item = z.strictObject({
  name: credentialNameSchema,
  /** Omitted: an instance-level secret (such as a platform's API key). */
  workspace: workspaceNameSchema.optional(),
  kind: credentialKindSchema.default("api-key"),
  description: textSchema({ max: 500, multiline: true }).optional(),
  value: secretValueSchema,
});
type Item = z.infer<typeof item>;

function sameSecret(a: string, b: string): boolean {
  const ha = crypto.createHash("sha256").update(a).digest();
  const hb = crypto.createHash("sha256").update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}

export function secretEnvName(workspace: string | null, name: string): string {
  const part = (s: string) =>
    s
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "");
  return ["SWITCHBOARD_SECRET", ...(workspace ? [part(workspace)] : []), part(name)].join("_");
}

/** Credentials in a file are matched by workspace and name; a different value replaces the stored one. */
export const credentialsSection: ConfigSection<Item> = {
  key: "credentials",
  item,
  identity: (c) => `${(c.workspace ?? "").toLowerCase()}/${c.name.toLowerCase()}`,
  secretFields: ["value"],
  async apply(items, { tx, actor, requestId, dryRun }) {
    const problems: FieldProblem[] = [];
    const workspaceIds: (string | null)[] = [];
    for (const [i, c] of items.entries()) {
      if (!c.workspace) {
        workspaceIds.push(null);
        continue;
      }
      const ws = await tx.workspace.findFirst({ where: { name: { equals: c.workspace, mode: "insensitive" } }, select: { id: true } });
      // In a dry run a workspace created earlier in the same file does not exist yet; that is not an error.
      if (!ws && !dryRun) problems.push({ path: `credentials[${i}].workspace`, message: `No workspace named "${c.workspace}"` });
      workspaceIds.push(ws?.id ?? null);
    }
    if (problems.length)
      throw new AppError("validation_failed", "The configuration refers to missing objects; nothing was applied", { fields: problems });

    const changes: ConfigChange[] = [];
    for (const [i, c] of items.entries()) {
      const label = c.workspace ? `${c.workspace}/${c.name}` : c.name;
      const workspaceId = workspaceIds[i];
      const existing =
        workspaceId !== null || !c.workspace
          ? await tx.credential.findFirst({
              where: { workspaceId, name: { equals: c.name, mode: "insensitive" } },
              select: { id: true, workspaceId: true, ciphertext: true, kind: true, description: true },
            })
          : null;
      if (!existing) {
        changes.push({ section: "credentials", name: label, action: "create" });
        if (!dryRun) {
          await createCredentialIn(tx, {
            actor,
            workspaceId,
            input: { name: c.name, kind: c.kind, value: c.value, description: c.description ?? "" },
            source: "config",
            requestId,
          });
        }
        continue;
      }
      let valueChanged = true;
      try {
        valueChanged = !sameSecret(openSecret(existing.ciphertext, sealContext(existing.id, existing.workspaceId)), c.value);
      } catch {
        // An unreadable stored value is replaced by the one from the file.
      }
      const fields = [
        ...(valueChanged ? ["value"] : []),
        ...(c.description !== undefined && c.description !== existing.description ? ["description"] : []),
      ];
      if (!fields.length) {
        changes.push({ section: "credentials", name: label, action: "unchanged" });
        continue;
      }
      changes.push({ section: "credentials", name: label, action: "update", fields });
      if (!dryRun) {
        await updateCredentialIn(tx, {
          actor,
          workspaceId,
          credentialId: existing.id,
          input: { ...(valueChanged ? { value: c.value } : {}), ...(fields.includes("description") ? { description: c.description } : {}) },
          requestId,
        });
      }
    }
    return changes;
  },
  async export(tx) {
    const rows = await tx.credential.findMany({
      select: { name: true, kind: true, description: true, workspace: { select: { name: true } } },
      orderBy: [{ workspaceId: "asc" }, { name: "asc" }],
    });
    return rows.map((c) => ({
      name: c.name,
      ...(c.workspace ? { workspace: c.workspace.name } : {}),
      kind: c.kind,
      ...(c.description ? { description: c.description } : {}),
      value: `\${env:${secretEnvName(c.workspace?.name ?? null, c.name)}}`,
    }));
  },
};
