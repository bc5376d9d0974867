-- AlterTable
ALTER TABLE "McpServer" ADD COLUMN     "authType" TEXT NOT NULL DEFAULT 'none',
ADD COLUMN     "oauthClientId" TEXT,
ADD COLUMN     "oauthClientSecretId" TEXT,
ADD COLUMN     "oauthScopes" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "McpOAuthConnection" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'not_connected',
    "resource" TEXT NOT NULL,
    "resourceMetadataUrl" TEXT,
    "authServerUrl" TEXT NOT NULL,
    "authServerMetadata" JSONB NOT NULL DEFAULT '{}',
    "clientSource" TEXT NOT NULL DEFAULT 'dynamic',
    "clientId" TEXT,
    "clientSecret" TEXT,
    "clientRedirectUri" TEXT,
    "scopes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "accessToken" TEXT,
    "refreshToken" TEXT,
    "tokenType" TEXT NOT NULL DEFAULT 'bearer',
    "tokenIssuedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "lastRefreshedAt" TIMESTAMP(3),
    "lastError" TEXT NOT NULL DEFAULT '',
    "lastErrorAt" TIMESTAMP(3),
    "retryAfter" TIMESTAMP(3),
    "refreshFailures" INTEGER NOT NULL DEFAULT 0,
    "stateHash" TEXT,
    "codeVerifier" TEXT,
    "stateExpiresAt" TIMESTAMP(3),
    "redirectUri" TEXT,
    "startedBy" TEXT,
    "connectedBy" TEXT,
    "connectedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "McpOAuthConnection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "McpOAuthConnection_serverId_key" ON "McpOAuthConnection"("serverId");

-- CreateIndex
CREATE UNIQUE INDEX "McpOAuthConnection_stateHash_key" ON "McpOAuthConnection"("stateHash");

-- CreateIndex
CREATE INDEX "McpOAuthConnection_workspaceId_idx" ON "McpOAuthConnection"("workspaceId");

-- AddForeignKey
ALTER TABLE "McpOAuthConnection" ADD CONSTRAINT "McpOAuthConnection_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "McpServer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Servers registered before auth types: those with headers authenticate with them.
UPDATE "McpServer" SET "authType" = 'headers' WHERE "headers" <> '[]'::jsonb;
