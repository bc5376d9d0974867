// GET /api/admin/usage/dead-letters - usage records the database refused, with why, newest first (Admins)
import { adminRoute } from "@/lib/http/admin-route";
import { pageOf } from "@/lib/schemas/dto";
import { usageDeadLetterDtoSchema, usageDeadLetterQuerySchema } from "@/lib/schemas/usage";
import { listDeadLetters } from "@/lib/usage/list-dead-letters";

export const GET = adminRoute(
  {
    summary:
      "Usage records the database refused (e.g. text it cannot store), newest first: each with the database's reason and the record as produced; the rest of their batch was written (Admins)",
    tags: ["Usage"],
    access: { workspace: "usage.deadLetters.read" },
    query: usageDeadLetterQuerySchema,
    responses: { 200: pageOf(usageDeadLetterDtoSchema) },
  },
  ({ actor, query }) => listDeadLetters({ actor, input: query }),
);
