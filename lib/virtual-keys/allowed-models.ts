import type { Tx } from "../db/types";
import type { FieldProblem } from "../errors";

/**
 * Maps model names to their stored spelling; names without a model become problems at `${path}[i]`. In a dry
 * run of a configuration file a model the same file declares does not exist yet, so `lenient` keeps the name.
 */
export async function resolveAllowedModels(
  tx: Tx,
  names: string[],
  path: string,
  lenient = false,
): Promise<{ names: string[]; problems: FieldProblem[] }> {
  if (!names.length) return { names: [], problems: [] };
  const rows = await tx.model.findMany({
    where: { OR: names.map((n) => ({ name: { equals: n, mode: "insensitive" as const } })) },
    select: { name: true },
  });
  const byLower = new Map(rows.map((r) => [r.name.toLowerCase(), r.name]));
  const problems: FieldProblem[] = [];
  const out = names.map((n, i) => {
    const hit = byLower.get(n.toLowerCase());
    if (!hit && !lenient) problems.push({ path: `${path}[${i}]`, message: `No model named "${n}"` });
    return hit ?? n;
  });
  return { names: out, problems };
}
