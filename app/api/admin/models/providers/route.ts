// GET /api/admin/models/providers - distinct model providers, for filters
import { adminRoute } from "@/lib/http/admin-route";
import { z } from "@/lib/schemas/zod";
import { pageOf } from "@/lib/schemas/dto";
import { listModelProviders } from "@/lib/models/list-models";

export const GET = adminRoute(
  {
    summary: "Distinct model providers",
    tags: ["Models"],
    access: { anyWorkspace: "models.read" },
    responses: { 200: pageOf(z.string()) },
  },
  ({ actor }) => listModelProviders({ actor }),
);
