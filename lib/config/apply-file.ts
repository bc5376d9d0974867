import fs from "node:fs";
import path from "node:path";
import { AppError } from "../errors";
import { applyConfig } from "./apply-config";
import { MAX_CONFIG_BYTES, parseConfigText } from "./parse";

/** Applies a configuration file at start-up, as the "config" actor. */
export async function applyConfigFile(file: string) {
  const full = path.resolve(file);
  let stat;
  try {
    stat = fs.statSync(full);
  } catch {
    throw new AppError("not_found", `Configuration file ${file} does not exist`);
  }
  if (stat.size > MAX_CONFIG_BYTES) throw new AppError("payload_too_large", `Configuration file ${file} is too large`);
  const doc = await parseConfigText(fs.readFileSync(full, "utf8"));
  return applyConfig({ actor: { type: "config", source: path.basename(full) }, doc, baseDir: path.dirname(full) });
}
