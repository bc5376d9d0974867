import { parseDocument } from "yaml";
import { AppError } from "../errors";

export const MAX_CONFIG_BYTES = 2 * 1024 * 1024;
const MAX_NODES = 200_000;

/**
 * Parses a configuration document (YAML, of which JSON is a subset) with limits against alias bombs, huge
 * inputs and custom tags: core schema only, so `!!js/function` and friends are plain errors.
 */
export function parseConfigText(text: string): unknown {
  if (Buffer.byteLength(text, "utf8") > MAX_CONFIG_BYTES) {
    throw new AppError("payload_too_large", `Configuration is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB`);
  }
  if (!text.trim()) return {};
  // Every node needs at least one line break, comma, colon or bracket: counting those bounds the node count
  // before the parser spends seconds building a huge document.
  if ((text.match(/[\n,:[\]{}]/g)?.length ?? 0) > MAX_NODES) {
    throw new AppError("payload_too_large", "Configuration has too many nodes");
  }
  let doc;
  try {
    doc = parseDocument(text, { schema: "core", uniqueKeys: true, prettyErrors: true, strict: true, customTags: [] });
  } catch (e) {
    throw new AppError("bad_request", `Configuration could not be parsed: ${(e as Error).message.split("\n")[0]}`);
  }
  const errors = [...doc.errors, ...doc.warnings];
  if (errors.length) {
    throw new AppError("bad_request", "Configuration could not be parsed", {
      fields: errors.slice(0, 20).map((e) => ({
        path: e.linePos?.[0] ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : "(document)",
        message: e.message.split("\n")[0],
      })),
    });
  }
  let nodes = 0;
  try {
    // maxAliasCount bounds alias expansion (billion laughs); the reviver bounds the size of what comes out.
    return doc.toJS({
      maxAliasCount: 50,
      reviver(_k, v) {
        if (++nodes > MAX_NODES) throw new AppError("payload_too_large", "Configuration has too many nodes");
        return v;
      },
    });
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError("bad_request", `Configuration could not be parsed: ${(e as Error).message.split("\n")[0]}`);
  }
}
