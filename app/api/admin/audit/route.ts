// GET /api/admin/audit - audit log, newest first, with filters and cursor paging
import { adminRoute } from "@/lib/http/admin-route";
import { auditQuerySchema } from "@/lib/schemas/audit";
import { auditEntrySchema, pageOf } from "@/lib/schemas/dto";
import { listAudit } from "@/lib/audit/list-audit";

export const GET = adminRoute(
  {
    summary: "Audit log, newest first",
    description: "Instance admins and admin tokens read every entry; a workspace Admin the entries of the workspaces they administer.",
    tags: ["Audit"],
    access: { workspace: "audit.read" },
    query: auditQuerySchema,
    responses: { 200: pageOf(auditEntrySchema) },
  },
  ({ actor, query }) => listAudit(actor, query),
);
