// GET /api/admin/models/route-targets - platforms and deployments a route may point to
import { adminRoute } from "@/lib/http/admin-route";
import { pageOf } from "@/lib/schemas/dto";
import { routeTargetDtoSchema } from "@/lib/schemas/models";
import { listRouteTargets } from "@/lib/models/list-route-targets";

export const GET = adminRoute(
  {
    summary: "Platforms and deployments a route may point to",
    tags: ["Models"],
    access: { anyWorkspace: "models.read" },
    responses: { 200: pageOf(routeTargetDtoSchema) },
  },
  ({ actor }) => listRouteTargets({ actor }),
);
