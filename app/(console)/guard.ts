import { cache } from "react";
import { headers } from "next/headers";
import { forbidden, notFound, redirect } from "next/navigation";
import { currentUserActor } from "@/lib/auth/request-actor";
import { canOpenPage, type ConsolePage } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { getWorkspace } from "@/lib/workspaces/get-workspace";
import { REQUEST_PATH_HEADER } from "@/lib/http/stamped-headers";
import type { RoleName } from "@/lib/schemas/workspaces";

async function requestedPath(fallback: string): Promise<string> {
  const h = await headers();
  const p = h.get(REQUEST_PATH_HEADER);
  return p && p.startsWith("/w/") ? p : fallback;
}

/**
 * The signed-in person and the workspace a console URL names, loaded once per request (the layout and the
 * page share it). Signed out -> /login; not a member or no such workspace -> 404, so a slug reveals nothing.
 */
export const loadConsole = cache(async (ws: string) => {
  const actor = await currentUserActor();
  if (!actor) redirect(`/login?callbackUrl=${encodeURIComponent(await requestedPath(`/w/${encodeURIComponent(ws)}`))}`);
  try {
    const workspace = await getWorkspace({ actor, idOrSlug: ws });
    return { actor, workspace, role: workspace.role as RoleName, instanceAdmin: actor.isInstanceAdmin };
  } catch (e) {
    if (isAppError(e) && (e.code === "not_found" || e.code === "forbidden")) notFound();
    throw e;
  }
});

export type ConsoleContext = Awaited<ReturnType<typeof loadConsole>>;

/** Every console page starts here: 403 (app/(console)/w/[ws]/forbidden.tsx) when the role may not open it. */
export async function requirePage(ws: string, page: ConsolePage): Promise<ConsoleContext> {
  const ctx = await loadConsole(ws);
  if (!canOpenPage(page, { role: ctx.role, instanceAdmin: ctx.instanceAdmin })) forbidden();
  return ctx;
}
