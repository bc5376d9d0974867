// GET /api/admin/usage/dead-letters - usage records the database refused, with why, newest first (Admins)
import { adminRoute } from "@/lib/http/admin-route";
import { usageDeadLetterQuerySchema } from "@/lib/schemas/usage";
import { listDeadLetters } from "@/lib/usage/list-dead-letters";

export const GET = adminRoute({ query: usageDeadLetterQuerySchema }, ({ actor, query }) => listDeadLetters({ actor, input: query }));
