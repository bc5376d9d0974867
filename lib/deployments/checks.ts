import type { Tx } from "../db/types";
import { AppError, conflict, type FieldProblem } from "../errors";
import { checkOutboundUrl } from "../outbound/fetch";

/** A field problem when the instance URL may not be requested (private address without `internal`, bad port...). */
export function instanceUrlProblem(url: string, internal: boolean, path: string): FieldProblem | null {
  try {
    checkOutboundUrl(url, internal);
    return null;
  } catch (e) {
    const message = e instanceof Error ? e.message : "The URL is not allowed";
    const hint = internal ? "" : "; mark the deployment internal to allow private and loopback addresses";
    return { path, message: `${message}${hint}` };
  }
}

export function assertInstanceUrls(urls: string[], internal: boolean, pathOf: (i: number) => string): void {
  const problems = urls.map((u, i) => instanceUrlProblem(u, internal, pathOf(i))).filter((p): p is FieldProblem => p !== null);
  if (problems.length) throw new AppError("validation_failed", "An instance URL is not allowed", { fields: problems });
}

export async function assertDeploymentNameFree(tx: Tx, name: string, exceptId?: string): Promise<void> {
  const clash = await tx.deployment.findFirst({
    where: { name: { equals: name, mode: "insensitive" }, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw conflict("A deployment with this name already exists", "name");
}

/** "http://a:8000/v1" and "http://A:8000/v1/" are the same instance. */
export const sameUrl = (a: string, b: string) => a.replace(/\/+$/, "").toLowerCase() === b.replace(/\/+$/, "").toLowerCase();
