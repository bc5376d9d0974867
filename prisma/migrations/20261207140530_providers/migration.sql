-- CreateTable
CREATE TABLE "Provider" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "globalId" TEXT,
    "versionLabel" TEXT NOT NULL DEFAULT '',
    "servers" JSONB NOT NULL DEFAULT '[]',
    "authSchemes" JSONB NOT NULL DEFAULT '[]',
    "currentVersionId" TEXT,
    "source" TEXT NOT NULL DEFAULT 'console',
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Provider_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProviderVersion" (
    "id" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "contentHash" TEXT NOT NULL,
    "sourceKind" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "restoredFromId" TEXT,
    "versionLabel" TEXT NOT NULL DEFAULT '',
    "specVersion" TEXT NOT NULL,
    "document" TEXT NOT NULL,
    "signature" JSONB NOT NULL,
    "operationCount" INTEGER NOT NULL,
    "createdById" TEXT,
    "createdByLabel" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProviderVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProviderOperation" (
    "id" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "operationId" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "tags" TEXT[],
    "deprecated" BOOLEAN NOT NULL DEFAULT false,
    "parameters" JSONB NOT NULL DEFAULT '[]',
    "requestBody" JSONB,
    "responses" JSONB NOT NULL DEFAULT '{}',
    "security" JSONB,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "toolName" TEXT NOT NULL,
    "toolDescription" TEXT NOT NULL DEFAULT '',
    "inputSchema" JSONB NOT NULL,

    CONSTRAINT "ProviderOperation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Provider_workspaceId_createdAt_idx" ON "Provider"("workspaceId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Provider_workspaceId_name_key" ON "Provider"("workspaceId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "ProviderVersion_providerId_number_key" ON "ProviderVersion"("providerId", "number");

-- CreateIndex
CREATE INDEX "ProviderOperation_providerId_position_idx" ON "ProviderOperation"("providerId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "ProviderOperation_providerId_operationId_key" ON "ProviderOperation"("providerId", "operationId");

-- CreateIndex
CREATE UNIQUE INDEX "ProviderOperation_providerId_toolName_key" ON "ProviderOperation"("providerId", "toolName");

-- AddForeignKey
ALTER TABLE "Provider" ADD CONSTRAINT "Provider_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProviderVersion" ADD CONSTRAINT "ProviderVersion_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProviderOperation" ADD CONSTRAINT "ProviderOperation_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE CASCADE ON UPDATE CASCADE;
