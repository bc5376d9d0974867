import { getServerSession } from "next-auth";
import { AppError } from "../errors";
import { actorFromAdminToken, actorFromUserId, type Actor } from "./actor";
import { authOptions } from "./options";

// The one module that adapts next-auth: everything else receives an Actor.

/** The signed-in person for server components and actions, or null. */
export async function currentUserActor(): Promise<Extract<Actor, { type: "user" }> | null> {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  return (await actorFromUserId(id)) as Extract<Actor, { type: "user" }> | null;
}

/** Bearer admin token first (a bad one is refused, never ignored), then the session cookie. */
export async function actorFromRequest(req: Request): Promise<Actor> {
  const auth = req.headers.get("authorization");
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth);
    if (!m) throw new AppError("unauthenticated", "Use Authorization: Bearer <admin token>");
    return actorFromAdminToken(m[1]);
  }
  const actor = await currentUserActor();
  if (!actor) throw new AppError("unauthenticated", "Sign in or send an admin token");
  return actor;
}
