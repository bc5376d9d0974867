// GET /api/admin/models/route-targets - platforms and deployments a route may point to
import { adminRoute } from "@/lib/http/admin-route";
import { listRouteTargets } from "@/lib/models/list-route-targets";

export const GET = adminRoute({}, ({ actor }) => listRouteTargets({ actor }));
