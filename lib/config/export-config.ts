import { stringify } from "yaml";
import { db } from "../db/client";
import { requireInstancePermission, type Actor } from "../auth/actor";
import { CONFIG_SECTIONS } from "./sections";

/** The current configuration in the file's shape. Secrets are never written: they become ${env:NAME} refs. */
export async function exportConfig(opts: { actor: Actor }): Promise<Record<string, unknown[]>> {
  requireInstancePermission(opts.actor, "config.export");
  const out: Record<string, unknown[]> = {};
  for (const section of CONFIG_SECTIONS) {
    const items = await section.export(db);
    if (items.length) out[section.key] = items;
  }
  return out;
}

export function configToYaml(config: Record<string, unknown[]>): string {
  const uploaded = (config.providers ?? []).some((p) => String((p as { spec?: unknown }).spec ?? "").startsWith("./specs/"));
  const header =
    "# Switchboard configuration, exported " +
    new Date().toISOString() +
    "\n# Secrets are not exported: set the ${env:...} variables before applying this file.\n" +
    (uploaded
      ? "# Providers whose document was uploaded in the console name it as ./specs/<workspace>/<name>.json: save each\n" +
        "# document there, next to this file, and apply it as the start-up file (SWITCHBOARD_CONFIG).\n"
      : "");
  return header + stringify(config, { lineWidth: 0 });
}
