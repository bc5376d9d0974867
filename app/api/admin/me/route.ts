// GET /api/admin/me - who the caller is
import { adminRoute } from "@/lib/http/admin-route";
import { meSchema } from "@/lib/schemas/dto";
import { actorLabel, isInstanceAdmin } from "@/lib/auth/actor";

export const GET = adminRoute(
  { summary: "Who the caller is", tags: ["Session"], access: { signedIn: true }, responses: { 200: meSchema } },
  async ({ actor }) => ({
    type: actor.type,
    label: actorLabel(actor),
    instanceAdmin: isInstanceAdmin(actor),
    ...(actor.type === "user" ? { id: actor.id, email: actor.email, name: actor.name } : {}),
  }),
);
