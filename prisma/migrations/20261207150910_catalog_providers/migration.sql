-- AlterTable
ALTER TABLE "Provider" ADD COLUMN     "catalogHash" TEXT,
ADD COLUMN     "catalogId" TEXT,
ADD COLUMN     "catalogVersion" TEXT,
ADD COLUMN     "followUpdates" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "CatalogProviderEntry" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "icon" JSONB NOT NULL,
    "docsUrl" TEXT,
    "auth" JSONB NOT NULL,
    "oauth" JSONB,
    "versionLabel" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "operationCount" INTEGER NOT NULL,
    "documentUrl" TEXT,
    "document" TEXT NOT NULL,
    "signature" JSONB NOT NULL,
    "fetchedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CatalogProviderEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Provider_catalogId_idx" ON "Provider"("catalogId");
