import { z, listQuerySchema } from "./zod";
import { globalIdSchema } from "./providers";

// The central repository of API providers: platform-wide catalog entries (shipped with the app or fed by a remote
// catalog), read by every signed-in role. One schema per input: the list query, the remote index an operator
// publishes at SWITCHBOARD_CATALOG_URL, and the entry id a provider is synced from.

export const CATALOG_CATEGORIES = [
  "source-control",
  "chat",
  "payments",
  "crm",
  "ticketing",
  "calendar-mail",
  "storage",
  "incident-response",
  "developer-tools",
  "other",
] as const;
export type CatalogCategory = (typeof CATALOG_CATEGORIES)[number];
export const CATEGORY_LABELS: Record<CatalogCategory, string> = {
  "source-control": "Source control",
  chat: "Chat and messaging",
  payments: "Payments",
  crm: "CRM and marketing",
  ticketing: "Ticketing and projects",
  "calendar-mail": "Calendars and mail",
  storage: "Storage and documents",
  "incident-response": "Incident response",
  "developer-tools": "Developer tools",
  other: "Other",
};

export const catalogIdSchema = globalIdSchema;

const httpsUrl = z
  .string()
  .trim()
  .max(2048)
  .regex(/^https:\/\//i, "Must be an https URL");

export const catalogIconSchema = z.strictObject({
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "A colour such as #4a154b"),
  initials: z.string().trim().min(1).max(3),
});
export const catalogAuthSchema = z.strictObject({
  type: z.enum(["oauth2", "apiKey", "bearer", "basic", "none"]),
  summary: z.string().trim().max(300),
});
export const catalogOAuthSchema = z.strictObject({
  authorizeUrl: httpsUrl,
  tokenUrl: httpsUrl,
  scopes: z.array(z.string().trim().min(1).max(200)).max(50),
});
export type CatalogIcon = z.infer<typeof catalogIconSchema>;
export type CatalogAuth = z.infer<typeof catalogAuthSchema>;
export type CatalogOAuth = z.infer<typeof catalogOAuthSchema>;

export const catalogProviderQuerySchema = listQuerySchema.extend({ category: z.enum(CATALOG_CATEGORIES).optional() });
export type CatalogProviderQuery = z.infer<typeof catalogProviderQuerySchema>;

/**
 * The remote catalog's index (JSON at SWITCHBOARD_CATALOG_URL). `version` is the publisher's label for the entry;
 * the poll fetches the document again only when it changes. The document is given by `documentUrl` (absolute, or
 * relative to the index) or inline as `document` (the OpenAPI object itself or its JSON/YAML text).
 */
export const remoteCatalogEntrySchema = z
  .strictObject({
    id: catalogIdSchema,
    title: z.string().trim().min(1).max(200),
    category: z.enum(CATALOG_CATEGORIES).default("other"),
    description: z.string().trim().max(2000).default(""),
    icon: catalogIconSchema.optional(),
    docsUrl: httpsUrl.optional(),
    auth: catalogAuthSchema.optional(),
    oauth: catalogOAuthSchema.optional(),
    version: z.string().trim().min(1).max(100),
    documentUrl: z.string().trim().min(1).max(2048).optional(),
    document: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
  })
  .refine((e) => !!e.documentUrl !== (e.document !== undefined), { message: "Give exactly one of documentUrl and document" });
export const remoteCatalogIndexSchema = z.strictObject({
  providers: z.array(remoteCatalogEntrySchema).max(500),
});
export type RemoteCatalogEntry = z.infer<typeof remoteCatalogEntrySchema>;

// ---- read shapes

export const catalogProviderDtoSchema = z.object({
  id: z.string(),
  title: z.string(),
  category: z.enum(CATALOG_CATEGORIES),
  description: z.string(),
  icon: catalogIconSchema,
  docsUrl: z.string().nullable(),
  auth: catalogAuthSchema,
  oauth: catalogOAuthSchema.nullable(),
  version: z.string().describe("<label>+<first 12 hex digits of the document's content hash>"),
  versionLabel: z.string().describe("The package version (shipped) or the remote index's version of the entry"),
  contentHash: z.string().describe("sha256 of the document as the import pipeline stores it"),
  operationCount: z.number().int().nullable(),
  source: z.enum(["shipped", "remote"]),
});
export type CatalogProviderDto = z.output<typeof catalogProviderDtoSchema>;

export const catalogProviderDetailSchema = catalogProviderDtoSchema.extend({
  documentSource: z.string().describe("The npm package file, or the URL the remote catalog names"),
  methodCounts: z.record(z.string(), z.number().int()).nullable().describe("Operations per HTTP method, when the document was read"),
});

export const catalogRefreshDtoSchema = z.object({
  url: z.string().nullable(),
  added: z.array(z.string()),
  updated: z.array(z.string()),
  unchanged: z.array(z.string()),
  removed: z.array(z.string()),
  failed: z.array(z.object({ id: z.string(), message: z.string() })),
  synced: z.array(z.object({ providerId: z.string(), catalogId: z.string(), version: z.string() })),
});
export type CatalogRefreshDto = z.output<typeof catalogRefreshDtoSchema>;
