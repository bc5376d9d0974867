// GET /api/admin/config - export (YAML, or JSON with ?format=json; never secrets)
// POST /api/admin/config - apply a YAML or JSON document, all or nothing (?dryRun=true to plan only)
import { adminRoute, readBodyText } from "@/lib/http/admin-route";
import { z } from "@/lib/schemas/zod";
import { AppError } from "@/lib/errors";
import { applyResultSchema } from "@/lib/schemas/dto";
import { applyConfig } from "@/lib/config/apply-config";
import { configToYaml, exportConfig } from "@/lib/config/export-config";
import { MAX_CONFIG_BYTES, parseConfigJson, parseConfigText } from "@/lib/config/parse";
import { configDocumentSchema, exportedConfigSchema } from "@/lib/config/sections";

const exportQuery = z.object({ format: z.enum(["yaml", "json"]).default("yaml") });
const applyQuery = z.object({ dryRun: z.stringbool().default(false) });

export const GET = adminRoute(
  {
    summary: "Export the configuration (YAML; ?format=json for JSON). Secrets become ${env:NAME} references.",
    tags: ["Configuration"],
    access: { instance: "config.export" },
    query: exportQuery,
    responses: {
      200: {
        description: "The configuration document, as a YAML attachment or as JSON",
        contentTypes: ["application/yaml", "application/json"],
        schema: exportedConfigSchema,
      },
    },
  },
  async ({ actor, query }) => {
    const config = await exportConfig({ actor });
    if (query.format === "json") return config;
    return new Response(configToYaml(config), {
      headers: { "content-type": "application/yaml; charset=utf-8", "content-disposition": 'attachment; filename="switchboard.yaml"' },
    });
  },
);

const ACCEPTED = /^(application\/(json|yaml|x-yaml)|text\/(yaml|x-yaml))\b/i;

export const POST = adminRoute(
  {
    summary: "Apply a configuration document (YAML or JSON), all or nothing",
    tags: ["Configuration"],
    access: { instance: "config.apply" },
    query: applyQuery,
    rawBody: {
      description: "The configuration file (ARCHITECTURE.md section 6), at most 2 MiB",
      contentTypes: ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "application/json"],
      schema: configDocumentSchema,
    },
    responses: { 200: applyResultSchema },
  },
  async ({ req, actor, query, requestId }) => {
    const type = req.headers.get("content-type") ?? "";
    if (!ACCEPTED.test(type))
      throw new AppError("unsupported_media_type", "Send the configuration as application/yaml or application/json");
    const text = await readBodyText(req, MAX_CONFIG_BYTES);
    const doc = /json/i.test(type) ? parseConfigJson(text) : await parseConfigText(text);
    return applyConfig({ actor, doc, dryRun: query.dryRun, requestId });
  },
);
