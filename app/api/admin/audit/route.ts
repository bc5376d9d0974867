// GET /api/admin/audit - audit log, newest first, with filters and cursor paging
import { adminRoute } from "@/lib/http/admin-route";
import { auditQuerySchema } from "@/lib/schemas/audit";
import { listAudit } from "@/lib/audit/list-audit";

export const GET = adminRoute({ query: auditQuerySchema }, ({ actor, query }) => listAudit(actor, query));
