import { z } from "../schemas/zod";
import type { ConfigSection } from "./types";
import { workspacesSection } from "./sections/workspaces";
import { adminTokensSection } from "./sections/admin-tokens";
import { credentialsSection } from "./sections/credentials";
import { platformsSection } from "./sections/platforms";
import { deploymentsSection } from "./sections/deployments";
import { modelsSection } from "./sections/models";
import { providersSection } from "./sections/providers";
import { connectorsSection } from "./sections/connectors";
import { mcpServersSection } from "./sections/mcp-servers";
import { skillsSection, workersSection, workflowsSection } from "./sections/agents";
import { webhooksSection } from "./sections/webhooks";

// Sections in apply order (a later section may refer to objects an earlier one creates: models route to
// platforms and deployments by name; workers, workflows and skills name connectors; webhooks name workers and workflows).
// oxlint-disable-next-line typescript/no-explicit-any -- each section has its own item type; the list holds them all
export const CONFIG_SECTIONS: ConfigSection<any>[] = [
  workspacesSection,
  adminTokensSection,
  credentialsSection,
  platformsSection,
  deploymentsSection,
  modelsSection,
  providersSection,
  connectorsSection,
  mcpServersSection,
  workersSection,
  workflowsSection,
  skillsSection,
  webhooksSection,
];

// Sections described in ARCHITECTURE.md that this version does not manage yet: named so a file that uses them
// gets a precise refusal instead of a generic "unknown field".
export const FUTURE_SECTIONS: string[] = [];

/**
 * The configuration file's shape, for the admin API's document: each managed section is a list of its items.
 * Secret fields may also be written as ${env:NAME}, resolved before the items are parsed.
 */
export const configDocumentSchema = z
  .object(Object.fromEntries(CONFIG_SECTIONS.map((s) => [s.key, z.array(s.item).optional()])))
  .describe("Sections are applied in order, all or nothing; secrets may be written as ${env:NAME}");

/** An exported document: sections of items whose secrets are ${env:NAME} references to fill in. */
export const exportedConfigSchema = z.record(z.string(), z.array(z.record(z.string(), z.unknown())));
