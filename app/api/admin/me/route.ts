// GET /api/admin/me - who the caller is
import { adminRoute } from "@/lib/http/admin-route";
import { actorLabel, isInstanceAdmin } from "@/lib/auth/actor";

export const GET = adminRoute({}, async ({ actor }) => ({
  type: actor.type,
  label: actorLabel(actor),
  instanceAdmin: isInstanceAdmin(actor),
  ...(actor.type === "user" ? { id: actor.id, email: actor.email, name: actor.name } : {}),
}));
