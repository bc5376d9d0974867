// GET /api/admin/models/providers - distinct model providers, for filters
import { adminRoute } from "@/lib/http/admin-route";
import { listModelProviders } from "@/lib/models/list-models";

export const GET = adminRoute({}, ({ actor }) => listModelProviders({ actor }));
